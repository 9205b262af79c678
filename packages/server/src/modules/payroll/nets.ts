import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * What each payee receives from a payroll: the sum of their lines (adjustments included), without
 * 先行救助 lines (cash already given at the township). A line without a payee stands alone.
 */
export function payeeNets(payrollId: string) {
  return sql`(select coalesce(l.payee_member_id::text, l.enrolment_id::text) as payee,
      sum(l.amount_fen)::bigint as net_fen, min(l.payee_member_id::text) as payee_member_id
    from payroll_lines l where l.payroll_id = ${payrollId} and l.line_type <> 'emergency'
    group by 1)`;
}

/** Payees whose net is below zero (an over-payment recovered beyond what is due): submit is refused. */
export async function negativeNets(
  db: Kysely<DB> | Transaction<DB>,
  payrollId: string,
): Promise<{ name: string; netFen: number }[]> {
  const rows = await sql<{ name: string | null; net_fen: string | number }>`
    select m.name, n.net_fen from ${payeeNets(payrollId)} n
    left join members m on m.id::text = n.payee_member_id
    where n.net_fen < 0 order by n.net_fen, m.name`.execute(db);
  return rows.rows.map((r) => ({ name: r.name ?? '—', netFen: Number(r.net_fen) }));
}
