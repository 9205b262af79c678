import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  chinaToday,
  normalizeIdNumber,
  type ClaimDetail,
  type ClaimListQuery,
  type ClaimPage,
  type ClaimStatus,
  type ClaimStep,
  type ClaimSummary,
  type CoverItem,
  type CreateClaimBody,
  type DocumentKind,
  type ClaimGuideBody,
  type ClaimPayBody,
  type ClaimReceiveBody,
  type ClaimReviewBody,
  type WorkingCalendar,
} from '@jiuzhu/shared';
import { currentActor } from '../../context';
import type { Protector } from '../../crypto/index';
import type { DB, InsuranceClaimsTable } from '../../db/schema';
import { inScope } from '../../db/scope';
import { AppError, Conflict, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { CLAIM_DOCUMENT_MAX_BYTES, sniffDocument } from './document-type';
import { findInsured } from './insured';
import { regionNames } from './roster';
import { toScheme } from './scheme';

export type ClaimDeps = { db: Kysely<DB>; protector: Protector; config: { city: string } };
type ClaimRow = Selectable<InsuranceClaimsTable>;

/** Working days from complete materials to payout (经办时限). */
export const CLAIM_DEADLINE_WORKING_DAYS = 10;

/** The claims the caller may see: its region's, and for an insurer only those of its schemes. */
export function claimsFrom(db: Kysely<DB> | Transaction<DB>) {
  let q = db.selectFrom('insurance_claims as c').where(inScope('c.region_code'));
  const actor = currentActor();
  if (actor?.role === 'insurer')
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('insurance_schemes as s')
          .select('s.id')
          .whereRef('s.id', '=', 'c.scheme_id')
          .where(sql<boolean>`${actor.username} = any(s.insurer_users)`),
      ),
    );
  return q;
}

function clockOf(r: ClaimRow, calendar: WorkingCalendar, today: string): ClaimSummary['clock'] {
  if (!r.materials_complete_on) return { completeOn: null, dueOn: null, workingDays: null, overdue: false };
  const end = r.paid_on ?? (r.status === 'refused' ? null : today);
  const workingDays = end ? Math.max(0, calendar.workingDaysBetween(r.materials_complete_on, end)) : null;
  const overdue =
    r.status === 'paid' ? r.paid_on! > r.due_on! : r.status !== 'refused' && r.due_on !== null && today > r.due_on;
  return { completeOn: r.materials_complete_on, dueOn: r.due_on, workingDays, overdue };
}

