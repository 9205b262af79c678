import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import { regionLevelOf, type ImportError, type ImportProgress, type ImportReport } from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import { bulkTransaction } from '../../db/bulk';
import type { Database } from '../../db/database';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { NotFound } from '../../errors';
import { t } from '../../i18n/messages';
import { recordAudit } from '../audit/service';
import { COLUMNS } from './import-format';
import { preparePool } from './import-pool';
import {
  copyText,
  MEMBER_COPY_COLUMNS,
  type Pending,
  type PreparedChunk,
  type PreparedItem,
  type StoreRows,
} from './import-prepare';
import { commonPrefix } from './service';
import { readRowsFromFile } from './read-rows';
import { removeUpload } from '../../uploads';

// Households per worker task: large enough that handing rows to a thread costs little beside the work.
const CHUNK = 250;
// Households per stored transaction. On PGlite (one connection, and the COPY runs on the main
// thread) a request waits at most one short transaction behind the import, so it stays small there.
const BATCH = { postgresql: 2000, pglite: 250 } as const;
// Households stored by one import after which the registry tables' statistics are refreshed.
const ANALYZE_AFTER = 1000;
// Rows between two turns of the event loop, so a large file never holds the server.
const YIELD_EVERY = 100;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type RegisterUpload = { path: string; fileName: string; size: number; sha256: string };

/**
 * Where an import's time went, in milliseconds, for the benchmark. The main thread's phases add up
 * to its wall time; the worker and database phases are summed over chunks and batches, which run
 * beside the main thread and beside each other (two batches at once on PostgreSQL).
 */
export type ImportPhases = {
  /** Main thread: reading the file and grouping rows by household, less the waits below. */
  readAndGroup: number;
  /** Main thread: waiting for a chunk from the worker threads. */
  waitForWorkers: number;
  /** Main thread: village, region and in-file duplicate checks on prepared households. */
  checks: number;
  /** Main thread: waiting for a batch to be stored before handing over the next. */
  waitForStore: number;
  /** Main thread: the end: the last batches stored, the GIN pending lists merged, the analyze. */
  finish: number;
  /** Worker threads: checking, encrypting, hashing and writing COPY rows (summed over chunks). */
  prepare: number;
  /** Per batch: the queries for already-imported keys and people registered elsewhere. */
  lookups: number;
  /** Per batch, in its transaction: begin, settings, household numbers, commit. */
  transaction: number;
  copyHouseholds: number;
  copyMembers: number;
  copyHistory: number;
  audit: number;
  /** Per batch: the saved counts the page polls. */
  progress: number;
  /** After the last batch: merging the GIN indexes' pending lists (PostgreSQL). */
  cleanPendingLists: number;
  /** After a large import: refreshing the registry tables' statistics (PostgreSQL). */
  analyze: number;
};

export function newImportPhases(): ImportPhases {
  return {
    readAndGroup: 0,
    waitForWorkers: 0,
    checks: 0,
    waitForStore: 0,
    finish: 0,
    prepare: 0,
    lookups: 0,
    transaction: 0,
    copyHouseholds: 0,
    copyMembers: 0,
    copyHistory: 0,
    audit: 0,
    progress: 0,
    cleanPendingLists: 0,
    analyze: 0,
  };
}

