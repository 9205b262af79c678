import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pino from 'pino';
import type { Config } from '../../config';
import { openAndPrepare, type BootOptions } from '../../boot';
import { buildApp } from '../../app';
import { Protector } from '../../crypto/index';
import { peakRss, percentile, type BenchDatabase, type Log, adminCookie } from './common';

/**
 * Runs a benchmark on a database seeded beforehand (`jiuzhu seed --size province` into the
 * PostgreSQL schema `schema`, or the PGlite data directory of JIUZHU_DATA_DIR when `schema` is
 * empty): booted as the server boots it, never dropped (the caller drops it when done).
 */
export async function withExistingDatabase<T>(
  base: Config,
  schema: string,
  boot: BootOptions,
  fn: (b: BenchDatabase) => Promise<T>,
): Promise<T> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-bench-existing-'));
  const config: Config = {
    ...base,
    ...(base.databaseUrl && schema ? { dbSchema: schema } : {}),
    env: 'test',
    jobs: false,
  };
  try {
    const database = await openAndPrepare(config, pino({ level: 'silent' }), boot);
    try {
      return await fn({ config, database, schema: config.dbSchema, work });
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** What the registry holds, for the result line. */
async function registryCounts(b: BenchDatabase) {
  return (
    await sql<{ people: number; households: number; cities: number; enrolments: number }>`
      select (select count(*) from members)::int as people, (select count(*) from households)::int as households,
             (select count(distinct left(region_code, 4)) from households)::int as cities,
             (select count(*) from enrolments)::int as enrolments`.execute(b.database.db)
  ).rows[0]!;
}

/**
 * The search part of `jiuzhu bench registry` on an existing seeded database: the same five query
 * shapes (ID number, one-character name in a county, two-character name, status in a county,
 * a flag in a township), timed one after another through the HTTP layer as the city admin of
 * JIUZHU_CITY, after an `analyze`. ID numbers and names come from that city's people in the database.
 */
export async function benchRegistrySearchExisting(base: Config, opts: { schema: string; searches: number }, log: Log) {
  return withExistingDatabase(base, opts.schema, { seedDemo: true, seedDemoRegistry: false }, async (b) => {
    const { config, database } = b;
    // Fresh statistics, as `bench api` takes them: right after a seed autovacuum may not have run yet.
    await sql`analyze`.execute(database.db);
    const counts = await registryCounts(b);
    log(`existing database: ${JSON.stringify(counts)}`);
    const protector = new Protector(config);
    const sample = await database.db
      .selectFrom('members')
      .select(['name', 'id_number_enc'])
      .where('region_code', 'like', `${config.city}%`)
      .orderBy('id_hash')
      .limit(2000)
      .execute();
    if (sample.length === 0) throw new Error(`no people of ${config.city} in this database: seed it first`);
    const ids = sample.map((m) => protector.decrypt(m.id_number_enc, 'member.id_number'));
    const names = sample.map((m) => m.name.slice(0, 1) + m.name.slice(-1));
    const counties = (
      await database.db
        .selectFrom('regions')
        .select('code')
        .where('parent_code', '=', config.city)
        .orderBy('code')
        .execute()
    ).map((r) => r.code);
    const township = await database.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'township')
      .where('code', 'like', `${counties[1] ?? counties[0]}%`)
      .orderBy('code')
      .limit(1)
      .executeTakeFirstOrThrow();
    const app = await buildApp({ config, database, logger: false });
    await app.ready();
    const cookie = await adminCookie(app);
    const shapes = [
      (i: number) => `idNumber=${ids[i % ids.length]}`,
      (i: number) => `name=${encodeURIComponent(names[i % names.length]!.slice(0, 1))}&regionCode=${counties[0]}`,
      (i: number) => `name=${encodeURIComponent(names[i % names.length]!)}`,
      (i: number) => `status=tekun&regionCode=${counties[i % counties.length]}`,
      () => `flag=disability&regionCode=${township.code}`,
    ];
    const byShape: number[][] = shapes.map(() => []);
    const all: number[] = [];
    const rss = peakRss();
    for (let i = 0; i < opts.searches; i++) {
      const url = `/api/households?${shapes[i % shapes.length]!(i)}`;
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      const ms = performance.now() - t;
      if (res.statusCode !== 200) throw new Error(`search ${url}: ${res.statusCode} ${res.body}`);
      all.push(ms);
      byShape[i % shapes.length]!.push(ms);
    }
    const peakMb = rss.stop();
    await app.close();
    const names5 = ['idNumber', 'nameInCounty', 'name2', 'statusInCounty', 'flagInTownship'];
    return {
      bench: 'registry-search',
      database: database.kind,
      size: 'existing',
      schema: b.schema ?? null,
      ...counts,
      city: config.city,
      search: {
        n: opts.searches,
        p50Ms: +percentile(all, 50).toFixed(1),
        p95Ms: +percentile(all, 95).toFixed(1),
        p99Ms: +percentile(all, 99).toFixed(1),
        byShape: Object.fromEntries(
          byShape.map((l, i) => [
            names5[i]!,
            { p50Ms: +percentile(l, 50).toFixed(1), p95Ms: +percentile(l, 95).toFixed(1) },
          ]),
        ),
      },
      peakRssMiB: peakMb,
    };
  });
}
