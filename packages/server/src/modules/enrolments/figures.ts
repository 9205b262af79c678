import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { groupKey, inSlice, inTarget, writeFigureRows, type FigureSlice, type FigureTarget } from '../../db/figures';
import { iso, type TraceRow } from '../../db/trace';

type Kind = 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';

export type RollRow = { key: string; kind: Kind; households: number; people: number };

/**
 * Recipients on the rolls today, per group and kind: enrolments active or in gradual exit whose
 * last month (if any) is not past. People are the members the enrolment covers.
 */
export async function rollFigures(db: Kysely<DB>, slice: FigureSlice): Promise<RollRow[]> {
  const month = slice.today.slice(0, 7);
  const res = await sql<{ key: string; kind: Kind; households: number; people: number }>`
    select ${groupKey('e.region_code', slice)} as key, e.kind,
           count(distinct coalesce(e.household_id::text, e.id::text))::int as households,
           coalesce(sum(e.covered_members), 0)::int as people
      from enrolments e
     where ${inSlice('e.region_code', slice)} and e.status in ('active', 'gradual_exit')
       and (e.ends_month is null or e.ends_month > ${month})
     group by 1, 2`.execute(db);
  return res.rows.map((r) => ({ ...r, households: Number(r.households), people: Number(r.people) }));
}

/** Households on the rolls (any kind but 临时救助) and their people, counted once per household, per group. */
export async function rollTotals(
  db: Kysely<DB>,
  slice: FigureSlice,
): Promise<{ key: string; households: number; people: number }[]> {
  const month = slice.today.slice(0, 7);
  const res = await sql<{ key: string; households: number; people: number }>`
    select key, count(*)::int as households, coalesce(sum(people), 0)::int as people
      from (select ${groupKey('e.region_code', slice)} as key, coalesce(e.household_id::text, e.id::text) as h,
                   max(e.covered_members) as people
              from enrolments e
             where ${inSlice('e.region_code', slice)} and e.status in ('active', 'gradual_exit')
               and e.kind <> 'temporary' and (e.ends_month is null or e.ends_month > ${month})
             group by 1, 2) x
     group by 1`.execute(db);
  return res.rows.map((r) => ({ key: r.key, households: Number(r.households), people: Number(r.people) }));
}

/** Enrolments that took effect in the period (their `enrolled` change), per group and per month. */
export async function newEnrolmentFigures(
  db: Kysely<DB>,
  slice: FigureSlice,
): Promise<{ key: string; month: string; n: number }[]> {
  const res = await sql<{ key: string; month: string; n: number }>`
    select ${groupKey('c.region_code', slice)} as key, c.effective_month as month, count(distinct c.enrolment_id)::int as n
      from enrolment_changes c
     where ${inSlice('c.region_code', slice)} and c.type = 'enrolled'
       and c.effective_month >= ${slice.from} and c.effective_month <= ${slice.to}
     group by 1, 2`.execute(db);
  return res.rows.map((r) => ({ key: r.key, month: r.month, n: Number(r.n) }));
}

/**
 * The pre-aggregated figures of the target's regions (figures_monthly): recipients on the rolls as
 * of `today` (kind '' the households once with their people, and per kind) under today's month, and
 * the enrolments that took effect per month. The same counts as `rollTotals`, `rollFigures` and
 * `newEnrolmentFigures`, per region.
 */
export async function writeEnrolmentFigures(db: Kysely<DB>, target: FigureTarget): Promise<void> {
  const month = target.today.slice(0, 7);
  await writeFigureRows(
    ['recipient_households', 'recipient_people'],
    sql`select region_code, ${month}, kind, households, people from (
          select x.region_code, '' as kind, count(*)::int as households, coalesce(sum(x.people), 0)::int as people
            from (select e.region_code, coalesce(e.household_id::text, e.id::text) as h, max(e.covered_members) as people
                    from enrolments e
                   where ${inTarget('e.region_code', target)} and e.status in ('active', 'gradual_exit')
                     and e.kind <> 'temporary' and (e.ends_month is null or e.ends_month > ${month})
                   group by 1, 2) x
           group by 1
          union all
          select e.region_code, e.kind, count(distinct coalesce(e.household_id::text, e.id::text))::int,
                 coalesce(sum(e.covered_members), 0)::int
            from enrolments e
           where ${inTarget('e.region_code', target)} and e.status in ('active', 'gradual_exit')
             and (e.ends_month is null or e.ends_month > ${month})
           group by 1, 2) r`,
  ).execute(db);
  await writeFigureRows(
    ['new_enrolments'],
    sql`select c.region_code, c.effective_month, '', count(distinct c.enrolment_id)::int
          from enrolment_changes c
         where ${inTarget('c.region_code', target)} and c.type = 'enrolled' and c.effective_month is not null
         group by 1, 2`,
  ).execute(db);
}

/** Enrolments of the caller's region whose re-check (复核) is due within `days` calendar days or past. */
export async function reviewsDueCount(db: Kysely<DB>, today: string, days = 30): Promise<number> {
  const res = await sql<{ n: number }>`
    select count(*)::int as n from enrolments e
     where e.status in ('active', 'gradual_exit', 'suspended') and e.review_due_on is not null
       and e.review_due_on <= ${today}::date + ${days}::int and ${inScope('e.region_code')}`.execute(db);
  return Number(res.rows[0]?.n ?? 0);
}

/** Every change of a household's enrolments: enrolled, amounts, suspensions, stops (全流程追踪). */
export async function enrolmentTrace(db: Kysely<DB>, householdId: string): Promise<TraceRow[]> {
  const rows = await db
    .selectFrom('enrolment_changes as c')
    .innerJoin('enrolments as e', 'e.id', 'c.enrolment_id')
    .select([
      'c.at',
      'c.type',
      'c.actor_username',
      'c.effective_month',
      'c.amount_fen',
      'c.one_off_fen',
      'e.kind',
      'e.id',
    ])
    .where('e.household_id', '=', householdId)
    .where(inScope('e.region_code'))
    .orderBy('c.seq')
    .execute();
  return rows.map((r) => ({
    at: iso(r.at),
    type: 'enrolment' as const,
    action: `${r.kind}:${r.type}`,
    actor: r.actor_username,
    ref: r.kind,
    link: null,
    amountFen: r.amount_fen ?? r.one_off_fen ?? null,
    month: r.effective_month,
  }));
}
