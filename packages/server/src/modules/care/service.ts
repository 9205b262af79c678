/**
 * Routine care visits (探访关爱). A care plan gives the interval (months) at which households of a
 * category — the kind of an active enrolment — are visited; a household under several plans
 * follows the most frequent. It is due one interval after its last care visit, or after its
 * enrolment began when never visited; past that date it is overdue.
 */
import { sql, type Kysely } from 'kysely';
import {
  CarePlanInput as CarePlanInputSchema,
  chinaToday,
  type CareDue,
  type CareDuePage,
  type CareDueQuery,
  type CarePlan,
  type CarePlanInput,
  type CarePlanList,
  type CareStats,
  type CareStatsRow,
  type CareVisit,
  type CareVisitInput,
  type CareVisitList,
  type FieldError,
} from '@jiuzhu/shared';
import { currentScope, getContext } from '../../context';
import { maskAddress, maskName, type Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { Forbidden, Invalid, InvalidField, NotFound } from '../../errors';
import { decodePhotos, photoMetaColumns, type Photo } from '../../photos';
import { recordAudit } from '../audit/service';

export { seedDemoCarePlans } from './seed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTES_CONTEXT = 'care_visit.notes';
const CLOCK_SKEW_MS = 5 * 60_000;

type PlanRow = {
  id: string;
  region_code: string;
  category: CarePlan['category'];
  label: string;
  interval_months: number;
  is_demo: boolean;
  active: boolean;
};
const toPlan = (r: PlanRow): CarePlan => ({
  id: r.id,
  regionCode: r.region_code,
  category: r.category,
  label: r.label,
  intervalMonths: r.interval_months,
  isDemo: r.is_demo,
  active: r.active,
});

/** Plans that apply to the caller (the city's and the county's) or that they configured below. */
function planVisible(column: string) {
  const scope = currentScope();
  if (scope.kind === 'system') return sql<boolean>`true`;
  return sql<boolean>`(${scope.regionCode} like ${sql.ref(column)} || '%' or ${inScope(column)})`;
}

export async function listPlans(db: Kysely<DB>): Promise<CarePlanList> {
  const rows = await db
    .selectFrom('care_plans')
    .select(['id', 'region_code', 'category', 'label', 'interval_months', 'is_demo', 'active'])
    .where(planVisible('region_code'))
    .orderBy('region_code')
    .orderBy('category')
    .execute();
  return { items: rows.map(toPlan) };
}

/** Adds or replaces the plan of a category in a city or county. */
export async function savePlan(db: Kysely<DB>, input: CarePlanInput): Promise<CarePlan> {
  const v = CarePlanInputSchema.parse(input);
  if (v.regionCode.length !== 4 && v.regionCode.length !== 6) throw InvalidField('regionCode', 'care.planRegion');
  if (!isInScope(v.regionCode)) throw Forbidden('error.outOfRegion');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('care_plans')
      .values({
        region_code: v.regionCode,
        category: v.category,
        label: v.label,
        interval_months: v.intervalMonths,
        is_demo: v.isDemo,
        active: v.active,
        created_by: getContext().actor!.username,
      })
      .onConflict((oc) =>
        oc.columns(['region_code', 'category']).doUpdateSet({
          label: v.label,
          interval_months: v.intervalMonths,
          is_demo: v.isDemo,
          active: v.active,
        }),
      )
      .returning(['id', 'region_code', 'category', 'label', 'interval_months', 'is_demo', 'active'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'care.plan.save',
      entity: 'care_plan',
      entityId: row.id,
      regionCode: row.region_code,
      detail: { category: row.category, intervalMonths: row.interval_months, active: row.active },
    });
    return toPlan(row);
  });
}

/**
 * One row per household under a plan in `prefix` (and the caller's scope): the most frequent plan
 * that applies, its last care visit and its due date.
 */
function dueRows(prefix: string) {
  return sql`
    with planned as (
      select distinct on (h.id) h.id as household_id, h.household_no, h.region_code, h.address_enc,
             p.label, p.interval_months, e.from_month
        from enrolments e
        join households h on h.id = e.household_id
        join care_plans p on p.category = e.kind and p.active and h.region_code like p.region_code || '%'
       where e.status = 'active' and h.region_code like ${prefix + '%'} and ${inScope('h.region_code')}
       order by h.id, p.interval_months, length(p.region_code) desc, e.from_month
    ), visited as (
      select household_id, max(visit_date) as last_visit
        from care_visits
       where region_code like ${prefix + '%'} and finding <> 'not_home'
       group by household_id
    )
    select planned.*, to_char(visited.last_visit, 'YYYY-MM-DD') as last_visit,
           to_char(coalesce(visited.last_visit, to_date(planned.from_month || '-01', 'YYYY-MM-DD'))
                   + make_interval(months => planned.interval_months), 'YYYY-MM-DD') as due_on
      from planned left join visited on visited.household_id = planned.household_id`;
}

