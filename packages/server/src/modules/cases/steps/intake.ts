import { sql, type Kysely, type Transaction } from 'kysely';
import {
  chinaToday,
  maskIdNumber,
  OPEN_CASE_STATUSES,
  validateIdNumber,
  type ApplicationInput,
  type CaseChannel,
  type CaseStatus,
  type FieldError,
  type Role,
} from '@jiuzhu/shared';
import { findContext } from '../../../context';
import { maskPhone } from '../../../crypto/index';
import { inScope, isInScope } from '../../../db/scope';
import type { DB } from '../../../db/schema';
import { AppError, Forbidden, Invalid } from '../../../errors';
import { t } from '../../../i18n/messages';
import { recordAudit } from '../../audit/service';
import { getCalendar } from '../../calendar/service';
import { chinaMonth } from '../../policy/service';
import { UUID, type CaseDeps } from '../case-data';
import { loadStandards, overallDueOn, stepDueOn } from '../deadlines';
import { markDuplicate } from '../duplicates';
import { note, type StepsOf } from './step';

/** Serialises applications per person, so two at once for the same ID number cannot both pass the duplicate check. */
const APPLICATION_LOCK = 35030012;

// ---------------------------------------------------------------- applications

export type Actor = { username: string; role: Role | null };

/**
 * Registers an application (one window for all four kinds) from any channel: checks the form,
 * refuses a person who already has an open application or assistance, flags relatives of staff,
 * links the registry household, and records the first action. Staff callers (role set) must
 * hold the village in their region; the citizen channel (role null) has no region. Returns the
 * new case; a retry with the same Idempotency-Key by the same caller returns the first one.
 */
