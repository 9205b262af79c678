/**
 * Streaming readers of feed files: CSV (RFC 4180, line by line), JSON Lines and XLSX
 * (exceljs's streaming WorkbookReader). Each yields batches of rows with their line numbers,
 * the fields in the kind's column order; memory does not grow with the file.
 *
 * Line numbers follow FORMATS.md: CSV header = line 1, JSON Lines first row = line 1,
 * XLSX = the sheet's row number.
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FeedColumnSpec } from '../../../db/schema';

export type RawRow =
  | { line: number; values: string[] }
  | { line: number; error: 'column_count' | 'malformed_json'; params: Record<string, unknown> };

/** The file cannot be read as this kind at all: the batch fails. */
export class FeedFileError extends Error {
  constructor(
    readonly reason: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(`feed file refused: ${reason}`);
  }
}

/** Compares a file's header with the kind's columns; returns each column's index in the file. */
export function mapHeader(header: string[], columns: readonly FeedColumnSpec[]): number[] {
  const names = header.map((h) => h.trim());
  const wanted = columns.map((c) => c.name);
  const missing = wanted.filter((w) => !names.includes(w));
  const unexpected = names.filter((n) => !wanted.includes(n));
  const duplicate = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length || unexpected.length || duplicate.length) {
    throw new FeedFileError('columns', {
      missing,
      unexpected,
      ...(duplicate.length ? { duplicate } : {}),
    });
  }
  return wanted.map((w) => names.indexOf(w));
}

// ---------------------------------------------------------------------------
// Text decoding

export type TextEncoding = 'utf-8' | 'gbk';

/**
 * Decodes a byte stream chunk by chunk. UTF-8 is checked (a byte error fails the batch: the
 * caller chose UTF-8) and decoded by Node's native decoder, cutting chunks after their last
 * line end (0x0A never occurs inside a multi-byte sequence). GBK goes through TextDecoder.
 */
async function* decode(input: Readable, encoding: TextEncoding): AsyncGenerator<string> {
  if (encoding === 'gbk') {
    const decoder = new TextDecoder('gbk');
    for await (const chunk of input) yield decoder.decode(chunk as Buffer, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
    return;
  }
  let carry: Buffer | null = null;
  for await (const chunk of input) {
    let buf: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const cut = buf.lastIndexOf(10);
    if (cut < 0) {
      carry = buf;
      continue;
    }
    carry = cut + 1 < buf.length ? buf.subarray(cut + 1) : null;
    buf = buf.subarray(0, cut + 1);
    if (!isUtf8(buf)) throw new FeedFileError('encoding', { encoding });
    yield buf.toString('utf8');
  }
  if (carry) {
    if (!isUtf8(carry)) throw new FeedFileError('encoding', { encoding });
    yield carry.toString('utf8');
  }
}

/** Lines with their numbers (1-based); strips a CR before LF and a BOM at the start. */
export async function* lines(
  input: Readable,
  encoding: TextEncoding,
): AsyncGenerator<{ first: number; lines: string[] }> {
  let rest = '';
  let lineNo = 0;
  let start = true;
  for await (let text of decode(input, encoding)) {
    if (start && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      start = false;
    }
    const parts = (rest + text).split('\n');
    rest = parts.pop()!;
    if (parts.length === 0) continue;
    const first = lineNo + 1;
    lineNo += parts.length;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.charCodeAt(p.length - 1) === 13) parts[i] = p.slice(0, -1);
    }
    yield { first, lines: parts };
  }
  if (rest.length > 0) {
    yield { first: lineNo + 1, lines: [rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest] };
  }
}

// ---------------------------------------------------------------------------
// CSV

/** One CSV record from one line; null when a quoted field is still open at the end of the line. */
export function parseCsvRecord(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      // Quoted field: "" is a quote; the field ends at a lone quote.
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Anything between the closing quote and the next comma is kept as it stands (lenient).
      const comma = line.indexOf(',', j);
      if (comma < 0) {
        out.push(value + line.slice(j));
        return out;
      }
      out.push(value + line.slice(j, comma));
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
    if (i > n) return out;
  }
}

/** Where a CSV reader stands: the header's mapping once read, and a record still open over a line break. */
export type CsvState = {
  columns: readonly FeedColumnSpec[];
  order: number[] | null;
  identity: boolean;
  pending: string;
  pendingLine: number;
};

export function csvState(columns: readonly FeedColumnSpec[], order: number[] | null = null): CsvState {
  return { columns, order, identity: order !== null && order.every((o, i) => o === i), pending: '', pendingLine: 0 };
}

/** The rows of consecutive lines (the first numbered `first`), the first record being the header. */
export function csvLines(state: CsvState, chunk: readonly string[], first: number, rows: RawRow[]): void {
  const width = state.columns.length;
  for (let k = 0; k < chunk.length; k++) {
    let text = chunk[k]!;
    let line = first + k;
    if (state.pending) {
      text = `${state.pending}\n${text}`;
      line = state.pendingLine;
    }
    if (!state.pending && text.length === 0) continue;
    const fields = parseCsvRecord(text);
    if (fields === null) {
      // A quoted field with a line break: the record goes on on the next line.
      state.pending = text;
      state.pendingLine = line;
      continue;
    }
    state.pending = '';
    if (state.order === null) {
      state.order = mapHeader(fields, state.columns);
      state.identity = state.order.every((o, i) => o === i);
      continue;
    }
    if (fields.length !== width) {
      rows.push({ line, error: 'column_count', params: { expected: width, actual: fields.length } });
      continue;
    }
    const order = state.order;
    rows.push({ line, values: state.identity ? fields : order.map((o) => fields[o]!) });
  }
}

