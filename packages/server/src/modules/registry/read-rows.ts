import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';

// Reading a register file, apart from the import itself, so the caseload import reuses it.
export type Row = { line: number; cells: string[] };

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: string; result?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v);
}

/** Rows of the first sheet of an XLSX, or of a CSV in UTF-8 (with or without BOM) or GBK, streamed. */
export async function* readRows(buffer: Buffer, fileName: string): AsyncGenerator<Row> {
  const isZip = buffer.length > 4 && buffer[0] === 0x50 && buffer[1] === 0x4b;
  if (isZip || /\.xlsx$/i.test(fileName)) {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
      worksheets: 'emit',
      sharedStrings: 'cache',
    });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        yield { line: row.number, cells: values.slice(1).map((v) => cellText(v).trim()) };
      }
      return; // the first sheet only
    }
    return;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    // Not UTF-8: spreadsheets saved as CSV on Chinese Windows are GBK.
    text = new TextDecoder('gbk').decode(buffer);
  }
  const parser = Readable.from([text]).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: info.lines, cells: record.map((c) => c.trim()) };
  }
}

/** How much of a CSV is looked at to tell UTF-8 from GBK. */
const SNIFF_BYTES = 1024 * 1024;

async function sniffEncoding(path: string): Promise<'utf-8' | 'gbk'> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    // stream: true, so a character cut at the end of the sample is not taken for bad UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, bytesRead), { stream: true });
    return 'utf-8';
  } catch {
    return 'gbk';
  } finally {
    await handle.close();
  }
}

/** Decodes a byte stream chunk by chunk (a character split across chunks is kept whole). */
function decoding(encoding: 'utf-8' | 'gbk'): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

/**
 * The rows of a register file on disk, read as a stream, so a file of hundreds of megabytes
 * is never held whole nor parsed in one go on the event loop; `onBytes` reports how far the
 * reading got (for the progress the page polls).
 */
export async function* readRowsFromFile(
  path: string,
  fileName: string,
  onBytes: (bytesRead: number) => void = () => {},
): AsyncGenerator<Row> {
  const head = Buffer.alloc(4);
  const handle = await open(path, 'r');
  let headLength: number;
  try {
    headLength = (await handle.read(head, 0, 4, 0)).bytesRead;
  } finally {
    await handle.close();
  }
  const isZip = headLength === 4 && head[0] === 0x50 && head[1] === 0x4b;
  const encoding = isZip ? null : await sniffEncoding(path);
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  let bytesRead = 0;
  const counted = file.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytesRead += chunk.length;
        onBytes(bytesRead);
        done(null, chunk);
      },
    }),
  );
  file.on('error', (err) => counted.destroy(err));
  try {
    if (isZip || /\.xlsx$/i.test(fileName)) {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(counted, { worksheets: 'emit', sharedStrings: 'cache' });
      for await (const sheet of reader) {
        for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as unknown[];
          yield { line: row.number, cells: values.slice(1).map((v) => cellText(v).trim()) };
        }
        return; // the first sheet only
      }
      return;
    }
    const parser = counted
      .pipe(decoding(encoding ?? 'utf-8'))
      .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }));
    counted.on('error', (err) => parser.destroy(err));
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, cells: record.map((c) => c.trim()) };
    }
  } finally {
    file.destroy();
  }
}
