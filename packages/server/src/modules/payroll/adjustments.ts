import { sql, type Transaction } from 'kysely';
import type { AdjustmentBody, AdjustmentResult, PayrollDetail } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { Conflict, InvalidField, NotFound } from '../../errors';
import { fundSplit } from './split';
import { actor, cacheTotals, getPayroll, logAction, requireConfiguredRole, step, type PayrollDeps } from './service';

/**
 * Corrections (调整) on a draft payroll: the maker records, for an enrolment of the payroll's region,
 * the month corrected, a signed amount (under-payment made good > 0, over-payment recovered < 0) and
 * a reason. Each is a `payroll_lines` row of type `adjustment` (the build neither computes nor
 * deletes it, so a rebuild keeps it), split by fund source with the kind's shares like any line,
 * one step in the payroll's log with its audit row, and a finding `adjustment` in the checks (decided
 * with the maker's reason, so the checker sees every correction and its reason without it blocking
 * submit). The unique (enrolment, month, line type) allows one adjustment per enrolment and month.
 */

/** The step an Idempotency-Key already made on this payroll, if any. */
async function earlierStep(
  trx: Transaction<DB>,
  payrollId: string,
  action: 'adjustment_added' | 'adjustment_removed',
  key: string | undefined,
) {
  if (!key) return undefined;
  return trx
    .selectFrom('payroll_actions')
    .select('detail')
    .where('payroll_id', '=', payrollId)
    .where('action', '=', action)
    .where('actor_username', '=', actor().username)
    .where(sql<boolean>`detail ? 'idempotencyKey'`)
    .where(sql<boolean>`detail ->> 'idempotencyKey' = ${key}`)
    .executeTakeFirst();
}