/** Records a new import as running (the id the page polls) before any of the file is read. */
export async function startRegisterImport(db: Kysely<DB>, upload: RegisterUpload, dryRun: boolean): Promise<string> {
  const { actor, scope } = getContext();
  const record = await db
    .insertInto('registry_imports')
    .values({
      region_code: scope?.kind === 'region' ? scope.regionCode : '',
      created_by: actor?.username ?? 'system',
      file_name: upload.fileName.slice(0, 200),
      file_sha256: upload.sha256,
      dry_run: dryRun,
      rows: 0,
      households: 0,
      valid: 0,
      imported: 0,
      unchanged: 0,
      errors: '[]',
      duration_ms: 0,
      status: 'running',
      bytes_total: upload.size,
      file_path: upload.path,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return record.id;
}

/**
 * Imports a register file: every household is checked; a household with any bad row is
 * left out whole (its rows listed with line, column and reason); good households are stored
 * in batches. A household key already imported into its village is left unchanged, so the
 * same file twice changes nothing. With dryRun nothing is stored but the report.
 *
 * The file is read from disk as a stream and the work yields to the event loop every few
 * rows and after each batch, so a 200 MB file does not hold other requests; the counts are
 * saved after each batch for the page to poll. On failure the import is marked failed with
 * the reason; in every case the uploaded file is removed at the end.
 */
export async function runRegisterImport(
  database: Database,
  protector: Protector,
  importId: string,
  file: RegisterUpload,
  dryRun: boolean,
  phases: ImportPhases = newImportPhases(),
): Promise<ImportReport> {
  const { db } = database;
  try {
    return await holdingImportLock(database, importId, async () => {
      // Marked failed by a process starting up before this one took the lock: its file is gone.
      const row = await db
        .selectFrom('registry_imports')
        .select('status')
        .where('id', '=', importId)
        .executeTakeFirst();
      if (row?.status !== 'running') throw new Error('the import was marked interrupted before it started');
      return processRegister(database, protector, importId, file, dryRun, phases);
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await db
      .updateTable('registry_imports')
      .set({ status: 'failed', failure: reason.slice(0, 500), file_path: null, finished_at: new Date() })
      .where('id', '=', importId)
      // One marked interrupted keeps the reason the page shows.
      .where('status', '=', 'running')
      .execute();
    throw err;
  } finally {
    await removeUpload(file.path);
  }
}

async function processRegister(
  database: Database,
  protector: Protector,
  importId: string,
  file: RegisterUpload,
  dryRun: boolean,
  phases: ImportPhases,
): Promise<ImportReport> {
  const { db } = database;
  const started = Date.now();
  const timed = async <T>(phase: keyof ImportPhases, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += performance.now() - t0;
    }
  };
  const { lang, actor } = getContext();
  const actorName = actor?.username ?? 'system';
  const keys = protector.workerKeys();
  const pool = preparePool();
  const errors: ImportError[] = [];
  let rows = 0;
  let households = 0;
  let valid = 0;
  let imported = 0;
  let unchanged = 0;
  let bytesDone = 0;
  let header: string[] | null = null;
  let keyColumn = -1;
  const seenKeys = new Set<string>();
  // Whether each region code of the file is a known village. Asked for a chunk's new codes at once:
  // one query per village of the file was a round trip each on the main thread.
  const villages = new Map<string, boolean>();
  let current: Pending | null = null;
  let chunk: Pending[] = [];
  // Chunks on the worker threads, in file order; a few ahead, so the threads never wait for the file.
  const inFlight: Promise<PreparedChunk>[] = [];
  const maxInFlight = pool.options.maxThreads * 2;
  let batch: StoreRows[] = [];
  // The batch being stored while the next ones are read and prepared (one at a time).
  // On PostgreSQL two batches are stored at once, on two connections (the COPY of one while the
  // other is checked or committing); PGlite has one connection.
  const storing: Promise<void>[] = [];
  const maxStoring = database.kind === 'postgresql' ? 2 : 1;
  // Each person of the file's accepted households, with the line that brought them: the same
  // person in a later household of the file is refused (batches stored at once cannot see each other).
  const claimed = new Map<string, number>();

  const saveProgress = () =>
    db
      .updateTable('registry_imports')
      .set({ rows, households, valid, imported, unchanged, bytes_done: bytesDone })
      .where('id', '=', importId)
      .execute();

  /** Checks a batch against the database and stores its good households: COPY, history, one audit row. */
  const store = async (work: StoreRows[]) => {
    // Already imported keys are unchanged; people registered in another household are refused.
    // Each list goes as one array parameter: one short statement, index lookups, however large the batch.
    const lookupsStarted = performance.now();
    const existing = new Set(
      (
        await sql<{ source_key: string }>`select source_key from households
          where source_key = any(${textArray(work.map((w) => w.sourceKey))}::text[])`.execute(db)
      ).rows.map((r) => r.source_key),
    );
    const fresh = work.filter((w) => !existing.has(w.sourceKey));
    unchanged += work.length - fresh.length;
    const hashOwner = new Map<string, { w: StoreRows; index: number }>();
    for (const w of fresh) w.hashes.forEach((hash, index) => hashOwner.set(hash, { w, index }));
    const refused = new Set<StoreRows>();
    // Unscoped, as in findRegistered: a person registered in another region is refused too.
    const taken = await sql<{ id_hash: string }>`select id_hash from members
      where id_hash = any(${textArray([...hashOwner.keys()])}::text[])`.execute(db);
    phases.lookups += performance.now() - lookupsStarted;
    for (const r of taken.rows) {
      const { w, index } = hashOwner.get(r.id_hash)!;
      refused.add(w);
      errors.push({ row: w.lines[index]!, column: '身份证号', reason: t(lang, 'registry.idRegisteredOutside') });
    }
    const good = fresh.filter((w) => !refused.has(w));
    valid += good.length + (work.length - fresh.length);
    if (!dryRun && good.length > 0) {
      const regions = good.map((w) => w.sourceKey.slice(0, w.sourceKey.indexOf(':')));
      const transactionStarted = performance.now();
      // The copies and the audit row are phases of their own; the transaction's phase is the rest of it.
      let inside = 0;
      const part = async (phase: keyof ImportPhases, work: () => Promise<void>) => {
        const t0 = performance.now();
        await work();
        const ms = performance.now() - t0;
        phases[phase] += ms;
        inside += ms;
      };
      await bulkTransaction(database, async (trx, copyIn) => {
        // New names go to the pending lists of the two GIN indexes over names (trigrams, grams) and are
        // merged once at the end (see the end of processRegister): merging every 4 MB as they arrive
        // was half the cost of the member COPY.
        // Not on PGlite, where the merge would hold the event loop in one long piece.
        // An import interrupted by a crash is marked failed at start-up and a re-upload skips what
        // was stored, so a commit need not wait for its WAL flush.
        await sql`set local synchronous_commit = off`.execute(trx);
        if (database.kind === 'postgresql') await sql`set local gin_pending_list_limit = '64MB'`.execute(trx);
        const seq = await householdNumbers(trx, good.length);
        await part('copyHouseholds', () =>
          copyIn(
            'copy households (id, household_no, region_code, address_enc, source_key, assistance_status)',
            good
              .map(
                (w, i) =>
                  `${[
                    w.householdId,
                    `${regions[i]}${String(seq[i]).padStart(6, '0')}`,
                    regions[i],
                    w.addressEnc,
                    w.sourceKey,
                    w.status,
                  ]
                    .map(copyText)
                    .join('\t')}\n`,
              )
              .join(''),
          ),
        );
        await part('copyMembers', () =>
          copyIn(`copy members (${MEMBER_COPY_COLUMNS})`, good.map((w) => w.members).join('')),
        );
        await part('copyHistory', () =>
          copyIn(
            'copy registry_history (household_id, region_code, actor_username, action, changes)',
            good
              .map(
                (w, i) =>
                  `${w.householdId}\t${copyText(regions[i])}\t${copyText(actorName)}\thousehold.create\t${w.changes}\n`,
              )
              .join(''),
          ),
        );
        await part('audit', () =>
          recordAudit(trx, {
            action: 'household.import',
            entity: 'household',
            entityId: good.length === 1 ? good[0]!.householdId : null,
            regionCode: good.length === 1 ? regions[0]! : commonPrefix(regions),
            detail: { households: good.length, members: good.reduce((n, w) => n + w.hashes.length, 0) },
          }),
        );
      });
      phases.transaction += performance.now() - transactionStarted - inside;
      imported += good.length;
    }
    await timed('progress', saveProgress);
  };

  /** Hands a full batch to the database, after the one before it is stored. */
  const flush = async () => {
    if (batch.length === 0) return;
    const work = batch;
    batch = [];
    await timed('waitForStore', async () => {
      while (storing.length >= maxStoring) await storing.shift();
    });
    const stored = store(work);
    // Seen when awaited next; until then it must not count as unhandled.
    stored.catch(() => {});
    storing.push(stored);
    await yieldToEventLoop();
  };

  /** The checks that need the database or the caller's region, on the prepared households in file order. */
  const take = async (items: PreparedItem[]) => {
    const unknown = [
      ...new Set(items.flatMap((item) => ('errors' in item || villages.has(item.regionCode) ? [] : [item.regionCode]))),
    ];
    if (unknown.length > 0) {
      const known = await sql<{ code: string }>`select code from regions
        where code = any(${textArray(unknown)}::text[])`.execute(db);
      const found = new Set(known.rows.map((r) => r.code));
      for (const code of unknown) villages.set(code, found.has(code) && regionLevelOf(code) === 'village');
    }
    for (const item of items) {
      if ('errors' in item) {
        errors.push(...item.errors);
        continue;
      }
      const { regionCode } = item;
      if (!villages.get(regionCode)) {
        errors.push({
          row: item.line,
          column: '村居代码',
          reason: t(lang, 'import.notAVillage', { code: regionCode }),
        });
        continue;
      }
      if (!isInScope(regionCode)) {
        errors.push({ row: item.line, column: '村居代码', reason: t(lang, 'error.outOfRegion') });
        continue;
      }
      if (item.memberErrors.length > 0 || !item.store) {
        errors.push(...item.memberErrors);
        continue;
      }
      const { hashes, lines } = item.store;
      const clashes = hashes.flatMap((hash, i) => {
        const first = claimed.get(hash);
        return first === undefined ? [] : [{ row: lines[i]!, first }];
      });
      if (clashes.length > 0) {
        for (const c of clashes)
          errors.push({
            row: c.row,
            column: '身份证号',
            reason: t(lang, 'import.idInOtherHousehold', { row: c.first }),
          });
        continue;
      }
      hashes.forEach((hash, i) => claimed.set(hash, lines[i]!));
      batch.push(item.store);
      if (batch.length >= BATCH[database.kind]) await flush();
    }
  };

  const dispatch = async (final = false) => {
    if (chunk.length > 0) {
      inFlight.push(pool.run({ lang, keys, encrypt: !dryRun, header: header!, households: chunk }));
      chunk = [];
    }
    while (inFlight.length > (final ? 0 : maxInFlight)) {
      const { items, ms } = await timed('waitForWorkers', () => inFlight.shift()!);
      phases.prepare += ms;
      const waited = phases.waitForStore;
      await timed('checks', () => take(items));
      // The checks hand over full batches, which may wait for the store: that wait is its own phase.
      phases.checks -= phases.waitForStore - waited;
    }
  };

  const finish = async (h: Pending) => {
    households++;
    chunk.push(h);
    if (chunk.length >= CHUNK) await dispatch();
  };

  const loopStarted = performance.now();
  try {
    for await (const row of readRowsFromFile(file.path, file.fileName, (n) => (bytesDone = n))) {
      if (row.line % YIELD_EVERY === 0) await yieldToEventLoop();
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
        keyColumn = header.lastIndexOf('户编号');
        continue;
      }
      if (row.cells.every((c) => c === '')) continue;
      rows++;
      const key = row.cells[keyColumn] ?? '';
      if (key === '') {
        errors.push({ row: row.line, column: '户编号', reason: t(lang, 'import.keyMissing') });
        continue;
      }
      if (current && current.key === key) {
        current.rows.push({ line: row.line, cells: row.cells });
        continue;
      }
      if (current) await finish(current);
      if (seenKeys.has(key)) {
        errors.push({ row: row.line, column: '户编号', reason: t(lang, 'import.keyNotContiguous') });
        current = null;
        continue;
      }
      seenKeys.add(key);
      current = { key, rows: [{ line: row.line, cells: row.cells }] };
    }
    if (current) await finish(current);
    const loopEnded = performance.now();
    phases.readAndGroup += loopEnded - loopStarted - phases.waitForWorkers - phases.checks - phases.waitForStore;
    await dispatch(true);
    await flush();
    while (storing.length > 0) await storing.shift();
    // Both GIN indexes of members (trigram and one/two-character grams) held new names in their
    // pending lists (see store): merged here, so searches after the import read the index alone.
    if (imported > 0 && database.kind === 'postgresql')
      await timed('cleanPendingLists', () =>
        sql`select gin_clean_pending_list('members_name_trgm_idx'::regclass),
                   gin_clean_pending_list('members_name_grams_in_idx'::regclass)`.execute(db),
      );
    // A large import changes the tables' statistics at once (an empty register becomes a city), and
    // until autovacuum's analyze comes round the planner takes a county's households for a handful:
    // a name search then probed the grams index once per household, minutes at city size. Not on
    // PGlite, where analyze would hold the event loop.
    if (imported >= ANALYZE_AFTER && database.kind === 'postgresql')
      await timed('analyze', () => sql`analyze households, members, registry_history`.execute(db));
    phases.finish += performance.now() - loopEnded;
  } finally {
    // On failure: let the chunks still on the threads end before the import is marked failed.
    await Promise.allSettled([...inFlight, ...storing]);
  }

  errors.sort((a, b) => a.row - b.row);
  await db
    .updateTable('registry_imports')
    .set({
      status: 'done',
      rows,
      households,
      valid,
      imported,
      unchanged,
      bytes_done: file.size,
      errors: JSON.stringify(errors),
      duration_ms: Date.now() - started,
      file_path: null,
      finished_at: new Date(),
    })
    .where('id', '=', importId)
    .execute();
  return {
    importId,
    dryRun,
    rows,
    households,
    validHouseholds: valid,
    importedHouseholds: imported,
    unchangedHouseholds: unchanged,
    errors,
  };
}

/** A PostgreSQL array literal of texts, for one `$1::text[]` parameter (both drivers take a string). */
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** `n` new household numbers from the sequence, in one round trip. */
async function householdNumbers(trx: Kysely<DB>, n: number): Promise<number[]> {
  const r = await sql<{
    n: number;
  }>`select nextval('household_no_seq')::int as n from generate_series(1, ${n})`.execute(trx);
  return r.rows.map((x) => x.n);
}

/** How far an import got, and its report once done (in the caller's region only). */
export async function getImportProgress(db: Kysely<DB>, id: string): Promise<ImportProgress> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.import');
  const r = await db
    .selectFrom('registry_imports')
    .selectAll()
    .where('id', '=', id)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!r) throw NotFound('entity.import');
  return {
    importId: r.id,
    status: r.status,
    dryRun: r.dry_run,
    bytesDone: Number(r.bytes_done),
    bytesTotal: Number(r.bytes_total),
    rows: r.rows,
    failure: r.failure,
    report:
      r.status === 'done'
        ? {
            importId: r.id,
            dryRun: r.dry_run,
            rows: r.rows,
            households: r.households,
            validHouseholds: r.valid,
            importedHouseholds: r.imported,
            unchangedHouseholds: r.unchanged,
            errors: r.errors,
          }
        : null,
  };
}

