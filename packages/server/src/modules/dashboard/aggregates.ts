import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema';
import { inSlice, groupKey, type FigureSlice, type FigureTarget } from '../../db/figures';
import { getCalendar } from '../calendar/service';
import { writeCaseFigures } from '../cases/service';
import { writeEnrolmentFigures } from '../enrolments/service';
import { writeClaimFigures } from '../insurance/service';
import { writeLeadFigures } from '../leads/service';
import { writePaidFigures } from '../payroll/service';
import { writeProvinceFigures } from '../province/service';

/**
 * The pre-aggregated figures (figures_monthly, migration 0090): one row per region a row is filed
 * on, month and breakdown, each module writing its own columns. Triggers mark the regions whose
 * rows change (figures_dirty, in the writer's transaction); the next read recounts those regions
 * first. A new day (the state figures are counted as of one day) or a long list of changed regions
 * needs a full recount: that is never done in a request but by a job (FIGURES_RECOUNT_JOB; also the
 * nightly job), and reads meanwhile answer from the figures as they are, marked `recounting`.
 */

/** More changed regions than this: one full recount instead of a long `in (…)` list. */
export const FULL_AT = 500;
const LOCK = sql`select pg_advisory_xact_lock(hashtext('figures_monthly'))`;
/** The same lock, not waited for: a read never queues behind a recount. */
const TRY_LOCK = sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext('figures_monthly')) as ok`;

/**
 * The job a read sends when the figures need a full recount: `freshenFigures` in the background.
 * Idempotent (it re-checks under the lock, so a duplicate finds nothing to do); the recount is one
 * transaction, so a crash leaves the old figures and the marks, and the next read sends it again.
 */
export const FIGURES_RECOUNT_JOB = 'dashboard.figures.recount';

/** How current the figures of a read are (docs/DASHBOARD.md). */
export type Freshness = {
  /** A full recount is due or running: the figures are the last counted ones. */
  recounting: boolean;
  /** The day the state figures (on the rolls, overdue) were counted for; null: never counted. */
  asOf: string | null;
};

type State = { as_of: string | null; dirty: number };
const readState = async (q: Kysely<DB>): Promise<State> => {
  const row = (
    await sql<State>`
      select (select as_of::text from figures_state) as as_of,
             (select count(*) from (select 1 from figures_dirty limit ${FULL_AT + 1}) d)::int as dirty`.execute(q)
  ).rows[0]!;
  return { as_of: row.as_of, dirty: Number(row.dirty) };
};
const needsFull = (s: State, today: string) => s.as_of !== today || s.dirty > FULL_AT;

/** Recount the figures of the target's regions (all of them when `regions` is null), in `trx`. */
async function recount(trx: Kysely<DB>, target: FigureTarget): Promise<void> {
  await countRows(trx, target);
  await rollUp(trx, target.regions);
}

/** The rows of figures_monthly of the target's regions, each module its own columns. */
async function countRows(trx: Kysely<DB>, target: FigureTarget): Promise<void> {
  if (target.regions === null) await sql`delete from figures_monthly`.execute(trx);
  else await sql`delete from figures_monthly where region_code in (${sql.join(target.regions)})`.execute(trx);
  const calendar = await getCalendar(trx);
  // One after another: a transaction holds one connection.
  await writeEnrolmentFigures(trx, target);
  await writePaidFigures(trx, target);
  await writeLeadFigures(trx, target);
  await writeCaseFigures(trx, calendar, target);
  await writeClaimFigures(trx, target);
  await writeProvinceFigures(trx, target);
}

/**
 * The region-code lengths figures_rollup holds (township, county, city, province; migration 0114),
 * deepest first: each is rolled up from the one before it.
 */
const ROLLUP_LEVELS = [9, 6, 4, 2] as const;
const isRollupLevel = (len: number) => (ROLLUP_LEVELS as readonly number[]).includes(len);

/**
 * figures_rollup for the prefixes of `regions` (every prefix when null), level by level from the
 * deepest: a level's rows are the rows of the level below under it plus the rows of figures_monthly
 * filed between the two (a village's rows reach its township's rollup, a row filed on a county
 * its county's), so a recount of a few villages adds up a few townships, not the whole city.
 */
async function rollUp(trx: Kysely<DB>, regions: string[] | null): Promise<void> {
  if (regions === null) await sql`delete from figures_rollup`.execute(trx);
  for (const [i, level] of ROLLUP_LEVELS.entries()) {
    const below = i > 0 ? ROLLUP_LEVELS[i - 1]! : null;
    let under = sql<SqlBool>`true`;
    if (regions !== null) {
      const prefixes = [...new Set(regions.filter((r) => r.length >= level).map((r) => r.slice(0, level)))];
      if (prefixes.length === 0) continue;
      under = sql<SqlBool>`(${sql.join(
        prefixes.map((p) => sql`region_code like ${`${p}%`}`),
        sql` or `,
      )})`;
      await sql`delete from figures_rollup where length(region_code) = ${level} and ${under}`.execute(trx);
    }
    const filed = sql`
      select region_code, month, kind, ${columns} from figures_monthly
       where length(region_code) >= ${level} and ${below === null ? sql`true` : sql`length(region_code) < ${below}`}
         and ${under}`;
    const source =
      below === null
        ? filed
        : sql`select region_code, month, kind, ${columns} from figures_rollup
               where length(region_code) = ${below} and ${under}
              union all ${filed}`;
    await sql`
      insert into figures_rollup (region_code, month, kind, ${columns})
      select left(region_code, ${level}), month, kind, ${plainSums}
        from (${source}) s
       group by 1, 2, 3`.execute(trx);
  }
}

/** Recounts every figure as of `today` (the nightly job and `jiuzhu figures refresh`). */
export async function refreshAllFigures(db: Kysely<DB>, today: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    await sql`delete from figures_dirty`.execute(trx);
    await recount(trx, { regions: null, today });
    await sql`update figures_state set as_of = ${today}::date, refreshed_at = now()`.execute(trx);
  });
}

/**
 * Brings the figures up to date before a read: nothing to do (one small query) unless rows changed
 * or the day turned. Returns what was recounted.
 */
export async function freshenFigures(db: Kysely<DB>, today: string): Promise<'none' | 'regions' | 'all'> {
  const seen = await readState(db);
  if (seen.as_of === today && seen.dirty === 0) return 'none';
  return db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    // Another run may have recounted while this one waited for the lock.
    const now = await readState(trx);
    if (needsFull(now, today)) {
      await sql`delete from figures_dirty`.execute(trx);
      await recount(trx, { regions: null, today });
      await sql`update figures_state set as_of = ${today}::date, refreshed_at = now()`.execute(trx);
      return 'all';
    }
    const taken = await sql<{ region_code: string }>`delete from figures_dirty returning region_code`.execute(trx);
    if (taken.rows.length === 0) return 'none';
    await recount(trx, { regions: taken.rows.map((r) => r.region_code), today });
    return 'regions';
  });
}

/**
 * Before a read: a few changed regions are recounted here (one small query when nothing changed);
 * a full recount (a new day, more than FULL_AT changed regions) is asked of the job
 * (`requestRecount`) and the read goes on with the figures as they are, marked `recounting`, its
 * state figures as of the day they were counted for. While a recount holds the lock the read does
 * not wait: it is marked too.
 */
export async function freshenForRead(
  db: Kysely<DB>,
  today: string,
  requestRecount: () => Promise<void>,
): Promise<Freshness> {
  const seen = await readState(db);
  if (seen.as_of === today && seen.dirty === 0) return { recounting: false, asOf: today };
  const outcome = needsFull(seen, today)
    ? 'full'
    : await db.transaction().execute(async (trx) => {
        if (!(await TRY_LOCK.execute(trx)).rows[0]!.ok) return 'busy' as const;
        const now = await readState(trx);
        if (needsFull(now, today)) return 'full' as const;
        const taken = await sql<{ region_code: string }>`delete from figures_dirty returning region_code`.execute(trx);
        if (taken.rows.length > 0) await recount(trx, { regions: taken.rows.map((r) => r.region_code), today });
        return 'done' as const;
      });
  if (outcome === 'done') return { recounting: false, asOf: today };
  // Sent after the transaction: on PGlite the queue shares the one connection.
  if (outcome === 'full') await requestRecount();
  return { recounting: true, asOf: seen.as_of };
}

/** One rolled-up row of figures_monthly: a group (region-code prefix), a month and a breakdown. */
export type AggregateRow = {
  key: string;
  month: string;
  kind: string;
  recipientHouseholds: number;
  recipientPeople: number;
  newEnrolments: number;
  paidFen: number;
  paidLines: number;
  leadsIssued: number;
  leadsChecked: number;
  overdueLeads: number;
  overdueCases: number;
  casesDecided: number;
  decisionWorkingDays: number;
  claimsPaid: number;
  claimsPaidFen: number;
  provinceRecords: number;
  provinceAccepted: number;
  provinceRejected: number;
};

const COLUMNS = {
  recipientHouseholds: 'recipient_households',
  recipientPeople: 'recipient_people',
  newEnrolments: 'new_enrolments',
  paidFen: 'paid_fen',
  paidLines: 'paid_lines',
  leadsIssued: 'leads_issued',
  leadsChecked: 'leads_checked',
  overdueLeads: 'overdue_leads',
  overdueCases: 'overdue_cases',
  casesDecided: 'cases_decided',
  decisionWorkingDays: 'decision_working_days',
  claimsPaid: 'claims_paid',
  claimsPaidFen: 'claims_paid_fen',
  provinceRecords: 'province_records',
  provinceAccepted: 'province_accepted',
  provinceRejected: 'province_rejected',
} as const;

/** The sums of every figure column, built once (every dashboard read runs it). */
const sums = sql.join(
  Object.entries(COLUMNS).map(([name, col]) => sql`sum(${sql.ref(`f.${col}`)})::text as ${sql.ref(name)}`),
);
/** The figure columns, and their sums as the columns (the roll-up's). */
const columns = sql.join(Object.values(COLUMNS).map((col) => sql.ref(col)));
const plainSums = sql.join(Object.values(COLUMNS).map((col) => sql`sum(${sql.ref(col)})`));

/**
 * The aggregate rows of a slice rolled up by region-code prefix, inside the caller's scope: the
 * period's months, and today's month for the state figures. Groups of a township or above are read
 * rolled up already (figures_rollup, one row per group, month and breakdown); village groups from
 * the rows themselves. No freshness check (see `freshenFigures`).
 */
export async function readAggregates(db: Kysely<DB>, slice: FigureSlice): Promise<AggregateRow[]> {
  const rolled = isRollupLevel(slice.groupLen);
  const res = await sql<Record<string, string>>`
    select ${groupKey('f.region_code', slice)} as key, f.month, f.kind, ${sums}
      from ${rolled ? sql`figures_rollup` : sql`figures_monthly`} f
     where ${inSlice('f.region_code', slice)}
       and ${rolled ? sql`length(f.region_code) = ${slice.groupLen}` : sql`true`}
       and ((f.month >= ${slice.from} and f.month <= ${slice.to}) or f.month = ${slice.today.slice(0, 7)})
     group by 1, 2, 3`.execute(db);
  return res.rows.map((r) => {
    const row = { key: r.key!, month: r.month!, kind: r.kind! } as AggregateRow;
    for (const name of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) row[name] = Number(r[name]);
    return row;
  });
}
