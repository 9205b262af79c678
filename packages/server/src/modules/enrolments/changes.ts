import { sql, type Transaction } from 'kysely';
import {
  addMonths,
  changeAllowed,
  summarise,
  type AmountChangeBody,
  type EndBody,
  type EnrolmentDetail,
  type MembersChangeBody,
  type SuspendBody,
} from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { AppError, Conflict, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { chinaMonth, findEffectiveParams } from '../policy/service';
import { recomputeHouseholdStatus } from './create';
import { toEntitlementChange } from './change-row';
import { changeApprovalLevel, getEnrolment, type EnrolmentDeps } from './read';

export type ChangeBodies = {
  amount_changed: AmountChangeBody;
  members_changed: MembersChangeBody;
  suspended: SuspendBody;
  resumed: SuspendBody;
  gradual_exit_started: SuspendBody;
  ended: EndBody;
};
export type ChangeKind = keyof ChangeBodies;

/** Where a change came from, when not a member of staff's own decision. */
export type ChangeLinks = {
  caseId?: string;
  reviewId?: string;
  signalId?: string;
  reason?: string;
  /** The death of the only covered member: the township confirms the end, whatever the kind's level. */
  confirmedByTownship?: boolean;
};

/**
 * Records one change on an enrolment of the caller's region, in one transaction: checks the
 * change is possible in the current state and that the caller is at the configured approval
 * level, appends it with the next seq, rewrites the cached state, recomputes the household's
 * status and writes the audit row. An Idempotency-Key seen before on the enrolment returns the
 * enrolment as it is, recording nothing. Effective month: the next month unless given; never
 * before this month nor before the last change (payroll has paid the months before).
 */
export async function applyChange<K extends ChangeKind>(
  deps: EnrolmentDeps,
  id: string,
  type: K,
  body: ChangeBodies[K],
  idempotencyKey?: string,
  links: ChangeLinks = {},
): Promise<EnrolmentDetail> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.enrolment');
  await deps.db.transaction().execute((trx) => recordChange(deps, trx, id, type, body, idempotencyKey, links));
  return getEnrolment(deps, id);
}

