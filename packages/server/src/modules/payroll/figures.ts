import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { groupKey, inSlice, inTarget, writeFigureRows, type FigureSlice, type FigureTarget } from '../../db/figures';
import { iso, type TraceRow } from '../../db/trace';

/**
 * Money paid in the period: the lines of approved payrolls for the period's months that the bank
 * did not return, per group and month; a line is one payment to one household (人次).
 */
export async function paidFigures(
  db: Kysely<DB>,
  slice: FigureSlice,
): Promise<{ key: string; month: string; fen: number; lines: number }[]> {
  const res = await sql<{ key: string; month: string; fen: string; lines: number }>`
    select ${groupKey('l.region_code', slice)} as key, l.month, sum(l.amount_fen)::text as fen, count(*)::int as lines
      from payroll_lines l
      join payrolls p on p.id = l.payroll_id and p.status = 'approved'
     where ${inSlice('l.region_code', slice)} and l.status <> 'failed'
       and l.month >= ${slice.from} and l.month <= ${slice.to}
     group by 1, 2`.execute(db);
  return res.rows.map((r) => ({ key: r.key, month: r.month, fen: Number(r.fen), lines: Number(r.lines) }));
}

/** The paid figures of the target's regions per month (figures_monthly): the counts of `paidFigures` per region. */
export async function writePaidFigures(db: Kysely<DB>, target: FigureTarget): Promise<void> {
  await writeFigureRows(
    ['paid_fen', 'paid_lines'],
    sql`select l.region_code, l.month, '', sum(l.amount_fen), count(*)::int
          from payroll_lines l
          join payrolls p on p.id = l.payroll_id and p.status = 'approved'
         where ${inTarget('l.region_code', target)} and l.status <> 'failed'
         group by 1, 2`,
  ).execute(db);
}

/** Payrolls of the caller's region waiting to be submitted (drafts) or approved, and returned lines not yet reissued. */
export async function payrollTodoCounts(
  db: Kysely<DB>,
): Promise<{ drafts: number; submitted: number; returned: number }> {
  const [p, l] = await Promise.all([
    sql<{ drafts: number; submitted: number }>`
      select count(*) filter (where p.status = 'draft')::int as drafts,
             count(*) filter (where p.status = 'submitted')::int as submitted
        from payrolls p where ${inScope('p.region_code')}`.execute(db),
    sql<{ n: number }>`
      select count(*)::int as n from payroll_lines l
       where l.status = 'failed' and ${inScope('l.region_code')}
         and not exists (select 1 from payroll_lines r where r.reissue_of = l.id)`.execute(db),
  ]);
  return {
    drafts: Number(p.rows[0]?.drafts ?? 0),
    submitted: Number(p.rows[0]?.submitted ?? 0),
    returned: Number(l.rows[0]?.n ?? 0),
  };
}

/** A household's payments of approved payrolls and the bank's returns of them (全流程追踪). */
export async function paymentTrace(db: Kysely<DB>, householdId: string): Promise<TraceRow[]> {
  const rows = await db
    .selectFrom('payroll_lines as l')
    .innerJoin('payrolls as p', 'p.id', 'l.payroll_id')
    .select((eb) => [
      'l.id',
      'l.month',
      'l.line_type',
      'l.amount_fen',
      'l.status',
      'l.fail_code',
      'l.failed_at',
      'p.id as payroll_id',
      'p.payroll_no',
      'p.updated_at',
      eb
        .selectFrom('payroll_actions as a')
        .select((x) => x.fn.max('a.at').as('at'))
        .whereRef('a.payroll_id', '=', 'p.id')
        .where('a.action', '=', 'approved')
        .as('approved_at'),
      eb
        .selectFrom('payroll_actions as a')
        .select('a.actor_username')
        .whereRef('a.payroll_id', '=', 'p.id')
        .where('a.action', '=', 'approved')
        .orderBy('a.at', 'desc')
        .limit(1)
        .as('approved_by'),
    ])
    .where('l.household_id', '=', householdId)
    .where('p.status', '=', 'approved')
    .where(inScope('l.region_code'))
    .execute();
  const out: TraceRow[] = [];
  for (const r of rows) {
    const ref = `FF${r.payroll_no}-${r.id}`;
    out.push({
      at: iso(r.approved_at ?? r.updated_at),
      type: 'payment',
      action: r.line_type,
      actor: r.approved_by ?? null,
      ref,
      link: null,
      amountFen: r.amount_fen,
      month: r.month,
    });
    if (r.status === 'failed' && r.failed_at)
      out.push({
        at: iso(r.failed_at),
        type: 'return',
        action: r.fail_code ?? 'failed',
        actor: null,
        ref,
        link: null,
        amountFen: r.amount_fen,
        month: r.month,
      });
  }
  return out;
}

/** The household of a payment line of the caller's region, or null. */
export async function findPaymentHousehold(db: Kysely<DB>, lineId: number): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('payroll_lines as l')
    .select('l.household_id')
    .where('l.id', '=', lineId)
    .where(inScope('l.region_code'))
    .executeTakeFirst();
  return row ? row.household_id : undefined;
}
