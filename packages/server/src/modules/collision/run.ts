import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Config } from '../../config';
import { currentActor, currentScope, findContext } from '../../context';
import type { Database } from '../../db/database';
import type { CollisionRunsTable, DB } from '../../db/schema';
import type { Jobs } from '../../jobs/queue';
import { dispatchNewLeads } from '../leads/service';
import { openClaimsFromSignals } from '../insurance/service';
import { compileRule, ensureMonthSums } from './rules';
import { chinaToday } from '@jiuzhu/shared';

export const COLLISION_RUN_JOB = 'collision.run';

export type CollisionDeps = {
  database: Database;
  db: Kysely<DB>;
  config: Config;
  jobs?: Jobs;
  log?: FastifyBaseLogger;
};

export type CollisionRunResult = {
  runId: string;
  status: 'done' | 'failed';
  asOf: string;
  recordsTotal: number;
  recordsMatched: number;
  rulesDone: number;
  signalsCreated: number;
  recordsLinked: number;
  durationMs: number;
  error?: string;
};

/**
 * Records are matched in slices of ids so that, on PGlite (one connection shared with the
 * API), requests get their turn between slices. PostgreSQL matches in one statement.
 */
const PGLITE_MATCH_SLICE = 100_000;
/** On PostgreSQL, record ranges this large are matched in MATCH_PARALLEL slices at once. */
const PARALLEL_MATCH_MIN_IDS = 1_000;
const MATCH_PARALLEL = Math.max(2, Math.min(4, os.availableParallelism()));

/**
 * Planner settings of a run's statements, per transaction (nothing else on the connection is
 * affected). Memory for hashes and sorts: the server's default, 4 MB, spills the hash of the
 * registry's 150,000 blind indexes to disk in batches, and the aggregate rules' sorts. The cost of
 * a random page: the rules fetch their candidates' records by primary key from a table a load has
 * just written (in memory); at the default 4 the planner reads all of feed_records instead — the
 * wage rule, 14,000 candidates among a million records: 1.2 s by a full scan, 0.55 s by key.
 */
const RUN_SETTINGS = [sql.raw(`set local work_mem = '64MB'`), sql.raw(`set local random_page_cost = 1.1`)];
async function runSettings(trx: Kysely<DB>): Promise<void> {
  for (const s of RUN_SETTINGS) await s.execute(trx);
}

function logOf(deps: CollisionDeps): FastifyBaseLogger | undefined {
  return deps.log ?? findContext()?.log;
}

