import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { chinaToday } from '@jiuzhu/shared';
import type { Config } from '../../config';
import { buildApp } from '../../app';
import { runAsSystem } from '../../context';
import { Protector } from '../../crypto/index';
import type { Database } from '../../db/database';
import { PGliteDialect } from '../../db/pglite-dialect';
import type { DB } from '../../db/schema';
import { seedEnrolments } from '../../demo/enrolments';
import { seedRegistry } from '../../demo/registry';
import { refreshAllFigures } from '../../modules/dashboard/service';
import { importFeed } from '../../modules/exchange/ingest';
import { writeWages } from '../../synthetic/wages';
import type { CitySize } from '../../synthetic/index';
import { percentile, seedPaidYear, withBenchDatabase, type BenchDatabase, type Log, adminCookie } from './common';
import { withExistingDatabase } from './existing';

export type ApiBenchOptions = {
  size: CitySize;
  seed: number;
  /** Seconds of load per endpoint, for ours and again for the bare baseline. */
  seconds: number;
  /**
   * The seconds are split into this many rounds, ours then bare in turn: a slow spell of a shared
   * machine (another guest, a checkpoint) then falls on both sides instead of on one.
   */
  rounds: number;
  connections: number;
  cases: number;
  leads: number;
  /** Print the slowest statements' plans (EXPLAIN ANALYZE) per endpoint before the load. */
  plans?: boolean;
  /** Load only these endpoints (names as in the result). */
  only?: string[];
  /**
   * Rows of a department feed (wages CSV) imported inside the server process while one endpoint
   * is loaded: the event loop is measured with the import running beside the requests. 0: none.
   */
  besideImport?: number;
  /**
   * Run on this PostgreSQL schema seeded beforehand (e.g. `jiuzhu seed --size province`) instead of
   * seeding a city into a schema of its own; '' with PGlite: the data directory of JIUZHU_DATA_DIR.
   * Cases, leads and the paid year are added once (a rerun finds them); the schema is not dropped.
   */
  existingSchema?: string;
};

/** One endpoint under load: the URLs its connections cycle through. */
type Endpoint = { name: string; urls: string[] };

type Statement = Pick<CompiledQuery, 'sql' | 'parameters'>;

/** Event-loop figures of one phase: the longest delay, and the longest garbage-collection pause in it. */
type LoopFigures = { eventLoopMaxMs: number; eventLoopP99Ms: number; gcMaxMs: number; gcCount: number };

type Figures = {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
};

/**
 * `jiuzhu bench api`: the API under load on a city-size database. Seeds the synthetic city (people,
 * enrolments, a year of paid payroll lines) plus cases and leads on its people, starts the real
 * server on a port, logs in as the city admin and drives N connections for S seconds per endpoint
 * with autocannon (on a worker thread, so the server's event loop is measured alone); then runs the
 * same SQL the endpoint ran (captured from the server per URL, session check included) bare
 * through a pool of N clients (PostgreSQL) or the one PGlite connection for the same time, in
 * rounds taken in turn (ours, bare, ours, …). ratio = our req/s / bare req/s; the last JSON line's
 * `ratio` is the worst endpoint's.
 */
