/**
 * The CPU-bound half of a feed import: checked rows turned into COPY text (blind index, mask,
 * typed JSON, protected fields encrypted) and quarantined rows into feed_errors COPY lines.
 * Pure: no database, no request context, so it runs on the main thread for small files and on
 * worker threads (pool.ts) for large ones, with the same result.
 */
import { Protector, type WorkerKeys } from '../../../crypto/index';
import type { FeedColumnSpec } from '../../../db/schema';
import { csvEnd, csvLines, csvState, jsonlLines, jsonlState, type RawRow } from './read';
import { CopyWriter } from './copy-writer';
import { compileRowCheck, fastJson, fastRow, maskNormalised, type FastCheck, type RowCheck } from './validate';

/** Encryption context of feed_records.protected_enc (and feed_staging.protected_enc). */
export const FEED_PROTECTED_CONTEXT = 'feed_record.protected';

const SPECIAL = /[\\\t\n\r]/;
/** A value in PostgreSQL's COPY text format. */
export function esc(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One feed_errors COPY line (batch_id, line, column_name, reason, params). */
export function errorLine(
  batchId: string,
  line: number,
  column: string | null,
  reason: string,
  params: Record<string, unknown>,
): string {
  return `${batchId}\t${line}\t${column === null ? '\\N' : esc(column)}\t${esc(reason)}\t${esc(JSON.stringify(params))}\n`;
}

/** What a piece of the file became. */
export type Prepared = {
  /** COPY text rows of the target table (UTF-8), each ending with a line end. */
  copy: Uint8Array;
  /** feed_errors COPY lines. */
  errors: string;
  errorCount: number;
  total: number;
  rejected: number;
  staged: number;
};

const EMPTY = new Uint8Array(0);

export function emptyPrepared(): Prepared {
  return { copy: EMPTY, errors: '', errorCount: 0, total: 0, rejected: 0, staged: 0 };
}

export type RowContext = {
  check: RowCheck;
  protector: Protector;
  /** The COPY columns before the row's own (the batch's: feed_records or feed_staging). */
  prefix: string;
  batchId: string;
};

const STAR_MASK = Buffer.from('**********');
const NULL_FIELD = Buffer.from('\\N');
const fastKeys = new WeakMap<FastCheck, Buffer[]>();

/** Each fast field's JSON before its value, in COPY text (made once per kind). */
function keysOf(fast: FastCheck): Buffer[] {
  let keys = fastKeys.get(fast);
  if (!keys) {
    keys = fast.fields.map((f) => Buffer.from(esc(f.key)));
    fastKeys.set(fast, keys);
  }
  return keys;
}

/** Adds rows to `out`: checked rows as COPY text, the others' errors (line, column, reason). */
export function prepareRows(rows: readonly RawRow[], ctx: RowContext, out: Prepared): void {
  const { check, protector, prefix, batchId } = ctx;
  const fast = check.fast;
  const row = fastRow();
  const keys = fast ? keysOf(fast) : [];
  const prefixBytes = Buffer.from(prefix);
  const w = new CopyWriter(Math.max(1024, rows.length * 160));
  let errors = '';
  for (const r of rows) {
    out.total++;
    if (fast !== undefined && 'values' in r && fast(r.values, row)) {
      // The common case: a good row, written straight into the buffer.
      w.bytesOf(prefixBytes);
      w.uint(r.line);
      w.byte(9);
      w.text(row.recordKey);
      w.byte(9);
      w.ascii(protector.idHash(row.idNumber));
      w.byte(9);
      const id = row.idNumber;
      if (id.length === 18) {
        w.ascii(id.slice(0, 4));
        w.bytesOf(STAR_MASK);
        w.ascii(id.slice(14));
      } else w.raw(maskNormalised(id));
      w.byte(9);
      w.text(row.name);
      w.byte(9);
      w.ascii(row.eventDate);
      w.byte(9);
      const fields = fast.fields;
      let any = false;
      for (let k = 0; k < fields.length; k++) {
        const f = fields[k]!;
        if (f.protect) continue;
        any = true;
        w.bytesOf(keys[k]!);
        const v = row.values[k]!;
        if (v === null) w.ascii('null');
        else if (f.quoted) w.jsonString(v);
        else w.ascii(v);
      }
      w.ascii(any ? '}\t' : '{}\t');
      if (fast.hasProtected) {
        w.raw(protector.encrypt(fastJson(fast, row, true), FEED_PROTECTED_CONTEXT));
      } else w.bytesOf(NULL_FIELD);
      w.byte(10);
      out.staged++;
      continue;
    }
    if ('error' in r) {
      out.rejected++;
      errors += errorLine(batchId, r.line, null, r.error, r.params);
      out.errorCount++;
      continue;
    }
    const res = check(r.values);
    if (Array.isArray(res)) {
      out.rejected++;
      for (const e of res) errors += errorLine(batchId, r.line, e.column, e.reason, e.params);
      out.errorCount += res.length;
      continue;
    }
    const prot = res.protectedFields
      ? protector.encrypt(JSON.stringify(res.protectedFields), FEED_PROTECTED_CONTEXT)
      : '\\N';
    w.raw(
      `${prefix}${r.line}\t${esc(res.recordKey)}\t${protector.idHash(res.idNumber)}\t${maskNormalised(res.idNumber)}\t` +
        `${esc(res.name)}\t${res.eventDate}\t${esc(JSON.stringify(res.data))}\t${prot}\n`,
    );
    out.staged++;
  }
  if (w.length > 0) out.copy = out.copy.length === 0 ? w.bytes() : Buffer.concat([out.copy, w.bytes()]);
  out.errors += errors;
}

/** A run of whole records of a CSV or JSON Lines file after its header, for a worker thread. */
export type SegmentTask = {
  keys: WorkerKeys;
  columns: FeedColumnSpec[];
  eventDateColumn: string;
  asOf: string;
  today: string;
  prefix: string;
  batchId: string;
  format: 'csv' | 'jsonl';
  /** CSV: each kind column's index in the file (from the header). */
  order: number[];
  /** The lines joined by line ends, the first numbered `first`. */
  text: string;
  lineCount: number;
  first: number;
  /** The file's last lines: a record still open is a row error. */
  final: boolean;
};

const checks = new Map<string, RowCheck>();
const protectors = new Map<string, Protector>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= 16) map.clear();
    v = make();
    map.set(key, v);
  }
  return v;
}

export function prepareSegment(task: SegmentTask): Prepared {
  const check = cached(checks, JSON.stringify([task.columns, task.eventDateColumn, task.asOf, task.today]), () =>
    compileRowCheck(task.columns, task.eventDateColumn, task.asOf, task.today),
  );
  const k = task.keys;
  const protector = cached(
    protectors,
    `${k.current}|${k.algorithm}|${Buffer.from(k.key).toString('hex')}|${Buffer.from(k.indexKey).toString('hex')}`,
    () => Protector.forWorker(k),
  );
  const lines = task.lineCount === 0 ? [] : task.text.split('\n');
  const rows: RawRow[] = [];
  if (task.format === 'csv') {
    const state = csvState(task.columns, task.order);
    csvLines(state, lines, task.first, rows);
    if (task.final) csvEnd(state, rows);
  } else {
    jsonlLines(jsonlState(task.columns, true), lines, task.first, rows);
  }
  const out = emptyPrepared();
  prepareRows(rows, { check, protector, prefix: task.prefix, batchId: task.batchId }, out);
  return out;
}