/** The advisory lock a running import holds: hashtext of this and its id (PostgreSQL; `holdingImportLock`). */
const IMPORT_LOCK = 'registry_import:';

/**
 * Runs an import holding its advisory lock on a connection of its own (PostgreSQL), so that a
 * server process starting up beside this one (several serve one database; a rolling restart) does
 * not take it for an import left by a stopped process. PGlite: one process owns the data directory,
 * and it marks at start-up, before any import runs.
 */
async function holdingImportLock<T>(database: Database, importId: string, fn: () => Promise<T>): Promise<T> {
  if (database.kind !== 'postgresql') return fn();
  const client = await database.pool!.connect();
  let broken = false;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [IMPORT_LOCK + importId]);
    try {
      return await fn();
    } finally {
      await client
        .query('select pg_advisory_unlock(hashtext($1))', [IMPORT_LOCK + importId])
        .catch(() => (broken = true));
    }
  } finally {
    // A session that may still hold the lock is not handed back to the pool.
    client.release(broken);
  }
}

/**
 * Imports left running by a stopped server: their in-memory state is gone, so each is marked
 * failed (the page says to upload again; a re-upload is harmless as households already imported
 * are left unchanged) and its file removed. Run at start-up; an import whose lock a running
 * process holds (`holdingImportLock`) is left alone.
 */
export async function failInterruptedImports(db: Kysely<DB>, reason: string): Promise<number> {
  const left = await db
    .updateTable('registry_imports')
    .set({ status: 'failed', failure: reason, finished_at: new Date() })
    .where('status', '=', 'running')
    .where(sql<boolean>`pg_try_advisory_xact_lock(hashtext(${IMPORT_LOCK} || id::text))`)
    .returning(['id', 'file_path'])
    .execute();
  for (const r of left) if (r.file_path) await removeUpload(r.file_path);
  if (left.length > 0)
    await db
      .updateTable('registry_imports')
      .set({ file_path: null })
      .where(
        'id',
        'in',
        left.map((r) => r.id),
      )
      .execute();
  return left.length;
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