async function createRun(db: Kysely<DB>, batchId: string | null, status: 'queued' | 'running'): Promise<string> {
  const row = await db
    .insertInto('collision_runs')
    .values({
      batch_id: batchId,
      status,
      created_by: currentActor()?.username ?? 'system',
      ...(status === 'running' ? { started_at: new Date() } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Queues a background run (no batchId: every loaded record). Returns at once. */
export async function requestCollisionRun(
  deps: CollisionDeps,
  { batchId }: { batchId?: string } = {},
): Promise<{ runId: string }> {
  if (!deps.jobs) throw new Error('requestCollisionRun needs the job queue (deps.jobs)');
  const runId = await createRun(deps.db, batchId ?? null, 'queued');
  await deps.jobs.enqueue(COLLISION_RUN_JOB, { runId });
  return { runId };
}

/**
 * Evaluates every active rule on a batch's loaded records (or on all of them) and records
 * signals and their links. Resumable: given the id of an unfinished run it continues after
 * the last slice matched and the last rule done; every step is idempotent in any case
 * (signals are unique per rule, outcome and subject; links per signal and record).
 * Must run with the system scope (a job or the CLI).
 */
export async function runCollision(
  deps: CollisionDeps,
  opts: { batchId?: string; runId?: string } = {},
): Promise<CollisionRunResult> {
  if (currentScope().kind !== 'system') throw new Error('runCollision runs with the system scope');
  const { db } = deps;
  const started = Date.now();
  const runId = opts.runId ?? (await createRun(db, opts.batchId ?? null, 'running'));
  let run = await db.selectFrom('collision_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  const result = (status: 'done' | 'failed', error?: string): CollisionRunResult => ({
    runId,
    status,
    asOf: run.as_of ?? '',
    recordsTotal: run.records_total ?? 0,
    recordsMatched: run.records_matched ?? 0,
    rulesDone: run.rules_done,
    signalsCreated: run.signals_created,
    recordsLinked: run.records_linked,
    durationMs: Date.now() - started,
    ...(error ? { error } : {}),
  });
  if (run.status === 'done') return result('done');

  try {
    const phase = (name: string) =>
      logOf(deps)?.debug({ runId, phase: name, ms: Date.now() - started }, 'collision phase');
    run = await prepare(deps, run);
    phase('prepared');
    run = await matchRecords(deps, run);
    phase('matched');
    run = await applyRules(deps, run);
    phase('rules');
    await db.deleteFrom('collision_matches').where('run_id', '=', runId).execute();
    run = await db
      .updateTable('collision_runs')
      .set({ status: 'done', finished_at: new Date(), error: null })
      .where('id', '=', runId)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    const message = (err as Error).message.slice(0, 500);
    logOf(deps)?.error({ runId, err: { message } }, 'collision run failed');
    await db
      .updateTable('collision_runs')
      .set({ status: 'failed', finished_at: new Date(), error: message })
      .where('id', '=', runId)
      .execute();
    return result('failed', message);
  }
  logOf(deps)?.info(
    { runId, batchId: run.batch_id, signals: run.signals_created, ms: Date.now() - started },
    'collision run done',
  );
  if (run.signals_created > 0) {
    // Leads are the leads module's: a failure there leaves the signals in place, and the next
    // dispatch (it takes every lead signal without a lead) picks them up.
    try {
      await dispatchNewLeads({ db, config: deps.config });
      logOf(deps)?.debug({ runId, phase: 'leads', ms: Date.now() - started }, 'collision phase');
    } catch (err) {
      logOf(deps)?.warn({ runId, err: { message: (err as Error).message } }, 'lead dispatch after collision failed');
    }
  }
  // 免申即享: claims for insured deaths. Like the leads, a failure leaves the signals, and the next
  // run (it takes every claim prompt without a claim) opens them.
  try {
    await openClaimsFromSignals(db, deps.config.city);
    logOf(deps)?.debug({ runId, phase: 'claims', ms: Date.now() - started }, 'collision phase');
  } catch (err) {
    logOf(deps)?.warn({ runId, err: { message: (err as Error).message } }, 'insurance claims after collision failed');
  }
  return result('done');
}

type RunRow = Selectable<CollisionRunsTable>;

/** Fixes the run's as-of date, scope size and rule count (once). */
async function prepare(deps: CollisionDeps, run: RunRow): Promise<RunRow> {
  const { db } = deps;
  if (run.as_of !== null && run.records_total !== null) {
    return db
      .updateTable('collision_runs')
      .set({ status: 'running', error: null, finished_at: null, started_at: run.started_at ?? new Date() })
      .where('id', '=', run.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  let asOf: string;
  let total: number;
  if (run.batch_id) {
    const batch = await db
      .selectFrom('feed_batches')
      .select(['as_of', 'status', 'rows_loaded'])
      .where('id', '=', run.batch_id)
      .executeTakeFirstOrThrow();
    if (batch.status !== 'loaded') throw new Error(`batch ${run.batch_id} is not loaded`);
    asOf = String(batch.as_of);
    const c = await db
      .selectFrom('feed_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('batch_id', '=', run.batch_id)
      .executeTakeFirstOrThrow();
    total = Number(c.n);
  } else {
    const r = await sql<{ as_of: string | null; n: number }>`
      select max(as_of)::text as as_of, coalesce(sum(rows_loaded), 0)::int as n
      from feed_batches where status = 'loaded'`.execute(db);
    asOf = r.rows[0]?.as_of ?? chinaToday();
    total = Number(r.rows[0]?.n ?? 0);
  }
  const rules = await activeRules(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return db
    .updateTable('collision_runs')
    .set({
      status: 'running',
      as_of: asOf,
      records_total: total,
      rules_total: Number(rules.n),
      started_at: run.started_at ?? new Date(),
      error: null,
    })
    .where('id', '=', run.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Copies the run's records that match a registry person into collision_matches, slice by slice (resumable). */
async function matchRecords(deps: CollisionDeps, run: RunRow): Promise<RunRow> {
  const { db, database } = deps;
  if (run.matched) return run;
  const bounds = await sql<{ lo: number | null; hi: number | null }>`
    select min(id)::bigint as lo, max(id)::bigint as hi from feed_records
    ${run.batch_id ? sql`where batch_id = ${run.batch_id}::uuid` : sql``}`.execute(db);
  const lo = Number(bounds.rows[0]?.lo ?? 0);
  const hi = Number(bounds.rows[0]?.hi ?? 0);
  let cursor = Math.max(Number(run.match_cursor), lo - 1);
  // Slices above the cursor that an interrupted run left in are matched again.
  await sql`delete from collision_matches where run_id = ${run.id}::uuid and record_id > ${cursor}`.execute(db);
  const matchSlice = (from: number, upto: number, moveCursor: boolean) =>
    db.transaction().execute(async (trx) => {
      await runSettings(trx);
      await sql`
        insert into collision_matches
          (run_id, record_id, batch_id, record_type, id_hash, member_id, household_id, region_code, assistance_status)
        select ${run.id}::uuid, r.id, r.batch_id, r.record_type, r.id_hash, m.id, m.household_id, m.region_code, h.assistance_status
        from feed_records r
        join feed_batches b on b.id = r.batch_id and b.status = 'loaded'
        join members m on m.id_hash = r.id_hash
        join households h on h.id = m.household_id
        where r.id > ${from} and r.id <= ${upto}
          ${run.batch_id ? sql`and r.batch_id = ${run.batch_id}::uuid` : sql``}`.execute(trx);
      if (moveCursor)
        await trx.updateTable('collision_runs').set({ match_cursor: upto }).where('id', '=', run.id).execute();
    });
  if (database.kind === 'postgresql') {
    // INSERT … SELECT never runs in parallel in PostgreSQL: a large range is cut into a slice per
    // core, each matched at once on a connection of its own; the cursor moves when all are in.
    const parts = hi - cursor >= PARALLEL_MATCH_MIN_IDS ? MATCH_PARALLEL : 1;
    if (hi > 0 && cursor < hi) {
      const step = Math.ceil((hi - cursor) / parts);
      const slices: Promise<void>[] = [];
      for (let from = cursor; from < hi; from += step) slices.push(matchSlice(from, Math.min(hi, from + step), false));
      await Promise.all(slices);
      await db.updateTable('collision_runs').set({ match_cursor: hi }).where('id', '=', run.id).execute();
    }
  } else {
    while (hi > 0 && cursor < hi) {
      const upto = Math.min(hi, cursor + PGLITE_MATCH_SLICE);
      await matchSlice(cursor, upto, true);
      cursor = upto;
    }
  }
  // Fresh statistics, or the planner takes the just-filled table for empty (nested loops over 100k rows).
  await sql`analyze collision_matches`.execute(db);
  const n = await db
    .selectFrom('collision_matches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', run.id)
    .executeTakeFirstOrThrow();
  return db
    .updateTable('collision_runs')
    .set({ matched: true, records_matched: Number(n.n) })
    .where('id', '=', run.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Active rules with their current version (a rule row without one is not a rule yet). */
function activeRules(db: Kysely<DB>) {
  return db
    .selectFrom('collision_rules as r')
    .innerJoin('collision_rule_versions as v', (j) =>
      j.onRef('v.rule_id', '=', 'r.id').onRef('v.version', '=', 'r.current_version'),
    )
    .where('r.active', '=', true);
}

/**
 * The monthly sums every active aggregate rule reads, for loaded batches that have none yet. A run
 * builds what it lacks itself; this is for whoever loads records without running a collision over
 * them at once (the collision bench builds its million records' sums before its timed run).
 */
export async function buildMonthSums(db: Kysely<DB>, cityCode: string): Promise<void> {
  const rules = await activeRules(db).select(['v.definition']).execute();
  for (const rule of rules) {
    const { monthSums } = compileRule(rule.definition, { runId: '', batchId: null, asOf: chinaToday(), cityCode });
    if (monthSums)
      await db.transaction().execute(async (trx) => {
        await runSettings(trx);
        await ensureMonthSums(trx, monthSums);
      });
  }
}

/** Every active rule in code order, from the first not yet done; progress saved after each. */
async function applyRules(deps: CollisionDeps, run: RunRow): Promise<RunRow> {
  const { db, config } = deps;
  const rules = await activeRules(db)
    .select(['r.id', 'r.code', 'r.current_version', 'v.definition'])
    .orderBy('r.code')
    .execute();
  let current = run;
  for (let i = current.rules_done; i < rules.length; i++) {
    const rule = rules[i]!;
    const def = rule.definition as { outcomes: string[] };
    const { hits, monthSums } = compileRule(rule.definition, {
      runId: run.id,
      batchId: run.batch_id,
      asOf: String(run.as_of),
      cityCode: config.city,
    });
    const ruleStarted = Date.now();
    current = await db.transaction().execute(async (trx) => {
      await runSettings(trx);
      // An aggregate's monthly sums: normally built by the run over each batch after its import
      // (that batch's records only); a run that finds a loaded batch without them builds them here.
      if (monthSums) await ensureMonthSums(trx, monthSums);
      // One statement: the signals and their links. A signal's id is derived from its unique
      // key (rule, outcome, dedupe key), so a link names its signal without looking it up — new
      // or made by an earlier run. The references of what it wrote are checked at its end, set
      // by set (migration 0091 dropped the per-row foreign keys): `broken` counts signals whose
      // rule, batch, member or household and links whose signal or record does not exist.
      const res = await sql<{ created: number; linked: number; broken: number }>`
        with hits as materialized (${hits}),
        keyed as (
          select h.*, o.outcome,
            md5(${rule.id}::text || '|' || o.outcome || '|' || h.dedupe_key)::uuid as signal_id
          from hits h cross join unnest(${def.outcomes}::text[]) as o(outcome)
        ),
        ins as (
          insert into signals (id, rule_id, rule_version, outcome, dedupe_key, id_hash, member_id, household_id, region_code, detail, batch_id)
          select distinct on (k.signal_id)
            k.signal_id, ${rule.id}::uuid, ${rule.current_version}::int, k.outcome, k.dedupe_key, k.id_hash,
            k.member_id, k.household_id, k.region_code, k.detail, k.batch_id
          from keyed k
          order by k.signal_id, k.record_id
          on conflict (rule_id, outcome, dedupe_key) do nothing
          returning id, batch_id, member_id, household_id
        ),
        lnk as (
          insert into signal_records (signal_id, record_id)
          select distinct k.signal_id, k.record_id from keyed k
          on conflict do nothing
          returning signal_id, record_id
        )
        select (select count(*) from ins)::int as created, (select count(*) from lnk)::int as linked,
          ((select count(*) from collision_rules r where r.id = ${rule.id}::uuid) = 0)::int
          + (select count(*) from ins
              where (ins.batch_id is not null and not exists (select 1 from feed_batches b where b.id = ins.batch_id))
                or (ins.member_id is not null and not exists (select 1 from members m where m.id = ins.member_id))
                or (ins.household_id is not null
                  and not exists (select 1 from households h where h.id = ins.household_id)))::int
          + (select count(*) from lnk l
              where not exists (select 1 from feed_records r where r.id = l.record_id)
                or (not exists (select 1 from ins where ins.id = l.signal_id)
                  and not exists (select 1 from signals s where s.id = l.signal_id)))::int as broken`.execute(trx);
      const counts = res.rows[0] ?? { created: 0, linked: 0, broken: 0 };
      // Thrown inside the transaction: the rule's signals and links are rolled back, the run fails.
      if (Number(counts.broken) > 0)
        throw new Error(
          `rule ${rule.code}: ${counts.broken} signals or links name a missing rule, batch, member, household, signal or record`,
        );
      return trx
        .updateTable('collision_runs')
        .set((eb) => ({
          rules_done: i + 1,
          signals_created: eb('signals_created', '+', Number(counts.created)),
          records_linked: eb('records_linked', '+', Number(counts.linked)),
        }))
        .where('id', '=', run.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    logOf(deps)?.debug({ runId: run.id, rule: rule.code, ms: Date.now() - ruleStarted }, 'collision rule applied');
  }
  return current;
}
