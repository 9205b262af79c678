import { sql, type Transaction } from 'kysely';
import { addMonths } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import type { PayeeFacts } from './build';

type Settings = { amount_change_bp: number; max_payee_age: number };
type Finding = { code: string; enrolmentId: string; detail: Record<string, unknown> };

/**
 * The checks before approval (发放前比对), recomputed after every build. Findings that still stand
 * keep their decision (accepted with a reason); open findings that no longer stand disappear (the
 * maker cleared them by correcting the data and rebuilding).
 */
export async function runChecks(
  trx: Transaction<DB>,
  payroll: { id: string; month: string; regionCode: string },
  payees: PayeeFacts[],
  settings: Settings,
): Promise<void> {
  const { id, month, regionCode } = payroll;
  const prev = addMonths(month, -1);
  const found: Finding[] = [];
  for (const p of payees)
    if (p.accountState !== 'ok')
      found.push({
        code: p.accountState === 'missing' ? 'missing_account' : 'invalid_account',
        enrolmentId: p.enrolmentId,
        detail: {},
      });

  // Against last month's approved regular lines of the region (only when there was such a payroll).
  const hadPrevious = await trx
    .selectFrom('payrolls')
    .select('id')
    .where('status', '=', 'approved')
    .where('run_kind', '=', 'regular')
    .where('month', '=', prev)
    .where(sql<boolean>`(region_code like ${`${regionCode}%`} or ${regionCode} like region_code || '%')`)
    .executeTakeFirst();
  if (hadPrevious) {
    const compared = await sql<{ code: string; enrolment_id: string; prev_fen: number | null; now_fen: number | null }>`
      with now as (select enrolment_id, amount_fen from payroll_lines where payroll_id = ${id} and line_type = 'regular'),
      before as (select l.enrolment_id, l.amount_fen from payroll_lines l join payrolls p on p.id = l.payroll_id
        where l.month = ${prev} and l.line_type in ('regular', 'back_pay') and p.status = 'approved'
          and l.region_code like ${`${regionCode}%`})
      select case when b.enrolment_id is null then 'new_line' when n.enrolment_id is null then 'stopped_line'
          else 'amount_changed' end as code,
        coalesce(n.enrolment_id, b.enrolment_id) as enrolment_id, b.amount_fen as prev_fen, n.amount_fen as now_fen
      from now n full join before b on b.enrolment_id = n.enrolment_id
      where b.enrolment_id is null or n.enrolment_id is null
        or abs(n.amount_fen - b.amount_fen)::bigint * 10000 > b.amount_fen::bigint * ${settings.amount_change_bp}`.execute(
      trx,
    );
    for (const r of compared.rows)
      found.push({ code: r.code, enrolmentId: r.enrolment_id, detail: { prevFen: r.prev_fen, nowFen: r.now_fen } });
  }

  // Windows rather than a join to a grouped subquery: linear whatever the planner estimates for a
  // payroll just written (a first payroll of a fresh database is estimated at one line).
  const people = await sql<{ code: string; enrolment_id: string; detail: Record<string, unknown> }>`
    with lines as (select distinct on (l.enrolment_id) l.enrolment_id, l.household_id, l.payee_member_id, l.account_hash
      from payroll_lines l where l.payroll_id = ${id} order by l.enrolment_id, l.id)
    select 'shared_account' as code, b.enrolment_id, jsonb_build_object('households', b.households) as detail
      from (select a.enrolment_id, (max(a.r) over (partition by a.account_hash) - a.has_null::int)::int as households
        from (select enrolment_id, account_hash,
            dense_rank() over (partition by account_hash order by household_id nulls first) as r,
            bool_or(household_id is null) over (partition by account_hash) as has_null
          from lines where account_hash is not null) a) b
      where b.households > 1
    union all
    select 'payee_dead', l.enrolment_id, jsonb_build_object('eventDate', min(r.event_date)::text)
      from lines l join members m on m.id = l.payee_member_id
      join feed_records r on r.id_hash = m.id_hash and r.record_type = 'death'
      group by l.enrolment_id
    union all
    select 'payee_over_age', l.enrolment_id, jsonb_build_object('birthDate', m.birth_date::text)
      from lines l join members m on m.id = l.payee_member_id
      where m.birth_date::date <= (${`${month}-01`}::date - make_interval(years => ${settings.max_payee_age}))
    union all
    select distinct on (l.enrolment_id) 'under_review', l.enrolment_id, jsonb_build_object('signalNo', s.signal_no)
      from lines l join signals s on s.household_id = l.household_id
      where s.status in ('open', 'in_progress') and s.outcome in ('review', 'suspend', 'stop')`.execute(trx);
  for (const r of people.rows) found.push({ code: r.code, enrolmentId: r.enrolment_id, detail: r.detail });

  const staged = sql`unnest(${found.map((f) => f.code)}::text[], ${found.map((f) => f.enrolmentId)}::uuid[],
    ${found.map((f) => JSON.stringify(f.detail))}::jsonb[]) as s(code, enrolment_id, detail)`;
  // Adjustment findings follow the maker's adjustment lines (adjustments.ts), not the build.
  await sql`delete from payroll_exceptions x where x.payroll_id = ${id} and x.code <> 'adjustment' and not exists (
    select 1 from ${staged} where s.code = x.code and s.enrolment_id = x.enrolment_id)`.execute(trx);
  await sql`insert into payroll_exceptions (payroll_id, code, enrolment_id, detail)
    select ${id}, s.code, s.enrolment_id, s.detail from ${staged}
    on conflict (payroll_id, code, enrolment_id) do update set detail = excluded.detail`.execute(trx);
}
