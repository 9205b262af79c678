import { sql, type Kysely, type Transaction } from 'kysely';
import {
  chinaToday,
  entitlementFor,
  REVIEW_SURVEYORS,
  type Determination,
  type ReviewAction,
  type ReviewDecideBody,
  type ReviewDetail,
  type ReviewListQuery,
  type ReviewNoteBody,
  type ReviewPage,
  type ReviewStatus,
  type ReviewSummary,
  type ReviewSurveyBody,
  type VerificationReport,
} from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { AppError, Conflict, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { buildVerificationReport, proposeDetermination } from '../cases/service';
import {
  changeApprovalLevel,
  recordChange,
  loadChangeLists,
  type ChangeKind,
  type EnrolmentDeps,
} from '../enrolments/service';
import { chinaMonth, findEffectiveParams } from '../policy/service';

export { REVIEW_SCHEDULE_JOB, scheduleReviews } from './schedule';

export type ReviewDeps = EnrolmentDeps;

const ENC = 'review_action.data' as const;
const UUID = /^[0-9a-f-]{36}$/i;

function reviewFrom(db: Kysely<DB>) {
  return db
    .selectFrom('reviews as v')
    .innerJoin('enrolments as e', 'e.id', 'v.enrolment_id')
    .innerJoin('regions as r', 'r.code', 'v.region_code')
    .leftJoin('households as h', 'h.id', 'e.household_id')
    .where(inScope('v.region_code'));
}

const displayName = sql<string>`coalesce((select em.name from enrolment_members em where em.enrolment_id = e.id
  order by (em.relation in ('head', 'self')) desc, em.name limit 1), '')`;

function selectSummary(q: ReturnType<typeof reviewFrom>) {
  return q
    .selectAll('v')
    .select([
      'r.name as region_name',
      'h.household_no',
      'e.household_id',
      'e.covered_members',
      'e.monthly_amount_fen',
      'e.status as enrolment_status',
    ])
    .select(displayName.as('display_name'));
}
type SummaryRow = Awaited<ReturnType<ReturnType<typeof selectSummary>['executeTakeFirstOrThrow']>>;

function toSummary(r: SummaryRow, today: string): ReviewSummary {
  return {
    id: r.id,
    enrolmentId: r.enrolment_id,
    kind: r.kind,
    regionCode: r.region_code,
    regionName: r.region_name,
    householdId: r.household_id,
    householdNo: r.household_no ?? null,
    name: r.display_name,
    members: r.covered_members,
    monthlyAmountFen: r.monthly_amount_fen,
    enrolmentStatus: r.enrolment_status,
    period: r.period,
    dueOn: r.due_on,
    intervalMonths: r.interval_months,
    category: r.category,
    source: r.source,
    status: r.status,
    overdue: r.status !== 'decided' && r.due_on < today,
    decision: r.decision,
    decidedOn: r.decided_on,
  };
}

/** Reviews of the caller's region, the earliest due first, with the open and overdue counts. */
export async function listReviews(deps: ReviewDeps, q: ReviewListQuery): Promise<ReviewPage> {
  const today = chinaToday();
  let base = reviewFrom(deps.db);
  if (q.regionCode) base = base.where('v.region_code', 'like', `${q.regionCode}%`);
  if (q.kind) base = base.where('v.kind', '=', q.kind);
  if (q.enrolmentId) base = base.where('v.enrolment_id', '=', q.enrolmentId);
  const counts = await base
    .select([
      sql<number>`count(*) filter (where v.status <> 'decided')`.as('open'),
      sql<number>`count(*) filter (where v.status <> 'decided' and v.due_on < ${today})`.as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  let filtered = base;
  if (q.status) filtered = filtered.where('v.status', '=', q.status);
  if (q.dueBy) filtered = filtered.where('v.due_on', '<=', q.dueBy);
  if (q.overdue === 'true') filtered = filtered.where('v.status', '<>', 'decided').where('v.due_on', '<', today);
  if (q.overdue === 'false')
    filtered = filtered.where((eb) => eb.or([eb('v.status', '=', 'decided'), eb('v.due_on', '>=', today)]));
  const [rows, total] = await Promise.all([
    selectSummary(filtered)
      .orderBy(sql`v.status = 'decided'`)
      .orderBy('v.due_on')
      .orderBy('v.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => toSummary(r, today)),
    total: Number(total.n),
    open: Number(counts.open),
    overdue: Number(counts.overdue),
  };
}

type ActionRow = { seq: number; type: string; data_enc: string; actor_username: string; at: Date | string };

function dataOf(deps: ReviewDeps, a: Pick<ActionRow, 'data_enc'>): Record<string, unknown> {
  return JSON.parse(deps.protector.decrypt(a.data_enc, ENC)) as Record<string, unknown>;
}

/** The step each action takes the review from, and who may take it (the decision: the configured level). */
const STEPS: Record<ReviewAction, { from: ReviewStatus; to: ReviewStatus; type: ActionRow['type'] }> = {
  survey: { from: 'open', to: 'surveyed', type: 'surveyed' },
  verify: { from: 'surveyed', to: 'verified', type: 'verified' },
  determine: { from: 'verified', to: 'determined', type: 'determined' },
  decide: { from: 'determined', to: 'decided', type: 'decided' },
};

function mayTake(action: ReviewAction, level: 'township' | 'county'): boolean {
  const role = getContext().actor?.role;
  if (!role) return false;
  if (action === 'survey') return REVIEW_SURVEYORS.includes(role);
  if (action === 'decide') return role === (level === 'township' ? 'township_officer' : 'county_officer');
  return role === 'township_officer';
}

/** One review of the caller's region: the enrolment, every step with its facts, what the caller may do. */
export async function getReview(deps: ReviewDeps, id: string): Promise<ReviewDetail> {
  const { db } = deps;
  if (!UUID.test(id)) throw NotFound('entity.review');
  const row = await selectSummary(reviewFrom(db)).where('v.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.review');
  const actions = await db
    .selectFrom('review_actions')
    .select(['seq', 'type', 'data_enc', 'actor_username', 'at'])
    .where('review_id', '=', id)
    .orderBy('seq')
    .execute();
  const facts = actions.map((a) => ({ ...a, data: dataOf(deps, a) }));
  const last = (type: string) => [...facts].reverse().find((a) => a.type === type)?.data;
  const level = await changeApprovalLevel(db, deps.config.city, row.kind, row.region_code);
  const next = (Object.keys(STEPS) as ReviewAction[]).find((a) => STEPS[a].from === row.status);
  return {
    ...toSummary(row, chinaToday()),
    actions: facts.map((a) => ({
      seq: a.seq,
      type: a.type as ReviewDetail['actions'][number]['type'],
      actor: a.actor_username,
      at: new Date(a.at).toISOString(),
      // The report and the determination are shown in their own sections.
      data: a.type === 'verified' || a.type === 'determined' ? {} : a.data,
    })),
    survey: (last('surveyed') as ReviewSurveyBody | undefined) ?? null,
    report: ((last('verified') as { report?: VerificationReport } | undefined)?.report as VerificationReport) ?? null,
    determination:
      ((last('determined') as { determination?: Determination } | undefined)?.determination as Determination) ?? null,
    approvalLevel: level,
    allowedActions: next && mayTake(next, level) ? [next] : [],
  };
}

/** What a decision writes on the enrolment (continue: nothing). */
const DECISION_CHANGES: Record<ReviewDecideBody['decision'], ChangeKind | null> = {
  continue: null,
  change_amount: 'amount_changed',
  suspend: 'suspended',
  gradual_exit: 'gradual_exit_started',
  end: 'ended',
};

export type ReviewBodies = {
  survey: ReviewSurveyBody;
  verify: ReviewNoteBody;
  determine: ReviewNoteBody;
  decide: ReviewDecideBody;
};

/**
 * Takes one step of a review of the caller's region in one transaction: checks the status and the
 * caller's role (the decision: the kind's configured approval level), appends the action with its
 * facts (encrypted), rewrites the cached status and writes the audit row. The decision writes the
 * enrolment change (linked to the review) in the same transaction. An Idempotency-Key seen before
 * on the review returns the review as it is.
 */
export async function actOnReview<A extends ReviewAction>(
  deps: ReviewDeps,
  id: string,
  action: A,
  body: ReviewBodies[A],
  idempotencyKey?: string,
): Promise<ReviewDetail> {
  const { db } = deps;
  if (!UUID.test(id)) throw NotFound('entity.review');
  const actor = getContext().actor;
  await db.transaction().execute(async (trx) => {
    const v = await trx
      .selectFrom('reviews')
      .selectAll()
      .where('id', '=', id)
      .where(inScope('region_code'))
      .forUpdate()
      .executeTakeFirst();
    if (!v) throw NotFound('entity.review');
    if (idempotencyKey) {
      const seen = await trx
        .selectFrom('review_actions')
        .select('seq')
        .where('review_id', '=', id)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (seen) return;
    }
    const step = STEPS[action];
    if (v.status !== step.from) throw Conflict('review.stepNotAllowed', { status: `review.status.${v.status}` });
    const level = await changeApprovalLevel(trx, deps.config.city, v.kind, v.region_code);
    if (!mayTake(action, level))
      throw new AppError(403, 'FORBIDDEN', 'enrolment.approvalLevel', { level: `levels.${level}` });
    const actions = await trx
      .selectFrom('review_actions')
      .select(['seq', 'type', 'data_enc', 'actor_username', 'at'])
      .where('review_id', '=', id)
      .orderBy('seq')
      .execute();
    const today = chinaToday();
    const data = await stepData(deps, trx, v, action, body, actions, today);
    if (action === 'decide') {
      const b = body as ReviewDecideBody;
      const change = DECISION_CHANGES[b.decision];
      if (change) {
        // The change is recorded as the decider's own, at the configured level, linked to this review.
        const changeBody =
          change === 'amount_changed'
            ? { amountFen: b.amountFen!, effectiveMonth: b.effectiveMonth, note: b.note }
            : change === 'ended'
              ? { reason: b.reason!, effectiveMonth: b.effectiveMonth, note: b.note }
              : { effectiveMonth: b.effectiveMonth, note: b.note };
        await recordChange(deps, trx, v.enrolment_id, change, changeBody as never, `review:${id}`, {
          reviewId: id,
        });
      }
    }
    const seq = (actions[actions.length - 1]?.seq ?? 0) + 1;
    await trx
      .insertInto('review_actions')
      .values({
        review_id: id,
        seq,
        type: step.type as 'surveyed',
        data_enc: deps.protector.encrypt(JSON.stringify(data), ENC),
        actor_username: actor?.username ?? 'system',
        actor_role: actor?.role ?? null,
        region_code: v.region_code,
        idempotency_key: idempotencyKey ?? null,
      })
      .execute();
    const decision = action === 'decide' ? (body as ReviewDecideBody).decision : null;
    await trx
      .updateTable('reviews')
      .set({
        status: step.to,
        ...(decision ? { decision, decided_on: today } : {}),
        version: sql`version + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    // The next review is scheduled by the job from the enrolment's cycle; nothing is due until then.
    if (decision)
      await trx.updateTable('enrolments').set({ review_due_on: null }).where('id', '=', v.enrolment_id).execute();
    await recordAudit(trx, {
      action: `review.${action}`,
      entity: 'review',
      entityId: id,
      regionCode: v.region_code,
      detail: { seq, enrolmentId: v.enrolment_id, ...(decision ? { decision } : {}) },
    });
  });
  return getReview(deps, id);
}

type ReviewRow = { id: string; enrolment_id: string; kind: string; region_code: string };

/** The facts a step records: the survey form, the verification report, the determination, the decision. */
async function stepData(
  deps: ReviewDeps,
  trx: Transaction<DB>,
  v: ReviewRow,
  action: ReviewAction,
  body: ReviewBodies[ReviewAction],
  actions: ActionRow[],
  today: string,
): Promise<Record<string, unknown>> {
  const lastOf = (type: string) => {
    const a = [...actions].reverse().find((x) => x.type === type);
    return a ? dataOf(deps, a) : undefined;
  };
  if (action === 'survey') return { ...(body as ReviewSurveyBody) };
  if (action === 'decide') return { ...(body as ReviewDecideBody) };
  const month = chinaMonth();
  const members = await coveredMembers(trx, v.enrolment_id, month);
  if (members.length === 0) throw Conflict('review.noMembers');
  const survey = lastOf('surveyed') as ReviewSurveyBody;
  const note = (body as ReviewNoteBody).note;
  if (action === 'verify') {
    const dibao = await findEffectiveParams(trx, deps.config.city, v.region_code, 'dibao', month);
    if (!dibao) throw Conflict('enrolment.noStandard');
    const report = await buildVerificationReport(trx, {
      members: members.map((m) => ({ name: m.name, idHash: m.idHash, idMasked: m.idMasked })),
      asOf: today,
      otherIncomeFen: survey.otherIncomeFen,
      medicalCostsFen: survey.medicalCostsFen,
      assets: dibao.assets,
      note,
    });
    return { report };
  }
  const report = (lastOf('verified') as { report: VerificationReport }).report;
  const determination = await proposeDetermination(trx, {
    regionCode: v.region_code,
    month,
    members: members.map((m) => ({ idHash: m.idHash, birthDate: m.birthDate, relation: m.relation })),
    report,
    unmetAdl: survey.unmetAdl,
    emergency: false,
    staffRelative: false,
  });
  return { determination, note };
}

/** The people the enrolment covers this month (their registry birth date, else the one in the masked ID is unknown). */
async function coveredMembers(trx: Transaction<DB>, enrolmentId: string, month: string) {
  const lists = await loadChangeLists(trx, [enrolmentId]);
  const changes = lists.get(enrolmentId) ?? [];
  const e = entitlementFor(changes, month);
  const hashes = new Set(e.state === 'pending' ? (changes[0]?.members ?? []) : e.members);
  const rows = await trx
    .selectFrom('enrolment_members as em')
    .leftJoin('members as m', 'm.id', 'em.member_id')
    .select(['em.id_hash', 'em.name', 'em.id_masked', 'em.relation', 'm.birth_date'])
    .where('em.enrolment_id', '=', enrolmentId)
    .orderBy(sql`em.relation in ('head', 'self')`, 'desc')
    .orderBy('em.name')
    .execute();
  return rows
    .filter((r) => hashes.has(r.id_hash))
    .map((r) => ({
      idHash: r.id_hash,
      name: r.name,
      idMasked: r.id_masked,
      relation: r.relation,
      // Not in the registry: counted as a working-age adult (no age supplement assumed).
      birthDate: r.birth_date ?? '1980-01-01',
    }));
}