function toSummary(r: ClaimRow, names: Map<string, string>, calendar: WorkingCalendar, today: string): ClaimSummary {
  return {
    id: r.id,
    claimNo: r.claim_no,
    status: r.status,
    source: r.source,
    name: r.insured_name,
    idMasked: r.id_masked,
    regionCode: r.region_code,
    regionName: names.get(r.region_code) ?? r.region_code,
    coverItem: r.cover_item,
    eventDate: r.event_date,
    approvedFen: r.approved_fen,
    paidFen: r.paid_fen,
    paidOn: r.paid_on,
    clock: clockOf(r, calendar, today),
    escalatedAt: r.escalated_at ? new Date(r.escalated_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function listClaims(deps: ClaimDeps, q: ClaimListQuery): Promise<ClaimPage> {
  const { db } = deps;
  const today = chinaToday();
  let base = claimsFrom(db);
  if (q.regionCode) base = base.where('c.region_code', 'like', `${q.regionCode}%`);
  if (q.status) base = base.where('c.status', '=', q.status);
  if (q.q) base = base.where((eb) => eb.or([eb('c.insured_name', 'like', `%${q.q}%`), eb('c.claim_no', '=', q.q!)]));
  if (q.overdue === 'true')
    base = base.where((eb) =>
      eb.or([
        eb.and([eb('c.status', 'in', ['received', 'approved']), eb('c.due_on', '<', today)]),
        eb.and([eb('c.status', '=', 'paid'), eb('c.paid_on', '>', eb.ref('c.due_on'))]),
      ]),
    );
  const [rows, total, calendar] = await Promise.all([
    base
      .selectAll('c')
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    getCalendar(db),
  ]);
  const names = await regionNames(
    db,
    rows.map((r) => r.region_code),
  );
  return { items: rows.map((r) => toSummary(r, names, calendar, today)), total: Number(total.n) };
}

async function coverItemOf(db: Kysely<DB> | Transaction<DB>, schemeId: string, code: string): Promise<CoverItem> {
  const s = await db.selectFrom('insurance_schemes').selectAll().where('id', '=', schemeId).executeTakeFirstOrThrow();
  const item = toScheme(s, true).coverItems.find((c) => c.code === code);
  if (!item) throw InvalidField('coverItem', 'insurance.noCoverItem');
  return item;
}

function allowedSteps(status: ClaimStatus): ClaimStep[] {
  const role = currentActor()?.role;
  const handler = role === 'township_officer' || role === 'grid_worker' || role === 'insurer';
  switch (status) {
    case 'reported':
      return handler ? ['guide'] : [];
    case 'guided':
      return handler ? ['receive'] : [];
    case 'received':
      return role === 'insurer' ? ['review'] : [];
    case 'approved':
      return role === 'insurer' ? ['pay'] : [];
    default:
      return [];
  }
}

export async function getClaim(deps: ClaimDeps, id: string): Promise<ClaimDetail> {
  const { db } = deps;
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.insuranceClaim');
  const r = await claimsFrom(db).selectAll('c').where('c.id', '=', id).executeTakeFirst();
  if (!r) throw NotFound('entity.insuranceClaim');
  const [actions, documents, item, calendar, names] = await Promise.all([
    db.selectFrom('insurance_claim_actions').selectAll().where('claim_id', '=', id).orderBy('seq').execute(),
    db
      .selectFrom('insurance_claim_documents')
      .select(['id', 'kind', 'file_name', 'size_bytes', 'uploaded_at'])
      .where('claim_id', '=', id)
      .orderBy('uploaded_at')
      .execute(),
    coverItemOf(db, r.scheme_id, r.cover_item),
    getCalendar(db),
    regionNames(db, [r.region_code]),
  ]);
  const have = new Set(documents.map((d) => d.kind));
  return {
    ...toSummary(r, names, calendar, chinaToday()),
    schemeId: r.scheme_id,
    eventNote: r.event_note,
    disabilityGrade: r.disability_grade,
    paidRef: r.paid_ref,
    feedRecordId: r.feed_record_id === null ? null : String(r.feed_record_id),
    checklist: item.materials.map((kind) => ({ kind, received: have.has(kind) })),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind as DocumentKind,
      fileName: d.file_name,
      sizeBytes: d.size_bytes,
      uploadedAt: new Date(d.uploaded_at).toISOString(),
    })),
    actions: actions.map((a) => ({
      seq: a.seq,
      type: a.type,
      detail: a.detail as Record<string, unknown>,
      actor: a.actor_username,
      actorRole: a.actor_role,
      at: new Date(a.at).toISOString(),
    })),
    allowedSteps: allowedSteps(r.status),
    version: r.version,
  };
}

function claimNo(): string {
  return `LP${chinaToday().replace(/-/g, '')}${randomBytes(3).toString('hex').toUpperCase()}`;
}

export type NewClaim = {
  idHash: string;
  coverItem: string;
  eventDate: string;
  eventNote: string | null;
  source: 'staff' | 'exchange' | 'citizen';
  /** Who reported, when not the signed-in actor (the citizen H5). */
  reportedBy?: { username: string; role: string };
  feedRecordId?: number | null;
  signalId?: string | null;
};

/**
 * Opens a claim at the report step (报案) for a person insured on the event date, in the
 * caller's transaction, with its first action and audit row. Returns null when the person was
 * not insured then, or (for a death) when a death claim for the person exists already.
 */
