import { sql, type Kysely, type Transaction } from 'kysely';
import {
  chinaToday,
  maskIdNumber,
  OPEN_CASE_STATUSES,
  validateIdNumber,
  type ApplicationInput,
  type ApprovalLevel,
  type AssistanceKind,
  type CaseAction,
  type CaseActionType,
  type CaseChannel,
  type CaseDetail,
  type CaseListQuery,
  type CaseOverdueStats,
  type CasePage,
  type CaseStatus,
  type CaseSummary,
  type DeterminedKind,
  type DetermineBody,
  type Determination,
  type FieldError,
  type Role,
  type SurveyBody,
  type VerificationReport,
  type WorkingCalendar,
} from '@jiuzhu/shared';
import type { Config } from '../../config';
import { currentScope, findContext, getContext } from '../../context';
import { maskPhone, type Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { AppError, Conflict, Forbidden, Invalid, InvalidField, NotFound } from '../../errors';
import { t } from '../../i18n/messages';
import { decodePhoto, type Photo } from '../../photos';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { chinaMonth } from '../policy/service';
import {
  addCalendarDays,
  clockOf,
  loadStandards,
  metDeadline,
  nextMonth,
  overallDueOn,
  paperworkDueOn,
  stepDueOn,
  type CaseStandards,
} from './deadlines';
import { proposeDetermination } from './determination';
import { buildVerificationReport } from './verification';

export type CaseDeps = { db: Kysely<DB>; protector: Protector; config: Pick<Config, 'city'> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Serialises applications per person, so two at once for the same ID number cannot both pass the duplicate check. */
const APPLICATION_LOCK = 35030012;
const ENC = 'case_action.data' as const;

type CaseRow = Awaited<ReturnType<ReturnType<typeof selectCase>['executeTakeFirstOrThrow']>>;
type StoredDetermination = Determination & { overridden: boolean; overrideReason: string; proposal?: Determination };

function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

function caseFrom(db: Kysely<DB>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .where(inScope('c.region_code'));
}

function selectCase(db: Kysely<DB>, from = caseFrom(db)) {
  return from.selectAll('c').select('r.name as region_name');
}

const isOpen = (s: CaseStatus) => OPEN_CASE_STATUSES.includes(s);
const statusParam = (s: CaseStatus) => ({ status: `case.status.${s}` });

function toSummary(r: CaseRow, calendar: WorkingCalendar, today: string): CaseSummary {
  const open = isOpen(r.status);
  // A closed case's clocks stop on the day it closed.
  const asOf = open ? today : r.step_started_on;
  return {
    id: r.id,
    caseNo: r.case_no,
    channel: r.channel,
    status: r.status,
    applicantName: r.applicant_name,
    idMasked: r.applicant_id_masked,
    members: Number((r as { member_count?: number }).member_count ?? 0),
    regionCode: r.region_code,
    regionName: r.region_name,
    emergency: r.emergency,
    staffRelative: r.staff_relative,
    approvalLevel: r.approval_level,
    step: clockOf(calendar, r.step_started_on, r.step_due_on, asOf),
    overall: r.accepted_on ? clockOf(calendar, r.accepted_on, r.overall_due_on, asOf) : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const memberCount = () => sql<number>`(select count(*)::int from case_members cm where cm.case_id = c.id)`;

// ---------------------------------------------------------------- applications

type Actor = { username: string; role: Role | null };

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
): Promise<{ id: string; caseNo: string; status: CaseStatus }> {
  const { db, protector, config } = deps;
  const lang = findContext()?.lang ?? 'zh-CN';
  if (actor.role && !isInScope(input.villageCode)) throw Forbidden('error.outOfRegion');
  if (idempotencyKey) {
    const earlier = await db
      .selectFrom('case_actions as a')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .select(['c.id', 'c.case_no', 'c.status'])
      .where('a.action', '=', 'submit')
      .where('a.idempotency_key', '=', idempotencyKey)
      .where('a.actor_username', '=', actor.username)
      .executeTakeFirst();
    if (earlier) return { id: earlier.id, caseNo: earlier.case_no, status: earlier.status };
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
    await refuseDuplicates(trx, hashes, actor);
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

// ---------------------------------------------------------------- reading

/** The actions a caller may take on a case now (the township's and the county's steps). */
export function allowedActions(
  c: Pick<CaseRow, 'status' | 'approval_level' | 'emergency'>,
  role: Role | undefined,
  emergencyPaid: boolean,
): CaseActionType[] {
  const out: CaseActionType[] = [];
  if (role === 'township_officer') {
    const byStatus: Partial<Record<CaseStatus, CaseActionType[]>> = {
      submitted: ['request_documents', 'accept'],
      missing_docs: ['accept'],
      accepted: ['record_survey'],
      verified: ['determine'],
      determined: ['publish_notice'],
      notice: ['record_objection', 'close_notice'],
      rejected: ['request_review'],
    };
    out.push(...(byStatus[c.status] ?? []));
    if (c.status === 'pending_approval' && c.approval_level === 'township') out.push('approve', 'reject');
    if (c.emergency && !emergencyPaid && isOpen(c.status)) out.push('emergency_payment');
  } else if (role === 'county_officer') {
    if (c.status === 'verifying') out.push('record_verification');
    if (c.status === 'pending_approval' && c.approval_level === 'county') out.push('approve', 'reject');
  }
  return out;
}

type ActionRow = {
  id: number;
  seq: number;
  action: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor_username: string;
  actor_role: string | null;
  at: Date;
  step_due_on: string | null;
  on_time: boolean | null;
  data: unknown;
  data_enc: string | null;
};

function toAction(protector: Protector, a: ActionRow): CaseAction {
  const enc = a.data_enc ? (JSON.parse(protector.decrypt(a.data_enc, ENC)) as Record<string, unknown>) : {};
  return {
    seq: a.seq,
    action: a.action as CaseActionType,
    fromStatus: a.from_status,
    toStatus: a.to_status,
    actor: a.actor_username,
    actorRole: a.actor_role,
    at: a.at.toISOString(),
    stepDueOn: a.step_due_on,
    onTime: a.on_time,
    data: { ...json<Record<string, unknown>>(a.data), ...enc },
  };
}

function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** Survey figures of the latest recorded survey (from its encrypted content). */
function latestSurvey(protector: Protector, actions: ActionRow[]) {
  const a = [...actions].reverse().find((x) => x.action === 'record_survey');
  const enc = a?.data_enc ? (JSON.parse(protector.decrypt(a.data_enc, ENC)) as Record<string, unknown>) : {};
  return {
    otherIncomeFen: Number(enc.otherIncomeFen ?? 0),
    medicalCostsFen: Number(enc.medicalCostsFen ?? 0),
    unmetAdl: Number(enc.unmetAdl ?? 0),
  };
}

async function loadActions(db: Kysely<DB>, caseId: string): Promise<ActionRow[]> {
  return (await db
    .selectFrom('case_actions')
    .select([
      'id',
      'seq',
      'action',
      'from_status',
      'to_status',
      'actor_username',
      'actor_role',
      'at',
      'step_due_on',
      'on_time',
      'data',
      'data_enc',
    ])
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute()) as ActionRow[];
}

async function loadMembers(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('case_members')
    .select(['n', 'name', 'relation', 'id_hash', 'id_masked', 'sex', 'birth_date'])
    .where('case_id', '=', caseId)
    .orderBy('n')
    .execute();
}

async function propose(
  db: Kysely<DB>,
  protector: Protector,
  c: CaseRow,
  members: Awaited<ReturnType<typeof loadMembers>>,
  actions: ActionRow[],
): Promise<Determination | null> {
  const report = c.verification ? json<VerificationReport>(c.verification) : null;
  if (!report) return null;
  return proposeDetermination(db, {
    regionCode: c.region_code,
    month: chinaMonth(),
    members: members.map((m) => ({ idHash: m.id_hash, birthDate: m.birth_date, relation: m.relation })),
    report,
    unmetAdl: latestSurvey(protector, actions).unmetAdl,
    emergency: c.emergency,
    staffRelative: c.staff_relative,
  });
}

/** One case of the caller's region with its timeline, clocks and what the caller may do; 404 outside. */
export async function getCase(deps: CaseDeps, id: string): Promise<CaseDetail> {
  const { db, protector } = deps;
  if (!UUID.test(id)) throw NotFound('entity.case');
  const c = await selectCase(db).where('c.id', '=', id).select(memberCount().as('member_count')).executeTakeFirst();
  if (!c) throw NotFound('entity.case');
  const today = chinaToday();
  const [actions, members, calendar, notice, township] = await Promise.all([
    loadActions(db, id),
    loadMembers(db, id),
    getCalendar(db),
    db
      .selectFrom('case_notices')
      .select(['published_on', 'ends_on', 'objections', 'status'])
      .where('case_id', '=', id)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom('regions').select('name').where('code', '=', c.region_code.slice(0, 9)).executeTakeFirst(),
  ]);
  const payment = actions.find((a) => a.action === 'emergency_payment');
  const paymentData = payment ? json<Record<string, unknown>>(payment.data) : null;
  const stored = c.determination ? json<StoredDetermination>(c.determination) : null;
  const proposal =
    c.status === 'verified' ? await propose(db, protector, c, members, actions) : (stored?.proposal ?? null);
  const { role } = getContext().actor ?? {};
  return {
    ...toSummary(c, calendar, today),
    phoneMasked: c.phone_masked,
    addressMasked: `${township?.name ?? ''}${c.region_name}****`,
    reason: protector.decrypt(c.reason_enc, 'case.reason'),
    leadId: c.lead_id,
    householdId: c.household_id,
    memberList: members.map((m) => ({
      name: m.name,
      idMasked: m.id_masked,
      relation: m.relation,
      sex: m.sex,
      age: ageOn(m.birth_date, today),
    })),
    actions: actions.map((a) => toAction(protector, a)),
    allowedActions: allowedActions(c, role, Boolean(payment)),
    missingDocuments: json<string[]>(c.missing_documents),
    verification: c.verification ? json<VerificationReport>(c.verification) : null,
    proposal,
    determination: stored
      ? {
          kinds: stored.kinds,
          lines: stored.lines,
          approvalLevel: stored.approvalLevel,
          standards: stored.standards,
          overridden: stored.overridden,
          overrideReason: stored.overrideReason,
        }
      : null,
    notice: notice
      ? {
          publishedOn: notice.published_on,
          endsOn: notice.ends_on,
          objections: notice.objections,
          status: notice.status,
        }
      : null,
    emergencyPayment: paymentData
      ? {
          amountFen: Number(paymentData.amountFen),
          paidOn: String(paymentData.paidOn),
          paperworkDueOn: String(paymentData.paperworkDueOn),
          paperworkDone: actions.some((a) => a.action === 'record_survey'),
        }
      : null,
    enrolledFrom: c.enrolled_from,
  };
}

/** Statuses that wait on a role (the inbox); pending approval waits on the configured level. */
function inboxFilter(role: Role | undefined) {
  if (role === 'township_officer')
    return sql<boolean>`(c.status in ('submitted', 'missing_docs', 'accepted', 'verified', 'determined', 'notice')
      or (c.status = 'pending_approval' and c.approval_level = 'township'))`;
  if (role === 'county_officer')
    return sql<boolean>`(c.status = 'verifying' or (c.status = 'pending_approval' and c.approval_level = 'county'))`;
  return sql<boolean>`false`;
}

const OPEN_SQL = sql.join(OPEN_CASE_STATUSES.map((s) => sql.lit(s)));

/** Cases of the caller's region: the inbox, by status, overdue, by name or number; most urgent first. */
export async function listCases(deps: CaseDeps, q: CaseListQuery): Promise<CasePage> {
  const { db } = deps;
  const today = chinaToday();
  let query = caseFrom(db);
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.inbox === 'true') query = query.where(inboxFilter(getContext().actor?.role));
  const overdue = sql<boolean>`(c.status in (${OPEN_SQL}) and (c.step_due_on < ${today} or c.overall_due_on < ${today}))`;
  if (q.overdue === 'true') query = query.where(overdue);
  if (q.overdue === 'false') query = query.where(sql<boolean>`not ${overdue}`);
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) => eb.or([eb('c.applicant_name', 'like', like), eb('c.case_no', 'like', like)]));
  }
  const [rows, count, calendar] = await Promise.all([
    selectCase(db, query)
      .select(memberCount().as('member_count'))
      .orderBy(sql`c.status in (${OPEN_SQL})`, 'desc')
      .orderBy('c.step_due_on', (ob) => ob.asc().nullsLast())
      .orderBy('c.created_at')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    getCalendar(db),
  ]);
  return { items: rows.map((r) => toSummary(r, calendar, today)), total: Number(count.n) };
}

/** Open cases, overdue steps and overdue cases per child region of the caller's region. */
export async function overdueStats(deps: CaseDeps): Promise<CaseOverdueStats> {
  const { db } = deps;
  const scope = currentScope();
  const code = scope.kind === 'region' ? scope.regionCode : deps.config.city;
  const self = await db.selectFrom('regions').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!self) throw NotFound('entity.region');
  const today = chinaToday();
  const children = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', code)
    .executeTakeFirstOrThrow();
  const rowsOf = Number(children.n) > 0 ? sql`g.parent_code = ${code}` : sql`g.code = ${code}`;
  const result = await sql<{ code: string; name: string; open: number; steps: number; overall: number }>`
    select g.code, g.name,
           count(c.id)::int as open,
           count(c.id) filter (where c.step_due_on < ${today})::int as steps,
           count(c.id) filter (where c.overall_due_on < ${today})::int as overall
      from regions g
      left join cases c on c.region_code like g.code || '%' and c.status in (${OPEN_SQL}) and ${inScope('c.region_code')}
     where ${rowsOf}
     group by g.code, g.name
     order by g.code`.execute(db);
  const rows = result.rows.map((r) => ({
    regionCode: r.code,
    regionName: r.name,
    open: Number(r.open),
    overdueSteps: Number(r.steps),
    overdueOverall: Number(r.overall),
  }));
  const sum = (k: 'open' | 'overdueSteps' | 'overdueOverall') => rows.reduce((a, r) => a + r[k], 0);
  return {
    rows,
    total: {
      regionCode: self.code,
      regionName: self.name,
      open: sum('open'),
      overdueSteps: sum('overdueSteps'),
      overdueOverall: sum('overdueOverall'),
    },
  };
}