/** applyChange inside the caller's transaction (a review's decision writes its change with its own step). */
export async function recordChange<K extends ChangeKind>(
  deps: EnrolmentDeps,
  trx: Transaction<DB>,
  id: string,
  type: K,
  body: ChangeBodies[K],
  idempotencyKey?: string,
  links: ChangeLinks = {},
): Promise<void> {
  const actor = getContext().actor;
  const e = await trx
    .selectFrom('enrolments')
    .selectAll()
    .where('id', '=', id)
    .where(inScope('region_code'))
    .forUpdate()
    .executeTakeFirst();
  if (!e) throw NotFound('entity.enrolment');
  if (idempotencyKey) {
    const seen = await trx
      .selectFrom('enrolment_changes')
      .select('seq')
      .where('enrolment_id', '=', id)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    if (seen) return;
  }
  if (e.kind === 'temporary' || !changeAllowed(e.status, type))
    throw Conflict('enrolment.changeNotAllowed', { status: `enrolment.status.${e.status}` });
  const level = links.confirmedByTownship
    ? 'township'
    : await changeApprovalLevel(trx, deps.config.city, e.kind, e.region_code);
  // Staff at the configured level decide; a proposal from a signal or review is confirmed the same way.
  if (actor) {
    const needed = level === 'township' ? 'township_officer' : 'county_officer';
    if (actor.role !== needed)
      throw new AppError(403, 'FORBIDDEN', 'enrolment.approvalLevel', { level: `levels.${level}` });
  }
  const history = await trx
    .selectFrom('enrolment_changes')
    .select(['seq', 'type', 'effective_month', 'amount_fen', 'one_off_fen', 'members', 'months'])
    .where('enrolment_id', '=', id)
    .orderBy('seq')
    .execute();
  const lastMonth = history.reduce((m, c) => (c.effective_month > m ? c.effective_month : m), e.from_month);
  const now = chinaMonth();
  const effective = body.effectiveMonth ?? addMonths(now, 1);
  if (effective < now || effective < lastMonth)
    throw InvalidField('effectiveMonth', 'enrolment.effectiveMonth', { month: lastMonth });

  const values: {
    amount_fen?: number;
    members?: string[];
    months?: number;
    reason: string;
  } = { reason: links.reason ?? (links.reviewId ? 'review' : links.signalId ? 'signal' : 'staff') };
  if (type === 'amount_changed') values.amount_fen = (body as AmountChangeBody).amountFen;
  if (type === 'members_changed') {
    const b = body as MembersChangeBody;
    values.amount_fen = b.amountFen;
    values.members = await coverMembers(trx, e, b.memberIds);
  }
  if (type === 'gradual_exit_started') {
    const dibao = await findEffectiveParams(trx, deps.config.city, e.region_code, 'dibao', now);
    if (!dibao) throw Conflict('enrolment.noStandard');
    values.months = dibao.gradualExitMonths;
  }
  if (type === 'ended') values.reason = (body as EndBody).reason;

  const seq = (history[history.length - 1]?.seq ?? 0) + 1;
  const change = {
    enrolment_id: id,
    seq,
    type,
    effective_month: effective,
    amount_fen: values.amount_fen ?? null,
    members: values.members ?? null,
    months: values.months ?? null,
    reason: values.reason,
    note_enc: deps.protector.encryptOptional(body.note, 'enrolment_change.note'),
    approval_level: actor ? level : ('system' as const),
    actor_username: actor?.username ?? 'system',
    actor_role: actor?.role ?? null,
    region_code: e.region_code,
    case_id: links.caseId ?? null,
    review_id: links.reviewId ?? null,
    signal_id: links.signalId ?? null,
    idempotency_key: idempotencyKey ?? null,
  };
  await trx.insertInto('enrolment_changes').values(change).execute();
  const summary = summarise([...history, change].map(toEntitlementChange));
  await trx
    .updateTable('enrolments')
    .set({
      status: summary.status,
      ends_month: summary.endsMonth,
      monthly_amount_fen: summary.monthlyAmountFen,
      covered_members: summary.members.length,
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  if (e.household_id) await recomputeHouseholdStatus(trx, [e.household_id], now);
  await recordAudit(trx, {
    action: `enrolment.${type}`,
    entity: 'enrolment',
    entityId: id,
    regionCode: e.region_code,
    detail: {
      seq,
      effectiveMonth: effective,
      ...(values.amount_fen !== undefined ? { amountFen: values.amount_fen } : {}),
      ...(values.members ? { members: values.members.length } : {}),
      ...(values.months !== undefined ? { months: values.months } : {}),
      reason: values.reason,
      ...(links.reviewId ? { reviewId: links.reviewId } : {}),
      ...(links.signalId ? { signalId: links.signalId } : {}),
    },
  });
}

/** The covered set from registry members of the enrolment's household; new people join enrolment_members. */
async function coverMembers(
  trx: Transaction<DB>,
  e: { id: string; household_id: string | null },
  memberIds: string[],
): Promise<string[]> {
  const rows = e.household_id
    ? await trx
        .selectFrom('members')
        .select(['id', 'id_hash', 'name', 'id_masked', 'relation'])
        .where('household_id', '=', e.household_id)
        .where('id', 'in', memberIds)
        .execute()
    : [];
  const found = new Map(rows.map((r) => [r.id, r]));
  memberIds.forEach((m, i) => {
    if (!found.has(m)) throw InvalidField(`memberIds.${i}`, 'enrolment.memberNotInHousehold');
  });
  await trx
    .insertInto('enrolment_members')
    .values(
      rows.map((r) => ({
        enrolment_id: e.id,
        id_hash: r.id_hash,
        member_id: r.id,
        name: r.name,
        id_masked: r.id_masked,
        relation: r.relation,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['enrolment_id', 'id_hash']).doUpdateSet({ member_id: (eb) => eb.ref('excluded.member_id') }),
    )
    .execute();
  return [...new Set(rows.map((r) => r.id_hash))].sort();
}