export async function benchApi(base: Config, opts: ApiBenchOptions, log: Log) {
  const silent = pino({ level: 'silent' });
  const existing = opts.existingSchema;
  const boot = { seedDemo: true, seedDemoRegistry: false };
  const withDatabase = <T>(fn: (b: BenchDatabase) => Promise<T>) =>
    existing === undefined ? withBenchDatabase(base, 'api', boot, fn) : withExistingDatabase(base, existing, boot, fn);
  return withDatabase(async (b) => {
    const { config, database } = b;
    const db = database.db;
    const protector = new Protector(config);
    const t0 = performance.now();
    if (existing === undefined) {
      await runAsSystem('bench api seed', silent, async () => {
        await seedRegistry(db, protector, { city: config.city, size: opts.size, seed: opts.seed });
        log(`registry seeded (${seconds(t0)} s)`);
        await seedEnrolments(db, { city: config.city });
        log(`enrolments seeded (${seconds(t0)} s)`);
      });
      await seedWork(db, opts);
    } else if (!(await db.selectFrom('cases').select('id').where('case_no', 'like', 'BENCH%').executeTakeFirst())) {
      // A province holds several cities: the cases go to households drawn across all of them.
      await seedWork(db, { ...opts, spread: true });
      log(`cases, leads and a paid year added (${seconds(t0)} s)`);
    }
    // The dashboard's figures counted for today, as the nightly job leaves them. Else the first
    // request asks the job for a full recount, and the statements captured below would ask for it
    // again with every bare call (on PGlite one recount after another on its one connection).
    await runAsSystem('bench api figures', silent, () => refreshAllFigures(db, chinaToday()));
    // As a database in service: vacuumed and analysed (autovacuum would run during the load otherwise),
    // the seed's writes flushed (a checkpoint would run during the load otherwise).
    await sql`vacuum (analyze)`.execute(db);
    await sql`checkpoint`.execute(db);
    const counts = (
      await sql<{
        people: number;
        households: number;
        recipientHouseholds: number;
        enrolments: number;
        cases: number;
        leads: number;
      }>`
        select (select count(*) from members)::int as people, (select count(*) from households)::int as households,
               (select count(*) from households where assistance_status <> 'none')::int as "recipientHouseholds",
               (select count(*) from enrolments)::int as enrolments,
               (select count(*) from cases)::int as cases, (select count(*) from leads)::int as leads`.execute(db)
    ).rows[0]!;
    const seedSeconds = +seconds(t0);
    log(`seeded in ${seedSeconds} s: ${JSON.stringify(counts)}`);

    const endpoints = (await pickEndpoints(db, protector, config.city)).filter(
      (e) => !opts.only?.length || opts.only.includes(e.name),
    );

    // The same SQL as each URL runs, captured from a second app whose Kysely logs its queries.
    const captured = await captureStatements(config, database, endpoints);

    if (opts.plans) await printPlans(database, captured, log);

    const app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const bare = database.kind === 'postgresql' ? barePool(config, b.schema, opts.connections) : undefined;
    const results: Record<string, EndpointResult> = {};
    let loopMax = 0;
    let besideImport: Awaited<ReturnType<typeof loadBesideImport>> | undefined;
    // The same measure over 3 s of doing nothing: on a busy machine the process waits for a core whatever it does.
    const idle = await watchLoop(() => new Promise((r) => setTimeout(r, 3000)));
    const heapUsedMiB = Math.round(process.memoryUsage().heapUsed / 1048576);
    log(`idle: event loop max ${idle.figures.eventLoopMaxMs} ms; heap ${heapUsedMiB} MiB`);
    try {
      const cookie = await login(origin);
      for (const e of endpoints) {
        const r = await loadEndpoint(origin, cookie, e, database, bare, captured.get(e.name)!, opts);
        loopMax = Math.max(loopMax, r.eventLoopMaxMs);
        results[e.name] = r;
        log(
          `${e.name}: ${r.ours.reqPerSec} req/s p50 ${r.ours.p50Ms} p99 ${r.ours.p99Ms} ms (errors ${r.ours.errors}); ` +
            `bare ${r.bare.reqPerSec} req/s p50 ${r.bare.p50Ms} p99 ${r.bare.p99Ms} ms; ratio ${r.ratio} ` +
            `(rounds ${r.roundRatios.join(', ')}); loop max ${r.eventLoopMaxMs} ms (longest GC ${r.gcMaxMs} ms)`,
        );
      }
      if (opts.besideImport) {
        const e = endpoints.find((x) => x.name === 'caseList') ?? endpoints[0]!;
        besideImport = await loadBesideImport(b, protector, origin, cookie, e, opts, log);
      }
    } finally {
      await bare?.end();
      await app.close();
    }
    const worst = Math.min(...Object.values(results).map((r) => r.ratio));
    return {
      bench: 'api',
      database: database.kind,
      size: existing === undefined ? opts.size : 'existing',
      ...(existing === undefined ? {} : { schema: b.schema ?? null, city: config.city }),
      ...counts,
      seedSeconds,
      connections: opts.connections,
      seconds: opts.seconds,
      rounds: opts.rounds,
      baseline:
        database.kind === 'postgresql'
          ? `the same SQL per request, bare through a pg pool of ${opts.connections} clients`
          : `the same SQL per request, bare on the one PGlite connection from ${opts.connections} concurrent callers`,
      endpoints: results,
      idleLoop: idle.figures,
      heapUsedMiB,
      ...(besideImport ? { besideImport } : {}),
      eventLoopMaxMs: loopMax,
      p99MaxMs: Math.max(...Object.values(results).map((r) => r.ours.p99Ms)),
      ratio: worst,
    };
  });
}