/** One survey photo of a case of the caller's region. */
export async function getCasePhoto(
  db: Kysely<DB>,
  caseId: string,
  seq: number,
  n: number,
): Promise<{ contentType: string; bytes: Buffer }> {
  if (!UUID.test(caseId)) throw NotFound('entity.photo');
  const row = await db
    .selectFrom('case_photos as p')
    .innerJoin('case_actions as a', 'a.id', 'p.action_id')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .select(['p.content_type', 'p.data'])
    .where('c.id', '=', caseId)
    .where('a.seq', '=', seq)
    .where('p.n', '=', n)
    .where(inScope('c.region_code'))
    .executeTakeFirst();
  if (!row) throw NotFound('entity.photo');
  return { contentType: row.content_type, bytes: Buffer.from(row.data) };
}

// ---------------------------------------------------------------- actions

type StepEnv = {
  trx: Transaction<DB>;
  c: CaseRow;
  today: string;
  calendar: WorkingCalendar;
  standards: CaseStandards;
};

type StepResult = {
  to: CaseStatus;
  /** Further columns of the case to set with the transition. */
  set?: Record<string, unknown>;
  /** Display-safe content of the action. */
  data?: Record<string, unknown>;
  /** Free text and figures that may hold personal details: stored encrypted. */
  enc?: Record<string, unknown>;
  /** Kinds decided, for the approval clock. */
  kinds?: AssistanceKind[];
  noticeEndsOn?: string;
  /** Writes after the transition is claimed (the action row exists). */
  after?: (trx: Transaction<DB>, actionId: number) => Promise<void>;
};

