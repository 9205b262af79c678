import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Config } from '../../config';
import { openAndPrepare, type BootOptions } from '../../boot';
import type { Database } from '../../db/database';
import type { DB } from '../../db/schema';

export type Log = (msg: string) => void;

/** Samples the resident set size while a phase runs; returns the peak in MiB. */
export function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576);
    },
  };
}

/** Logs the demo city admin in through `app.inject`; returns the session cookie for the next requests. */
export async function adminCookie(app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'jiuzhu-demo' },
  });
  const session = res.cookies.find((c) => c.name === 'jz_session');
  if (res.statusCode !== 200 || !session) throw new Error(`login: ${res.statusCode} ${res.body}`);
  return `jz_session=${session.value}`;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export type BenchDatabase = { config: Config; database: Database; schema: string | undefined; work: string };

/**
 * Runs a benchmark on a database of its own: a new schema on the PostgreSQL server of
 * DATABASE_URL, or a PGlite data directory in a temporary folder; both removed afterwards.
 */
export async function withBenchDatabase<T>(
  base: Config,
  name: string,
  boot: BootOptions,
  fn: (b: BenchDatabase) => Promise<T>,
): Promise<T> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `jiuzhu-bench-${name}-`));
  const schema = base.databaseUrl ? `bench_${name}_${Date.now().toString(36)}` : undefined;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base.databaseUrl });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  if (schema) await admin(`create schema ${schema}`);
  const config: Config = { ...base, dataDir: work, dbSchema: schema, env: 'test', jobs: false };
  try {
    const database = await openAndPrepare(config, pino({ level: 'silent' }), boot);
    try {
      return await fn({ config, database, schema, work });
    } finally {
      await database.close();
    }
  } finally {
    // JIUZHU_BENCH_KEEP=1 keeps a PostgreSQL bench schema for looking at plans afterwards.
    if (schema && process.env.JIUZHU_BENCH_KEEP) console.error(`kept schema ${schema}`);
    else if (schema) await admin(`drop schema if exists ${schema} cascade`);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What the baseline is, for the result line. */
export function baselineName(database: Database): string {
  return database.kind === 'postgresql'
    ? 'psql \\copy into an unindexed text table'
    : 'PGlite COPY FROM blob into an unindexed text table';
}

/**
 * The baseline of the ingest benchmarks: the same CSV file COPYed bare into a new unindexed
 * table of text columns (psql \copy on PostgreSQL, COPY FROM a blob on PGlite). Returns seconds.
 */
/** Runs psql commands (`-c` each, in order) in the bench's schema on PostgreSQL; throws with psql's stderr. */
function psql(b: BenchDatabase, ...commands: string[]): void {
  const args = [b.config.databaseUrl!, '-v', 'ON_ERROR_STOP=1', '-c', `set search_path=${b.schema}`];
  for (const c of commands) args.push('-c', c);
  const res = spawnSync('psql', args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`);
}

export async function copyBaseline(b: BenchDatabase, file: string, table: string, columns: number): Promise<number> {
  const { database } = b;
  await database.exec(`create table ${table} (${Array.from({ length: columns }, (_, i) => `c${i} text`).join(', ')})`);
  if (database.kind === 'postgresql') {
    const t0 = performance.now();
    psql(b, `\\copy ${table} from '${file}' with (format csv, header true)`);
    return (performance.now() - t0) / 1000;
  }
  const blob = new Blob([fs.readFileSync(file)]);
  const t0 = performance.now();
  await database.pglite!.query(`copy ${table} from '/dev/blob' with (format csv, header true)`, [], { blob });
  return (performance.now() - t0) / 1000;
}

/**
 * The second ingest baseline: the rows an import prepared (a loaded batch's feed_records,
 * exported as COPY text, not timed) COPYed into a new table made like feed_records with its
 * keys and indexes (psql \copy on PostgreSQL, COPY FROM a blob on PGlite). Returns seconds.
 */
export async function indexedCopyBaseline(b: BenchDatabase, batchId: string, table: string): Promise<number> {
  const { database } = b;
  const columns =
    'batch_id, kind_code, record_type, line, record_key, id_hash, id_masked, name, event_date, data, protected_enc';
  const select = `select ${columns} from feed_records where batch_id = '${batchId}'`;
  await database.exec(`create table ${table} (like feed_records including all)`);
  if (database.kind === 'postgresql') {
    const file = path.join(b.work, `${table}.copy`);
    psql(b, `\\copy (${select}) to '${file}'`);
    const t0 = performance.now();
    psql(b, `\\copy ${table} (${columns}) from '${file}'`);
    const seconds = (performance.now() - t0) / 1000;
    fs.rmSync(file, { force: true });
    return seconds;
  }
  const out = await database.pglite!.query(`copy (${select}) to '/dev/blob'`);
  const blob = out.blob!;
  const t0 = performance.now();
  await database.pglite!.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob });
  return (performance.now() - t0) / 1000;
}

/**
 * The third ingest baseline, the database's best case for a load into a partition of its own: the
 * rows an import prepared COPYed into a bare table shaped like feed_records (its columns, defaults
 * and identity; no key, no index), then feed_records' indexes built on it (primary key, unique
 * record key and the others, as CREATE INDEX after the load). Returns both times in seconds.
 */
export async function partitionCopyBaseline(
  b: BenchDatabase,
  batchId: string,
  table: string,
): Promise<{ copySeconds: number; indexSeconds: number }> {
  const { database } = b;
  const columns =
    'batch_id, kind_code, record_type, line, record_key, id_hash, id_masked, name, event_date, data, protected_enc';
  const select = `select ${columns} from feed_records where batch_id = '${batchId}'`;
  const defs = await sql<{ indexdef: string }>`select indexdef from pg_indexes
     where schemaname = current_schema() and tablename = 'feed_records' order by indexname`.execute(database.db);
  const builds = defs.rows.map((r, i) => r.indexdef.replace(/ INDEX \S+ ON \S+ /, ` INDEX ${table}_${i} ON ${table} `));
  if (builds.length < 5 || builds.some((d) => !d.includes(` ON ${table} `))) {
    throw new Error(`unexpected indexes of feed_records: ${JSON.stringify(defs.rows)}`);
  }
  await database.exec(`create table ${table} (like feed_records including defaults including identity)`);
  if (database.kind === 'postgresql') {
    const file = path.join(b.work, `${table}.copy`);
    psql(b, `\\copy (${select}) to '${file}'`);
    const t0 = performance.now();
    psql(b, `\\copy ${table} (${columns}) from '${file}'`);
    const t1 = performance.now();
    psql(b, ...builds);
    const t2 = performance.now();
    fs.rmSync(file, { force: true });
    return { copySeconds: (t1 - t0) / 1000, indexSeconds: (t2 - t1) / 1000 };
  }
  const out = await database.pglite!.query(`copy (${select}) to '/dev/blob'`);
  const blob = out.blob!;
  const t0 = performance.now();
  await database.pglite!.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob });
  const t1 = performance.now();
  for (const d of builds) await database.exec(d);
  const t2 = performance.now();
  return { copySeconds: (t1 - t0) / 1000, indexSeconds: (t2 - t1) / 1000 };
}

/**
 * The register import's second baseline: the rows an import stored in `households`, `members` and
 * `registry_history` (exported with COPY TO, not timed) COPYed into new tables made `like … including
 * all` (every index, check and default) with the foreign keys of the real tables (households →
 * regions, members → households, history → households): what the schema alone costs, with none of
 * the import's checks, encryption or round trips. psql \copy on PostgreSQL (one connection, the
 * three tables in turn, as one import batch stores them), COPY FROM a blob on PGlite. On PostgreSQL
 * new names wait in the GIN indexes' 64 MB pending lists and are merged at the end, timed, as the
 * import does (with the default 4 MB the merges during the COPY took the larger part of its time).
 * Returns seconds.
 */
export async function keyedRegisterBaseline(b: BenchDatabase, prefix: string): Promise<number> {
  const { database } = b;
  type Copied = { source: string; columns: string; target: string };
  const tables: Copied[] = [
    { source: 'households', columns: '*' },
    { source: 'members', columns: '*' },
    // The identity column is left to the copy's own sequence, as the import leaves it.
    {
      source: 'registry_history',
      columns: 'household_id, member_id, region_code, at, actor_username, action, changes',
    },
  ].map((t) => ({ ...t, target: `${prefix}_${t.source}` }));
  for (const t of tables) await database.exec(`create table ${t.target} (like ${t.source} including all)`);
  const [households, members, history] = tables as [Copied, Copied, Copied];
  await database.exec(`
    alter table ${households.target} add foreign key (region_code) references regions (code);
    alter table ${members.target} add foreign key (household_id) references ${households.target} (id) on delete cascade;
    alter table ${history.target} add foreign key (household_id) references ${households.target} (id) on delete cascade`);
  const into = (t: Copied) => `${t.target}${t.columns === '*' ? '' : ` (${t.columns})`}`;
  const select = (t: Copied) => `select ${t.columns} from ${t.source}`;
  if (database.kind === 'postgresql') {
    const file = (t: Copied) => path.join(b.work, `${t.target}.copy`);
    psql(b, ...tables.map((t) => `\\copy (${select(t)}) to '${file(t)}'`));
    const t0 = performance.now();
    psql(
      b,
      `set gin_pending_list_limit = '64MB'`,
      ...tables.map((t) => `\\copy ${into(t)} from '${file(t)}'`),
      `select gin_clean_pending_list(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
         join pg_am a on a.oid = c.relam where i.indrelid = '${members.target}'::regclass and a.amname = 'gin'`,
    );
    const seconds = (performance.now() - t0) / 1000;
    for (const t of tables) fs.rmSync(file(t), { force: true });
    return seconds;
  }
  const blobs: Blob[] = [];
  for (const t of tables) blobs.push((await database.pglite!.query(`copy (${select(t)}) to '/dev/blob'`)).blob!);
  const t0 = performance.now();
  for (const [i, t] of tables.entries())
    await database.pglite!.query(`copy ${into(t)} from '/dev/blob'`, [], { blob: blobs[i] });
  return (performance.now() - t0) / 1000;
}

/**
 * A year of approved regular payrolls per county and their lines for every active enrolment from
 * its first month, written set-based (the API and dashboard benches' history of payments).
 * `failedPerHundred` lines in a hundred end as returned (退票), the rest as paid.
 */
export async function seedPaidYear(db: Kysely<DB>, year: number, failedPerHundred = 0): Promise<void> {
  await sql`
    insert into payrolls (month, region_code, status, created_by)
    select to_char(make_date(${year}, m, 1), 'YYYY-MM'), c.code, 'approved', 'bench'
      from generate_series(1, 12) m, regions c where c.level = 'county'`.execute(db);
  await sql`
    insert into payroll_lines (payroll_id, enrolment_id, month, line_type, kind, region_code, amount_fen,
                               central_fen, provincial_fen, city_fen, county_fen, status)
    select p.id, e.id, p.month, 'regular', e.kind, e.region_code, e.monthly_amount_fen, e.monthly_amount_fen, 0, 0, 0,
           case when abs(hashtext(e.id::text || p.month)) % 100 < ${failedPerHundred} then 'failed' else 'paid' end
      from enrolments e join payrolls p on p.region_code = left(e.region_code, 6) and p.month >= e.from_month
     where e.status = 'active' and p.created_by = 'bench'`.execute(db);
}