/**
 * The event loop's delay (5 ms resolution) and garbage-collection pauses over the phases between
 * start() and stop(): the rounds of one endpoint add up. A histogram per phase (one left enabled
 * would count the time between phases as one long delay); the p99 is the worst phase's.
 */
class LoopWatch {
  private loop: IntervalHistogram | null = null;
  private readonly gc: PerformanceObserver;
  private maxNs = 0;
  private p99Ns = 0;
  private gcMax = 0;
  private gcCount = 0;

  constructor() {
    this.gc = new PerformanceObserver((list) => {
      if (!this.loop) return;
      for (const entry of list.getEntries()) {
        this.gcMax = Math.max(this.gcMax, entry.duration);
        this.gcCount++;
      }
    });
    this.gc.observe({ entryTypes: ['gc'] });
  }

  start() {
    this.loop = monitorEventLoopDelay({ resolution: 5 });
    this.loop.enable();
  }

  stop() {
    const loop = this.loop;
    if (!loop) return;
    loop.disable();
    this.loop = null;
    if (loop.count === 0) return;
    this.maxNs = Math.max(this.maxNs, loop.max);
    this.p99Ns = Math.max(this.p99Ns, loop.percentile(99));
  }

  /** The figures of the phases; the watch is done with (a second call changes nothing). */
  close(): LoopFigures {
    this.stop();
    this.gc.disconnect();
    return {
      eventLoopMaxMs: +(this.maxNs / 1e6).toFixed(1),
      eventLoopP99Ms: +(this.p99Ns / 1e6).toFixed(1),
      gcMaxMs: +this.gcMax.toFixed(1),
      gcCount: this.gcCount,
    };
  }
}

/** Runs `fn` while watching the event loop. */
async function watchLoop<T>(fn: () => Promise<T>): Promise<{ value: T; figures: LoopFigures }> {
  const watch = new LoopWatch();
  watch.start();
  try {
    const value = await fn();
    return { value, figures: watch.close() };
  } finally {
    watch.close();
  }
}

const WARM_UP_SECONDS = 1;

type EndpointResult = { ours: Figures; bare: Figures; ratio: number; roundRatios: number[] } & LoopFigures;

/**
 * One endpoint: `rounds` rounds of ours then bare, each `seconds / rounds` long. The figures add
 * the rounds up (requests over the time loaded); the ratio is ours ÷ bare over all of them, and
 * each round's own ratio is kept to show the spread. The event loop is watched during ours only.
 */
async function loadEndpoint(
  origin: string,
  cookie: string,
  e: Endpoint,
  database: Database,
  pool: pg.Pool | undefined,
  statements: Statement[][],
  opts: ApiBenchOptions,
): Promise<EndpointResult> {
  const slice = opts.seconds / opts.rounds;
  const ours = startOurs(origin, cookie, e, opts);
  const bare = new BareTally();
  const watch = new LoopWatch();
  const roundRatios: number[] = [];
  try {
    // Not counted: each side opens its connections and the server's code paths are compiled.
    await ours.warmUp(WARM_UP_SECONDS);
    await new BareTally().round(database, pool, statements, WARM_UP_SECONDS, opts.connections);
    for (let i = 0; i < opts.rounds; i++) {
      watch.start();
      const o = await ours.round(slice);
      watch.stop();
      const b = await bare.round(database, pool, statements, slice, opts.connections);
      roundRatios.push(+(o.requests / o.seconds / (b.requests / b.seconds)).toFixed(3));
    }
    const oursFigures = await ours.finish();
    const bareFigures = bare.figures();
    return {
      ours: oursFigures,
      bare: bareFigures,
      ratio: +(oursFigures.requests / ours.seconds / (bareFigures.requests / bare.seconds)).toFixed(3),
      roundRatios,
      ...watch.close(),
    };
  } finally {
    watch.close();
    await ours.close();
  }
}