export async function createCase(
  deps: CaseDeps,
  input: ApplicationInput & { leadId?: string | undefined },
  channel: CaseChannel,
  actor: Actor,
  idempotencyKey?: string,
  /** Citizen channel (public.ts): a duplicate is entered and marked for staff instead of refused. */
  opts: { recordDuplicate?: boolean } = {},
): Promise<{ id: string; caseNo: string; status: CaseStatus }> {
  const { db, protector, config } = deps;
  const lang = findContext()?.lang ?? 'zh-CN';
  if (actor.role && !isInScope(input.villageCode)) throw Forbidden('error.outOfRegion');
  if (idempotencyKey) {
    const earlier = await earlierCase(db, idempotencyKey, actor);
    if (earlier) return earlier;
  }

  const fields: FieldError[] = [];
  const seen = new Map<string, number>();
  const members = input.members.map((m, i) => {
    if (i === 0 && m.relation !== 'self')
      fields.push({ path: 'members.0.relation', message: t(lang, 'case.applicantFirst') });
    if (i > 0 && m.relation === 'self')
      fields.push({ path: `members.${i}.relation`, message: t(lang, 'case.selfOnlyFirst') });
    const v = validateIdNumber(m.idNumber);
    if (!v.ok) {
      fields.push({ path: `members.${i}.idNumber`, message: v.message[lang] });
      return null;
    }
    const j = seen.get(v.idNumber);
    if (j !== undefined) fields.push({ path: `members.${i}.idNumber`, message: t(lang, 'case.idTwice', { n: j + 1 }) });
    seen.set(v.idNumber, i);
    return { ...m, idNumber: v.idNumber, sex: v.sex, birthDate: v.birthDate, idHash: protector.idHash(v.idNumber) };
  });
  const village = await db
    .selectFrom('regions')
    .select(['code', 'level'])
    .where('code', '=', input.villageCode)
    .executeTakeFirst();
  if (!village || village.level !== 'village')
    fields.push({ path: 'villageCode', message: t(lang, 'case.villageRequired') });
  if (input.leadId) {
    const lead =
      actor.role && UUID.test(input.leadId)
        ? await db
            .selectFrom('leads')
            .select('id')
            .where('id', '=', input.leadId)
            .where(inScope('region_code'))
            .executeTakeFirst()
        : undefined;
    if (!lead) fields.push({ path: 'leadId', message: t(lang, 'case.leadUnknown') });
  }
  if (fields.length > 0) throw Invalid(fields);
  const checked = members.map((m) => m!);
  const hashes = checked.map((m) => m.idHash);
  const applicant = checked[0]!;
  const today = chinaToday();
  const [calendar, standards] = await Promise.all([
    getCalendar(db),
    loadStandards(db, config.city, input.villageCode, chinaMonth()),
  ]);

  const created = await db.transaction().execute(async (trx) => {
    for (const h of [...hashes].sort())
      await sql`select pg_advisory_xact_lock(${APPLICATION_LOCK}, hashtext(${h}))`.execute(trx);
    // A retry sent before the first answered waited on these locks: the first case is its answer.
    if (idempotencyKey) {
      const earlier = await earlierCase(trx, idempotencyKey, actor);
      if (earlier) return earlier;
    }
    let duplicate: string | null = null;
    try {
      await refuseDuplicates(trx, hashes, actor);
    } catch (err) {
      if (!(opts.recordDuplicate && err instanceof AppError && err.status === 409)) throw err;
      duplicate = await markDuplicate(trx, hashes);
    }
    const [relative, household] = await Promise.all([
      trx
        .selectFrom('staff_relatives')
        .select('id')
        .where('relative_id_hash', 'in', hashes)
        .limit(1)
        .executeTakeFirst(),
      trx.selectFrom('members').select('household_id').where('id_hash', '=', applicant.idHash).executeTakeFirst(),
    ]);
    const seqRow = await sql<{ n: number }>`select nextval('case_no_seq')::int as n`.execute(trx);
    const caseNo = `SQ${today.slice(0, 4)}${String(seqRow.rows[0]!.n).padStart(6, '0')}`;
    const stepDue = stepDueOn(calendar, 'submitted', today, standards);
    const row = await trx
      .insertInto('cases')
      .values({
        case_no: caseNo,
        channel,
        lead_id: input.leadId ?? null,
        region_code: input.villageCode,
        household_id: household?.household_id ?? null,
        applicant_name: applicant.name,
        applicant_id_hash: applicant.idHash,
        applicant_id_masked: maskIdNumber(applicant.idNumber),
        phone_enc: protector.encrypt(input.phone, 'case.phone'),
        phone_masked: maskPhone(input.phone),
        address_enc: protector.encrypt(input.address, 'case.address'),
        reason_enc: protector.encrypt(input.reason, 'case.reason'),
        emergency: input.emergency,
        consent_at: new Date(),
        staff_relative: Boolean(relative),
        approval_level: 'county',
        status: 'submitted',
        step_started_on: today,
        step_due_on: stepDue,
        created_by: actor.username,
      })
      .returning(['id', 'case_no'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('case_members')
      .values(
        checked.map((m, i) => ({
          case_id: row.id,
          n: i + 1,
          name: m.name,
          relation: m.relation,
          id_enc: protector.encrypt(m.idNumber, 'case_member.id_number'),
          id_hash: m.idHash,
          id_masked: maskIdNumber(m.idNumber),
          sex: m.sex,
          birth_date: m.birthDate,
        })),
      )
      .execute();
    await trx
      .insertInto('case_actions')
      .values({
        case_id: row.id,
        seq: 1,
        action: 'submit',
        from_status: null,
        to_status: 'submitted',
        actor_username: actor.username,
        actor_role: actor.role,
        region_code: input.villageCode,
        data: JSON.stringify({
          channel,
          members: checked.length,
          emergency: input.emergency,
          staffRelative: Boolean(relative),
          ...(input.leadId ? { leadId: input.leadId } : {}),
          ...(duplicate ? { duplicateOf: duplicate } : {}),
        }),
        idempotency_key: idempotencyKey ?? null,
      })
      .execute();
    await recordAudit(trx, {
      action: 'case.submit',
      entity: 'case',
      entityId: row.id,
      regionCode: input.villageCode,
      detail: { caseNo, channel, members: checked.length, staffRelative: Boolean(relative) },
      ...(actor.role
        ? {}
        : { actor: { id: null, username: actor.username, role: 'citizen', regionCode: input.villageCode } }),
    });
    return { id: row.id, caseNo: row.case_no, status: 'submitted' as const };
  });
  return created;
}

/** The case a caller's earlier submit with this Idempotency-Key opened, if any. */
async function earlierCase(
  db: Kysely<DB>,
  idempotencyKey: string,
  actor: Actor,
): Promise<{ id: string; caseNo: string; status: CaseStatus } | undefined> {
  const earlier = await db
    .selectFrom('case_actions as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .select(['c.id', 'c.case_no', 'c.status'])
    .where('a.action', '=', 'submit')
    .where('a.idempotency_key', '=', idempotencyKey)
    .where('a.actor_username', '=', actor.username)
    .executeTakeFirst();
  return earlier && { id: earlier.id, caseNo: earlier.case_no, status: earlier.status };
}

/**
 * 409 when any of the people already has an open application, an active enrolment, or lives in a
 * registry household receiving dibao, tekun or dibao-edge assistance. Unscoped on purpose (a
 * person is refused wherever they are known); the case is named only to a caller who may see it.
 */
async function refuseDuplicates(trx: Transaction<DB>, hashes: string[], actor: Actor): Promise<void> {
  const visible = (region: string) => actor.role !== null && isInScope(region);
  const conflict = (
    key: 'case.duplicateOpen' | 'case.duplicateEnrolled' | 'case.duplicateRegistry',
    region: string,
    d: {
      caseId: string | null;
      caseNo: string | null;
      householdId: string | null;
      householdNo?: string;
    },
  ) => {
    if (!visible(region))
      return new AppError(409, 'CONFLICT', 'case.duplicateElsewhere', {}, undefined, {
        caseId: null,
        caseNo: null,
        householdId: null,
      });
    return new AppError(409, 'CONFLICT', key, { caseNo: d.caseNo ?? '', householdNo: d.householdNo ?? '' }, undefined, {
      caseId: d.caseId,
      caseNo: d.caseNo,
      householdId: d.householdId,
    });
  };
  const open = await trx
    .selectFrom('case_members as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .select(['c.id', 'c.case_no', 'c.household_id', 'c.region_code'])
    .where('cm.id_hash', 'in', hashes)
    .where('c.status', 'in', [...OPEN_CASE_STATUSES])
    .orderBy('c.created_at')
    .limit(1)
    .executeTakeFirst();
  if (open)
    throw conflict('case.duplicateOpen', open.region_code, {
      caseId: open.id,
      caseNo: open.case_no,
      householdId: open.household_id,
    });
  const enrolled = await trx
    .selectFrom('enrolments as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('case_members as cm', 'cm.case_id', 'e.case_id')
    .select(['c.id', 'c.case_no', 'c.household_id', 'c.region_code'])
    .where('cm.id_hash', 'in', hashes)
    .where('e.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (enrolled)
    throw conflict('case.duplicateEnrolled', enrolled.region_code, {
      caseId: enrolled.id,
      caseNo: enrolled.case_no,
      householdId: enrolled.household_id,
    });
  const registered = await trx
    .selectFrom('members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['h.id', 'h.household_no', 'h.region_code'])
    .where('m.id_hash', 'in', hashes)
    .where('h.assistance_status', 'in', ['dibao', 'tekun', 'dibao_edge'])
    .limit(1)
    .executeTakeFirst();
  if (registered)
    throw conflict('case.duplicateRegistry', registered.region_code, {
      caseId: null,
      caseNo: null,
      householdId: registered.id,
      householdNo: registered.household_no,
    });
}

/** Intake: missing documents asked for, the application accepted (the overall clock starts). */
export const intakeSteps: StepsOf<'request_documents' | 'accept'> = () => {
  return {
    request_documents: (b) => ({
      from: ['submitted'],
      run: async () => ({
        to: 'missing_docs',
        set: { missing_documents: JSON.stringify(b.documents) },
        data: { documents: b.documents },
      }),
    }),
    accept: (b) => ({
      from: ['submitted', 'missing_docs'],
      run: async ({ c, today, calendar, standards }) => {
        const acceptedOn = c.accepted_on ?? today;
        return {
          to: 'accepted',
          set: {
            accepted_on: acceptedOn,
            overall_due_on: overallDueOn(calendar, acceptedOn, c.approval_level, standards.dibao),
          },
          enc: note(b.note),
        };
      },
    }),
  };
};