export async function openClaim(
  trx: Transaction<DB>,
  city: string,
  c: NewClaim,
  idempotencyKey?: string,
): Promise<{ id: string; created: boolean } | null> {
  const insured = await findInsured(trx, city, c.idHash, c.eventDate);
  if (!insured) return null;
  if (!insured.scheme.coverItems.some((i) => i.code === c.coverItem))
    throw InvalidField('coverItem', 'insurance.noCoverItem');
  const actor = currentActor();
  const row = await trx
    .insertInto('insurance_claims')
    .values({
      claim_no: claimNo(),
      scheme_id: insured.scheme.id,
      region_code: insured.regionCode,
      id_hash: c.idHash,
      member_id: insured.memberId,
      enrolment_id: insured.enrolmentId,
      insured_name: insured.name,
      id_masked: insured.idMasked,
      cover_item: c.coverItem,
      event_date: c.eventDate,
      event_note: c.eventNote,
      source: c.source,
      feed_record_id: c.feedRecordId ?? null,
      signal_id: c.signalId ?? null,
      status: 'reported',
    })
    // One death claim per person: a second report of the same death (or a re-run) adds nothing.
    .onConflict((oc) => oc.column('id_hash').where('cover_item', 'in', ['death_illness', 'death_accident']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) {
    const existing = await trx
      .selectFrom('insurance_claims')
      .select('id')
      .where('id_hash', '=', c.idHash)
      .where('cover_item', 'in', ['death_illness', 'death_accident'])
      .executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }
  await trx
    .insertInto('insurance_claim_actions')
    .values({
      claim_id: row.id,
      seq: 1,
      type: 'reported',
      detail: JSON.stringify({
        coverItem: c.coverItem,
        eventDate: c.eventDate,
        source: c.source,
        ...(c.feedRecordId ? { feedRecordId: c.feedRecordId } : {}),
      }),
      actor_username: c.reportedBy?.username ?? actor?.username ?? 'system',
      actor_role: c.reportedBy ? null : (actor?.role ?? null),
      idempotency_key: idempotencyKey ?? null,
    })
    .execute();
  await recordAudit(trx, {
    action: 'insurance.claim.report',
    entity: 'insurance_claim',
    entityId: row.id,
    regionCode: insured.regionCode,
    detail: { coverItem: c.coverItem, source: c.source },
    ...(c.reportedBy
      ? {
          actor: { id: null, username: c.reportedBy.username, role: c.reportedBy.role, regionCode: insured.regionCode },
        }
      : {}),
  });
  return { id: row.id, created: true };
}

/** Serialises the reports carrying the same caller's Idempotency-Key. */
const REPORT_KEY_LOCK = 35030013;

/** 报案 by staff or the insurer: the person by ID number, insured on the event date in the caller's region. */
export async function createClaim(
  deps: ClaimDeps,
  body: CreateClaimBody,
  idempotencyKey?: string,
): Promise<{ detail: ClaimDetail; created: boolean }> {
  const { db, protector } = deps;
  const idHash = protector.idHash(normalizeIdNumber(body.idNumber));
  const actor = currentActor()!;
  const result = await db.transaction().execute(async (trx) => {
    if (idempotencyKey) {
      // A double submit sends both before either answers: the second waits here for the first to
      // commit, then finds its action (without the lock both would find none and open two claims).
      const lockKey = `${actor.username}\n${idempotencyKey}`;
      await sql`select pg_advisory_xact_lock(${REPORT_KEY_LOCK}, hashtext(${lockKey}))`.execute(trx);
      const seen = await trx
        .selectFrom('insurance_claim_actions')
        .select('claim_id')
        .where('seq', '=', 1)
        .where('idempotency_key', '=', idempotencyKey)
        .where('actor_username', '=', actor.username)
        .executeTakeFirst();
      if (seen) return { id: seen.claim_id, created: false };
    }
    if (body.eventDate > chinaToday()) throw InvalidField('eventDate', 'error.validation');
    const opened = await openClaim(
      trx,
      deps.config.city,
      { idHash, coverItem: body.coverItem, eventDate: body.eventDate, eventNote: body.eventNote, source: 'staff' },
      idempotencyKey,
    );
    // Not insured on the date in the caller's region: as if there were no such person (nothing leaks about other regions).
    if (!opened) throw new AppError(404, 'NOT_FOUND', 'insurance.notInsured');
    if (!opened.created) throw Conflict('insurance.duplicateDeathClaim');
    return opened;
  });
  return { detail: await getClaim(deps, result.id), created: result.created };
}

export type StepBodies = {
  guide: ClaimGuideBody;
  receive: ClaimReceiveBody;
  review: ClaimReviewBody;
  pay: ClaimPayBody;
};

const FROM: Record<ClaimStep, ClaimStatus> = {
  guide: 'reported',
  receive: 'guided',
  review: 'received',
  pay: 'approved',
};

/** One step of a claim: an append-only action, the derived columns, the audit row, in one transaction. */
export async function actOnClaim<S extends ClaimStep>(
  deps: ClaimDeps,
  id: string,
  step: S,
  body: StepBodies[S],
  idempotencyKey?: string,
): Promise<ClaimDetail> {
  const { db } = deps;
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.insuranceClaim');
  const actor = currentActor()!;
  await db.transaction().execute(async (trx) => {
    const c = await claimsFrom(trx).selectAll('c').where('c.id', '=', id).forUpdate().executeTakeFirst();
    if (!c) throw NotFound('entity.insuranceClaim');
    if (idempotencyKey) {
      const seen = await trx
        .selectFrom('insurance_claim_actions')
        .select('seq')
        .where('claim_id', '=', id)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (seen) return;
    }
    if (c.status !== FROM[step] || !allowedSteps(c.status).includes(step))
      throw Conflict('insurance.stepNotAllowed', { status: `insurance.status.${c.status}` });
    const last = await trx
      .selectFrom('insurance_claim_actions')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('claim_id', '=', id)
      .executeTakeFirstOrThrow();
    const seq = Number(last.seq ?? 0) + 1;
    const item = await coverItemOf(trx, c.scheme_id, c.cover_item);
    const set: Partial<Record<keyof ClaimRow, unknown>> = {};
    let type: ClaimStatus;
    let detail: Record<string, unknown>;
    switch (step) {
      case 'guide': {
        const b = body as ClaimGuideBody;
        type = 'guided';
        detail = { checklist: item.materials, note: b.note };
        break;
      }
      case 'receive': {
        const b = body as ClaimReceiveBody;
        const today = chinaToday();
        const completeOn = b.completeOn ?? today;
        if (completeOn > today || completeOn < c.event_date) throw InvalidField('completeOn', 'error.validation');
        const stored = await trx
          .selectFrom('insurance_claim_documents')
          .select('kind')
          .where('claim_id', '=', id)
          .execute();
        const have = new Set([...stored.map((d) => d.kind), ...b.documents.map((d) => d.kind)]);
        const missing = item.materials.filter((m) => !have.has(m));
        for (const [i, d] of b.documents.entries()) {
          const content = Buffer.from(d.contentBase64.replace(/^data:[\w/+.-]+;base64,/, ''), 'base64');
          // A PDF, JPEG or PNG by its content (the declared type is not trusted), within the size limit.
          const mime = sniffDocument(content);
          if (content.length === 0 || content.length > CLAIM_DOCUMENT_MAX_BYTES || !mime)
            throw InvalidField(`documents.${i}.contentBase64`, 'error.validation');
          await trx
            .insertInto('insurance_claim_documents')
            .values({
              claim_id: id,
              kind: d.kind,
              file_name: d.fileName,
              mime_type: mime,
              size_bytes: content.length,
              sha256: createHash('sha256').update(content).digest('hex'),
              content,
              action_seq: seq,
            })
            .execute();
        }
        type = 'received';
        detail = { documents: b.documents.map((d) => d.kind), complete: missing.length === 0, missing };
        // Materials still missing: the documents are kept and the claim stays at intake.
        if (missing.length === 0) {
          const calendar = await getCalendar(trx);
          set.status = 'received';
          set.materials_complete_on = completeOn;
          set.due_on = calendar.addWorkingDays(completeOn, CLAIM_DEADLINE_WORKING_DAYS);
          detail.completeOn = completeOn;
        }
        break;
      }
      case 'review': {
        const b = body as ClaimReviewBody;
        const chosen = b.coverItem ? await coverItemOf(trx, c.scheme_id, b.coverItem) : item;
        if (b.decision === 'refuse') {
          type = 'refused';
          detail = { reasons: b.reasons };
          break;
        }
        let max = chosen.maxFen;
        if (chosen.grades) {
          const grade = chosen.grades.find((g) => g.grade === b.disabilityGrade);
          if (!grade) throw InvalidField('disabilityGrade', 'insurance.gradeRequired');
          max = Math.floor((chosen.maxFen * grade.shareBp) / 10_000);
          set.disability_grade = grade.grade;
        }
        const amount = b.amountFen ?? max;
        if (amount > max) throw InvalidField('amountFen', 'insurance.amountAboveScheme');
        type = 'approved';
        set.cover_item = chosen.code;
        set.approved_fen = amount;
        detail = {
          coverItem: chosen.code,
          disabilityGrade: b.disabilityGrade ?? null,
          amountFen: amount,
          reasons: b.reasons,
        };
        break;
      }
      case 'pay': {
        const b = body as ClaimPayBody;
        if (b.amountFen > (c.approved_fen ?? 0)) throw InvalidField('amountFen', 'insurance.amountAboveScheme');
        if (b.paidOn > chinaToday() || (c.materials_complete_on && b.paidOn < c.materials_complete_on))
          throw InvalidField('paidOn', 'error.validation');
        type = 'paid';
        set.paid_on = b.paidOn;
        set.paid_fen = b.amountFen;
        set.paid_ref = b.reference;
        detail = { paidOn: b.paidOn, amountFen: b.amountFen, reference: b.reference };
        break;
      }
    }
    if (type! !== 'received') set.status = type!;
    await trx
      .insertInto('insurance_claim_actions')
      .values({
        claim_id: id,
        seq,
        type: type!,
        detail: JSON.stringify(detail!),
        actor_username: actor.username,
        actor_role: actor.role,
        idempotency_key: idempotencyKey ?? null,
      })
      .execute();
    await trx
      .updateTable('insurance_claims')
      .set({ ...(set as object), version: sql`version + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      action: `insurance.claim.${step}`,
      entity: 'insurance_claim',
      entityId: id,
      regionCode: c.region_code,
      detail: { status: set.status ?? c.status, seq },
    });
  });
  return getClaim(deps, id);
}
