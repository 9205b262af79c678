import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import type { DueLine } from './build';
import { fundSplit } from './split';

/**
 * 先行救助 in the fund ledger. A township pays an emergency case in cash at the window (the case's
 * `emergency_payment` action: amount and date). Once the case is approved (it has an enrolment),
 * the next regular payroll of the region built — of the month paid or later — carries one `emergency` line:
 * the month it was paid, the amount, kind `temporary` (the money is 临时救助 whichever kind the
 * case was enrolled in), status `paid` from the start and never in a bank file. The line hangs on
 * the case's temporary enrolment when there is one, else on its first of 特困 / 低保 / 低保边缘.
 * The unique (enrolment, month, line type) keeps it once across payrolls.
 *
 * The same case's one-off grant then pays only what remains: approved amount − emergency, never
 * below zero (a line of zero is not kept).
 *
 * Derived data, set-based, in the build's transaction after the computed lines are written, so a
 * rebuild refreshes it.
 */
export async function writeEmergencyLines(
  trx: Transaction<DB>,
  payroll: { id: string; month: string; regionCode: string; runKind: 'regular' | 'supplementary' },
  computed: DueLine[],
): Promise<void> {
  const { id, month, regionCode } = payroll;
  const due = sql`(
    select c.enrolment_id, substr(a.data ->> 'paidOn', 1, 7) as month, c.region_code, c.household_id,
      (a.data ->> 'amountFen')::int as amount_fen,
      coalesce(
        (select l.payee_member_id from payroll_lines l where l.enrolment_id = c.enrolment_id
          and l.line_type <> 'emergency' order by (l.payroll_id = ${id}) desc, l.id desc limit 1),
        (select m.id from members m where m.household_id = c.household_id
          order by (m.relation = 'head') desc, m.birth_date, m.id limit 1)) as payee_member_id
    from (select distinct on (e.case_id) e.id as enrolment_id, e.case_id, e.region_code, e.household_id
        from enrolments e
        where e.case_id is not null and e.region_code like ${`${regionCode}%`}
          and ${inScope('e.region_code')}
        order by e.case_id, array_position(array['temporary', 'tekun', 'dibao', 'dibao_edge'], e.kind), e.id) c
    join case_actions a on a.case_id = c.case_id and a.action = 'emergency_payment'
    where ${payroll.runKind === 'regular'} and substr(a.data ->> 'paidOn', 1, 7) <= ${month}
  ) d`;
  await sql`delete from payroll_lines l where l.payroll_id = ${id} and l.line_type = 'emergency'
    and not exists (select 1 from ${due} where d.enrolment_id = l.enrolment_id and d.month = l.month)`.execute(trx);
  await sql`update payroll_lines l set amount_fen = n.amount_fen, central_fen = n.central_fen,
      provincial_fen = n.provincial_fen, city_fen = n.city_fen, county_fen = n.county_fen,
      payee_member_id = n.payee_member_id
    from (select d.*, ${fundSplit(sql`d.amount_fen`)} from ${due}
      join payroll_fund_shares f on f.kind = 'temporary') n
    where l.payroll_id = ${id} and l.line_type = 'emergency' and l.enrolment_id = n.enrolment_id and l.month = n.month
      and (l.amount_fen, l.payee_member_id) is distinct from (n.amount_fen, n.payee_member_id)`.execute(trx);
  await sql`insert into payroll_lines (payroll_id, enrolment_id, month, line_type, kind, region_code, household_id,
      payee_member_id, account_hash, amount_fen, central_fen, provincial_fen, city_fen, county_fen, status)
    select ${id}, d.enrolment_id, d.month, 'emergency', 'temporary', d.region_code, d.household_id, d.payee_member_id,
      null, d.amount_fen, ${fundSplit(sql`d.amount_fen`)}, 'paid'
    from ${due} join payroll_fund_shares f on f.kind = 'temporary'
    order by d.enrolment_id
    on conflict do nothing`.execute(trx);

  // The one-off of a case paid first pays what remains. From the computed (full) amounts, so the
  // result does not depend on what the line held before.
  const oneOffs = computed.filter((l) => l.lineType === 'one_off');
  if (oneOffs.length === 0) return;
  const reduced = sql`(
    select s.enrolment_id, s.month, e.kind, greatest(s.full_fen - a.emergency_fen, 0) as amount_fen
    from unnest(${oneOffs.map((l) => l.enrolmentId)}::uuid[], ${oneOffs.map((l) => l.month)}::text[],
      ${oneOffs.map((l) => l.amountFen)}::int[]) as s(enrolment_id, month, full_fen)
    join enrolments e on e.id = s.enrolment_id
    join (select case_id, sum((data ->> 'amountFen')::int) as emergency_fen from case_actions
      where action = 'emergency_payment' group by case_id) a on a.case_id = e.case_id
  ) r`;
  await sql`delete from payroll_lines l using ${reduced}
    where l.payroll_id = ${id} and l.line_type = 'one_off' and l.enrolment_id = r.enrolment_id and l.month = r.month
      and r.amount_fen = 0`.execute(trx);
  await sql`update payroll_lines l set amount_fen = n.amount_fen, central_fen = n.central_fen,
      provincial_fen = n.provincial_fen, city_fen = n.city_fen, county_fen = n.county_fen
    from (select r.*, ${fundSplit(sql`r.amount_fen`)} from ${reduced}
      join payroll_fund_shares f on f.kind = r.kind) n
    where l.payroll_id = ${id} and l.line_type = 'one_off' and l.enrolment_id = n.enrolment_id and l.month = n.month
      and n.amount_fen > 0 and l.amount_fen <> n.amount_fen`.execute(trx);
}

/**
 * 先行救助 on cases that were then rejected (no enrolment to carry it into a payroll): cash that left
 * at the window, shown in the fund report for recovery or write-off. Paid from `fromMonth` to `month`.
 */
export async function unrecoveredEmergency(db: Kysely<DB>, region: string, fromMonth: string, month: string) {
  const rows = await sql<{
    case_id: string;
    case_no: string;
    region_code: string;
    region_name: string | null;
    applicant_name: string;
    paid_on: string;
    amount_fen: number;
  }>`
    select c.id as case_id, c.case_no, c.region_code, r.name as region_name, c.applicant_name,
      a.data ->> 'paidOn' as paid_on, (a.data ->> 'amountFen')::int as amount_fen
    from case_actions a join cases c on c.id = a.case_id
    left join regions r on r.code = c.region_code
    where a.action = 'emergency_payment' and c.status = 'rejected'
      and substr(a.data ->> 'paidOn', 1, 7) between ${fromMonth} and ${month}
      and c.region_code like ${`${region}%`} and ${inScope('c.region_code')}
    order by a.data ->> 'paidOn', c.case_no`.execute(db);
  const items = rows.rows.map((r) => ({
    caseId: r.case_id,
    caseNo: r.case_no,
    regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code,
    applicantName: r.applicant_name,
    paidOn: r.paid_on,
    amountFen: r.amount_fen,
  }));
  return { items, totalFen: items.reduce((s, i) => s + i.amountFen, 0) };
}
