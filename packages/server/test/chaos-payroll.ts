/**
 * Kill-at-random crash test of the payroll build (`npx tsx packages/server/test/chaos-payroll.ts
 * [--kills 20]`; the suite runs a few in modules/payroll/chaos.test.ts). A child process builds
 * the payroll of a month; the parent kills it (SIGKILL) at a random moment of the build. After
 * each kill the month holds either nothing or a complete draft (its cached count and total equal
 * its lines, its `built` step logged), and a rerun then finishes it with lines identical to an
 * uninterrupted run's. Each kill uses its own month, so every kill hits a first build.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { addMonths, chinaToday } from '@jiuzhu/shared';
import { openAndPrepare } from '../src/boot';
import { loadConfig } from '../src/config';
import { runAsSystem } from '../src/context';
import { Protector } from '../src/crypto/index';
import { openDatabase, type Database } from '../src/db/database';
import { seedEnrolments } from '../src/demo/enrolments';
import { seedRegistry } from '../src/demo/registry';
import { createSchema, dropSchema, freshSchema } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'chaos-payroll-child.ts');
const REGION = '3503';
const log = pino({ level: 'silent' });

export type ChaosResult = {
  /** Builds killed before they finished. */
  kills: number;
  runs: number;
  /** Kills that left nothing, and kills that left a complete draft (the commit had happened). */
  empty: number;
  complete: number;
  lines: number;
  fullRunMs: number;
};

type Store = { env: Record<string, string>; cleanup(): Promise<void> };

async function freshStore(): Promise<Store> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = freshSchema();
    await createSchema(url, schema);
    return { env: { DATABASE_URL: url, JIUZHU_DB_SCHEMA: schema }, cleanup: () => dropSchema(url, schema) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-chaos-'));
  return { env: { JIUZHU_DATA_DIR: dir }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function open(env: Record<string, string>): Promise<Database> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
    ...(config.dbSchema ? { schema: config.dbSchema } : {}),
  });
}

/** Runs the child; `killAfterMs` kills it that long after it started building. */
function runChild(
  env: Record<string, string>,
  month: string,
  killAfterMs?: number,
): Promise<{ built: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, month, REGION], {
      env: { ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let started = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!started && out.includes('start\n')) {
        started = Date.now();
        if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const built = out.includes('built\n');
      if (code !== 0 && signal !== 'SIGKILL') return reject(new Error(`child failed (${code}): ${err.slice(-2000)}`));
      resolve({ built, ms: started ? Date.now() - started : 0 });
    });
  });
}

type Line = string;

/** A payroll's lines without their month and ids: what must be identical from month to month here. */
async function stateOf(db: Database['db'], month: string) {
  const payrolls = await db.selectFrom('payrolls').selectAll().where('month', '=', month).execute();
  if (payrolls.length === 0) return null;
  if (payrolls.length > 1) throw new Error(`${month}: ${payrolls.length} payrolls`);
  const p = payrolls[0]!;
  const lines = await db.selectFrom('payroll_lines').selectAll().where('payroll_id', '=', p.id).execute();
  const built = await db
    .selectFrom('payroll_actions')
    .select('id')
    .where('payroll_id', '=', p.id)
    .where('action', '=', 'built')
    .execute();
  return {
    status: p.status,
    lineCount: p.line_count,
    totalFen: Number(p.total_fen),
    built: built.length,
    sum: lines.reduce((s, l) => s + l.amount_fen, 0),
    lines: lines
      .map((l): Line =>
        [
          l.enrolment_id,
          l.line_type,
          l.kind,
          l.region_code,
          l.payee_member_id,
          l.account_hash,
          l.amount_fen,
          l.central_fen,
          l.provincial_fen,
          l.city_fen,
          l.county_fen,
          l.status,
        ].join('|'),
      )
      .sort(),
  };
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

export async function runChaos(opts: { kills: number; seed?: number }): Promise<ChaosResult> {
  const store = await freshStore();
  try {
    // A demo-size synthetic city, enrolled (the payroll of the whole city).
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...store.env });
    const prepared = await openAndPrepare(config, log, { seedDemo: true, seedDemoRegistry: false });
    await runAsSystem('chaos seed', log, async () => {
      await seedRegistry(prepared.db, new Protector(config), { city: config.city, size: 'demo', seed: opts.seed ?? 1 });
      await seedEnrolments(prepared.db, { city: config.city });
    });
    await prepared.close();

    // The uninterrupted run, for the lines every month must end with and the build's duration.
    const base = addMonths(chinaToday().slice(0, 7), 12);
    const full = await runChild(store.env, base);
    check(full.built, 'the uninterrupted run did not finish');
    let db = await open(store.env);
    const reference = (await stateOf(db.db, base))!;
    await db.close();
    check(reference.lines.length > 0, 'the uninterrupted run made no lines');

    const result: ChaosResult = {
      kills: 0,
      runs: 0,
      empty: 0,
      complete: 0,
      lines: reference.lines.length,
      fullRunMs: full.ms,
    };
    // Until `kills` builds were killed before they finished (a kill that lands after the end
    // counts as a run, not a kill); at most three times as many runs.
    let buildMs = full.ms;
    for (let i = 1; result.kills < opts.kills && i <= opts.kills * 3; i++) {
      const month = addMonths(base, i);
      // Anywhere from the start of the build to the end of the last uninterrupted one.
      const at = Math.floor(Math.random() * buildMs);
      const run = await runChild(store.env, month, at);
      result.runs++;
      db = await open(store.env);
      try {
        const after = await stateOf(db.db, month);
        if (after === null) result.empty++;
        else {
          check(after.status === 'draft' && after.built === 1, `${month}: not a complete draft after the kill`);
          check(
            after.lineCount === after.lines.length && after.totalFen === after.sum,
            `${month}: cached totals differ`,
          );
          check(after.lines.join('\n') === reference.lines.join('\n'), `${month}: a partial set of lines`);
          result.complete++;
        }
        if (!run.built) result.kills++;
      } finally {
        await db.close();
      }
      // The rerun finishes (or refreshes) the month: identical to the uninterrupted run.
      const rerun = await runChild(store.env, month);
      check(rerun.built, `${month}: the rerun did not finish`);
      buildMs = rerun.ms;
      db = await open(store.env);
      try {
        const final = (await stateOf(db.db, month))!;
        check(
          final.lines.join('\n') === reference.lines.join('\n'),
          `${month}: lines differ from the uninterrupted run`,
        );
        check(
          final.lineCount === reference.lineCount && final.totalFen === reference.totalFen,
          `${month}: totals differ`,
        );
      } finally {
        await db.close();
      }
    }
    return result;
  } finally {
    await store.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--kills');
  const kills = i > 0 ? Number(process.argv[i + 1]) : 20;
  const result = await runChaos({ kills });
  console.log(JSON.stringify(result));
}