type Step = {
  from: readonly CaseStatus[];
  /** Checks that depend on the case and the caller (before the transaction). */
  guard?: (c: CaseRow, role: Role | undefined) => void;
  run: (env: StepEnv) => Promise<StepResult>;
};

function levelGuard(c: CaseRow, role: Role | undefined): void {
  const needed: Role = c.approval_level === 'township' ? 'township_officer' : 'county_officer';
  if (role !== needed)
    throw new AppError(403, 'FORBIDDEN', 'case.approvalLevel', { level: `levels.${c.approval_level}` });
}

function decidedKinds(c: CaseRow): DeterminedKind[] {
  return c.determination ? json<StoredDetermination>(c.determination).kinds : [];
}

/**
 * Runs one step on a case: checks the step and the caller, then in one transaction claims the
 * transition with the version guard (two at once: one wins, the other gets 409), appends the
 * action with the next seq, and writes the audit row. An Idempotency-Key seen before on the case
 * returns the case as it is, recording nothing.
 */
async function perform(
  deps: CaseDeps,
  caseId: string,
  action: CaseActionType,
  step: Step,
  idempotencyKey: string | undefined,
): Promise<CaseDetail> {
  const { db, protector, config } = deps;
  if (!UUID.test(caseId)) throw NotFound('entity.case');
  const c = await selectCase(db).where('c.id', '=', caseId).executeTakeFirst();
  if (!c) throw NotFound('entity.case');
  const seenKey = async () =>
    idempotencyKey
      ? Boolean(
          await db
            .selectFrom('case_actions')
            .select('id')
            .where('case_id', '=', caseId)
            .where('idempotency_key', '=', idempotencyKey)
            .executeTakeFirst(),
        )
      : false;
  if (await seenKey()) return getCase(deps, caseId);
  if (!step.from.includes(c.status)) throw Conflict('case.wrongStep', statusParam(c.status));
  const actor = getContext().actor!;
  step.guard?.(c, actor.role);
  const today = chinaToday();
  const [calendar, standards] = await Promise.all([
    getCalendar(db),
    loadStandards(db, config.city, c.region_code, chinaMonth()),
  ]);
  try {
    await db.transaction().execute(async (trx) => {
      const r = await step.run({ trx, c, today, calendar, standards });
      const moves = r.to !== c.status;
      const due = moves
        ? stepDueOn(calendar, r.to, today, standards, {
            kinds: r.kinds ?? decidedKinds(c).map((k) => k.kind),
            ...(r.noticeEndsOn ? { noticeEndsOn: r.noticeEndsOn } : {}),
          })
        : c.step_due_on;
      const updated = await trx
        .updateTable('cases')
        .set({
          ...(r.set ?? {}),
          status: r.to,
          step_started_on: moves ? today : c.step_started_on,
          step_due_on: due,
          version: sql<number>`version + 1`,
          updated_at: new Date(),
        })
        .where('id', '=', caseId)
        .where('version', '=', c.version)
        .where('status', '=', c.status)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        const now = await trx.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
        throw Conflict('case.changed', statusParam(now.status));
      }
      const last = await trx
        .selectFrom('case_actions')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow();
      const completedDue = moves ? c.step_due_on : null;
      const inserted = await trx
        .insertInto('case_actions')
        .values({
          case_id: caseId,
          seq: Number(last.seq ?? 0) + 1,
          action,
          from_status: c.status,
          to_status: r.to,
          actor_username: actor.username,
          actor_role: actor.role,
          region_code: c.region_code,
          step_due_on: completedDue,
          on_time: metDeadline(completedDue, today),
          data: JSON.stringify(r.data ?? {}),
          data_enc: r.enc && Object.keys(r.enc).length > 0 ? protector.encrypt(JSON.stringify(r.enc), ENC) : null,
          idempotency_key: idempotencyKey ?? null,
        })
        .returning(['id', 'seq'])
        .executeTakeFirstOrThrow();
      await r.after?.(trx, inserted.id);
      await recordAudit(trx, {
        action: `case.${action}`,
        entity: 'case',
        entityId: caseId,
        regionCode: c.region_code,
        detail: { caseNo: c.case_no, seq: inserted.seq, from: c.status, to: r.to },
      });
    });
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === '23505') {
      // A concurrent retry with the same key, or a concurrent action that took the seq.
      if (await seenKey()) return getCase(deps, caseId);
      const now = await db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
      throw Conflict('case.changed', statusParam(now.status));
    }
    throw err;
  }
  return getCase(deps, caseId);
}

