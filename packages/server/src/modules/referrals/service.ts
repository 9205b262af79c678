/**
 * Referrals (转介) as tracked hand-offs: a grid worker or staff member sends a person of a lead,
 * a registry household or a case to an agency configured for the city or county; staff record
 * the agency's receipt and outcome. The actions are append-only; the status is the latest one.
 */
import { sql, type Kysely } from 'kysely';
import type {
  Agency,
  AgencyInput,
  AgencyList,
  ReferralActionInput,
  ReferralDetail,
  ReferralInput,
  ReferralListQuery,
  ReferralPage,
  ReferralStats,
  ReferralStatsRow,
  ReferralStatus,
  ReferralSummary,
} from '@jiuzhu/shared';
import { AgencyInput as AgencyInputSchema } from '@jiuzhu/shared';
import { currentScope, getContext } from '../../context';
import { maskName, type Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { Conflict, Forbidden, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';

export { seedDemoAgencies } from './seed';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_CONTEXT = 'referral.request';
const OUTCOME_CONTEXT = 'referral_action.outcome';
const CLOCK_SKEW_MS = 5 * 60_000;
/** Which action may follow which status. */
const NEXT: Record<ReferralStatus, readonly ReferralStatus[]> = {
  sent: ['accepted', 'refused'],
  accepted: ['done', 'refused'],
  done: [],
  refused: [],
};

/** Agencies serve a city (4 digits) or a county (6). */
const agencyLevel = (code: string) => code.length === 4 || code.length === 6;

/**
 * The agencies a caller may refer to: those of the city and of the counties on the caller's path
 * (a village worker sees the city's and the county's), plus, for a city or county caller, those
 * configured below them.
 */
function agencyVisible(column: string) {
  const scope = currentScope();
  if (scope.kind === 'system') return sql<boolean>`true`;
  return sql<boolean>`(${scope.regionCode} like ${sql.ref(column)} || '%' or ${inScope(column)})`;
}

function toAgency(r: {
  id: string;
  region_code: string;
  kind: Agency['kind'];
  name: string;
  help: string;
  contact: string;
  active: boolean;
}): Agency {
  return {
    id: r.id,
    regionCode: r.region_code,
    kind: r.kind,
    name: r.name,
    help: r.help,
    contact: r.contact,
    active: r.active,
  };
}

export async function listAgencies(db: Kysely<DB>, activeOnly: boolean): Promise<AgencyList> {
  const rows = await db
    .selectFrom('referral_agencies')
    .select(['id', 'region_code', 'kind', 'name', 'help', 'contact', 'active'])
    .where(agencyVisible('region_code'))
    .$if(activeOnly, (q) => q.where('active', '=', true))
    .orderBy('region_code')
    .orderBy('kind')
    .orderBy('name')
    .execute();
  return { items: rows.map(toAgency) };
}

/** Adds an agency, or (id given) changes one, in the caller's region. */
export async function saveAgency(db: Kysely<DB>, input: AgencyInput, id?: string): Promise<Agency> {
  const value = AgencyInputSchema.parse(input);
  if (!agencyLevel(value.regionCode)) throw InvalidField('regionCode', 'referral.agencyRegion');
  if (!isInScope(value.regionCode)) throw Forbidden('error.outOfRegion');
  return db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('referral_agencies')
      .select('id')
      .where('region_code', '=', value.regionCode)
      .where('name', '=', value.name)
      .$if(Boolean(id), (q) => q.where('id', '<>', id!))
      .executeTakeFirst();
    if (clash) throw InvalidField('name', 'referral.agencyExists');
    const values = {
      region_code: value.regionCode,
      kind: value.kind,
      name: value.name,
      help: value.help,
      contact: value.contact,
      active: value.active,
    };
    let row;
    if (id) {
      if (!UUID.test(id)) throw NotFound('entity.agency');
      row = await trx
        .updateTable('referral_agencies')
        .set(values)
        .where('id', '=', id)
        .where(inScope('region_code'))
        .returningAll()
        .executeTakeFirst();
      if (!row) throw NotFound('entity.agency');
    } else {
      row = await trx
        .insertInto('referral_agencies')
        .values({ ...values, created_by: getContext().actor!.username })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await recordAudit(trx, {
      action: id ? 'referral.agency.update' : 'referral.agency.create',
      entity: 'referral_agency',
      entityId: row.id,
      regionCode: row.region_code,
      detail: { kind: row.kind, active: row.active },
    });
    return toAgency(row);
  });
}

type Origin = { regionCode: string; householdId: string | null; personName: string };

/** The person and village of a referral's source, in the caller's scope; 400 when unknown. */
async function findOrigin(db: Kysely<DB>, source: ReferralInput['source'], id: string): Promise<Origin | undefined> {
  if (!UUID.test(id)) return undefined;
  if (source === 'lead') {
    const l = await db
      .selectFrom('leads')
      .select(['region_code', 'household_id', 'person_name'])
      .where('id', '=', id)
      .where(inScope('region_code'))
      .executeTakeFirst();
    return l && { regionCode: l.region_code, householdId: l.household_id, personName: l.person_name };
  }
  if (source === 'case') {
    const c = await db
      .selectFrom('cases')
      .select(['region_code', 'household_id', 'applicant_name'])
      .where('id', '=', id)
      .where(inScope('region_code'))
      .executeTakeFirst();
    return c && { regionCode: c.region_code, householdId: c.household_id, personName: c.applicant_name };
  }
  const h = await db
    .selectFrom('households as h')
    .leftJoin('members as m', (j) => j.onRef('m.household_id', '=', 'h.id').on('m.relation', '=', 'head'))
    .select(['h.id', 'h.region_code', 'm.name'])
    .where('h.id', '=', id)
    .where(inScope('h.region_code'))
    .executeTakeFirst();
  return h && { regionCode: h.region_code, householdId: h.id, personName: h.name ?? '' };
}

/**
 * Sends a referral. A retry with the same Idempotency-Key (same sender) returns the first one.
 * The person's name is kept masked; what is asked is encrypted.
 */
export async function createReferral(
  db: Kysely<DB>,
  protector: Protector,
  input: ReferralInput,
  idempotencyKey: string | undefined,
): Promise<ReferralDetail> {
  const actor = getContext().actor!;
  if (idempotencyKey) {
    const earlier = await db
      .selectFrom('referrals')
      .select('id')
      .where('created_by', '=', actor.username)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    if (earlier) return getReferral(db, protector, earlier.id);
  }
  if (input.sentAt && Date.parse(input.sentAt) > Date.now() + CLOCK_SKEW_MS)
    throw InvalidField('sentAt', 'referral.sentInFuture');
  const origin = await findOrigin(db, input.source, input.sourceId);
  if (!origin) throw InvalidField('sourceId', 'referral.sourceUnknown');
  const agency = UUID.test(input.agencyId)
    ? await db
        .selectFrom('referral_agencies')
        .select(['id', 'active', 'region_code'])
        .where('id', '=', input.agencyId)
        .where(sql<boolean>`${origin.regionCode} like region_code || '%'`)
        .executeTakeFirst()
    : undefined;
  if (!agency) throw InvalidField('agencyId', 'referral.agencyUnknown');
  if (!agency.active) throw InvalidField('agencyId', 'referral.agencyInactive');
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('referrals')
      .values({
        region_code: origin.regionCode,
        agency_id: agency.id,
        source: input.source,
        lead_id: input.source === 'lead' ? input.sourceId : null,
        case_id: input.source === 'case' ? input.sourceId : null,
        household_id: origin.householdId,
        person_name: maskName(origin.personName),
        request_enc: protector.encrypt(input.request, REQUEST_CONTEXT),
        sent_at: input.sentAt ? new Date(input.sentAt) : new Date(),
        created_by: actor.username,
        idempotency_key: idempotencyKey ?? null,
      })
      .returning(['id', 'referral_no'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('referral_actions')
      .values({ referral_id: row.id, action: 'sent', outcome_enc: null, actor_username: actor.username })
      .execute();
    await recordAudit(trx, {
      action: 'referral.send',
      entity: 'referral',
      entityId: row.id,
      regionCode: origin.regionCode,
      detail: { referralNo: Number(row.referral_no), source: input.source, agencyId: agency.id },
    });
    return row.id;
  });
  return getReferral(db, protector, id);
}

function referralQuery(db: Kysely<DB>) {
  return db
    .selectFrom('referrals as f')
    .innerJoin('referral_agencies as a', 'a.id', 'f.agency_id')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .where(inScope('f.region_code'))
    .select([
      'f.id',
      'f.referral_no',
      'f.region_code',
      'r.name as region_name',
      'f.agency_id',
      'a.name as agency_name',
      'a.kind as agency_kind',
      'f.source',
      'f.lead_id',
      'f.household_id',
      'f.case_id',
      'f.person_name',
      'f.status',
      'f.sent_at',
      'f.created_by',
    ]);
}
type SummaryRow = Awaited<ReturnType<ReturnType<typeof referralQuery>['executeTakeFirstOrThrow']>>;

function toSummary(r: SummaryRow): ReferralSummary {
  return {
    id: r.id,
    referralNo: Number(r.referral_no),
    regionCode: r.region_code,
    regionName: r.region_name,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    agencyKind: r.agency_kind,
    source: r.source,
    sourceId: (r.source === 'lead' ? r.lead_id : r.source === 'case' ? r.case_id : r.household_id) ?? '',
    personName: r.person_name,
    status: r.status,
    sentAt: r.sent_at.toISOString(),
    createdBy: r.created_by,
  };
}

export async function listReferrals(db: Kysely<DB>, q: ReferralListQuery): Promise<ReferralPage> {
  const uuidOr = (v: string | undefined) => (v === undefined ? undefined : UUID.test(v) ? v : null);
  const agencyId = uuidOr(q.agencyId);
  const leadId = uuidOr(q.leadId);
  const householdId = uuidOr(q.householdId);
  if (agencyId === null || leadId === null || householdId === null) return { items: [], total: 0 };
  const base = referralQuery(db)
    .$if(q.status !== undefined, (b) => b.where('f.status', '=', q.status!))
    .$if(q.open === 'true', (b) => b.where('f.status', 'in', ['sent', 'accepted']))
    .$if(q.open === 'false', (b) => b.where('f.status', 'in', ['done', 'refused']))
    .$if(agencyId !== undefined, (b) => b.where('f.agency_id', '=', agencyId!))
    .$if(leadId !== undefined, (b) => b.where('f.lead_id', '=', leadId!))
    .$if(householdId !== undefined, (b) => b.where('f.household_id', '=', householdId!));
  const [rows, count] = await Promise.all([
    base
      .orderBy('f.sent_at', 'desc')
      .orderBy('f.referral_no', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: Number(count.n) };
}

export async function getReferral(db: Kysely<DB>, protector: Protector, id: string): Promise<ReferralDetail> {
  if (!UUID.test(id)) throw NotFound('entity.referral');
  const row = await referralQuery(db).select('f.request_enc').where('f.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.referral');
  const actions = await db
    .selectFrom('referral_actions')
    .select(['action', 'outcome_enc', 'actor_username', 'at'])
    .where('referral_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...toSummary(row),
    request: protector.decrypt(row.request_enc, REQUEST_CONTEXT),
    actions: actions.map((a) => ({
      action: a.action,
      outcome: a.outcome_enc === null ? null : protector.decrypt(a.outcome_enc, OUTCOME_CONTEXT),
      actor: a.actor_username,
      at: a.at.toISOString(),
    })),
  };
}

/** Records the agency's receipt, outcome or refusal (staff, as the agency told them). */
export async function recordReferralAction(
  db: Kysely<DB>,
  protector: Protector,
  id: string,
  input: ReferralActionInput,
): Promise<ReferralDetail> {
  if (!UUID.test(id)) throw NotFound('entity.referral');
  const outcome = input.outcome?.trim() ?? '';
  if (input.action !== 'accepted' && !outcome) throw InvalidField('outcome', 'referral.outcomeRequired');
  const actor = getContext().actor!;
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('referrals')
      .select(['id', 'referral_no', 'status', 'region_code'])
      .where('id', '=', id)
      .where(inScope('region_code'))
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw NotFound('entity.referral');
    if (!NEXT[row.status].includes(input.action))
      throw Conflict('referral.transition', { status: row.status, action: input.action });
    await trx
      .insertInto('referral_actions')
      .values({
        referral_id: id,
        action: input.action,
        outcome_enc: outcome ? protector.encrypt(outcome, OUTCOME_CONTEXT) : null,
        actor_username: actor.username,
      })
      .execute();
    await trx.updateTable('referrals').set({ status: input.action }).where('id', '=', id).execute();
    await recordAudit(trx, {
      action: `referral.${input.action}`,
      entity: 'referral',
      entityId: id,
      regionCode: row.region_code,
      detail: { referralNo: Number(row.referral_no), from: row.status },
    });
  });
  return getReferral(db, protector, id);
}

type CountRow = { sent: number; accepted: number; done: number; refused: number; total: number };
const counts = (r: CountRow) => ({
  sent: Number(r.sent),
  accepted: Number(r.accepted),
  done: Number(r.done),
  refused: Number(r.refused),
  total: Number(r.total),
});
const COUNTS = sql`count(f.id) filter (where f.status = 'sent')::int as sent,
       count(f.id) filter (where f.status = 'accepted')::int as accepted,
       count(f.id) filter (where f.status = 'done')::int as done,
       count(f.id) filter (where f.status = 'refused')::int as refused,
       count(f.id)::int as total`;

/** Referrals by status per child region of `region` (default: the caller's) and per agency. */
export async function referralStats(db: Kysely<DB>, region: string | undefined): Promise<ReferralStats> {
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
  const byRegion = await sql<CountRow & { code: string; name: string }>`
    select c.code, c.name, ${COUNTS}
      from regions c
      left join referrals f on f.region_code like c.code || '%' and ${inScope('f.region_code')}
     where ${rowsOf}
     group by c.code, c.name
     order by c.code`.execute(db);
  const byAgency = await sql<CountRow & { id: string; name: string; kind: Agency['kind'] }>`
    select a.id, a.name, a.kind, ${COUNTS}
      from referral_agencies a
      join referrals f on f.agency_id = a.id and f.region_code like ${code + '%'} and ${inScope('f.region_code')}
     group by a.id, a.name, a.kind
     order by count(f.id) desc, a.name`.execute(db);
  const rows: ReferralStatsRow[] = byRegion.rows.map((r) => ({
    regionCode: r.code,
    regionName: r.name,
    ...counts(r),
  }));
  const sum = (k: keyof CountRow) => rows.reduce((a, r) => a + r[k], 0);
  return {
    regionCode: self.code,
    regionName: self.name,
    rows,
    agencies: byAgency.rows.map((r) => ({ agencyId: r.id, agencyName: r.name, kind: r.kind, ...counts(r) })),
    totals: {
      sent: sum('sent'),
      accepted: sum('accepted'),
      done: sum('done'),
      refused: sum('refused'),
      total: sum('total'),
    },
  };
}
