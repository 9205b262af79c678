import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/** Rows written between two yields to the event loop. */
const ROWS_PER_TURN = 500;

/** Lets other requests run (timers and I/O included, unlike a resolved promise). */
/** The Content-Disposition of a download named `name` (any characters: RFC 5987 encoding). */
export const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type XlsxSheet = { name: string; rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]> };

/**
 * An XLSX workbook written with the streaming writer: each row is serialised and committed as it
 * comes, and the event loop gets a turn every few hundred rows, so a roster or bank file of tens of
 * thousands of lines never holds the other requests (issue 11, defect 1). The bytes are returned
 * whole because the callers hash or store them; the work that built them was spread out.
 */
export async function xlsxFile(sheets: XlsxSheet[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    let n = 0;
    for await (const row of sheet.rows) {
      ws.addRow([...row]).commit();
      if (++n % ROWS_PER_TURN === 0) await yieldToLoop();
    }
    ws.commit();
  }
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** `items.map(fn)` with a turn of the event loop every few hundred items (for costly per-row work). */
export async function mapYielding<T, U>(items: readonly T[], fn: (item: T) => U): Promise<U[]> {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) {
    out.push(fn(items[i]!));
    if ((i + 1) % ROWS_PER_TURN === 0) await yieldToLoop();
  }
  return out;
}
