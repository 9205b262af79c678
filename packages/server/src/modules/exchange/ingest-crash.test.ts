import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { openDatabase, type Database } from '../../db/database';
import { createTestApp, onPostgres, type TestApp } from '../../../test/harness';
import { failInterruptedBatches, importFeed } from './ingest';
import { writeWages } from '../../synthetic/wages';

const run = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/jiuzhu.mjs');
// Big enough that the load runs for seconds after it starts (PGlite loads several times slower).
const ROWS = onPostgres ? 300_000 : 60_000;

let t: TestApp;
let dir: string;
let file: string;
let bad: number;

beforeAll(async () => {
  t = await createTestApp({}, {}, { persistent: true });
  await t.shutdown(); // the CLI processes open the same database
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-crash-'));
  file = path.join(dir, 'hrss.wages.csv');
  ({ bad } = await writeWages(file, ROWS, 'C'));
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function openCliDatabase(): Promise<Database> {
  const config = loadConfig({ ...t.cliEnv });
  return openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
    ...(config.dbSchema ? { schema: config.dbSchema } : {}),
  });
}

async function stateOf(database: Database) {
  const batches = await database.db.selectFrom('feed_batches').select(['id', 'status']).execute();
  const records = await sql<{ n: number; sum: number | null }>`
    select count(*)::int as n, sum((data->>'monthly_wage_fen')::bigint)::bigint as sum from feed_records`.execute(
    database.db,
  );
  const staging = await sql<{ n: number }>`select count(*)::int as n from feed_staging`.execute(database.db);
  const errors = await sql<{ n: number }>`select count(*)::int as n from feed_errors`.execute(database.db);
  return { batches, records: records.rows[0]!, staging: staging.rows[0]!.n, errors: errors.rows[0]!.n };
}

describe('jiuzhu feed import, killed with SIGKILL mid-load', () => {
  it('leaves nothing of the batch visible, then shows it interrupted; running it again completes the same batch', async () => {
    const child = spawn(process.execPath, [CLI, 'feed', 'import', 'hrss', file, '--as-of', '2026-01-01'], {
      env: { ...process.env, ...t.cliEnv, LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the load transaction has started streaming rows, then a little more.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the load did not start: ${stderr.slice(-2000)}`)), 120_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('"phase":"start"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    expect(stdout).toBe('');

    let database = await openCliDatabase();
    try {
      const s = await stateOf(database);
      expect(s.batches.map((b) => b.status)).toEqual(['loading']);
      expect(s.records.n).toBe(0);
      expect(s.staging).toBe(0);
      expect(s.errors).toBe(0);
      // Once nobody holds its lock (PostgreSQL ends the dead client's session when it sees the
      // connection closed), it is shown as interrupted (as at boot, or when the batches are read).
      while ((await failInterruptedBatches(database.db)) === 0) {
        expect((await stateOf(database)).batches.map((b) => b.status)).toEqual(['loading']);
        await new Promise((r) => setTimeout(r, 100));
      }
      const marked = await database.db.selectFrom('feed_batches').select(['status', 'failure']).execute();
      expect(marked).toEqual([{ status: 'failed', failure: { reason: 'interrupted' } }]);
    } finally {
      await database.close();
    }

    const again = await run(
      process.execPath,
      [CLI, 'feed', 'import', 'hrss', file, '--as-of', '2026-01-01', '--no-collision'],
      {
        env: { ...process.env, ...t.cliEnv },
        maxBuffer: 1 << 20,
      },
    );
    const result = JSON.parse(again.stdout.trim()) as { batchId: string; status: string; rowsLoaded: number };
    expect(result).toMatchObject({ status: 'loaded', rowsLoaded: ROWS - bad, rowsRejected: bad, alreadyLoaded: false });

    database = await openCliDatabase();
    let resumed;
    try {
      resumed = await stateOf(database);
      expect(resumed.batches).toEqual([{ id: result.batchId, status: 'loaded' }]);
      expect(resumed.staging).toBe(0);
      expect(resumed.errors).toBe(bad);
    } finally {
      await database.close();
    }

    // The same file into a fresh database, without interruption: the same rows and amounts.
    const clean = await createTestApp();
    try {
      const res = await importFeed(
        {
          database: clean.database,
          db: clean.database.db,
          protector: clean.app.deps.protector,
          log: pino({ level: 'silent' }),
        },
        { path: file, fileName: 'hrss.wages.csv' },
        { kindCode: 'hrss.wages', channel: 'cli', actor: 'test', asOf: '2026-01-01' },
      );
      expect(res.rowsLoaded).toBe(ROWS - bad);
      const s = await stateOf(clean.database);
      expect(resumed.records).toEqual(s.records);
    } finally {
      await clean.close();
    }
  }, 600_000);

  it('lists the kinds, refuses a file of another kind with exit code 1, and audits each import', async () => {
    const env = { ...process.env, ...t.cliEnv };
    const kinds = await run(process.execPath, [CLI, 'feed', 'kinds'], { env });
    expect(kinds.stdout).toMatch(/^hrss\.wages\tcsv\twage\t/m);
    expect(kinds.stdout).toMatch(/^tax\.income\txlsx\ttax_income\t/m);
    const refused = await run(
      process.execPath,
      [CLI, 'feed', 'import', 'public_security', file, '--kind', 'public_security.deaths'],
      {
        env,
      },
    ).catch((e: { code: number; stdout: string }) => e);
    expect((refused as { code?: number }).code).toBe(1);
    expect(JSON.parse(refused.stdout.trim())).toMatchObject({ status: 'failed', failure: { reason: 'columns' } });
    const unknown = await run(process.execPath, [CLI, 'feed', 'import', 'public_security', file], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((unknown as { code?: number }).code).toBe(2);
    expect(unknown.stderr).toMatch(/give --kind/);
    // A loaded batch starts a collision run (jobs off, as in tests: run in the CLI process).
    const small = path.join(dir, 'hrss.wages.small.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n').slice(0, 4);
    fs.writeFileSync(small, `${lines.map((l, i) => (i === 0 ? l : l.replace(/^C/, 'S'))).join('\n')}\n`);
    const loaded = await run(
      process.execPath,
      [CLI, 'feed', 'import', 'hrss', small, '--kind', 'hrss.wages', '--as-of', '2026-01-01'],
      { env },
    );
    expect(JSON.parse(loaded.stdout.trim())).toMatchObject({
      status: 'loaded',
      rowsLoaded: 3,
      collision: { status: 'done' },
    });
    const database = await openCliDatabase();
    try {
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['action', 'entity', 'detail'])
        .where('action', '=', 'feed.import')
        .execute();
      expect(audit.map((a) => (a.detail as { status: string }).status).sort()).toEqual(['failed', 'loaded', 'loaded']);
    } finally {
      await database.close();
    }
    // Four CLI processes, each opening the embedded database: 13–30 s each on two busy cores.
  }, 300_000);
});