/**
 * One endpoint loaded while a department feed of `besideImport` rows is imported in the server's
 * own process (the import a clerk starts from 数据交换, `importFeed`): requests and the import share
 * the event loop. The loop is watched for the whole import; the load runs for `seconds` from its start.
 */
async function loadBesideImport(
  b: { database: Database; work: string },
  protector: Protector,
  origin: string,
  cookie: string,
  e: Endpoint,
  opts: ApiBenchOptions,
  log: Log,
) {
  const rows = opts.besideImport!;
  const file = path.join(b.work, 'beside-import-wages.csv');
  await writeWages(file, rows, 'API');
  const silent = pino({ level: 'silent' });
  const started = performance.now();
  const { value, figures } = await watchLoop(async () => {
    const imported = importFeed(
      { database: b.database, db: b.database.db, protector, log: silent },
      { path: file, fileName: 'hrss.wages.csv' },
      { kindCode: 'hrss.wages', channel: 'cli', actor: 'bench', asOf: '2026-01-01' },
    ).then((res) => ({ res, seconds: (performance.now() - started) / 1000 }));
    const load = startOurs(origin, cookie, e, opts);
    try {
      await load.round(opts.seconds);
      return { ours: await load.finish(), ...(await imported) };
    } finally {
      await load.close();
    }
  });
  fs.rmSync(file, { force: true });
  if (value.res.status !== 'loaded') throw new Error(`beside import: ${JSON.stringify(value.res)}`);
  log(
    `${e.name} beside a ${rows}-row import (${value.seconds.toFixed(1)} s): ${value.ours.reqPerSec} req/s ` +
      `p50 ${value.ours.p50Ms} p99 ${value.ours.p99Ms} ms; loop max ${figures.eventLoopMaxMs} ms (longest GC ${figures.gcMaxMs} ms)`,
  );
  return {
    endpoint: e.name,
    rows,
    rowsLoaded: value.res.rowsLoaded,
    importSeconds: +value.seconds.toFixed(1),
    ours: value.ours,
    ...figures,
  };
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/**
 * Cases on the city's household heads (every open step, some overdue, some decided), one member
 * each; leads on other people of the registry with their signals; a year of paid payroll lines
 * for the active enrolments (the dashboard's paid figures). Set-based, not timed.
 */
async function seedWork(db: Kysely<DB>, opts: { cases: number; leads: number; spread?: boolean }) {
  // City: the first households stored; spread: households in hash order (every city of a province).
  const order = opts.spread ? sql`md5(id::text)` : sql`household_no`;
  await sql`
    insert into cases (case_no, channel, region_code, household_id, applicant_name, applicant_id_hash,
                       applicant_id_masked, phone_enc, phone_masked, address_enc, reason_enc, consent_at, status,
                       approval_level, step_started_on, step_due_on, accepted_on, overall_due_on, created_by, created_at)
    select 'BENCH' || lpad(h.k::text, 7, '0'), (array['window', 'grid', 'citizen'])[1 + h.k % 3], h.region_code, h.id,
           m.name, m.id_hash, m.id_masked, 'x', '138****0000', 'x', 'x', h.at,
           (array['submitted', 'accepted', 'verifying', 'verified', 'determined', 'notice', 'pending_approval',
                  'enrolled', 'enrolled', 'rejected'])[1 + h.k % 10],
           case when h.k % 2 = 0 then 'county' else 'township' end,
           current_date - (h.k % 30)::int, current_date - (h.k % 30)::int + 10,
           (h.at at time zone 'Asia/Shanghai')::date, (h.at at time zone 'Asia/Shanghai')::date + 40, 'bench', h.at
      from (select id, region_code, k, now() - (k % 400) * interval '1 day' as at
              from (select id, region_code, row_number() over (order by ${order}) as k from households) x
             where k <= ${opts.cases}) h
      join members m on m.household_id = h.id and m.relation = 'head'`.execute(db);
  await sql`
    insert into case_members (case_id, n, name, relation, id_enc, id_hash, id_masked, sex, birth_date)
    select c.id, 1, m.name, 'head', 'x', m.id_hash, m.id_masked, m.sex, m.birth_date
      from cases c join members m on m.id_hash = c.applicant_id_hash where c.case_no like 'BENCH%'`.execute(db);
  await sql`
    insert into signals (rule_id, rule_version, outcome, dedupe_key, id_hash, region_code, member_id, household_id)
    select (select id from collision_rules order by code limit 1), 1, 'lead', 'bench-' || m.id, m.id_hash, m.region_code,
           m.id, m.household_id
      from (select id, id_hash, region_code, household_id, row_number() over (order by id_hash) as k
              from members where relation <> 'head') m
     where m.k <= ${opts.leads}`.execute(db);
  await sql`
    insert into leads (signal_id, region_code, member_id, household_id, id_hash, person_name, id_masked, status, outcome,
                       issued_on, due_date, closed_at)
    select s.id, s.region_code, m.id, m.household_id, m.id_hash, m.name, m.id_masked,
           case when s.signal_no % 4 = 0 then 'open' else 'closed' end,
           case when s.signal_no % 4 = 0 then null else 'not_needy' end,
           current_date - (s.signal_no % 300)::int, current_date - (s.signal_no % 300)::int + 7,
           case when s.signal_no % 4 = 0 then null else now() end
      from signals s join members m on m.id = s.member_id where s.dedupe_key like 'bench-%'`.execute(db);
  const year = Number(chinaToday().slice(0, 4));
  await seedPaidYear(db, year);
}

/** The URLs of each endpoint: name fragments and ID numbers of people in the registry, filters of the list pages. */
async function pickEndpoints(db: Kysely<DB>, protector: Protector, city: string): Promise<Endpoint[]> {
  const people = await db
    .selectFrom('members')
    .select(['name', 'id_number_enc'])
    // The admin's city (a database seeded with a province holds people of other cities too).
    .where('region_code', 'like', `${city}%`)
    .orderBy('id_hash')
    .limit(40)
    .execute();
  const counties = (
    await db.selectFrom('regions').select('code').where('parent_code', '=', city).orderBy('code').limit(5).execute()
  ).map((r) => r.code);
  const townships = (
    await db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'township')
      .where('code', 'like', `${counties[0]}%`)
      .orderBy('code')
      .limit(2)
      .execute()
  ).map((r) => r.code);
  const year = chinaToday().slice(0, 4);
  const enc = encodeURIComponent;
  return [
    {
      // Two-character fragments (surname + given name's last character) and one-character ones in a county.
      name: 'householdName',
      urls: people
        .slice(0, 20)
        .flatMap((p, i) => [
          `/api/households?name=${enc(p.name.slice(0, 1) + p.name.slice(-1))}`,
          `/api/households?name=${enc(p.name.slice(-1))}&regionCode=${counties[i % counties.length]}`,
        ]),
    },
    {
      name: 'householdIdNumber',
      urls: people.map((p) => `/api/households?idNumber=${protector.decrypt(p.id_number_enc, 'member.id_number')}`),
    },
    {
      name: 'caseList',
      urls: [
        '/api/cases',
        '/api/cases?open=true',
        `/api/cases?status=verifying&region=${counties[1]}`,
        '/api/cases?overdue=true',
        `/api/cases?overdue=step&region=${townships[0]}`,
        `/api/cases?from=${year}-01-01&to=${year}-06-30&sort=createdAt&order=desc`,
        `/api/cases?q=${enc(people[3]!.name.slice(0, 1))}&page=2`,
        `/api/cases?status=enrolled&region=${counties[2]}&page=3`,
      ],
    },
    {
      name: 'leadList',
      urls: [
        '/api/leads',
        '/api/leads?status=open',
        `/api/leads?overdue=true&regionCode=${counties[0]}`,
        `/api/leads?status=closed&regionCode=${townships[1] ?? counties[3]}`,
        `/api/leads?issuedFrom=${year}-01-01&page=2`,
        `/api/leads?q=${enc(people[5]!.name.slice(-1))}`,
      ],
    },
    {
      name: 'dashboardFigures',
      urls: [
        '/api/dashboard/figures',
        ...counties.map((c) => `/api/dashboard/figures?regionCode=${c}&from=${year}-01&to=${year}-12`),
      ],
    },
  ];
}

