import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import type { Config } from '../../config';
import { runAsSystem } from '../../context';
import { Protector } from '../../crypto/index';
import type { Database } from '../../db/database';
import { buildMonthSums, runCollision } from '../../modules/collision/run';
import { Random } from '../../synthetic/random';
import { seedRegistry } from '../../demo/registry';
import { withBenchDatabase, type Log } from './common';

const AS_OF = '2026-01-01';
const KIND = 'bench.mixed';

/** The record-type mix of a month of feeds (shares of rows). */
const MIX: readonly [string, number][] = [
  ['medical', 0.35],
  ['wage', 0.25],
  ['vehicle', 0.1],
  ['property', 0.07],
  ['business', 0.07],
  ['disability', 0.06],
  ['custody', 0.04],
  ['death', 0.03],
  ['cremation', 0.03],
];

/**
 * A digest of every signal and link in the schema, by what does not change between seeds of the
 * same data (rule code, outcome, dedupe key, blind index, region, detail; a link by its signal's
 * key and its record id): equal before and after a change of the run means identical results.
 */
async function resultsDigest(database: Database): Promise<{ signals: string; links: string }> {
  const r = await sql<{ signals: string; links: string }>`
    select
      (select md5(coalesce(string_agg(concat_ws('|', c.code, s.outcome, s.dedupe_key, s.id_hash, s.region_code,
          s.rule_version, s.detail::text), E'\n' order by c.code, s.outcome, s.dedupe_key), ''))
        from signals s join collision_rules c on c.id = s.rule_id) as signals,
      (select md5(coalesce(string_agg(concat_ws('|', c.code, s.outcome, s.dedupe_key, l.record_id), E'\n'
          order by c.code, s.outcome, s.dedupe_key, l.record_id), ''))
        from signal_records l join signals s on s.id = l.signal_id join collision_rules c on c.id = s.rule_id) as links`.execute(
    database.db,
  );
  return r.rows[0]!;
}

/**
 * The second baseline: what the database itself takes to write the rows a full run must leave —
 * its 150,000 matches (the join and the insert of its rows, one statement), then the run's
 * signals and links copied into tables made like signals and signal_records with every key and
 * index. The run cannot be cheaper than this without writing less.
 */
