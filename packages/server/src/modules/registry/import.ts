import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { HouseholdInput, regionLevelOf, type FieldError, type ImportError, type ImportReport } from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { NotFound } from '../../errors';
import { t, type Lang } from '../../i18n/messages';
import { localiseZodMessage } from '../../i18n/zod';
import { COLUMNS, headerOf, HOUSEHOLD_FIELDS, yuanToFen, type Column } from './import-format';
import { findRegistered, insertHouseholds, type PreparedHousehold } from './service';
import { checkMembers } from './validation';

type Row = { line: number; cells: string[] };

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

type Pending = { key: string; rows: { line: number; values: Record<string, string> }[] };

/** Turns the rows of one household into a HouseholdInput, recording bad cells as row errors. */
function toInput(h: Pending, lang: Lang, errors: ImportError[]): { input: Record<string, unknown>; ok: boolean } {
  const before = errors.length;
  const first = h.rows[0]!.values;
  const cellError = (line: number, col: Column, reason: string) =>
    errors.push({ row: line, column: col.header, reason });
  const convert = (line: number, col: Column, raw: string): unknown => {
    if (raw === '') return undefined;
    if (col.values) {
      const v = col.values[raw];
      if (v === undefined)
        cellError(
          line,
          col,
          t(lang, 'import.badValue', { value: raw.slice(0, 20), allowed: Object.keys(col.values).join('/') }),
        );
      return v;
    }
    if (col.yuan) {
      const fen = yuanToFen(raw);
      if (fen === null) cellError(line, col, t(lang, 'import.badAmount', { value: raw.slice(0, 20) }));
      return fen ?? undefined;
    }
    if (col.field === 'idNumber' && /^\d(\.\d+)?E\+\d+$/i.test(raw)) {
      cellError(line, col, t(lang, 'import.idAsNumber'));
      return undefined;
    }
    return raw;
  };
  const input: Record<string, unknown> = { members: [] };
  for (const col of COLUMNS) {
    if (!HOUSEHOLD_FIELDS.has(col.field) || col.field === 'key') continue;
    const v = convert(h.rows[0]!.line, col, first[col.header] ?? '');
    if (v !== undefined) input[col.field] = v;
    for (const r of h.rows.slice(1)) {
      const other = r.values[col.header] ?? '';
      if (other !== '' && other !== (first[col.header] ?? ''))
        cellError(r.line, col, t(lang, 'import.householdFieldDiffers'));
    }
  }
  for (const r of h.rows) {
    const member: Record<string, unknown> = {};
    for (const col of COLUMNS) {
      if (HOUSEHOLD_FIELDS.has(col.field)) continue;
      const v = convert(r.line, col, r.values[col.header] ?? '');
      if (v === undefined) continue;
      const [a, b] = col.field.split('.') as [string, string | undefined];
      if (b) member[a] = { ...((member[a] as object) ?? {}), [b]: v };
      else member[a] = v;
    }
    (input.members as unknown[]).push(member);
  }
  return { input, ok: errors.length === before };
}

/** The row and column a member-level field path (members.2.income.wage) points at. */
function locate(h: Pending, path: string): { row: number; column: string } {
  const m = /^members\.(\d+)(?:\.(.+))?$/.exec(path);
  if (m) {
    const row = h.rows[Number(m[1])]?.line ?? h.rows[0]!.line;
    return { row, column: m[2] ? headerOf(m[2]) : '与户主关系' };
  }
  return { row: h.rows[0]!.line, column: path === 'members' ? '与户主关系' : headerOf(path) };
}

const BATCH = 500;

/**
 * Imports a register file: every household is checked; a household with any bad row is
 * left out whole (its rows listed with line, column and reason); good households are stored
 * in batches. A household key already imported into its village is left unchanged, so the
 * same file twice changes nothing. With dryRun nothing is stored but the report.
 */
