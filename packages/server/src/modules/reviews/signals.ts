import { sql, type Transaction } from 'kysely';
import {
  addMonths,
  chinaToday,
  entitlementFor,
  type SignalActBody,
  type SignalActResult,
  type SignalEnrolments,
} from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { AppError, Conflict, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { markSignalIn } from '../collision/service';
import { loadChangeLists, recordChange, type EnrolmentDeps } from '../enrolments/service';
import { chinaMonth } from '../policy/service';
import { lastWorkingDayOf } from './schedule';

const UUID = /^[0-9a-f-]{36}$/i;

/** The signal of the caller's region, with whether its rule reads a death record. */
async function signalOf(db: EnrolmentDeps['db'], id: string) {
  if (!UUID.test(id)) throw NotFound('entity.signal');
  const s = await db
    .selectFrom('signals as s')
    .innerJoin('collision_rules as r', 'r.id', 's.rule_id')
    .select(['s.id', 's.id_hash', 's.outcome', 's.region_code', 's.status', 'r.code as rule_code'])
    .where('s.id', '=', id)
    .where(inScope('s.region_code'))
    .executeTakeFirst();
  if (!s) throw NotFound('entity.signal');
  // The death rules (death.recipient, death.breadwinner) conclude from a death or cremation record.
  return { ...s, death: s.rule_code.startsWith('death.') };
}

/**
 * The enrolments (not ended, in the caller's region) that cover the person of a signal, and what
 * the signal proposes for each: the death of the only covered member ends it from next month
 * (the township confirms); anything else opens a review.
 */
export async function signalEnrolments(deps: EnrolmentDeps, signalId: string): Promise<SignalEnrolments> {
  const { db } = deps;
  const s = await signalOf(db, signalId);
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('enrolment_members as em', 'em.enrolment_id', 'e.id')
    .select(['e.id', 'e.kind', 'e.status', 'e.covered_members', 'e.monthly_amount_fen'])
    .select(
      sql<string>`coalesce((select m2.name from enrolment_members m2 where m2.enrolment_id = e.id
        order by (m2.relation in ('head', 'self')) desc, m2.name limit 1), '')`.as('name'),
    )
    .select((eb) =>
      eb
        .selectFrom('reviews as v')
        .select('v.id')
        .whereRef('v.enrolment_id', '=', 'e.id')
        .where('v.status', '<>', 'decided')
        .limit(1)
        .as('open_review_id'),
    )
    .where('em.id_hash', '=', s.id_hash)
    .where('e.status', '<>', 'ended')
    .where('e.kind', '<>', 'temporary')
    .where(inScope('e.region_code'))
    .orderBy('e.created_at')
    .execute();
  const month = chinaMonth();
  if (rows.length === 0) return { signalId: s.id, death: s.death, items: [] };
  const lists = await loadChangeLists(
    db,
    rows.map((r) => r.id),
  );
  const items = rows
    .map((r) => {
      const changes = lists.get(r.id) ?? [];
      const e = entitlementFor(changes, month);
      const covered = e.state === 'pending' ? (changes[0]?.members ?? []) : e.members;
      if (!covered.includes(s.id_hash)) return null;
      const onlyMember = covered.length === 1;
      const end = s.death && onlyMember;
      return {
        enrolmentId: r.id,
        kind: r.kind,
        status: r.status,
        name: r.name,
        members: r.covered_members,
        monthlyAmountFen: r.monthly_amount_fen,
        onlyMember,
        proposal: end ? ('end' as const) : ('review' as const),
        effectiveMonth: end ? addMonths(month, 1) : null,
        openReviewId: r.open_review_id ?? null,
      };
    })
    .filter((i): i is NonNullable<typeof i> => i !== null);
  return { signalId: s.id, death: s.death, items };
}

/**
 * Acts on a signal for one of its enrolments: opens a review (source `signal`, the proposal and
 * the signal's evidence noted on it; an open review is reused), or — the death of the only
 * covered member — the township confirms the end from next month in one step. The signal is
 * marked in progress / resolved in the same transaction.
 */
export async function actOnSignal(
  deps: EnrolmentDeps,
  signalId: string,
  body: SignalActBody,
  idempotencyKey?: string,
): Promise<SignalActResult> {
  const { db } = deps;
  const view = await signalEnrolments(deps, signalId);
  const target = view.items.find((i) => i.enrolmentId === body.enrolmentId);
  if (!target) throw NotFound('entity.enrolment');
  const actor = getContext().actor;
  let reviewId: string | null = null;
  await db.transaction().execute(async (trx) => {
    if (body.action === 'confirm_end') {
      if (target.proposal !== 'end') throw Conflict('signal.notDeathOfOnlyMember');
      if (actor?.role !== 'township_officer')
        throw new AppError(403, 'FORBIDDEN', 'enrolment.approvalLevel', { level: 'levels.township' });
      await recordChange(
        deps,
        trx,
        target.enrolmentId,
        'ended',
        { reason: 'death', effectiveMonth: target.effectiveMonth!, note: body.note },
        idempotencyKey ?? `signal:${signalId}`,
        { signalId, confirmedByTownship: true },
      );
      await markSignalIn(trx, signalId, 'resolved', body.note || 'death: enrolment ended');
      return;
    }
    reviewId = target.openReviewId ?? (await openSignalReview(deps, trx, signalId, target, body));
  });
  const e = await db
    .selectFrom('enrolments')
    .select(['status', 'ends_month'])
    .where('id', '=', target.enrolmentId)
    .executeTakeFirstOrThrow();
  return { reviewId, enrolmentStatus: e.status, endsMonth: e.ends_month };
}

async function openSignalReview(
  deps: EnrolmentDeps,
  trx: Transaction<DB>,
  signalId: string,
  target: SignalEnrolments['items'][number],
  body: SignalActBody,
): Promise<string> {
  const e = await trx
    .selectFrom('enrolments')
    .select(['region_code', 'kind'])
    .where('id', '=', target.enrolmentId)
    .executeTakeFirstOrThrow();
  const records = await trx
    .selectFrom('signal_records')
    .select('record_id')
    .where('signal_id', '=', signalId)
    .orderBy('record_id')
    .execute();
  // Due by the end of next month; the period names the month it was opened (a scheduled review of
  // the same month would be the same check, and the one-open rule keeps it single).
  const month = chinaMonth();
  const dueOn = lastWorkingDayOf(await getCalendar(trx), addMonths(month, 1));
  const inserted = await trx
    .insertInto('reviews')
    .values({
      enrolment_id: target.enrolmentId,
      kind: e.kind as 'dibao',
      region_code: e.region_code,
      township_code: e.region_code.slice(0, 9),
      period: month,
      due_on: dueOn,
      interval_months: null,
      category: e.kind === 'dibao' ? 'other' : 'single',
      source: 'signal',
      signal_id: signalId,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw Conflict('review.alreadyThisMonth');
  const actor = getContext().actor;
  const data = {
    source: 'signal',
    signalId,
    ...(body.propose ? { proposal: body.propose } : {}),
    evidence: records.map((r) => String(r.record_id)),
    note: body.note,
  };
  await trx
    .insertInto('review_actions')
    .values({
      review_id: inserted.id,
      seq: 1,
      type: 'opened',
      data_enc: deps.protector.encrypt(JSON.stringify(data), 'review_action.data'),
      actor_username: actor?.username ?? 'system',
      actor_role: actor?.role ?? null,
      region_code: e.region_code,
    })
    .execute();
  await trx.updateTable('enrolments').set({ review_due_on: dueOn }).where('id', '=', target.enrolmentId).execute();
  const before = await markSignalIn(trx, signalId, 'in_progress', body.note || 'review opened');
  await recordAudit(trx, {
    action: 'review.open',
    entity: 'review',
    entityId: inserted.id,
    regionCode: e.region_code,
    detail: {
      enrolmentId: target.enrolmentId,
      signalId,
      ...(body.propose ? { proposal: body.propose } : {}),
      signalStatus: { from: before, to: 'in_progress' },
      today: chinaToday(),
    },
  });
  return inserted.id;
}
