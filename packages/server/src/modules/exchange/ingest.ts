/**
 * Importing one department feed file (a batch): streaming parse, per-row checks, and an
 * all-or-nothing load.
 *
 * 1. The file is hashed (and, for `auto`, checked for UTF-8) in a first pass; a stream input
 *    is spooled to a temporary file first. The same kind and content (or the same idempotency
 *    key of a push) that loaded before adds nothing (`alreadyLoaded`).
 * 2. The batch row is inserted as 'loading' and committed, so a crashed import can be found
 *    and finished by running it again (same batch).
 * 3. ONE transaction, under an advisory lock on the batch, streams the checked rows with COPY
 *    straight into feed_records (each row written once). When a record key was loaded before
 *    (or comes twice in the file) that COPY fails on the unique key; it is undone to a savepoint
 *    and the file read again into feed_staging, whose rows are moved into feed_records with
 *    `on conflict (kind_code, record_key) do nothing` (a record sent before is a duplicate, not
 *    a second row) and cleared. Then the quarantined rows' errors, and the batch is 'loaded'.
 *    Until that commit nothing of the batch is visible; a kill -9 anywhere leaves the batch
 *    'loading' with no rows.
 * 4. Such a batch is found by failInterruptedBatches (at boot, and whenever batches are read):
 *    'loading' while nobody holds its advisory lock means its import is not running in any
 *    process, and it becomes 'failed' with the reason 'interrupted' (send the file again). The
 *    same file (or push key) sent again resumes that same batch: the loader, holding the lock,
 *    sets it back to 'loading' and loads it.
 *
 * No full ID number is stored: the normalised number becomes `protector.idHash(...)` and its
 * mask. Protected columns (addresses, diagnoses, certificate numbers) are encrypted together,
 * one token per row. Errors name the line, column and a reason code, never the value.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Protector } from '../../crypto/protector';
import type { Database } from '../../db/database';
import type { DB, FeedBatchesTable, FeedColumnSpec } from '../../db/schema';
import { ingestPool, INGEST_THREADS, WORKERS_BY_DEFAULT } from './ingest/pool';
import {
  emptyPrepared,
  esc,
  FEED_PROTECTED_CONTEXT,
  prepareRows,
  type Prepared,
  type RowContext,
  type SegmentTask,
} from './ingest/prepare';
import {
  csvEnd,
  csvLines,
  csvState,
  CsvRecordEnds,
  FeedFileError,
  jsonlLines,
  jsonlState,
  lines as textLines,
  readCsv,
  readJsonl,
  readXlsx,
  type RawRow,
  type TextEncoding,
} from './ingest/read';
import { withLoadSession, type LoadSession } from './ingest/session';
import { compileRowCheck, type RowCheck } from './ingest/validate';
import { chinaToday, CONTROL_CHARACTER } from '@jiuzhu/shared';

export type IngestDeps = { database: Database; db: Kysely<DB>; protector: Protector; log: FastifyBaseLogger };
export type IngestInput = { fileName: string } & (
  { path: string } | { stream: NodeJS.ReadableStream } | { bytes: Buffer }
);
export type IngestOptions = {
  kindCode: string; // e.g. 'public_security.deaths' (feed_kinds.code)
  channel: 'cli' | 'upload' | 'push';
  actor: string; // username, or 'feed:<source>' for pushes
  encoding?: 'auto' | 'utf-8' | 'gbk'; // default 'auto'
  asOf?: string; // YYYY-MM-DD; default today (Asia/Shanghai)
  idempotencyKey?: string; // pushes
  /**
   * Check the rows on worker threads: by default for CSV and JSON Lines files of WORKER_MIN_BYTES
   * or more on a machine with more than 2 cores (WORKERS_BY_DEFAULT).
   */
  workers?: boolean;
};
export type IngestResult = {
  batchId: string;
  batchNo: number;
  status: 'loaded' | 'failed';
  alreadyLoaded: boolean; // true: this file (or idempotency key) was loaded before; nothing added
  rowsTotal: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsDuplicate: number;
  durationMs: number;
  failure?: { reason: string; params?: Record<string, unknown> };
};

export { FEED_PROTECTED_CONTEXT };

/**
 * From this size on, a CSV or JSON Lines file is checked on worker threads when the machine has a
 * core to spare (below it, starting a thread costs more than it saves).
 */