function checkSurvey(body: SurveyBody, c: CaseRow, today: string): Photo[] {
  const fields: FieldError[] = [];
  if (body.surveyedOn > today) fields.push({ path: 'surveyedOn', message: 'case.surveyInFuture' });
  else if (body.surveyedOn < chinaToday(c.created_at))
    fields.push({ path: 'surveyedOn', message: 'case.surveyBeforeApplication' });
  const names = body.staff.map((s) => s.trim());
  names.forEach((s, i) => {
    if (names.indexOf(s) !== i) fields.push({ path: `staff.${i}`, message: 'case.staffTwice' });
  });
  const photos: Photo[] = [];
  body.photos.forEach((p, i) => {
    const photo = decodePhoto(p);
    if (photo === 'type') fields.push({ path: `photos.${i}`, message: 'case.photoType' });
    else if (photo === 'tooLarge') fields.push({ path: `photos.${i}`, message: 'case.photoTooLarge' });
    else photos.push(photo);
  });
  if (fields.length > 0) throw Invalid(fields);
  return photos;
}

const sameKinds = (a: DeterminedKind[], b: DeterminedKind[]) => {
  const key = (k: DeterminedKind[]) =>
    JSON.stringify(
      [...k].sort((x, y) => x.kind.localeCompare(y.kind)).map((x) => [x.kind, x.monthlyAmountFen, x.oneOffAmountFen]),
    );
  return key(a) === key(b);
};

