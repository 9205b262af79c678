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

/** Claims paid in the period (by payout date), per group and month. */
export async function claimFigures(
  db: Kysely<DB>,
  slice: FigureSlice,
): Promise<{ key: string; month: string; claims: number; fen: number }[]> {
  const { start, end } = sliceDates(slice);
  const res = await sql<{ key: string; month: string; claims: number; fen: string }>`
    select ${groupKey('c.region_code', slice)} as key, to_char(c.paid_on, 'YYYY-MM') as month,
           count(*)::int as claims, coalesce(sum(c.paid_fen), 0)::text as fen
      from insurance_claims c
     where ${inSlice('c.region_code', slice)} and c.status = 'paid'
       and c.paid_on >= ${start}::date and c.paid_on < ${end}::date
     group by 1, 2`.execute(db);
  return res.rows.map((r) => ({ key: r.key, month: r.month, claims: Number(r.claims), fen: Number(r.fen) }));
}

/** The paid claims of the target's regions per month of payout (figures_monthly), as `claimFigures`. */
export async function writeClaimFigures(db: Kysely<DB>, target: FigureTarget): Promise<void> {
  await writeFigureRows(
    ['claims_paid', 'claims_paid_fen'],
    sql`select c.region_code, to_char(c.paid_on, 'YYYY-MM'), '', count(*)::int, coalesce(sum(c.paid_fen), 0)
          from insurance_claims c
         where ${inTarget('c.region_code', target)} and c.status = 'paid' and c.paid_on is not null
         group by 1, 2`,
  ).execute(db);
}

/** Open claims of the caller's region, and those past their payout deadline. */
export async function claimTodoCounts(db: Kysely<DB>, today: string): Promise<{ open: number; overdue: number }> {
  const res = await sql<{ open: number; overdue: number }>`
    select count(*) filter (where c.status in ('reported', 'guided', 'received', 'approved'))::int as open,
           count(*) filter (where c.status in ('received', 'approved') and c.due_on < ${today}::date)::int as overdue
      from insurance_claims c where ${inScope('c.region_code')}`.execute(db);
  return { open: Number(res.rows[0]?.open ?? 0), overdue: Number(res.rows[0]?.overdue ?? 0) };
}

/** Every step of the claims of a household's members (全流程追踪). */
export async function claimTrace(db: Kysely<DB>, memberIds: string[]): Promise<TraceRow[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .selectFrom('insurance_claim_actions as a')
    .innerJoin('insurance_claims as c', 'c.id', 'a.claim_id')
    .select(['a.at', 'a.type', 'a.actor_username', 'c.id', 'c.claim_no', 'c.paid_fen'])
    .where('c.member_id', 'in', memberIds)
    .where(inScope('c.region_code'))
    .orderBy('a.seq')
    .execute();
  return rows.map((r) => ({
    at: iso(r.at),
    type: 'claim' as const,
    action: r.type,
    actor: r.actor_username,
    ref: r.claim_no,
    link: null,
    amountFen: r.type === 'paid' ? r.paid_fen : null,
    month: null,
  }));
}