export const WORKER_MIN_BYTES = 2 * 1024 * 1024;
/** Rows checked on the main thread between two turns of the event loop (~15 ms of work under load). */
const INLINE_ROWS = 500;
/** Lines a worker gets at least at a time (cut at the end of a whole record). */
const SEGMENT_LINES = 4096;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The protected fields of a feed record, as the ingest encrypted them (a JSON object). */
export function decryptProtected(protector: Protector, token: string): Record<string, string | number | null> {
  return JSON.parse(protector.decrypt(token, FEED_PROTECTED_CONTEXT)) as Record<string, string | number | null>;
}

const STAGING_COLUMNS = 'batch_id, line, record_key, id_hash, id_masked, name, event_date, data, protected_enc';
const RECORD_COLUMNS = `batch_id, kind_code, record_type, line, record_key, id_hash, id_masked, name, event_date, data, protected_enc`;

/** A unique violation (SQLSTATE 23505), as pg and PGlite report it. */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** The failure reason of a batch whose import stopped with its process (a kill, a crash, a restart). */
export const INTERRUPTED = 'interrupted';

/** A batch an import may (re)load: still 'loading', or interrupted. */
export function resumable(b: { status: string; failure: { reason: string } | null }): boolean {
  return b.status === 'loading' || (b.status === 'failed' && b.failure?.reason === INTERRUPTED);
}

/**
 * Marks 'failed' (reason 'interrupted') every 'loading' batch whose advisory lock nobody holds:
 * its import died with its process. An import running in any process holds the lock for its
 * whole load, so it is never marked; one caught before it takes the lock takes the batch back
 * (load below). On PGlite the load holds the only connection, so this waits for it.
 */
export async function failInterruptedBatches(db: Kysely<DB>): Promise<number> {
  const marked = await sql<{ id: string }>`
    update feed_batches set status = 'failed', failure = ${JSON.stringify({ reason: INTERRUPTED })}::jsonb
     where status = 'loading' and pg_try_advisory_xact_lock(hashtext('feed_batch:' || id::text))
    returning id`.execute(db);
  return marked.rows.length;
}

// ---------------------------------------------------------------------------
// The input: a file on disk or bytes in memory, hashed in a first pass.

type PreparedInput = {
  open(): Readable;
  sha256: string;
  bytes: number;
  /** Only computed when asked (encoding auto on a text format). */
  validUtf8: boolean;
  cleanup(): void;
};

async function hashFile(
  file: string,
  checkUtf8: boolean,
): Promise<{ sha256: string; bytes: number; validUtf8: boolean }> {
  const hash = createHash('sha256');
  let validUtf8 = checkUtf8;
  let bytes = 0;
  let carry: Buffer | null = null;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
    if (validUtf8) {
      // Checked up to the last line end (0x0A is never inside a multi-byte sequence).
      const buf: Buffer = carry ? Buffer.concat([carry, b]) : b;
      const cut = buf.lastIndexOf(10);
      if (cut < 0) carry = buf;
      else {
        carry = cut + 1 < buf.length ? buf.subarray(cut + 1) : null;
        if (!isUtf8(buf.subarray(0, cut + 1))) validUtf8 = false;
      }
    }
  }
  if (validUtf8 && carry && !isUtf8(carry)) validUtf8 = false;
  return { sha256: hash.digest('hex'), bytes, validUtf8 };
}