async function keyedBaseline(
  database: Database,
): Promise<{ seconds: number; matchesSeconds: number; signalsSeconds: number; linksSeconds: number }> {
  const { db } = database;
  await sql`create unlogged table bench_keyed_matches (like collision_matches)`.execute(db);
  await sql`create table bench_keyed_signals (like signals including all)`.execute(db);
  await sql`create table bench_keyed_links (like signal_records including all)`.execute(db);
  const timed = async (q: ReturnType<typeof sql>) => {
    const t = performance.now();
    await q.execute(db);
    return (performance.now() - t) / 1000;
  };
  const matchesSeconds = await timed(sql`
    insert into bench_keyed_matches
      (run_id, record_id, batch_id, record_type, id_hash, member_id, household_id, region_code, assistance_status)
    select gen_random_uuid(), r.id, r.batch_id, r.record_type, r.id_hash, m.id, m.household_id, m.region_code, h.assistance_status
    from feed_records r join members m on m.id_hash = r.id_hash join households h on h.id = m.household_id`);
  const signalsSeconds = await timed(sql`
    insert into bench_keyed_signals
      (id, rule_id, rule_version, outcome, dedupe_key, id_hash, member_id, household_id, region_code, detail, batch_id)
    select id, rule_id, rule_version, outcome, dedupe_key, id_hash, member_id, household_id, region_code, detail, batch_id
    from signals`);
  const linksSeconds = await timed(sql`insert into bench_keyed_links select * from signal_records`);
  await sql`drop table bench_keyed_matches, bench_keyed_signals, bench_keyed_links`.execute(db);
  const r = (x: number) => +x.toFixed(3);
  return {
    seconds: r(matchesSeconds + signalsSeconds + linksSeconds),
    matchesSeconds: r(matchesSeconds),
    signalsSeconds: r(signalsSeconds),
    linksSeconds: r(linksSeconds),
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

type Rng = { next(): number };
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng.next() * list.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

function dataOf(rng: Rng, type: string): Record<string, string | number> {
  switch (type) {
    case 'medical': {
      const self = int(rng, 5_000, 900_000);
      const ins = int(rng, 0, 2_000_000);
      return {
        visit_type: pick(rng, ['inpatient', 'outpatient_chronic', 'outpatient']),
        total_fen: self + ins,
        insurance_paid_fen: ins,
        self_paid_fen: self,
      };
    }
    case 'wage':
      return { wage_month: '2025-11', monthly_wage_fen: int(rng, 20_000, 400_000) };
    case 'vehicle':
      return {
        vehicle_type: pick(rng, ['K33', 'K31', 'K41', 'H31', 'M11', 'M12', 'M14', 'X99']),
        purchase_price_fen: int(rng, 300_000, 30_000_000),
      };
    case 'property':
      return {
        usage: pick(rng, ['residential', 'commercial', 'parking']),
        acquisition: pick(rng, ['purchase', 'inheritance', 'gift', 'self_built']),
        price_fen: int(rng, 0, 300_000_000),
      };
    case 'business':
      return {
        business_type: pick(rng, ['individual', 'company']),
        role: 'operator',
        registered_capital_fen: int(rng, 100_000, 100_000_000),
      };
    case 'disability':
      return {
        disability_type: pick(rng, ['visual', 'hearing', 'physical', 'intellectual']),
        disability_grade: int(rng, 1, 4),
        change: pick(rng, ['new', 'regrade']),
      };
    case 'custody':
      return {
        custody_type: pick(rng, ['prison', 'compulsory_rehab', 'admin_detention']),
        expected_end_date: '2027-06-30',
      };
    case 'death':
      return {
        cause_category: pick(rng, ['illness', 'accident', 'other']),
        death_place: pick(rng, ['hospital', 'home', 'elsewhere']),
      };
    default:
      return { death_date: '2025-10-01' };
  }
}

/**
 * One loaded batch of `rows` feed records, COPYed straight into feed_records. Returns the batch
 * id. `part` tells batches apart (record keys, generator seed); `analyze` refreshes statistics
 * after the load (the big table's; a later small batch is run as an import would leave it).
 */
async function generateFeedRecords(
  database: Database,
  rows: number,
  matchShare: number,
  log: Log,
  { part = 0, analyze = true }: { part?: number; analyze?: boolean } = {},
): Promise<string> {
  const { db } = database;
  await db
    .insertInto('feed_sources')
    .values({ code: 'bench', name_zh: '基准测试', name_en: 'Benchmark' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('feed_kinds')
    .values({
      code: KIND,
      source_code: 'bench',
      name_zh: '基准混合记录',
      name_en: 'Benchmark mixed records',
      record_type: 'medical',
      format: 'csv',
      columns: JSON.stringify([]),
      event_date_column: 'event_date',
      created_by: 'bench',
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const batch = await db
    .insertInto('feed_batches')
    .values({
      kind_code: KIND,
      source_code: 'bench',
      channel: 'cli',
      file_name: 'bench.csv',
      file_sha256: randomBytes(32).toString('hex'),
      status: 'loaded',
      as_of: AS_OF,
      rows_total: rows,
      rows_loaded: rows,
      created_by: 'bench',
      loaded_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // In a fixed order, so the same seed picks the same people in every run.
  const people = await db.selectFrom('members').select(['id_hash', 'id_masked', 'name']).orderBy('id_hash').execute();
  const rng = new Random(20260101 + part);
  const cumulative: [string, number][] = [];
  let acc = 0;
  for (const [t, share] of MIX) cumulative.push([t, (acc += share)]);
  const typeOf = (x: number) => cumulative.find(([, c]) => x < c)?.[0] ?? 'medical';
  const start = Date.parse(`${AS_OF}T00:00:00Z`);

  const CHUNK = 20_000;
  function* chunks(): Generator<string> {
    for (let i = 0; i < rows; i += CHUNK) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(rows, i + CHUNK); j++) {
        const type = typeOf(rng.next());
        const matched = rng.next() < matchShare;
        const person = matched ? pick(rng, people) : null;
        const idHash = person?.id_hash ?? randomBytes(32).toString('hex');
        const eventDate = new Date(start - int(rng, 0, 700) * 86_400_000).toISOString().slice(0, 10);
        const data = JSON.stringify(dataOf(rng, type)).replace(/\\/g, '\\\\');
        lines.push(
          [
            batch.id,
            KIND,
            type,
            j + 2,
            `B${part}-${String(j).padStart(9, '0')}`,
            idHash,
            person?.id_masked ?? '350302********0011',
            person?.name ?? '某某',
            eventDate,
            data,
          ].join('\t'),
        );
      }
      yield `${lines.join('\n')}\n`;
    }
  }
  const columns = 'batch_id, kind_code, record_type, line, record_key, id_hash, id_masked, name, event_date, data';
  const t0 = performance.now();
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy feed_records (${columns}) from stdin`)));
    } finally {
      client.release();
    }
  } else {
    const blob = new Blob([...chunks()]);
    await database.db
      .connection()
      .execute(() => database.pglite!.query(`copy feed_records (${columns}) from '/dev/blob'`, [], { blob }));
  }
  if (analyze) await sql`analyze`.execute(db);
  log(`feed_records: ${rows} rows COPYed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return batch.id;
}

/**
 * `jiuzhu bench collision`: the city-size registry and a million feed records (a realistic
 * mix of record types, ~15% of them on registry people, one loaded batch); then a full
 * collision run (matching and every default rule) timed against a bare join count of the same
 * tables in the same process. Then the normal case after an import: one new batch of
 * `batchRows` records loaded beside the million, and a run over that batch alone, against the
 * bare join count of the batch's rows. Prints one JSON line at the end.
 */
export async function benchCollision(
  base: Config,
  opts: { rows: number; size: 'demo' | 'city'; seed: number; matchShare: number; batchRows: number },
  log: Log,
) {
  const silent = pino({ level: 'silent' });
  // JIUZHU_BENCH_DEBUG=1: the run's phase and rule timings on stderr.
  const runLog = process.env.JIUZHU_BENCH_DEBUG ? pino({ level: 'debug' }, pino.destination(2)) : silent;
  return withBenchDatabase(
    base,
    'collision',
    { seedDemo: true, seedDemoRegistry: false },
    async ({ config, database }) => {
      const t0 = performance.now();
      const seeded = await runAsSystem('bench', silent, () =>
        seedRegistry(database.db, new Protector(config), { city: config.city, size: opts.size, seed: opts.seed }),
      );
      const people = await sql<{ n: number }>`select count(*)::int as n from members`.execute(database.db);
      log(
        `registry: ${seeded.inserted} households, ${people.rows[0]!.n} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      await generateFeedRecords(database, opts.rows, opts.matchShare, log);

      const bare = async () => {
        const t = performance.now();
        const r = await sql<{
          n: number;
        }>`select count(*)::int as n from feed_records r join members m on m.id_hash = r.id_hash`.execute(database.db);
        return { seconds: (performance.now() - t) / 1000, n: r.rows[0]!.n };
      };
      await bare(); // warm the cache for both sides alike
      const baselines = [await bare(), await bare(), await bare()];
      const baseline = median(baselines.map((b) => b.seconds));
      log(`bare join count: ${baselines[0]!.n} matched rows, median ${baseline.toFixed(3)} s`);

      // The aggregate rule's monthly sums, as the run over the batch right after its import builds
      // them (not part of a full run over batches already loaded); timed apart.
      const tSums = performance.now();
      await buildMonthSums(database.db, config.city);
      const monthSumsSeconds = (performance.now() - tSums) / 1000;
      log(`monthly sums: ${monthSumsSeconds.toFixed(3)} s`);

      const t1 = performance.now();
      const result = await runAsSystem('bench', silent, () =>
        runCollision({ database, db: database.db, config, log: runLog }, {}),
      );
      const seconds = (performance.now() - t1) / 1000;
      if (result.status !== 'done') throw new Error(`collision run failed: ${result.error}`);
      log(`collision: ${seconds.toFixed(2)} s, ${result.signalsCreated} signals, ${result.recordsLinked} links`);
      const after = await bare();
      const digest = await resultsDigest(database);
      const keyed = await keyedBaseline(database);
      log(`keyed baseline: ${keyed.seconds.toFixed(3)} s (${JSON.stringify(keyed)})`);

      let batch: Record<string, number | string> | undefined;
      if (opts.batchRows > 0) {
        const batchId = await generateFeedRecords(database, opts.batchRows, opts.matchShare, log, {
          part: 1,
          analyze: false,
        });
        const bareBatch = async () => {
          const t = performance.now();
          const r = await sql<{ n: number }>`select count(*)::int as n from feed_records r
            join members m on m.id_hash = r.id_hash where r.batch_id = ${batchId}::uuid`.execute(database.db);
          return { seconds: (performance.now() - t) / 1000, n: r.rows[0]!.n };
        };
        await bareBatch();
        const bareBatches = [await bareBatch(), await bareBatch(), await bareBatch()];
        const bareSeconds = median(bareBatches.map((b) => b.seconds));
        const t2 = performance.now();
        const res = await runAsSystem('bench', silent, () =>
          runCollision({ database, db: database.db, config, log: runLog }, { batchId }),
        );
        const batchSeconds = (performance.now() - t2) / 1000;
        if (res.status !== 'done') throw new Error(`batch collision run failed: ${res.error}`);
        const batchDigest = await resultsDigest(database);
        log(
          `batch of ${opts.batchRows}: ${batchSeconds.toFixed(3)} s (bare join ${bareSeconds.toFixed(4)} s), ${res.signalsCreated} signals`,
        );
        batch = {
          rows: opts.batchRows,
          matchedRows: bareBatches[0]!.n,
          bareJoinSeconds: +bareSeconds.toFixed(4),
          seconds: +batchSeconds.toFixed(3),
          signals: res.signalsCreated,
          links: res.recordsLinked,
          // Proportional to the batch when this is close to rowsShare (the batch's share of all rows).
          shareOfFullRun: +(batchSeconds / seconds).toFixed(4),
          rowsShare: +(opts.batchRows / (opts.rows + opts.batchRows)).toFixed(4),
          digest: `${batchDigest.signals.slice(0, 12)}/${batchDigest.links.slice(0, 12)}`,
        };
      }

      return {
        bench: 'collision',
        database: database.kind,
        registryPeople: people.rows[0]!.n,
        feedRows: opts.rows,
        matchedRows: baselines[0]!.n,
        baseline: {
          what: 'select count(*) from feed_records r join members m on m.id_hash = r.id_hash (median of 3, plus one after)',
          seconds: +baseline.toFixed(3),
          afterSeconds: +after.seconds.toFixed(3),
        },
        collision: {
          seconds: +seconds.toFixed(3),
          rules: result.rulesDone,
          recordsMatched: result.recordsMatched,
          signals: result.signalsCreated,
          links: result.recordsLinked,
          // Signals and links after the run (see resultsDigest): the same before and after a change.
          digest: `${digest.signals.slice(0, 12)}/${digest.links.slice(0, 12)}`,
        },
        ratio: +(seconds / baseline).toFixed(2),
        monthSumsSeconds: +monthSumsSeconds.toFixed(3),
        keyedBaseline: {
          what: 'the rows the run must write, written bare in single statements: the matches (the join into an unlogged table like collision_matches), the signals and links (INSERT … SELECT into tables like signals / signal_records with their keys and indexes)',
          ...keyed,
        },
        keyedRatio: +(seconds / keyed.seconds).toFixed(2),
        ...(batch ? { batch } : {}),
        cpus: os.cpus().length,
      };
    },
  );
}