async function login(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'jiuzhu-demo' }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('jz_session='));
  if (!session) throw new Error('login: no session cookie');
  return session.split(';')[0]!;
}

/**
 * Every statement each URL runs, in order (the session check included), from an app over the same
 * database whose Kysely logs its queries. Each URL is asked once to warm up, then captured.
 */
async function captureStatements(
  config: Config,
  database: Database,
  endpoints: Endpoint[],
): Promise<Map<string, Statement[][]>> {
  let sink: Statement[] | null = null;
  const logQuery = (e: { level: string; query: CompiledQuery }) => {
    if (sink && e.level === 'query') sink.push({ sql: e.query.sql, parameters: e.query.parameters });
  };
  const logged = new Kysely<DB>({
    dialect:
      database.kind === 'postgresql'
        ? new PostgresDialect({ pool: database.pool! })
        : new PGliteDialect(database.pglite!),
    log: logQuery,
  });
  // Not closed: its pool or PGlite belongs to the bench database, closed with it.
  const app = await buildApp({ config, database: { ...database, db: logged }, logger: false });
  try {
    await app.ready();
    const cookie = await adminCookie(app);
    const out = new Map<string, Statement[][]>();
    for (const e of endpoints) {
      const lists: Statement[][] = [];
      for (const url of e.urls) {
        const statements: Statement[] = [];
        const warm = await app.inject({ method: 'GET', url, headers: { cookie } });
        if (warm.statusCode !== 200) throw new Error(`${url}: ${warm.statusCode} ${warm.body}`);
        sink = statements;
        await app.inject({ method: 'GET', url, headers: { cookie } });
        sink = null;
        if (statements.length === 0) throw new Error(`${url}: no SQL captured`);
        lists.push(statements);
      }
      out.set(e.name, lists);
    }
    return out;
  } finally {
    await app.close();
  }
}