type DueRow = {
  household_id: string;
  household_no: string;
  region_code: string;
  address_enc: string;
  label: string;
  interval_months: number;
  last_visit: string | null;
  due_on: string;
};

/** The households of the caller's region under a care plan, the most overdue first. */
export async function listDue(db: Kysely<DB>, protector: Protector, q: CareDueQuery): Promise<CareDuePage> {
  const scope = currentScope();
  const prefix = scope.kind === 'region' ? scope.regionCode : '';
  const today = chinaToday();
  const dueBy = q.overdue === 'true' ? null : (q.dueBy ?? null);
  const filter = sql`where ${q.overdue === 'true' ? sql`d.due_on < ${today}` : q.overdue === 'false' ? sql`d.due_on >= ${today}` : sql`true`}
      and ${dueBy ? sql`d.due_on <= ${dueBy}` : sql`true`}`;
  const [rows, count] = await Promise.all([
    sql<DueRow & { head_name: string | null; region_name: string }>`
      select d.*, r.name as region_name,
             (select m.name from members m where m.household_id = d.household_id and m.relation = 'head') as head_name
        from (${dueRows(prefix)}) d
        join regions r on r.code = d.region_code
        ${filter}
       order by d.due_on, d.household_no
       limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from (${dueRows(prefix)}) d ${filter}`.execute(db),
  ]);
  const items: CareDue[] = rows.rows.map((r) => ({
    householdId: r.household_id,
    householdNo: r.household_no,
    headName: maskName(r.head_name ?? ''),
    addressMasked: maskAddress(protector.decrypt(r.address_enc, 'household.address')),
    regionCode: r.region_code,
    regionName: r.region_name,
    planLabel: r.label,
    intervalMonths: Number(r.interval_months),
    lastVisitDate: r.last_visit,
    dueOn: r.due_on,
    overdue: r.due_on < today,
  }));
  return { items, total: Number(count.rows[0]?.n ?? 0) };
}

function checkVisit(input: CareVisitInput): Photo[] {
  const fields: FieldError[] = [];
  if (Date.parse(input.visitedAt) > Date.now() + CLOCK_SKEW_MS)
    fields.push({ path: 'visitedAt', message: 'care.visitInFuture' });
  const photos = decodePhotos(
    (input.photos ?? []).map((p) => p.data),
    'photos',
    { type: 'lead.photoType', tooLarge: 'lead.photoTooLarge' },
    fields,
  );
  if (fields.length > 0) throw Invalid(fields);
  return photos;
}

/**
 * Records a care visit on a household of the caller's region under a care plan. A retry with the
 * same Idempotency-Key (same visitor) returns the visit made the first time.
 */