async function prepareInput(input: IngestInput, checkUtf8: boolean): Promise<PreparedInput> {
  if ('bytes' in input) {
    const buf = input.bytes;
    return {
      open: () => Readable.from([buf]),
      sha256: createHash('sha256').update(buf).digest('hex'),
      bytes: buf.length,
      validUtf8: checkUtf8 && isUtf8(buf),
      cleanup() {},
    };
  }
  let file: string;
  let temp: string | null = null;
  if ('path' in input) {
    file = input.path;
  } else {
    // A stream is read twice (hash, then parse): spool it to a private temporary file.
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-feed-'));
    file = path.join(temp, 'upload');
    await pipeline(input.stream, fs.createWriteStream(file, { mode: 0o600 }));
  }
  try {
    const h = await hashFile(file, checkUtf8);
    return {
      open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      ...h,
      cleanup() {
        if (temp) fs.rmSync(temp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}

// ---------------------------------------------------------------------------

/** Quarantined rows' errors as COPY lines: in memory, spilling to a temporary file when there are many. */
class ErrorSpool {
  private lines: string[] = [];
  private pending = 0;
  private file: string | null = null;
  private dir: string | null = null;
  count = 0;

  /** feed_errors COPY lines (errorLine), `n` of them. */
  addLines(text: string, n: number) {
    this.lines.push(text);
    this.count += n;
    this.pending += n;
    if (this.pending >= 20_000) this.spill();
  }

  private spill() {
    if (!this.file) {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-feed-errors-'));
      this.file = path.join(this.dir, 'errors.copy');
    }
    fs.appendFileSync(this.file, this.lines.join(''), { mode: 0o600 });
    this.lines = [];
    this.pending = 0;
  }

  async *chunks(): AsyncGenerator<string> {
    if (this.file) {
      for await (const c of fs.createReadStream(this.file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
        yield c as string;
      }
    }
    if (this.lines.length) yield this.lines.join('');
  }

  cleanup() {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

type Kind = {
  code: string;
  source_code: string;
  record_type: string;
  format: 'csv' | 'xlsx' | 'jsonl';
  columns: FeedColumnSpec[];
  event_date_column: string;
};
type BatchRow = Selectable<FeedBatchesTable>;

function resultOf(b: BatchRow, alreadyLoaded: boolean): IngestResult {
  return {
    batchId: b.id,
    batchNo: Number(b.batch_no),
    status: b.status === 'loaded' ? 'loaded' : 'failed',
    alreadyLoaded,
    rowsTotal: b.rows_total,
    rowsLoaded: b.rows_loaded,
    rowsRejected: b.rows_rejected,
    rowsDuplicate: b.rows_duplicate,
    durationMs: b.duration_ms ?? 0,
    ...(b.failure ? { failure: b.failure } : {}),
  };
}

const EXTENSIONS: Record<string, Kind['format']> = { csv: 'csv', xlsx: 'xlsx', jsonl: 'jsonl' };

function readRows(kind: Kind, input: Readable, encoding: TextEncoding): AsyncGenerator<RawRow[]> {
  if (kind.format === 'csv') return readCsv(input, encoding, kind.columns);
  if (kind.format === 'jsonl') return readJsonl(input, encoding, kind.columns);
  return (async function* () {
    try {
      yield* readXlsx(input, kind.columns);
    } catch (err) {
      if (err instanceof FeedFileError) throw err;
      throw new FeedFileError('unreadable', { format: 'xlsx' });
    }
  })();
}

/** What preparedPieces reads (exported for the tests that compare its two ways). */
export type PieceSource = {
  kind: Kind;
  batchId: string;
  asOf: string;
  today: string;
  check: RowCheck;
  protector: Protector;
  open(): Readable;
  encoding: TextEncoding;
  workers: boolean;
};

/**
 * The file's rows, checked and turned into COPY text, in file order. On the main thread a few
 * thousand rows at a time with a turn of the event loop between; with `workers`, the main thread
 * only reads lines and cuts them into runs of whole records after the header, and worker threads
 * check, hash and encrypt them (prepare.ts, the same code), several runs in flight.
 */
export async function* preparedPieces(src: PieceSource, prefix: string): AsyncGenerator<Prepared> {
  const { kind } = src;
  const ctx: RowContext = { check: src.check, protector: src.protector, prefix, batchId: src.batchId };
  const inline = (rows: readonly RawRow[]) => {
    const out = emptyPrepared();
    prepareRows(rows, ctx, out);
    return out;
  };
  if (!src.workers || kind.format === 'xlsx') {
    for await (const batch of readRows(kind, src.open(), src.encoding)) {
      for (let i = 0; i < batch.length; i += INLINE_ROWS) {
        if (i > 0) await yieldToEventLoop();
        yield inline(batch.slice(i, i + INLINE_ROWS));
      }
    }
    return;
  }
  const csv = kind.format === 'csv';
  const cs = csvState(kind.columns);
  const js = jsonlState(kind.columns);
  const headerDone = () => (csv ? cs.order !== null : js.checked);
  const ends = new CsvRecordEnds();
  const pool = ingestPool();
  const base = {
    keys: src.protector.workerKeys(),
    columns: kind.columns,
    eventDateColumn: kind.event_date_column,
    asOf: src.asOf,
    today: src.today,
    prefix,
    batchId: src.batchId,
    format: kind.format,
  } satisfies Partial<SegmentTask>;
  const inFlight: Promise<Prepared>[] = [];
  const send = (run: string[], first: number, final: boolean) => {
    const task: SegmentTask = {
      ...base,
      order: cs.order ?? [],
      text: run.join('\n'),
      lineCount: run.length,
      first,
      final,
    };
    const p = pool.run(task);
    // Awaited in order below; a run left behind when the load stops must not be an unhandled rejection.
    p.catch(() => undefined);
    inFlight.push(p);
  };
  let buf: string[] = [];
  let bufFirst = 0;
  // Lines of buf that make whole records (a CSV record may go on over a line break).
  let whole = 0;
  for await (const { first, lines: chunk } of textLines(src.open(), src.encoding)) {
    let k = 0;
    // Up to the header (and, in JSON Lines, the first object): here, line by line.
    while (k < chunk.length && !headerDone()) {
      const rows: RawRow[] = [];
      if (csv) csvLines(cs, [chunk[k]!], first + k, rows);
      else jsonlLines(js, [chunk[k]!], first + k, rows);
      k++;
      if (rows.length) yield inline(rows);
    }
    if (k < chunk.length && buf.length === 0) bufFirst = first + k;
    for (; k < chunk.length; k++) {
      const l = chunk[k]!;
      buf.push(l);
      if (!csv || ends.push(l)) whole = buf.length;
    }
    if (whole > 0 && buf.length >= SEGMENT_LINES) {
      send(whole === buf.length ? buf : buf.slice(0, whole), bufFirst, false);
      bufFirst += whole;
      buf = whole === buf.length ? [] : buf.slice(whole);
      whole = 0;
    }
    while (inFlight.length > 2 * INGEST_THREADS) yield await inFlight.shift()!;
  }
  if (!headerDone()) {
    // Nothing after a header: what the readers say at the end of such a file.
    const rows: RawRow[] = [];
    if (csv) csvEnd(cs, rows);
    if (rows.length) yield inline(rows);
    if (csv || !js.any) throw new FeedFileError('empty');
    return;
  }
  if (buf.length > 0) send(buf, bufFirst, true);
  while (inFlight.length > 0) yield await inFlight.shift()!;
}

export async function importFeed(deps: IngestDeps, input: IngestInput, options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const { db } = deps;
  const kindRow = await db
    .selectFrom('feed_kinds')
    .select(['code', 'source_code', 'record_type', 'format', 'columns', 'event_date_column', 'active'])
    .where('code', '=', options.kindCode)
    .executeTakeFirst();
  if (!kindRow || !kindRow.active) throw new Error(`unknown or inactive feed kind ${options.kindCode}`);
  const kind = kindRow as Kind;
  const asOf = options.asOf ?? chinaToday();
  const requested = options.encoding ?? 'auto';
  const file = await prepareInput(input, requested === 'auto' && kind.format !== 'xlsx');
  try {
    const encoding: TextEncoding =
      requested === 'auto' ? (file.validUtf8 || kind.format === 'xlsx' ? 'utf-8' : 'gbk') : requested;

    // The same push (idempotency key) or the same file of this kind: done before, or resume it.
    let batch: BatchRow | undefined;
    if (options.idempotencyKey) {
      batch = await db
        .selectFrom('feed_batches')
        .selectAll()
        .where('source_code', '=', kind.source_code)
        .where('idempotency_key', '=', options.idempotencyKey)
        .executeTakeFirst();
      if (batch && !resumable(batch)) return resultOf(batch, batch.status === 'loaded');
    }
    batch ??= await findOpenBatch(db, kind.code, file.sha256);
    if (batch?.status === 'loaded') return resultOf(batch, true);
    if (!batch) {
      await sql`
        insert into feed_batches (kind_code, source_code, channel, file_name, file_sha256, file_bytes, encoding,
                                  idempotency_key, status, as_of, created_by)
        values (${kind.code}, ${kind.source_code}, ${options.channel}, ${input.fileName}, ${file.sha256}, ${file.bytes},
                ${kind.format === 'xlsx' ? 'xlsx' : encoding}, ${options.idempotencyKey ?? null}, 'loading', ${asOf},
                ${options.actor})
        on conflict do nothing`.execute(db);
      batch = await findOpenBatch(db, kind.code, file.sha256);
      if (!batch && options.idempotencyKey) {
        batch = await db
          .selectFrom('feed_batches')
          .selectAll()
          .where('source_code', '=', kind.source_code)
          .where('idempotency_key', '=', options.idempotencyKey)
          .executeTakeFirst();
      }
      if (!batch) throw new Error('feed batch could not be created');
      if (!resumable(batch)) return resultOf(batch, batch.status === 'loaded');
    }
    const batchId = batch.id;
    // A resumed batch keeps its own reference date.
    const batchAsOf = batch.as_of;

    try {
      const outcome = await load(deps, kind, batchId, batchAsOf, file, encoding, input.fileName, started, options);
      const fresh = await db.selectFrom('feed_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
      if (outcome === 'done-elsewhere') return resultOf(fresh, fresh.status === 'loaded');
      deps.log.info(
        { batchId, kind: kind.code, rows: fresh.rows_total, loaded: fresh.rows_loaded, rejected: fresh.rows_rejected },
        'feed batch loaded',
      );
      return resultOf(fresh, false);
    } catch (err) {
      // Whatever went wrong reading this file (a parser throwing on a corrupt XLSX or a binary
      // file, a value the database refuses), the batch is closed as failed with a reason: left
      // 'loading', every re-upload of the same file would resume it and fail again.
      const known = err instanceof FeedFileError;
      if (!known) deps.log.warn({ err, batchId, kind: kind.code }, 'feed batch failed on an unexpected error');
      const fileError = known ? (err as FeedFileError) : new FeedFileError('unreadable', { format: kind.format });
      const failure = { reason: fileError.reason, params: fileError.params };
      const durationMs = Math.round(performance.now() - started);
      await db
        .updateTable('feed_batches')
        // A reason may quote the file (its header line): control characters become U+FFFD (jsonb
        // refuses NUL, and the answer's text type refuses them all).
        .set({
          status: 'failed',
          failure: JSON.stringify(failure, (_k, v: unknown) =>
            typeof v === 'string' ? v.replace(new RegExp(CONTROL_CHARACTER.source, 'g'), '\ufffd') : v,
          ),
          duration_ms: durationMs,
        })
        .where('id', '=', batchId)
        // Interrupted too: marked while this import waited for its lock, and not reopened.
        .where((eb) =>
          eb.or([
            eb('status', '=', 'loading'),
            eb.and([eb('status', '=', 'failed'), sql<boolean>`failure ->> 'reason' = ${INTERRUPTED}`]),
          ]),
        )
        .execute();
      deps.log.info({ batchId, kind: kind.code, reason: fileError.reason }, 'feed batch refused');
      const fresh = await db.selectFrom('feed_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
      return resultOf(fresh, false);
    }
  } finally {
    file.cleanup();
  }
}

/** The batch of this file: loaded or loading (at most one, by the unique index), else an interrupted one. */
function findOpenBatch(db: Kysely<DB>, kindCode: string, sha256: string) {
  return db
    .selectFrom('feed_batches')
    .selectAll()
    .where('kind_code', '=', kindCode)
    .where('file_sha256', '=', sha256)
    .where((eb) => eb.or([eb('status', '<>', 'failed'), sql<boolean>`failure ->> 'reason' = ${INTERRUPTED}`]))
    .orderBy(sql`status = 'failed'`)
    .orderBy('batch_no', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function load(
  deps: IngestDeps,
  kind: Kind,
  batchId: string,
  asOf: string,
  file: PreparedInput,
  encoding: TextEncoding,
  fileName: string,
  started: number,
  options: IngestOptions,
): Promise<'loaded' | 'done-elsewhere'> {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  if (EXTENSIONS[ext] && EXTENSIONS[ext] !== kind.format) {
    throw new FeedFileError('format', { expected: kind.format, actual: ext });
  }
  const today = chinaToday();
  const check = compileRowCheck(kind.columns, kind.event_date_column, asOf, today);
  const { protector } = deps;
  let errors = new ErrorSpool();
  const spools = [errors];
  const stats = { total: 0, rejected: 0, staged: 0 };
  // Straight into feed_records, the batch's own columns first; or into feed_staging.
  const recordPrefix = `${batchId}\t${esc(kind.code)}\t${esc(kind.record_type)}\t`;

  const useWorkers =
    options.workers ?? (WORKERS_BY_DEFAULT && kind.format !== 'xlsx' && file.bytes >= WORKER_MIN_BYTES);
  const source: PieceSource = {
    kind,
    batchId,
    asOf,
    today,
    check,
    protector,
    open: () => file.open(),
    encoding,
    workers: useWorkers && kind.format !== 'xlsx',
  };

  async function* checkedRows(into: 'records' | 'staging'): AsyncGenerator<Uint8Array> {
    const prefix = into === 'records' ? recordPrefix : `${batchId}\t`;
    for await (const p of preparedPieces(source, prefix)) {
      stats.total += p.total;
      stats.rejected += p.rejected;
      stats.staged += p.staged;
      if (p.errorCount > 0) errors.addLines(p.errors, p.errorCount);
      if (p.copy.length > 0) yield p.copy;
    }
  }

  try {
    return await withLoadSession(deps.database, async (s: LoadSession) => {
      await s.query('begin');
      let committed = false;
      try {
        // One loader per batch at a time; a second one waits, then finds the batch done.
        await s.query('select pg_advisory_xact_lock(hashtext($1))', [`feed_batch:${batchId}`]);
        const cur = await s.query<{ status: string; reason: string | null }>(
          `select status, failure ->> 'reason' as reason from feed_batches where id = $1 for update`,
          [batchId],
        );
        // Interrupted (a crash before, or marked while this import waited for the lock): this
        // import holds the lock now and loads it.
        if (cur.rows[0]?.status === 'failed' && cur.rows[0].reason === INTERRUPTED) {
          await s.query(`update feed_batches set status = 'loading', failure = null where id = $1`, [batchId]);
        } else if (cur.rows[0]?.status !== 'loading') {
          await s.query('commit');
          committed = true;
          return 'done-elsewhere' as const;
        }
        await s.query('delete from feed_staging where batch_id = $1', [batchId]);
        await s.query('delete from feed_errors where batch_id = $1', [batchId]);
        const phase = (name: string) =>
          deps.log.debug({ batchId, phase: name, ms: Math.round(performance.now() - started) }, 'feed load phase');
        phase('start');
        // The usual case: every record key is new, and the rows are COPYed straight into
        // feed_records (written once). A key loaded before, or twice in the file, makes that COPY
        // fail on the unique key: it is undone to the savepoint and the file read again through
        // feed_staging, where `on conflict do nothing` counts the duplicates.
        let loaded: number;
        await s.query('savepoint direct_copy');
        try {
          await s.copyIn(`copy feed_records (${RECORD_COLUMNS})`, checkedRows('records'));
          await s.query('release savepoint direct_copy');
          loaded = stats.staged;
          phase('copied');
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          await s.query('rollback to savepoint direct_copy');
          phase('duplicates');
          Object.assign(stats, { total: 0, rejected: 0, staged: 0 });
          errors = new ErrorSpool();
          spools.push(errors);
          await s.copyIn(`copy feed_staging (${STAGING_COLUMNS})`, checkedRows('staging'));
          phase('staged');
          const moved = await s.query(
            `insert into feed_records (${RECORD_COLUMNS})
             select batch_id, $2, $3, line, record_key, id_hash, id_masked, name, event_date, data, protected_enc
               from feed_staging where batch_id = $1
             on conflict (kind_code, record_key) do nothing`,
            [batchId, kind.code, kind.record_type],
          );
          loaded = moved.rowCount;
          phase('moved');
          await s.query('delete from feed_staging where batch_id = $1', [batchId]);
        }
        if (errors.count > 0) {
          await s.copyIn('copy feed_errors (batch_id, line, column_name, reason, params)', errors.chunks());
        }
        await s.query(
          `update feed_batches set status = 'loaded', rows_total = $2, rows_loaded = $3, rows_rejected = $4,
                  rows_duplicate = $5, duration_ms = $6, loaded_at = now(), encoding = $7
            where id = $1`,
          [
            batchId,
            stats.total,
            loaded,
            stats.rejected,
            stats.staged - loaded,
            Math.round(performance.now() - started),
            kind.format === 'xlsx' ? 'xlsx' : encoding,
          ],
        );
        await s.query('commit');
        committed = true;
        return 'loaded' as const;
      } finally {
        // PostgreSQL: an interrupted COPY leaves the client unusable; it is discarded, which
        // rolls the transaction back. PGlite has one connection: roll back explicitly.
        if (!committed && deps.database.kind === 'pglite') await s.query('rollback').catch(() => undefined);
      }
    });
  } finally {
    for (const spool of spools) spool.cleanup();
  }
}