/** Who approves: the county for relatives of staff; else the strictest of the kinds' configured levels. */
export function approvalLevelOf(
  kinds: DeterminedKind[],
  standards: CaseStandards,
  staffRelative: boolean,
): ApprovalLevel {
  if (staffRelative) return 'county';
  if (kinds.length === 0) return standards.dibao.approvalLevel;
  const levels = kinds.map((k): ApprovalLevel => {
    switch (k.kind) {
      case 'dibao':
        return standards.dibao.approvalLevel;
      case 'tekun':
        return standards.tekun.approvalLevel;
      case 'dibao_edge':
        return standards.dibaoEdge.approvalLevel;
      case 'temporary':
        return k.oneOffAmountFen <= standards.temporary.townshipLimitFen ? 'township' : 'county';
    }
  });
  return levels.includes('county') ? 'county' : 'township';
}

const note = (text: string | undefined, key = 'note') => (text ? { [key]: text } : {});

/** The household status an enrolment gives (the strongest kind); temporary assistance changes none. */
function householdStatusOf(kinds: AssistanceKind[]): 'tekun' | 'dibao' | 'dibao_edge' | null {
  for (const k of ['tekun', 'dibao', 'dibao_edge'] as const) if (kinds.includes(k)) return k;
  return null;
}

export type ActionBodies = {
  request_documents: { documents: string[] };
  accept: { note: string };
  record_survey: SurveyBody;
  record_verification: { note: string };
  determine: DetermineBody;
  publish_notice: { note: string };
  record_objection: { content: string };
  close_notice: { note: string };
  approve: { opinion: string };
  reject: { reasons: string };
  request_review: { reason: string };
  emergency_payment: { amountFen: number; reason: string };
};

