import { sql, type Kysely } from 'kysely';
import { OPEN_CASE_STATUSES, type WorkingCalendar } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import {
  groupKey,
  inSlice,
  inTarget,
  sliceDates,
  writeFigureRows,
  type FigureSlice,
  type FigureTarget,
} from '../../db/figures';
import { inScope } from '../../db/scope';
import { iso, type TraceRow } from '../../db/trace';

const OPEN = sql.join(OPEN_CASE_STATUSES.map((s) => sql.lit(s)));

export type CaseFigureRow = {
  key: string;
  overdueCases: number;
  casesDecided: number;
  /** Sum of the working days from acceptance to decision of the decided cases. */
  decisionWorkingDays: number;
};

/**
 * Overdue open cases (a step or the whole case past due) and the cases decided (approved or
 * rejected) in the period, with their working days from acceptance to the decision, per group.
 */
export async function caseFigures(db: Kysely<DB>, calendar: WorkingCalendar, slice: FigureSlice) {
  const { start, end } = sliceDates(slice);
  const [overdue, decided] = await Promise.all([
    sql<{ key: string; n: number }>`
      select ${groupKey('c.region_code', slice)} as key, count(*)::int as n
        from cases c
       where ${inSlice('c.region_code', slice)} and c.status in (${OPEN})
         and (c.step_due_on < ${slice.today} or c.overall_due_on < ${slice.today})
       group by 1`.execute(db),
    // Distinct (accepted, decided) date pairs with their counts: few, so the working days are
    // counted on the calendar here rather than in SQL.
    sql<{ key: string; accepted: string; decided: string; n: number }>`
      select ${groupKey('c.region_code', slice)} as key, c.accepted_on::text as accepted, d.on::text as decided,
             count(*)::int as n
        from cases c
        join lateral (
          select (max(a.at) at time zone 'Asia/Shanghai')::date as on
            from case_actions a where a.case_id = c.id and a.action in ('approve', 'reject')
        ) d on d.on is not null
       where ${inSlice('c.region_code', slice)} and c.status in ('enrolled', 'rejected')
         and c.accepted_on is not null and d.on >= ${start}::date and d.on < ${end}::date
       group by 1, 2, 3`.execute(db),
  ]);
  const rows = new Map<string, CaseFigureRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { key, overdueCases: 0, casesDecided: 0, decisionWorkingDays: 0 }));
    return r;
  };
  for (const o of overdue.rows) row(o.key).overdueCases += Number(o.n);
  for (const d of decided.rows) {
    const r = row(d.key);
    r.casesDecided += Number(d.n);
    r.decisionWorkingDays += Number(d.n) * calendar.workingDaysBetween(d.accepted, d.decided);
  }
  return [...rows.values()];
}

/**
 * The case figures of the target's regions (figures_monthly): open cases overdue as of `today`
 * under today's month, and the cases decided per month of the decision with their working days
 * from acceptance (as `caseFigures`; the working days are counted on the calendar of the refresh).
 */
export async function writeCaseFigures(db: Kysely<DB>, calendar: WorkingCalendar, target: FigureTarget): Promise<void> {
  await writeFigureRows(
    ['overdue_cases'],
    sql`select c.region_code, ${target.today.slice(0, 7)}, '', count(*)::int
          from cases c
         where ${inTarget('c.region_code', target)} and c.status in (${OPEN})
           and (c.step_due_on < ${target.today} or c.overall_due_on < ${target.today})
         group by 1`,
  ).execute(db);
  const decided = await sql<{ region_code: string; accepted: string; decided: string; n: number }>`
    select c.region_code, c.accepted_on::text as accepted, d.on::text as decided, count(*)::int as n
      from cases c
      join lateral (
        select (max(a.at) at time zone 'Asia/Shanghai')::date as on
          from case_actions a where a.case_id = c.id and a.action in ('approve', 'reject')
      ) d on d.on is not null
     where ${inTarget('c.region_code', target)} and c.status in ('enrolled', 'rejected') and c.accepted_on is not null
     group by 1, 2, 3`.execute(db);
  const rows = new Map<string, { region: string; month: string; n: number; days: number }>();
  for (const d of decided.rows) {
    const key = `${d.region_code}|${d.decided.slice(0, 7)}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { region: d.region_code, month: d.decided.slice(0, 7), n: 0, days: 0 }));
    r.n += Number(d.n);
    r.days += Number(d.n) * calendar.workingDaysBetween(d.accepted, d.decided);
  }
  const all = [...rows.values()];
  for (let i = 0; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000);
    await writeFigureRows(
      ['cases_decided', 'decision_working_days'],
      sql`select * from (values ${sql.join(chunk.map((r) => sql`(${r.region}, ${r.month}, '', ${r.n}::int, ${r.days}::int)`))}) v`,
    ).execute(db);
  }
}

/** Every action of the cases of a household (or one case), with who did it (全流程追踪). */
export async function caseTrace(db: Kysely<DB>, by: { householdId?: string; caseId?: string }): Promise<TraceRow[]> {
  const rows = await db
    .selectFrom('case_actions as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .select(['a.at', 'a.action', 'a.actor_username', 'c.id', 'c.case_no'])
    .$if(!!by.householdId, (q) => q.where('c.household_id', '=', by.householdId!))
    .$if(!!by.caseId, (q) => q.where('c.id', '=', by.caseId!))
    .where(inScope('c.region_code'))
    .orderBy('a.seq')
    .execute();
  return rows.map((r) => ({
    at: iso(r.at),
    type: 'case' as const,
    action: r.action,
    actor: r.actor_username,
    ref: r.case_no,
    link: `/cases/${r.id}`,
    amountFen: null,
    month: null,
  }));
}

/** The household and region of a case of the caller's region, or null. */
export async function findCaseHousehold(
  db: Kysely<DB>,
  caseId: string,
): Promise<{ householdId: string | null; regionCode: string } | null> {
  const row = await db
    .selectFrom('cases as c')
    .select(['c.household_id', 'c.region_code'])
    .where('c.id', '=', caseId)
    .where(inScope('c.region_code'))
    .executeTakeFirst();
  return row ? { householdId: row.household_id, regionCode: row.region_code } : null;
}
