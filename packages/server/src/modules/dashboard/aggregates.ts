import { sql, type Kysely } from 'kysely';
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
 * first, and a new day (the state figures are counted as of one day) or a long list of changed
 * regions recounts everything (also the nightly job, so the first read of a day stays fast).
 */

/** More changed regions than this: one full recount instead of a long `in (…)` list. */
const FULL_AT = 500;
const LOCK = sql`select pg_advisory_xact_lock(hashtext('figures_monthly'))`;

/** Recount the figures of the target's regions (all of them when `regions` is null), in `trx`. */
async function recount(trx: Kysely<DB>, target: FigureTarget): Promise<void> {
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
  const state = async (q: Kysely<DB>) =>
    (
      await sql<{ as_of: string | null; dirty: number }>`
        select (select as_of::text from figures_state) as as_of,
               (select count(*) from (select 1 from figures_dirty limit ${FULL_AT + 1}) d)::int as dirty`.execute(q)
    ).rows[0]!;
  const seen = await state(db);
  if (seen.as_of === today && Number(seen.dirty) === 0) return 'none';
  return db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    // Another reader may have recounted while this one waited for the lock.
    const now = await state(trx);
    if (now.as_of !== today || Number(now.dirty) > FULL_AT) {
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

/**
 * The aggregate rows of a slice rolled up by region-code prefix, inside the caller's scope: the
 * period's months, and today's month for the state figures. No freshness check (see `freshenFigures`).
 */
export async function readAggregates(db: Kysely<DB>, slice: FigureSlice): Promise<AggregateRow[]> {
  const sums = sql.join(
    Object.entries(COLUMNS).map(([name, col]) => sql`sum(${sql.ref(`f.${col}`)})::text as ${sql.ref(name)}`),
  );
  const res = await sql<Record<string, string>>`
    select ${groupKey('f.region_code', slice)} as key, f.month, f.kind, ${sums}
      from figures_monthly f
     where ${inSlice('f.region_code', slice)}
       and ((f.month >= ${slice.from} and f.month <= ${slice.to}) or f.month = ${slice.today.slice(0, 7)})
     group by 1, 2, 3`.execute(db);
  return res.rows.map((r) => {
    const row = { key: r.key!, month: r.month!, kind: r.kind! } as AggregateRow;
    for (const name of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) row[name] = Number(r[name]);
    return row;
  });
}
