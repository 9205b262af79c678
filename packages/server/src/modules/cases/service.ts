import { sql, type Kysely, type OrderByItemBuilder } from 'kysely';
import {
  chinaToday,
  OPEN_CASE_STATUSES,
  type CaseAction,
  type CaseActionType,
  type CaseDetail,
  type CaseListQuery,
  type CaseOverdueStats,
  type CasePage,
  type CaseStatus,
  type CaseSummary,
  type Determination,
  normalizeIdNumber,
  type Role,
  type VerificationReport,
  type WorkingCalendar,
} from '@jiuzhu/shared';
import { currentScope, getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import { inScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { Conflict, NotFound } from '../../errors';
import { closeLeadOfDecidedCase } from '../leads/service';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { chinaMonth } from '../policy/service';
import { clockOf, loadStandards, metDeadline, stepDueOn } from './deadlines';
import {
  caseFrom,
  UUID,
  ENC,
  json,
  loadActions,
  loadMembers,
  propose,
  selectCase,
  type ActionRow,
  type CaseDeps,
  type CaseRow,
  type StoredDetermination,
} from './case-data';
import { approvalSteps } from './steps/approval';
import { determinationSteps } from './steps/determination';
import { intakeSteps } from './steps/intake';

export { createCase, type Actor } from './steps/intake';
import { noticeSteps } from './steps/notice';
import { reviewSteps } from './steps/review';
import { decidedKinds, type ActionBodies, type Step, type StepTable } from './steps/step';
import { surveySteps } from './steps/survey';
import { verificationSteps } from './steps/verification';

export type { CaseDeps } from './case-data';
export type { ActionBodies } from './steps/step';
export { approvalLevelOf } from './steps/determination';
// For the scheduled reviews (modules/enrolments): the same verification and policy math as a case.
export { buildVerificationReport } from './verification';
export { ageAt, proposeDetermination, withoutWorkAbility } from './determination';

const isOpen = (s: CaseStatus) => OPEN_CASE_STATUSES.includes(s);
const statusParam = (s: CaseStatus) => ({ status: `case.status.${s}` });

/** The columns a case's line in a list needs (a list reads no encrypted field). */
const SUMMARY_COLUMNS = [
  'c.id',
  'c.case_no',
  'c.channel',
  'c.status',
  'c.applicant_name',
  'c.applicant_id_masked',
  'c.region_code',
  'c.emergency',
  'c.staff_relative',
  'c.approval_level',
  'c.determination',
  'c.step_started_on',
  'c.step_due_on',
  'c.accepted_on',
  'c.overall_due_on',
  'c.created_at',
  'c.updated_at',
] as const;
type SummaryRow = Pick<
  CaseRow,
  { [K in keyof typeof SUMMARY_COLUMNS]: (typeof SUMMARY_COLUMNS)[K] extends `c.${infer C}` ? C : never }[number]
> &
  Pick<CaseRow, 'region_name' | 'township_name'>;

function toSummary(r: SummaryRow, calendar: WorkingCalendar, today: string): CaseSummary {
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
    kinds: r.determination ? json<Determination>(r.determination).kinds.map((k) => k.kind) : [],
    townshipName: r.township_name ?? r.region_name,
    step: clockOf(calendar, r.step_started_on, r.step_due_on, asOf),
    overall: r.accepted_on ? clockOf(calendar, r.accepted_on, r.overall_due_on, asOf) : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const memberCount = () => sql<number>`(select count(*)::int from case_members cm where cm.case_id = c.id)`;

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
/** Before the township's acceptance (受理): what a new application is until then. */
const UNACCEPTED: readonly CaseStatus[] = ['submitted', 'missing_docs'];

/** Cases of the caller's region: the inbox, by status, overdue, by name or number; most urgent first. */
export async function listCases(deps: CaseDeps, q: CaseListQuery): Promise<CasePage> {
  const { db } = deps;
  const today = chinaToday();
  // Filters, page and count read cases alone; the region names are joined to the page's rows only
  // (joining every case in scope before the sort was most of the list's SQL time at city size).
  let query = db.selectFrom('cases as c').where(inScope('c.region_code'));
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.inbox === 'true') query = query.where(inboxFilter(getContext().actor?.role));
  const overdue = sql<boolean>`(c.status in (${OPEN_SQL}) and (c.step_due_on < ${today} or c.overall_due_on < ${today}))`;
  if (q.overdue === 'true') query = query.where(overdue);
  if (q.overdue === 'false') query = query.where(sql<boolean>`not ${overdue}`);
  // The same conditions as overdueStats, so a number there and the list behind it agree.
  if (q.overdue === 'step') query = query.where(sql<boolean>`(c.status in (${OPEN_SQL}) and c.step_due_on < ${today})`);
  if (q.overdue === 'overall')
    query = query.where(sql<boolean>`(c.status in (${OPEN_SQL}) and c.overall_due_on < ${today})`);
  if (q.open === 'true') query = query.where(sql<boolean>`c.status in (${OPEN_SQL})`);
  if (q.channel) query = query.where('c.channel', '=', q.channel);
  if (q.unaccepted === 'true') query = query.where('c.status', 'in', UNACCEPTED);
  if (q.q) {
    const id = normalizeIdNumber(q.q);
    if (/^\d{17}[\dX]$/.test(id)) {
      // A whole ID number finds the case of any member, by the blind index (never by plaintext).
      const hash = deps.protector.idHash(id);
      query = query.where((eb) =>
        eb.or([
          eb('c.applicant_id_hash', '=', hash),
          eb.exists(
            eb
              .selectFrom('case_members as cm')
              .select('cm.case_id')
              .whereRef('cm.case_id', '=', 'c.id')
              .where('cm.id_hash', '=', hash),
          ),
        ]),
      );
    } else {
      const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb('c.applicant_name', 'like', like), eb('c.case_no', 'like', like)]));
    }
  }
  if (q.kind) {
    query = query.where(sql<boolean>`c.determination -> 'kinds' @> ${JSON.stringify([{ kind: q.kind }])}::jsonb`);
  }
  // Inside the caller's scope already (caseFrom); the prefix narrows to one township or village.
  if (q.region) query = query.where('c.region_code', 'like', `${q.region}%`);
  // China dates as the instants they start at, compared with created_at as it is stored: no time
  // zone conversion of every row (the conversion doubled the time of a scan of the city's cases).
  if (q.from)
    query = query.where(sql<boolean>`c.created_at >= ${q.from}::date::timestamp at time zone 'Asia/Shanghai'`);
  if (q.to)
    query = query.where(sql<boolean>`c.created_at < (${q.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`);
  const SORTS = {
    createdAt: sql`c.created_at`,
    caseNo: sql`c.case_no`,
    applicantName: sql`c.applicant_name`,
    stepDue: sql`c.step_due_on`,
    region: sql`c.region_code`,
  } as const;
  const direction = (ob: OrderByItemBuilder) => (q.order === 'desc' ? ob.desc().nullsLast() : ob.asc().nullsLast());
  const page = query
    .select('c.id')
    .$if(!!q.sort, (o) => o.orderBy(SORTS[q.sort!], direction))
    .orderBy(sql`c.status in (${OPEN_SQL})`, 'desc')
    .orderBy('c.step_due_on', (ob) => ob.asc().nullsLast())
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [rows, count, calendar] = await Promise.all([
    caseFrom(db)
      .where('c.id', 'in', page)
      .select([...SUMMARY_COLUMNS, 'r.name as region_name', 'tw.name as township_name'])
      .select(memberCount().as('member_count'))
      .$if(!!q.sort, (o) => o.orderBy(SORTS[q.sort!], direction))
      .orderBy(sql`c.status in (${OPEN_SQL})`, 'desc')
      .orderBy('c.step_due_on', (ob) => ob.asc().nullsLast())
      .orderBy('c.created_at')
      .orderBy('c.id')
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
      // A decided application closes the lead it came from (协助申请), when the worker said so.
      if (moves && (r.to === 'enrolled' || r.to === 'rejected') && c.lead_id)
        await closeLeadOfDecidedCase(trx, c.lead_id, actor.username);
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

function steps(deps: CaseDeps): StepTable {
  return {
    ...intakeSteps(deps),
    ...surveySteps(deps),
    ...verificationSteps(deps),
    ...determinationSteps(deps),
    ...noticeSteps(deps),
    ...approvalSteps(deps),
    ...reviewSteps(deps),
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

// ---- 全市一张图 (dashboard): the workbench's case counts and the figures of cases (modules/dashboard)
export { caseFigures, caseTrace, findCaseHousehold, writeCaseFigures, type CaseFigureRow } from './figures';

/** Cases of the caller's region waiting on the caller's role, and open cases past a deadline. */
/**
 * Citizen applications (H5) of the caller's region the township has not accepted yet: the grid
 * worker of the village and the county are told of them on their workbench until then.
 */
export async function citizenNewCount(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('cases as c')
    .where(inScope('c.region_code'))
    .where('c.channel', '=', 'citizen')
    .where('c.status', 'in', UNACCEPTED)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function caseTodoCounts(
  db: Kysely<DB>,
  role: Role,
  today: string,
): Promise<{ mine: number; overdue: number }> {
  const res = await sql<{ mine: number; overdue: number }>`
    select count(*) filter (where ${inboxFilter(role)})::int as mine,
           count(*) filter (where c.status in (${OPEN_SQL})
                              and (c.step_due_on < ${today} or c.overall_due_on < ${today}))::int as overdue
      from cases c where ${inScope('c.region_code')}`.execute(db);
  return { mine: Number(res.rows[0]?.mine ?? 0), overdue: Number(res.rows[0]?.overdue ?? 0) };
}
