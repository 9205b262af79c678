import { sql, type Kysely } from 'kysely';
import {
  addMonths,
  changeAllowed,
  entitlementFor,
  entitlementSeries,
  ENTITLEMENT_CHANGE_TYPES,
  type AssistanceKind,
  type EnrolmentChange,
  type EnrolmentDetail,
  type EnrolmentListQuery,
  type EnrolmentPage,
  type EnrolmentSummary,
} from '@jiuzhu/shared';
import type { Config } from '../../config';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { NotFound } from '../../errors';
import { chinaMonth, findEffectiveParams } from '../policy/service';
import { toEntitlementChange } from './change-row';

// The list and the detail of enrolments (re-exported by service.ts; changes.ts reads the detail back).
export type EnrolmentDeps = { db: Kysely<DB>; protector: Protector; config: Pick<Config, 'city'> };

const ENC = 'enrolment_change.note' as const;

function enrolmentFrom(db: Kysely<DB>) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('regions as r', 'r.code', 'e.region_code')
    .leftJoin('households as h', 'h.id', 'e.household_id')
    .where(inScope('e.region_code'));
}

/** The name a list shows: the household head (or applicant), else the first covered person. */
const displayName = sql<string>`coalesce((select em.name from enrolment_members em where em.enrolment_id = e.id
  order by (em.relation in ('head', 'self')) desc, em.name limit 1), '')`;

function selectSummary(q: ReturnType<typeof enrolmentFrom>) {
  return q.selectAll('e').select(['r.name as region_name', 'h.household_no']).select(displayName.as('display_name'));
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof selectSummary>['executeTakeFirstOrThrow']>>;

function toSummary(r: SummaryRow): EnrolmentSummary {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    source: r.source,
    regionCode: r.region_code,
    regionName: r.region_name,
    householdId: r.household_id,
    householdNo: r.household_no ?? null,
    caseId: r.case_id,
    name: r.display_name,
    members: r.covered_members,
    monthlyAmountFen: r.monthly_amount_fen,
    fromMonth: r.from_month,
    endsMonth: r.ends_month,
    careTier: r.care_tier,
    reviewDueOn: r.review_due_on,
    version: r.version,
  };
}

/** Enrolments of the caller's region, newest first, with open counts per kind (within region, review and search filters). */
export async function listEnrolments(deps: EnrolmentDeps, q: EnrolmentListQuery): Promise<EnrolmentPage> {
  const { db } = deps;
  let base = enrolmentFrom(db);
  if (q.regionCode) base = base.where('e.region_code', 'like', `${q.regionCode}%`);
  if (q.householdId) base = base.where('e.household_id', '=', q.householdId);
  if (q.reviewDueBy) base = base.where('e.review_due_on', '<=', q.reviewDueBy).where('e.status', '<>', 'ended');
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    base = base.where((eb) =>
      eb.or([
        eb('h.household_no', 'like', like),
        eb.exists(
          eb
            .selectFrom('enrolment_members as em')
            .select('em.enrolment_id')
            .whereRef('em.enrolment_id', '=', 'e.id')
            .where('em.name', 'like', like),
        ),
      ]),
    );
  }
  const counts = await base
    .select(['e.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.status', '<>', 'ended')
    .groupBy('e.kind')
    .execute();
  let filtered = base;
  if (q.kind) filtered = filtered.where('e.kind', '=', q.kind);
  if (q.status) filtered = filtered.where('e.status', '=', q.status);
  const [rows, total] = await Promise.all([
    selectSummary(filtered)
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map(toSummary),
    total: Number(total.n),
    counts: Object.fromEntries(counts.map((c) => [c.kind, Number(c.n)])),
  };
}

/** The level that approves changes of a kind in a region (the configured standard; 临时救助: the township). */
export async function changeApprovalLevel(
  db: Kysely<DB>,
  city: string,
  kind: AssistanceKind,
  regionCode: string,
): Promise<'township' | 'county'> {
  if (kind === 'temporary') return 'township';
  const params = await findEffectiveParams(db, city, regionCode, kind, chinaMonth());
  return params?.approvalLevel ?? 'county';
}

/** The changes the caller may record now (their role must match the approval level). */
function allowedFor(status: EnrolmentSummary['status'], kind: AssistanceKind, level: 'township' | 'county') {
  const role = getContext().actor?.role;
  const needed = level === 'township' ? 'township_officer' : 'county_officer';
  if (role !== needed || kind === 'temporary') return [];
  return ENTITLEMENT_CHANGE_TYPES.filter((t) => changeAllowed(status, t));
}

/** One enrolment of the caller's region: covered members, every change, the amounts month by month. */
export async function getEnrolment(deps: EnrolmentDeps, id: string): Promise<EnrolmentDetail> {
  const { db, protector } = deps;
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw NotFound('entity.enrolment');
  const row = await selectSummary(enrolmentFrom(db)).where('e.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.enrolment');
  const [members, changes] = await Promise.all([
    db
      .selectFrom('enrolment_members')
      .selectAll()
      .where('enrolment_id', '=', id)
      .orderBy(sql`relation in ('head', 'self')`, 'desc')
      .orderBy('name')
      .execute(),
    db.selectFrom('enrolment_changes').selectAll().where('enrolment_id', '=', id).orderBy('seq').execute(),
  ]);
  const entitlement = changes.map(toEntitlementChange);
  const now = chinaMonth();
  const current = entitlementFor(entitlement, now);
  const covered = new Set(current.state === 'pending' ? (changes[0]?.members ?? []) : current.members);
  // Month by month: from the start to the latest of this month, the end and the last change's month
  // (a change decided for next month shows its amount), at most ten years shown.
  let last = row.ends_month && row.ends_month > now ? row.ends_month : now;
  for (const c of changes) if (c.effective_month > last) last = c.effective_month;
  if (last < row.from_month) last = row.from_month;
  const first = last > addMonths(row.from_month, 119) ? addMonths(last, -119) : row.from_month;
  const level = await changeApprovalLevel(db, deps.config.city, row.kind, row.region_code);
  return {
    ...toSummary(row),
    approvalDocNo: row.approval_doc_no,
    approvalDate: row.approval_date,
    coveredMembers: members.map((m) => ({
      name: m.name,
      idMasked: m.id_masked,
      relation: m.relation,
      memberId: m.member_id,
      covered: covered.has(m.id_hash),
    })),
    changes: changes.map((c): EnrolmentChange => ({
      seq: c.seq,
      type: c.type,
      effectiveMonth: c.effective_month,
      amountFen: c.amount_fen,
      oneOffFen: c.one_off_fen,
      members: c.members ? c.members.length : null,
      months: c.months,
      reason: c.reason as EnrolmentChange['reason'],
      note: c.note_enc ? protector.decrypt(c.note_enc, ENC) : null,
      approvalLevel: c.approval_level,
      actor: c.actor_username,
      at: new Date(c.at).toISOString(),
      caseId: c.case_id,
      reviewId: c.review_id,
      signalId: c.signal_id,
    })),
    months: entitlementSeries(entitlement, first, last).map((m) => ({
      month: m.month,
      state: m.state,
      amountFen: m.amountFen,
      members: m.members.length,
    })),
    approvalLevel: level,
    allowedChanges: allowedFor(row.status, row.kind, level),
  };
}