function barePool(config: Config, schema: string | undefined, connections: number): pg.Pool {
  return new pg.Pool({
    connectionString: config.databaseUrl,
    max: connections,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
}

/**
 * Ours: autocannon on a worker thread (its own event loop), the endpoint's URLs in turn on every
 * connection. The worker stays for the endpoint's rounds; `finish` merges their histograms.
 */
function startOurs(origin: string, cookie: string, e: Endpoint, opts: ApiBenchOptions) {
  const autocannonPath = createRequire(import.meta.url).resolve('autocannon');
  const worker = new Worker(
    // In a worker thread autocannon returns encoded histograms (for its own aggregation): the
    // rounds are kept and aggregated at the end.
    `const { parentPort, workerData } = require('node:worker_threads');
     const autocannon = require(workerData.autocannonPath);
     const opts = {
       url: workerData.origin,
       connections: workerData.connections,
       // A slow answer counts as slow, not as an error (autocannon gives up after 10 s by default).
       timeout: 120,
       headers: { cookie: workerData.cookie },
       requests: workerData.urls.map((path) => ({ method: 'GET', path })),
     };
     const rounds = [];
     parentPort.on('message', (seconds) => {
       if (seconds === 0) return parentPort.postMessage(autocannon.aggregateResult(rounds, opts));
       // A negative number of seconds: a warm-up, not kept.
       autocannon({ ...opts, duration: Math.abs(seconds) }).then(
         (r) => {
           if (seconds > 0) rounds.push(r);
           parentPort.postMessage({ requests: r['2xx'], seconds: r.duration });
         },
         (err) => parentPort.postMessage({ error: String(err) }),
       );
     });`,
    { eval: true, workerData: { autocannonPath, origin, cookie, urls: e.urls, connections: opts.connections } },
  );
  const ask = <T extends { error?: string }>(seconds: number) =>
    new Promise<T>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once('error', onError);
      worker.once('message', (m: T) => {
        worker.off('error', onError);
        if (m.error) reject(new Error(`autocannon: ${m.error}`));
        else resolve(m);
      });
      worker.postMessage(seconds);
    });
  let loaded = 0;
  return {
    /** Seconds loaded over all rounds so far. */
    get seconds() {
      return loaded;
    },
    /** A round not counted: its figures are dropped. */
    async warmUp(seconds: number) {
      await ask(-seconds);
    },
    async round(seconds: number) {
      const r = await ask<{ error?: string; requests: number; seconds: number }>(seconds);
      loaded += r.seconds;
      return r;
    },
    async finish(): Promise<Figures> {
      const r = await ask<AutocannonResult>(0);
      const ok = r['2xx'];
      return {
        requests: ok,
        reqPerSec: Math.round(ok / loaded),
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        maxMs: r.latency.max,
        errors: r.non2xx + r.errors + r.timeouts,
      };
    },
    close: () => worker.terminate(),
  };
}