export async function recordCareVisit(
  db: Kysely<DB>,
  protector: Protector,
  input: CareVisitInput,
  idempotencyKey: string | undefined,
): Promise<CareVisit> {
  const actor = getContext().actor!;
  const earlierOf = async () =>
    idempotencyKey
      ? db
          .selectFrom('care_visits')
          .select('id')
          .where('recorded_by', '=', actor.username)
          .where('idempotency_key', '=', idempotencyKey)
          .executeTakeFirst()
      : undefined;
  const earlier = await earlierOf();
  if (earlier) return getCareVisit(db, protector, earlier.id);
  const photos = checkVisit(input);
  if (!UUID.test(input.householdId)) throw InvalidField('householdId', 'care.notPlanned');
  const household = await db
    .selectFrom('households')
    .select(['id', 'household_no', 'region_code'])
    .where('id', '=', input.householdId)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!household) throw NotFound('entity.household');
  const planned = await sql<{ n: number }>`
    select count(*)::int as n from (${dueRows(household.region_code)}) d where d.household_id = ${household.id}`.execute(
    db,
  );
  if (Number(planned.rows[0]?.n ?? 0) === 0) throw InvalidField('householdId', 'care.notPlanned');
  const visitedAt = new Date(input.visitedAt);
  const id = await db.transaction().execute(async (trx) => {
    const visit = await trx
      .insertInto('care_visits')
      .values({
        household_id: household.id,
        region_code: household.region_code,
        visited_at: visitedAt,
        visit_date: chinaToday(visitedAt),
        finding: input.finding,
        notes_enc: protector.encrypt(input.notes, NOTES_CONTEXT),
        latitude: input.location?.latitude ?? null,
        longitude: input.location?.longitude ?? null,
        accuracy_m: input.location?.accuracy ?? null,
        photo_count: photos.length,
        recorded_by: actor.username,
        idempotency_key: idempotencyKey ?? null,
      })
      .onConflict((oc) => oc.columns(['recorded_by', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // A retry that raced the first request: the first one stands.
    if (!visit) return null;
    if (photos.length > 0)
      await trx
        .insertInto('care_visit_photos')
        .values(
          photos.map((p, i) => ({
            visit_id: visit.id,
            n: i + 1,
            content_type: p.contentType,
            size_bytes: p.bytes.length,
            data: p.bytes,
            ...photoMetaColumns(input.photos?.[i]),
          })),
        )
        .execute();
    await recordAudit(trx, {
      action: 'care.visit',
      entity: 'household',
      entityId: household.id,
      regionCode: household.region_code,
      detail: {
        householdNo: household.household_no,
        visitId: visit.id,
        finding: input.finding,
        photos: photos.length,
        located: Boolean(input.location),
      },
    });
    return visit.id;
  });
  return getCareVisit(db, protector, id ?? (await earlierOf())!.id);
}

type VisitRow = {
  id: string;
  household_id: string;
  region_code: string;
  visited_at: Date;
  visit_date: string;
  finding: CareVisit['finding'];
  notes_enc: string;
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  photo_count: number;
  recorded_by: string;
};
function toVisit(protector: Protector, v: VisitRow): CareVisit {
  return {
    id: v.id,
    householdId: v.household_id,
    regionCode: v.region_code,
    visitedAt: v.visited_at.toISOString(),
    visitDate: String(v.visit_date),
    finding: v.finding,
    notes: protector.decrypt(v.notes_enc, NOTES_CONTEXT),
    location:
      v.latitude !== null && v.longitude !== null
        ? { latitude: v.latitude, longitude: v.longitude, accuracy: v.accuracy_m ?? 0 }
        : null,
    photoCount: v.photo_count,
    recordedBy: v.recorded_by,
  };
}
const VISIT_COLUMNS = [
  'id',
  'household_id',
  'region_code',
  'visited_at',
  sql<string>`to_char(visit_date, 'YYYY-MM-DD')`.as('visit_date'),
  'finding',
  'notes_enc',
  'latitude',
  'longitude',
  'accuracy_m',
  'photo_count',
  'recorded_by',
] as const;

export async function getCareVisit(db: Kysely<DB>, protector: Protector, id: string): Promise<CareVisit> {
  if (!UUID.test(id)) throw NotFound('entity.careVisit');
  const row = await db
    .selectFrom('care_visits')
    .select(VISIT_COLUMNS)
    .where('id', '=', id)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!row) throw NotFound('entity.careVisit');
  return toVisit(protector, row);
}

/** Care visits of the caller's region (of one household when asked), the latest first. */
export async function listCareVisits(
  db: Kysely<DB>,
  protector: Protector,
  householdId: string | undefined,
): Promise<CareVisitList> {
  if (householdId !== undefined && !UUID.test(householdId)) return { items: [] };
  const rows = await db
    .selectFrom('care_visits')
    .select(VISIT_COLUMNS)
    .where(inScope('region_code'))
    .$if(householdId !== undefined, (q) => q.where('household_id', '=', householdId!))
    .orderBy('visited_at', 'desc')
    .limit(200)
    .execute();
  return { items: rows.map((r) => toVisit(protector, r)) };
}

/** Households under a plan, overdue and visited this month, per child region of `region`. */
export async function careStats(db: Kysely<DB>, region: string | undefined): Promise<CareStats> {
  const scope = currentScope();
  const code = region ?? (scope.kind === 'region' ? scope.regionCode : '');
  if (!code || !isInScope(code)) throw Forbidden('error.outOfRegion');
  const self = await db.selectFrom('regions').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!self) throw NotFound('entity.region');
  const children = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', code)
    .executeTakeFirstOrThrow();
  const rowsOf = Number(children.n) > 0 ? sql`c.parent_code = ${code}` : sql`c.code = ${code}`;
  const today = chinaToday();
  const monthStart = `${today.slice(0, 7)}-01`;
  const result = await sql<{ code: string; name: string; households: number; overdue: number; visited: number }>`
    with d as (${dueRows(code)}),
         v as (select distinct household_id from care_visits
                where region_code like ${code + '%'} and visit_date >= ${monthStart})
    select c.code, c.name,
           count(d.household_id)::int as households,
           count(d.household_id) filter (where d.due_on < ${today})::int as overdue,
           count(v.household_id)::int as visited
      from regions c
      left join d on d.region_code like c.code || '%'
      left join v on v.household_id = d.household_id
     where ${rowsOf}
     group by c.code, c.name
     order by c.code`.execute(db);
  const rows: CareStatsRow[] = result.rows.map((r) => ({
    regionCode: r.code,
    regionName: r.name,
    households: Number(r.households),
    overdue: Number(r.overdue),
    visitedThisMonth: Number(r.visited),
  }));
  const sum = (k: 'households' | 'overdue' | 'visitedThisMonth') => rows.reduce((a, r) => a + r[k], 0);
  return {
    regionCode: self.code,
    regionName: self.name,
    rows,
    totals: { households: sum('households'), overdue: sum('overdue'), visitedThisMonth: sum('visitedThisMonth') },
  };
}