/** The end of the file: a record still open is a row error. */
export function csvEnd(state: CsvState, rows: RawRow[]): void {
  if (state.pending) {
    rows.push({
      line: state.pendingLine,
      error: 'column_count',
      params: { expected: state.columns.length, unterminatedQuote: true },
    });
  }
}

/**
 * Tells where CSV records end without building them (to cut a file into whole records): a line
 * ends its record unless a quoted field is still open, exactly as csvLines reads it.
 */
export class CsvRecordEnds {
  private open: string | null = null;

  /** True when the record is complete after this line. */
  push(line: string): boolean {
    const text = this.open === null ? line : `${this.open}\n${line}`;
    if ((this.open === null && line.indexOf('"') < 0) || parseCsvRecord(text) !== null) {
      this.open = null;
      return true;
    }
    this.open = text;
    return false;
  }
}

export async function* readCsv(
  input: Readable,
  encoding: TextEncoding,
  columns: readonly FeedColumnSpec[],
): AsyncGenerator<RawRow[]> {
  const state = csvState(columns);
  for await (const { first, lines: chunk } of lines(input, encoding)) {
    const rows: RawRow[] = [];
    csvLines(state, chunk, first, rows);
    if (rows.length) yield rows;
  }
  const rows: RawRow[] = [];
  csvEnd(state, rows);
  if (rows.length) yield rows;
  if (state.order === null) throw new FeedFileError('empty');
}

// ---------------------------------------------------------------------------
// JSON Lines

function jsonValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Where a JSON Lines reader stands: whether the first object (the header) was checked, whether any line was seen. */
export type JsonlState = { columns: readonly FeedColumnSpec[]; names: string[]; checked: boolean; any: boolean };

export function jsonlState(columns: readonly FeedColumnSpec[], checked = false): JsonlState {
  return { columns, names: columns.map((c) => c.name), checked, any: checked };
}

/** The rows of consecutive lines (the first numbered `first`). */
export function jsonlLines(state: JsonlState, chunk: readonly string[], first: number, rows: RawRow[]): void {
  const names = state.names;
  for (let k = 0; k < chunk.length; k++) {
    const text = chunk[k]!;
    const line = first + k;
    if (text.trim().length === 0) continue;
    state.any = true;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      rows.push({ line, error: 'malformed_json', params: {} });
      continue;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      rows.push({ line, error: 'malformed_json', params: { notAnObject: true } });
      continue;
    }
    const o = obj as Record<string, unknown>;
    const keys = Object.keys(o);
    if (!state.checked) {
      // The first object is the file's header: another layout fails the whole batch.
      mapHeader(keys, state.columns);
      state.checked = true;
    }
    let ok = keys.length === names.length;
    if (ok) for (const n of names) if (!(n in o)) ok = false;
    if (!ok) {
      const missing = names.filter((n) => !(n in o));
      const unexpected = keys.filter((k2) => !names.includes(k2));
      rows.push({ line, error: 'column_count', params: { missing, unexpected } });
      continue;
    }
    rows.push({ line, values: names.map((n) => jsonValue(o[n])) });
  }
}

export async function* readJsonl(
  input: Readable,
  encoding: TextEncoding,
  columns: readonly FeedColumnSpec[],
): AsyncGenerator<RawRow[]> {
  const state = jsonlState(columns);
  for await (const { first, lines: chunk } of lines(input, encoding)) {
    const rows: RawRow[] = [];
    jsonlLines(state, chunk, first, rows);
    if (rows.length) yield rows;
  }
  if (!state.any) throw new FeedFileError('empty');
}

// ---------------------------------------------------------------------------
// XLSX

function isoDate(d: Date, month: boolean): string {
  const s = d.toISOString();
  return month ? s.slice(0, 7) : s.slice(0, 10);
}

function cellText(v: unknown, type: FeedColumnSpec['type'] | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return isoDate(v, type === 'month');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result, type);
    if ('text' in o) return cellText(o.text, type);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

export async function* readXlsx(input: Readable, columns: readonly FeedColumnSpec[]): AsyncGenerator<RawRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  let order: number[] | null = null;
  const width = columns.length;
  let sheets = 0;
  for await (const worksheet of reader) {
    if (sheets++ > 0) break; // the first sheet only
    let rows: RawRow[] = [];
    let headerWidth = 0;
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      // row.values is 1-based (index 0 unused).
      const cells = row.values as unknown[];
      if (order === null) {
        const header = cells.slice(1).map((c) => cellText(c, 'text'));
        while (header.length && header[header.length - 1]!.trim() === '') header.pop();
        order = mapHeader(header, columns);
        headerWidth = header.length;
        continue;
      }
      let last = cells.length - 1;
      while (last > 0 && cellText(cells[last], 'text').trim() === '') last--;
      if (last === 0) continue; // an empty row
      if (last > headerWidth) {
        rows.push({ line: row.number, error: 'column_count', params: { expected: width, actual: last } });
        continue;
      }
      rows.push({
        line: row.number,
        values: order.map((o, i) => cellText(cells[o + 1], columns[i]!.type)),
      });
      if (rows.length >= 1000) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length) yield rows;
  }
  if (order === null) throw new FeedFileError('empty');
}