function steps(deps: CaseDeps): { [A in keyof ActionBodies]: (body: ActionBodies[A]) => Step } {
  const { protector } = deps;
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
    record_survey: (b) => ({
      from: ['accepted'],
      run: async ({ c, today }) => {
        const photos = checkSurvey(b, c, today);
        return {
          to: 'verifying',
          data: { surveyedOn: b.surveyedOn, staff: b.staff, photos: photos.length, located: b.location !== null },
          enc: {
            findings: b.findings,
            otherIncomeFen: b.otherIncomeFen,
            medicalCostsFen: b.medicalCostsFen,
            unmetAdl: b.unmetAdl,
            location: b.location,
          },
          after: async (trx, actionId) => {
            if (photos.length > 0)
              await trx
                .insertInto('case_photos')
                .values(
                  photos.map((p, i) => ({
                    action_id: actionId,
                    n: i + 1,
                    content_type: p.contentType,
                    size_bytes: p.bytes.length,
                    data: p.bytes,
                  })),
                )
                .execute();
          },
        };
      },
    }),
    record_verification: (b) => ({
      from: ['verifying'],
      run: async ({ trx, c, today, standards }) => {
        const [members, actions] = await Promise.all([loadMembers(trx, c.id), loadActions(trx, c.id)]);
        const survey = latestSurvey(protector, actions);
        const report = await buildVerificationReport(trx, {
          members: members.map((m) => ({ name: m.name, idHash: m.id_hash, idMasked: m.id_masked })),
          asOf: today,
          otherIncomeFen: survey.otherIncomeFen,
          medicalCostsFen: survey.medicalCostsFen,
          assets: standards.dibao.assets,
          note: b.note,
        });
        return {
          to: 'verified',
          set: { verification: JSON.stringify(report) },
          data: {
            monthlyIncomeFen: report.monthlyIncomeFen,
            perCapitaIncomeFen: report.perCapitaIncomeFen,
            assetsPassed: report.assets.passed,
            lines: report.lines.length,
          },
          enc: note(b.note),
        };
      },
    }),
    determine: (b) => ({
      from: ['verified'],
      run: async ({ trx, c, calendar, standards }) => {
        const [members, actions] = await Promise.all([loadMembers(trx, c.id), loadActions(trx, c.id)]);
        const proposal = (await propose(trx, protector, c, members, actions)) ?? {
          kinds: [],
          lines: [],
          approvalLevel: 'county' as const,
          standards: [],
        };
        const kinds = b.acceptProposal ? proposal.kinds : b.kinds;
        const seen = new Set<string>();
        kinds.forEach((k, i) => {
          if (seen.has(k.kind)) throw InvalidField(`kinds.${i}.kind`, 'case.kindTwice');
          seen.add(k.kind);
        });
        const overridden = !b.acceptProposal && !sameKinds(kinds, proposal.kinds);
        if (overridden && !b.overrideReason) throw InvalidField('overrideReason', 'case.overrideReason');
        const level = approvalLevelOf(kinds, standards, c.staff_relative);
        const decision: StoredDetermination = {
          ...proposal,
          kinds,
          approvalLevel: level,
          overridden,
          overrideReason: overridden ? b.overrideReason : '',
          proposal,
        };
        return {
          to: 'determined',
          kinds: kinds.map((k) => k.kind),
          set: {
            determination: JSON.stringify(decision),
            approval_level: level,
            ...(c.accepted_on ? { overall_due_on: overallDueOn(calendar, c.accepted_on, level, standards.dibao) } : {}),
          },
          data: {
            kinds,
            overridden,
            approvalLevel: level,
            monthlyAmountFen: kinds.reduce((a, k) => a + k.monthlyAmountFen, 0),
          },
          enc: { ...note(overridden ? b.overrideReason : '', 'overrideReason'), ...note(b.opinion, 'opinion') },
        };
      },
    }),
    publish_notice: (b) => ({
      from: ['determined'],
      run: async ({ trx, c, today, standards }) => {
        const kinds = decidedKinds(c);
        const days = Math.max(
          standards.dibao.noticeDays,
          ...kinds.map((k) =>
            k.kind === 'tekun'
              ? standards.tekun.noticeDays
              : k.kind === 'dibao_edge'
                ? standards.dibaoEdge.noticeDays
                : standards.dibao.noticeDays,
          ),
        );
        const endsOn = addCalendarDays(today, days);
        const members = await trx
          .selectFrom('case_members')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('case_id', '=', c.id)
          .executeTakeFirstOrThrow();
        return {
          to: 'notice',
          noticeEndsOn: endsOn,
          data: { publishedOn: today, endsOn },
          enc: note(b.note),
          after: async (t2) => {
            await t2
              .insertInto('case_notices')
              .values({
                case_id: c.id,
                region_code: c.region_code,
                display_name: c.applicant_name,
                members: Number(members.n),
                kinds: kinds.map((k) => k.kind),
                monthly_amount_fen: kinds.reduce((a, k) => a + k.monthlyAmountFen, 0),
                one_off_amount_fen: kinds.reduce((a, k) => a + k.oneOffAmountFen, 0),
                published_on: today,
                ends_on: endsOn,
              })
              .execute();
          },
        };
      },
    }),
    record_objection: (b) => ({
      from: ['notice'],
      run: async ({ c }) => ({
        to: 'accepted',
        // Re-investigation from the survey: the report and the decision are made again (the timeline keeps them).
        set: { verification: null, determination: null },
        enc: { content: b.content },
        after: async (trx) => {
          await trx
            .updateTable('case_notices')
            .set((eb) => ({ status: 'withdrawn', objections: eb('objections', '+', 1) }))
            .where('case_id', '=', c.id)
            .where('status', '=', 'open')
            .execute();
        },
      }),
    }),
    close_notice: (b) => ({
      from: ['notice'],
      run: async ({ trx, c, today }) => {
        const open = await trx
          .selectFrom('case_notices')
          .select(['id', 'ends_on'])
          .where('case_id', '=', c.id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (open && today < open.ends_on) throw Conflict('case.noticeNotEnded', { endsOn: open.ends_on });
        return {
          to: 'pending_approval',
          data: open ? { endsOn: open.ends_on } : {},
          enc: note(b.note),
          after: async (t2) => {
            if (open)
              await t2.updateTable('case_notices').set({ status: 'closed' }).where('id', '=', open.id).execute();
          },
        };
      },
    }),
    approve: (b) => ({
      from: ['pending_approval'],
      guard: levelGuard,
      run: async ({ c, today }) => {
        const kinds = decidedKinds(c);
        if (kinds.length === 0) throw Conflict('case.nothingToApprove');
        const from = nextMonth(today);
        return {
          to: 'enrolled',
          set: { enrolled_from: from },
          data: { enrolledFrom: from, kinds: kinds.map((k) => k.kind) },
          enc: note(b.opinion, 'opinion'),
          after: async (trx) => {
            await trx
              .insertInto('enrolments')
              .values(
                kinds.map((k) => ({
                  case_id: c.id,
                  household_id: c.household_id,
                  region_code: c.region_code,
                  kind: k.kind,
                  monthly_amount_fen: k.monthlyAmountFen,
                  one_off_amount_fen: k.oneOffAmountFen,
                  from_month: from,
                })),
              )
              .execute();
            const status = householdStatusOf(kinds.map((k) => k.kind));
            if (c.household_id && status)
              await trx
                .updateTable('households')
                .set((eb) => ({ assistance_status: status, version: eb('version', '+', 1), updated_at: new Date() }))
                .where('id', '=', c.household_id)
                .execute();
          },
        };
      },
    }),
    reject: (b) => ({
      from: ['pending_approval'],
      guard: levelGuard,
      run: async () => ({ to: 'rejected', enc: { reasons: b.reasons } }),
    }),
    request_review: (b) => ({
      from: ['rejected'],
      // 复核: the county checks again with the applicant's evidence; the earlier report stays in the timeline.
      run: async () => ({
        to: 'verifying',
        set: { verification: null, determination: null },
        enc: { reason: b.reason },
      }),
    }),
    emergency_payment: (b) => ({
      from: OPEN_CASE_STATUSES,
      guard: (c) => {
        if (!c.emergency) throw Conflict('case.notEmergency');
      },
      run: async ({ trx, c, today, calendar, standards }) => {
        const paid = await trx
          .selectFrom('case_actions')
          .select('id')
          .where('case_id', '=', c.id)
          .where('action', '=', 'emergency_payment')
          .executeTakeFirst();
        if (paid) throw Conflict('case.emergencyPaid');
        const limit = standards.temporary.townshipLimitFen;
        if (b.amountFen > limit) throw Conflict('case.emergencyLimit', { limit: (limit / 100).toFixed(2) });
        return {
          to: c.status,
          data: {
            amountFen: b.amountFen,
            paidOn: today,
            paperworkDueOn: paperworkDueOn(calendar, today, standards.temporary),
          },
          enc: { reason: b.reason },
        };
      },
    }),
  };
}

/** Runs a step action on a case of the caller's region (see `steps` for each one's rules). */
export async function act<A extends keyof ActionBodies>(
  deps: CaseDeps,
  caseId: string,
  action: A,
  body: ActionBodies[A],
  idempotencyKey?: string,
): Promise<CaseDetail> {
  const step = steps(deps)[action](body);
  return perform(deps, caseId, action, step, idempotencyKey);
}