export async function addAdjustment(
  deps: PayrollDeps,
  payrollId: string,
  body: AdjustmentBody,
  idempotencyKey: string | undefined,
): Promise<AdjustmentResult> {
  await requireConfiguredRole(deps.db, 'maker_roles');
  const lineId = await step(deps, payrollId, async (trx, p) => {
    const earlier = await earlierStep(trx, payrollId, 'adjustment_added', idempotencyKey);
    if (earlier) return Number((earlier.detail as { lineId: number }).lineId);
    if (p.status !== 'draft') throw Conflict('payroll.notDraft');
    const e = await trx
      .selectFrom('enrolments')
      .select(['id', 'kind', 'region_code', 'household_id', 'from_month'])
      .where('id', '=', body.enrolmentId)
      .where('region_code', 'like', `${p.region_code}%`)
      .where(inScope('region_code'))
      .executeTakeFirst();
    if (!e) throw InvalidField('enrolmentId', 'payroll.adjustmentEnrolment');
    if (body.month < e.from_month || body.month > p.month) throw InvalidField('month', 'payroll.adjustmentMonth');
    // The payee the enrolment is paid to: its line in this payroll, else its latest line.
    const payee = await trx
      .selectFrom('payroll_lines')
      .select(['payee_member_id', 'account_hash', 'household_id'])
      .where('enrolment_id', '=', e.id)
      .where('line_type', 'not in', ['emergency', 'adjustment'])
      .orderBy(sql`(payroll_id = ${payrollId})`, 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!payee?.payee_member_id) throw InvalidField('enrolmentId', 'payroll.adjustmentNoPayee');
    const who = actor().username;
    const inserted = await sql<{ id: string | number }>`
      insert into payroll_lines (payroll_id, enrolment_id, month, line_type, kind, region_code, household_id,
        payee_member_id, account_hash, amount_fen, central_fen, provincial_fen, city_fen, county_fen, reason, created_by)
      select ${payrollId}, ${e.id}, ${body.month}, 'adjustment', ${e.kind}, ${e.region_code}, ${e.household_id},
        ${payee.payee_member_id}, ${payee.account_hash}, ${body.amountFen}, ${fundSplit(sql`${body.amountFen}::int`)},
        ${body.reason}, ${who}
      from payroll_fund_shares f where f.kind = ${e.kind}
      on conflict (enrolment_id, month, line_type) where line_type <> 'reissue' do nothing
      returning id`.execute(trx);
    const row = inserted.rows[0];
    if (!row) {
      const holder = await trx
        .selectFrom('payroll_lines as l')
        .innerJoin('payrolls as q', 'q.id', 'l.payroll_id')
        .select('q.payroll_no')
        .where('l.enrolment_id', '=', e.id)
        .where('l.month', '=', body.month)
        .where('l.line_type', '=', 'adjustment')
        .executeTakeFirst();
      throw Conflict('payroll.adjustmentExists', { payrollNo: Number(holder?.payroll_no ?? 0) });
    }
    const id = Number(row.id);
    await syncAdjustmentFindings(trx, payrollId);
    const sums = await logAction(trx, p, 'adjustment_added', {
      reason: body.reason,
      detail: {
        lineId: id,
        enrolmentId: e.id,
        adjustedMonth: body.month,
        amountFen: body.amountFen,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    });
    await cacheTotals(trx, payrollId, sums);
    return id;
  });
  return { lineId, payroll: await getPayroll(deps, payrollId) };
}

export async function removeAdjustment(
  deps: PayrollDeps,
  payrollId: string,
  lineId: number,
  idempotencyKey: string | undefined,
): Promise<PayrollDetail> {
  await requireConfiguredRole(deps.db, 'maker_roles');
  await step(deps, payrollId, async (trx, p) => {
    if (await earlierStep(trx, payrollId, 'adjustment_removed', idempotencyKey)) return;
    if (p.status !== 'draft') throw Conflict('payroll.notDraft');
    const removed = await trx
      .deleteFrom('payroll_lines')
      .where('id', '=', lineId)
      .where('payroll_id', '=', payrollId)
      .where('line_type', '=', 'adjustment')
      .where(inScope('region_code'))
      .returning(['enrolment_id', 'month', 'amount_fen', 'reason'])
      .executeTakeFirst();
    if (!removed) throw NotFound('entity.payrollLine');
    await syncAdjustmentFindings(trx, payrollId);
    const sums = await logAction(trx, p, 'adjustment_removed', {
      reason: removed.reason,
      detail: {
        lineId,
        enrolmentId: removed.enrolment_id,
        adjustedMonth: removed.month,
        amountFen: removed.amount_fen,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    });
    await cacheTotals(trx, payrollId, sums);
  });
  return getPayroll(deps, payrollId);
}

/**
 * One `adjustment` finding per enrolment with adjustment lines in the payroll, listing them; it is
 * decided by the maker's reason (the checker reads it), and goes when the enrolment's last
 * adjustment is removed.
 */
export async function syncAdjustmentFindings(trx: Transaction<DB>, payrollId: string): Promise<void> {
  await sql`delete from payroll_exceptions x where x.payroll_id = ${payrollId} and x.code = 'adjustment'
    and not exists (select 1 from payroll_lines l where l.payroll_id = x.payroll_id and l.line_type = 'adjustment'
      and l.enrolment_id = x.enrolment_id)`.execute(trx);
  await sql`insert into payroll_exceptions (payroll_id, code, enrolment_id, detail, status, reason, decided_by, decided_at)
    select ${payrollId}, 'adjustment', l.enrolment_id,
      jsonb_build_object('lines', jsonb_agg(jsonb_build_object('month', l.month, 'amountFen', l.amount_fen) order by l.month),
        'amountFen', sum(l.amount_fen)),
      'accepted', string_agg(l.reason, '；' order by l.month), min(l.created_by), now()
    from payroll_lines l where l.payroll_id = ${payrollId} and l.line_type = 'adjustment'
    group by l.enrolment_id
    on conflict (payroll_id, code, enrolment_id) do update set detail = excluded.detail, reason = excluded.reason,
      decided_by = excluded.decided_by, decided_at = excluded.decided_at`.execute(trx);
}
