import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { runAsSystem } from '../context';
import { openDatabase } from '../db/database';
import type { DB } from '../db/schema';
import { provinceCities } from '../modules/regions/divisions';
import { ensureRegionsLoaded } from '../modules/regions/service';
import { createTestApp, type TestApp } from '../../test/harness';
import { PROVINCE_PEOPLE, provincePlan, seedProvince } from './registry';

const run = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/jiuzhu.mjs');
const silent = pino({ level: 'silent' });
/** About 2,000 people over the nine cities of Fujian: seconds. */
const SCALE = 0.002;
const SEED = 3;

/** What a seeded registry holds, comparable between databases (keys, places, members, blind indexes). */
async function registryOf(db: Kysely<DB>) {
  const households = await db
    .selectFrom('households as h')
    .select(['h.source_key', 'h.region_code', 'h.assistance_status'])
    .select((eb) =>
      eb
        .selectFrom('members as m')
        .whereRef('m.household_id', '=', 'h.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('members'),
    )
    .orderBy('h.source_key')
    .execute();
  const ids = await db.selectFrom('members').select('id_hash').orderBy('id_hash').execute();
  return {
    households: households.map((h) => `${h.source_key} ${h.region_code} ${h.assistance_status} ${Number(h.members)}`),
    idHashes: ids.map((r) => r.id_hash),
  };
}

describe('the province plan', () => {
  it('covers every city of Fujian, ≈1,000,000 people at scale 1, spread by census population', async () => {
    const cities = await provinceCities('35');
    expect(cities.map((c) => c.code)).toEqual(['3501', '3502', '3503', '3504', '3505', '3506', '3507', '3508', '3509']);
    const plan = await provincePlan('35');
    expect(plan.map((c) => c.city)).toEqual(cities.map((c) => c.code));
    const people = plan.reduce((n, c) => n + c.people, 0);
    expect(Math.abs(people - PROVINCE_PEOPLE)).toBeLessThan(100);
    expect(plan.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 9);
    for (const c of plan) expect(c.people).toBeGreaterThan(40_000);
    // 泉州 is the most populous city, 三明 the least.
    const byPeople = [...plan].sort((a, b) => b.people - a.people);
    expect(byPeople[0]!.city).toBe('3505');
    expect(byPeople.at(-1)!.city).toBe('3504');
    const small = await provincePlan('35', 0.01);
    expect(small.map((c) => c.city)).toEqual(cities.map((c) => c.code));
    expect(Math.abs(small.reduce((n, c) => n + c.people, 0) - PROVINCE_PEOPLE * 0.01)).toBeLessThan(100);
  });

  it('covers every city of a province without census weights (by villages)', async () => {
    const cities = await provinceCities('33');
    expect(cities.length).toBeGreaterThan(5);
    const plan = await provincePlan('33', 0.01);
    expect(plan.map((c) => c.city)).toEqual(cities.map((c) => c.code));
    for (const c of plan) expect(c.people).toBeGreaterThan(0);
  });
});

describe('jiuzhu seed --size province (small scale)', () => {
  let whole: TestApp;
  let resumed: TestApp;
  let cli: TestApp;
  let expected: Awaited<ReturnType<typeof registryOf>>;

  beforeAll(async () => {
    [whole, resumed, cli] = await Promise.all([
      createTestApp(),
      createTestApp(),
      createTestApp({}, {}, { persistent: true }),
    ]);
    await cli.shutdown(); // CLI processes open this one
    const res = await runAsSystem('test seed', silent, () =>
      seedProvince(whole.database.db, whole.app.deps.protector, { province: '35', seed: SEED, scale: SCALE }),
    );
    expect(res.conflicts).toBe(0);
    expect(res.cities.map((c) => c.city)).toEqual([
      '3501',
      '3502',
      '3503',
      '3504',
      '3505',
      '3506',
      '3507',
      '3508',
      '3509',
    ]);
    expected = await registryOf(whole.database.db);
  }, 240_000);
  afterAll(async () => {
    await Promise.all([whole?.close(), resumed?.close(), cli?.close()]);
  });

  it('stores households in every city, with ID numbers unique across the province', async () => {
    const plan = await provincePlan('35', SCALE);
    for (const c of plan) expect(expected.households.some((h) => h.split(' ')[1]!.startsWith(c.city))).toBe(true);
    const people = plan.reduce((n, c) => n + c.people, 0);
    // A household's last member may overshoot its status's target.
    expect(expected.idHashes.length).toBeGreaterThanOrEqual(people - 5);
    expect(expected.idHashes.length).toBeLessThan(people * 1.1);
    expect(new Set(expected.idHashes).size).toBe(expected.idHashes.length);
    // Every city's division tree is loaded beside the configured one; loading the configured city again adds nothing.
    const db = whole.database.db;
    const cities = await db.selectFrom('regions').select('code').where('level', '=', 'city').orderBy('code').execute();
    expect(cities.map((c) => c.code)).toEqual(plan.map((c) => c.city));
    const before = await sql<{ n: number }>`select count(*)::int as n from regions`.execute(db);
    expect(await ensureRegionsLoaded(db, '3503')).toBe(0);
    const after = await sql<{ n: number }>`select count(*)::int as n from regions`.execute(db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('interrupted mid-city, the same call continues and ends with the same households', async () => {
    const db = resumed.database.db;
    const protector = resumed.app.deps.protector;
    let calls = 0;
    const stop = new Error('interrupted');
    // Small batches, so the interruption falls between batches of one city (after the fourth batch of 福州).
    await expect(
      runAsSystem('test seed', silent, () =>
        seedProvince(db, protector, { province: '35', seed: SEED, scale: SCALE, batchSize: 20 }, () => {
          if (++calls === 4) throw stop;
        }),
      ),
    ).rejects.toBe(stop);
    const partial = await db
      .selectFrom('households')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(partial.n)).toBe(80);
    const again = await runAsSystem('test seed', silent, () =>
      seedProvince(db, protector, { province: '35', seed: SEED, scale: SCALE }),
    );
    expect(again.skipped).toBe(80);
    expect(again.conflicts).toBe(0);
    expect(await registryOf(db)).toEqual(expected);
  });

  it('killed with SIGKILL, the same command continues and ends with the same households', async () => {
    const args = [CLI, 'seed', '--size', 'province', '--scale', String(SCALE), '--seed', String(SEED)];
    const env = { ...process.env, ...cli.cliEnv };
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // The CLI names each city as it starts storing it (stderr is no TTY): kill it inside the fourth.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the seed did not reach 三明: ${stderr.slice(-2000)}`)), 180_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('city 3504')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await exited;
    const { stdout } = await run(process.execPath, args, { env, timeout: 240_000 });
    expect(stdout).toMatch(/[1-9]\d* already present, 0 skipped/);
    expect(stdout).toMatch(/enrolments created/);
    const config = loadConfig({ ...cli.cliEnv });
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
      ...(config.dbSchema ? { schema: config.dbSchema } : {}),
    });
    try {
      expect(await registryOf(database.db)).toEqual(expected);
      // Enrolments for the 低保/特困/边缘 households of every city (each under its own city's standards).
      const enrolled = await sql<{ city: string }>`select distinct left(region_code, 4) as city from enrolments
        order by 1`.execute(database.db);
      expect(enrolled.rows.map((r) => r.city)).toEqual([
        '3501',
        '3502',
        '3503',
        '3504',
        '3505',
        '3506',
        '3507',
        '3508',
        '3509',
      ]);
    } finally {
      await database.close();
    }
  }, 600_000);
});