type AutocannonResult = {
  error?: string;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; max: number };
};

/** The baseline: the captured statements of each request, run bare by N concurrent callers, round by round. */
class BareTally {
  private readonly latencies: number[] = [];
  private errors = 0;
  private firstError: string | undefined;
  /** Seconds loaded over all rounds so far. */
  seconds = 0;

  async round(
    database: Database,
    pool: pg.Pool | undefined,
    requests: Statement[][],
    seconds: number,
    connections: number,
  ): Promise<{ requests: number; seconds: number }> {
    const run = (s: Statement): Promise<unknown> =>
      pool ? pool.query(s.sql, s.parameters as unknown[]) : database.pglite!.query(s.sql, s.parameters as unknown[]);
    const before = this.latencies.length;
    const started = performance.now();
    const end = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async (_, c) => {
        // Each caller cycles through the URLs' statement lists, as each autocannon connection does.
        for (let i = c; performance.now() < end; i++) {
          const t = performance.now();
          try {
            // A request's statements together, as the service runs its page and count queries.
            await Promise.all(requests[i % requests.length]!.map(run));
            this.latencies.push(performance.now() - t);
          } catch (err) {
            this.errors++;
            this.firstError ??= String(err);
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    this.seconds += elapsed;
    return { requests: this.latencies.length - before, seconds: elapsed };
  }

  figures(): Figures {
    const l = this.latencies;
    return {
      requests: l.length,
      reqPerSec: Math.round(l.length / this.seconds),
      p50Ms: +percentile(l, 50).toFixed(1),
      p99Ms: +percentile(l, 99).toFixed(1),
      maxMs: +l.reduce((a, b) => Math.max(a, b), 0).toFixed(1),
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
    };
  }
}

/** Each endpoint's three slowest statements (over all its URLs) with their EXPLAIN ANALYZE plans. */
async function printPlans(database: Database, captured: Map<string, Statement[][]>, log: Log) {
  const explain = async (s: Statement): Promise<string> => {
    const q = `explain (analyze, buffers) ${s.sql}`;
    const rows = database.pool
      ? (await database.pool.query<Record<string, string>>(q, s.parameters as unknown[])).rows
      : (await database.pglite!.query<Record<string, string>>(q, s.parameters as unknown[])).rows;
    return rows.map((r) => Object.values(r)[0]).join('\n');
  };
  for (const [name, lists] of captured) {
    const seen = new Map<string, { ms: number; plan: string; s: Statement }>();
    for (const s of lists.flat()) {
      const plan = await explain(s);
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0);
      const key = `${s.sql}|${JSON.stringify(s.parameters)}`;
      if (!seen.has(key)) seen.set(key, { ms, plan, s });
    }
    const slowest = [...seen.values()].sort((a, b) => b.ms - a.ms).slice(0, 3);
    for (const { ms, plan, s } of slowest)
      log(`--- ${name}: ${ms} ms\n${s.sql}\n${JSON.stringify(s.parameters)}\n${plan}`);
  }
}