export async function importRegister(
  db: Kysely<DB>,
  protector: Protector,
  file: { buffer: Buffer; fileName: string },
  dryRun: boolean,
): Promise<ImportReport> {
  const started = Date.now();
  const { lang, actor, scope } = getContext();
  const errors: ImportError[] = [];
  let rows = 0;
  let households = 0;
  let valid = 0;
  let imported = 0;
  let unchanged = 0;
  let header: string[] | null = null;
  const seenKeys = new Set<string>();
  const villages = new Map<string, boolean>();
  let current: Pending | null = null;
  let batch: { h: Pending; prepared: PreparedHousehold }[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const work = batch;
    batch = [];
    // Already imported keys are unchanged; people registered in another household are refused.
    const keys = work.map((w) => w.prepared.sourceKey!);
    const existing = new Set(
      (await db.selectFrom('households').select('source_key').where('source_key', 'in', keys).execute()).map(
        (r) => r.source_key,
      ),
    );
    const fresh = work.filter((w) => !existing.has(w.prepared.sourceKey!));
    unchanged += work.length - fresh.length;
    const hashOwner = new Map<string, { w: (typeof work)[number]; index: number }>();
    for (const w of fresh)
      w.prepared.members.forEach((m, index) => hashOwner.set(protector.idHash(m.normalisedId!), { w, index }));
    const taken = await findRegistered(db, [...hashOwner.keys()]);
    const refused = new Set<(typeof work)[number]>();
    for (const r of taken) {
      const { w, index } = hashOwner.get(r.id_hash)!;
      refused.add(w);
      errors.push({ row: w.h.rows[index]!.line, column: '身份证号', reason: t(lang, 'registry.idRegisteredOutside') });
    }
    const good = fresh.filter((w) => !refused.has(w));
    valid += good.length + (work.length - fresh.length);
    if (!dryRun && good.length > 0) {
      await db.transaction().execute((trx) =>
        insertHouseholds(
          trx,
          protector,
          good.map((w) => w.prepared),
          'household.import',
        ),
      );
      imported += good.length;
    }
  };

  const finish = async (h: Pending) => {
    households++;
    const before = errors.length;
    const { input, ok } = toInput(h, lang, errors);
    if (!ok) return;
    const parsed = HouseholdInput.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        const message = localiseZodMessage(lang, { keyword: issue.code, message: issue.message, params: { ...issue } });
        errors.push({ ...locate(h, path), reason: message });
      }
      return;
    }
    const regionCode = parsed.data.regionCode;
    if (!villages.has(regionCode)) {
      const exists = await db.selectFrom('regions').select('code').where('code', '=', regionCode).executeTakeFirst();
      villages.set(regionCode, Boolean(exists) && regionLevelOf(regionCode) === 'village');
    }
    if (!villages.get(regionCode)) {
      errors.push({
        row: h.rows[0]!.line,
        column: '村居代码',
        reason: t(lang, 'import.notAVillage', { code: regionCode }),
      });
      return;
    }
    if (!isInScope(regionCode)) {
      errors.push({ row: h.rows[0]!.line, column: '村居代码', reason: t(lang, 'error.outOfRegion') });
      return;
    }
    const fields: FieldError[] = [];
    const members = checkMembers(parsed.data.members, lang, fields);
    for (const f of fields) errors.push({ ...locate(h, f.path), reason: f.message });
    if (errors.length > before) return;
    batch.push({
      h,
      prepared: {
        regionCode,
        address: parsed.data.address,
        assistanceStatus: parsed.data.assistanceStatus,
        sourceKey: `${regionCode}:${h.key}`,
        members,
      },
    });
    if (batch.length >= BATCH) await flush();
  };

  for await (const row of readRows(file.buffer, file.fileName)) {
    if (!header) {
      header = row.cells;
      const missing = COLUMNS.filter((c) => c.required && !header!.includes(c.header));
      for (const c of missing)
        errors.push({ row: row.line, column: c.header, reason: t(lang, 'import.missingColumn') });
      header.forEach((h, i) => {
        if (h && !COLUMNS.some((c) => c.header === h))
          errors.push({ row: row.line, column: h || `#${i + 1}`, reason: t(lang, 'import.unknownColumn') });
      });
      if (missing.length > 0) break;
      continue;
    }
    if (row.cells.every((c) => c === '')) continue;
    rows++;
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = row.cells[i] ?? ''));
    const key = values['户编号'] ?? '';
    if (key === '') {
      errors.push({ row: row.line, column: '户编号', reason: t(lang, 'import.keyMissing') });
      continue;
    }
    if (current && current.key === key) {
      current.rows.push({ line: row.line, values });
      continue;
    }
    if (current) await finish(current);
    if (seenKeys.has(key)) {
      errors.push({ row: row.line, column: '户编号', reason: t(lang, 'import.keyNotContiguous') });
      current = null;
      continue;
    }
    seenKeys.add(key);
    current = { key, rows: [{ line: row.line, values }] };
  }
  if (current) await finish(current);
  await flush();

  errors.sort((a, b) => a.row - b.row);
  const record = await db
    .insertInto('registry_imports')
    .values({
      region_code: scope?.kind === 'region' ? scope.regionCode : '',
      created_by: actor?.username ?? 'system',
      file_name: file.fileName.slice(0, 200),
      file_sha256: createHash('sha256').update(file.buffer).digest('hex'),
      dry_run: dryRun,
      rows,
      households,
      valid,
      imported,
      unchanged,
      errors: JSON.stringify(errors),
      duration_ms: Date.now() - started,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    importId: record.id,
    dryRun,
    rows,
    households,
    validHouseholds: valid,
    importedHouseholds: imported,
    unchangedHouseholds: unchanged,
    errors,
  };
}

/** The row errors of an import as CSV (UTF-8 with BOM, so Excel opens it in Chinese). */
export async function importErrorsCsv(db: Kysely<DB>, id: string): Promise<string> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.import');
  const row = await db
    .selectFrom('registry_imports')
    .select('errors')
    .where('id', '=', id)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!row) throw NotFound('entity.import');
  const quote = (s: string | number) => `"${String(s).replace(/"/g, '""')}"`;
  const lines = [
    ['行号', '列', '原因'].map(quote).join(','),
    ...row.errors.map((e) => [e.row, e.column, e.reason].map(quote).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The downloadable template: the columns with an example row, and a sheet explaining each column. */
export async function importTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('家庭成员');
  sheet.addRow(COLUMNS.map((c) => c.header)).font = { bold: true };
  sheet.addRow(COLUMNS.map((c) => c.example));
  COLUMNS.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = Math.max(10, c.header.length * 2 + 2);
    // Text format, so Excel keeps long ID and account numbers intact.
    col.numFmt = '@';
  });
  const help = wb.addWorksheet('填写说明');
  help.addRow(['列', '必填', '说明']).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.header, c.required ? '是' : '', c.note]);
  help.getColumn(1).width = 22;
  help.getColumn(3).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
