import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import {
  groupKey,
  inSlice,
  inTarget,
  sliceDates,
  writeFigureRows,
  type FigureSlice,
  type FigureTarget,
} from '../../db/figures';
import { iso, type TraceRow } from '../../db/trace';

export type LeadFigureRow = { key: string; leadsIssued: number; leadsChecked: number; overdueLeads: number };

/** Leads issued in the period and how many of them are checked (closed), and open leads past due, per group. */
export async function leadFigures(db: Kysely<DB>, slice: FigureSlice): Promise<LeadFigureRow[]> {
  const { start, end } = sliceDates(slice);
  const res = await sql<{ key: string; issued: number; checked: number; overdue: number }>`
    select ${groupKey('l.region_code', slice)} as key,
           count(*) filter (where l.issued_on >= ${start}::date and l.issued_on < ${end}::date)::int as issued,
           count(*) filter (where l.issued_on >= ${start}::date and l.issued_on < ${end}::date
                              and l.status = 'closed')::int as checked,
           count(*) filter (where l.status = 'open' and l.due_date < ${slice.today}::date)::int as overdue
      from leads l
     where ${inSlice('l.region_code', slice)}
     group by 1`.execute(db);
  return res.rows.map((r) => ({
    key: r.key,
    leadsIssued: Number(r.issued),
    leadsChecked: Number(r.checked),
    overdueLeads: Number(r.overdue),
  }));
}

/** Leads issued per month of the period (the trend line). */
export async function leadTrend(db: Kysely<DB>, slice: FigureSlice): Promise<Map<string, number>> {
  const { start, end } = sliceDates(slice);
  const res = await sql<{ month: string; n: number }>`
    select to_char(l.issued_on, 'YYYY-MM') as month, count(*)::int as n
      from leads l
     where ${inSlice('l.region_code', slice)} and l.issued_on >= ${start}::date and l.issued_on < ${end}::date
     group by 1`.execute(db);
  return new Map(res.rows.map((r) => [r.month, Number(r.n)]));
}

/**
 * The lead figures of the target's regions (figures_monthly): issued and checked per month of
 * issue, and the open leads past due as of `today` under today's month (as `leadFigures`).
 */
export async function writeLeadFigures(db: Kysely<DB>, target: FigureTarget): Promise<void> {
  await writeFigureRows(
    ['leads_issued', 'leads_checked'],
    sql`select l.region_code, to_char(l.issued_on, 'YYYY-MM'), '', count(*)::int,
               count(*) filter (where l.status = 'closed')::int
          from leads l
         where ${inTarget('l.region_code', target)} and l.issued_on is not null
         group by 1, 2`,
  ).execute(db);
  await writeFigureRows(
    ['overdue_leads'],
    sql`select l.region_code, ${target.today.slice(0, 7)}, '', count(*)::int
          from leads l
         where ${inTarget('l.region_code', target)} and l.status = 'open' and l.due_date < ${target.today}::date
         group by 1`,
  ).execute(db);
}

/** The caller's open leads still in time and past due (the workbench). */
export async function leadTodoCounts(db: Kysely<DB>, today: string): Promise<{ due: number; overdue: number }> {
  const res = await sql<{ due: number; overdue: number }>`
    select count(*) filter (where l.due_date >= ${today}::date)::int as due,
           count(*) filter (where l.due_date < ${today}::date)::int as overdue
      from leads l
     where l.status = 'open' and ${inScope('l.region_code')}`.execute(db);
  return { due: Number(res.rows[0]?.due ?? 0), overdue: Number(res.rows[0]?.overdue ?? 0) };
}

/** The leads of a household and their visits (全流程追踪). */
export async function leadTrace(db: Kysely<DB>, householdId: string): Promise<TraceRow[]> {
  const [leads, visits] = await Promise.all([
    db
      .selectFrom('leads as l')
      .select(['l.id', 'l.lead_no', 'l.created_at', 'l.outcome', 'l.closed_at', 'l.closed_by'])
      .where('l.household_id', '=', householdId)
      .where(inScope('l.region_code'))
      .execute(),
    db
      .selectFrom('lead_visits as v')
      .innerJoin('leads as l', 'l.id', 'v.lead_id')
      .select(['v.visited_at', 'v.recorded_by', 'v.outcome', 'l.id', 'l.lead_no'])
      .where('l.household_id', '=', householdId)
      .where(inScope('l.region_code'))
      .execute(),
  ]);
  const rows: TraceRow[] = [];
  const base = { amountFen: null, month: null };
  for (const l of leads) {
    const ref = `XS${l.lead_no}`;
    rows.push({
      ...base,
      at: iso(l.created_at),
      type: 'lead',
      action: 'issued',
      actor: null,
      ref,
      link: `/leads/${l.id}`,
    });
    if (l.closed_at)
      rows.push({
        ...base,
        at: iso(l.closed_at),
        type: 'lead',
        action: `closed:${l.outcome}`,
        actor: l.closed_by,
        ref,
        link: `/leads/${l.id}`,
      });
  }
  for (const v of visits)
    rows.push({
      ...base,
      at: iso(v.visited_at),
      type: 'visit',
      action: v.outcome,
      actor: v.recorded_by,
      ref: `XS${v.lead_no}`,
      link: `/leads/${v.id}`,
    });
  return rows;
}
