import { sql, type Kysely } from 'kysely';
import {
  type CaseStatus,
  type LeadDetail,
  type LeadListQuery,
  type LeadPage,
  type LeadStats,
  type LeadStatsRow,
  type LeadSummary,
  type LeadVisit,
  type LeadVisitInput,
  type PhotoMeta,
  type FieldError,
  type WorkingCalendar,
  chinaToday,
  normalizeIdNumber,
} from '@jiuzhu/shared';
import { currentScope, getContext } from '../../context';
import { maskAddress, type Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB, LeadVisitOutcome, ReferralAgency } from '../../db/schema';
import { Conflict, Forbidden, Invalid, InvalidField, NotFound } from '../../errors';
import { decodePhotos, photoMetaColumns, toPhotoMeta, type Photo } from '../../photos';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { findLeadApplication, isDecided } from './handoff';

// The module's public surface: the dispatch of new lead signals and the overdue escalation (a job).
export { dispatchNewLeads, escalateOverdueLeads } from './dispatch';
export { closeLeadOfDecidedCase } from './handoff';
import { recordFieldLabels } from '../exchange/service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Where visit notes live in the ciphertext (bound in, so a value copied elsewhere fails to decrypt). */
const NOTES_CONTEXT = 'lead_visit.notes';
/** Phones' clocks drift: a visit a few minutes "in the future" is accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;

function leadQuery(db: Kysely<DB>) {
  return db
    .selectFrom('leads as l')
    .innerJoin('regions as r', 'r.code', 'l.region_code')
    .innerJoin('signals as s', 's.id', 'l.signal_id')
    .innerJoin('collision_rules as cr', 'cr.id', 's.rule_id')
    .where(inScope('l.region_code'));
}

function selectLead(q: ReturnType<typeof leadQuery>) {
  return q.select([
    'l.id',
    'l.lead_no',
    'l.person_name',
    'l.id_masked',
    'l.region_code',
    'r.name as region_name',
    'cr.code as rule_code',
    'cr.name_zh as rule_name_zh',
    'cr.name_en as rule_name_en',
    'l.status',
    'l.outcome',
    'l.attempts',
    'l.issued_on',
    'l.due_date',
    'l.escalated_at',
    'l.escalated_to',
    'l.created_at',
  ]);
}

type LeadRow = Awaited<ReturnType<ReturnType<typeof selectLead>['executeTakeFirstOrThrow']>>;

function toSummary(r: LeadRow, calendar: WorkingCalendar, today: string): LeadSummary {
  const open = r.status === 'open';
  return {
    id: r.id,
    leadNo: Number(r.lead_no),
    personName: r.person_name,
    idMasked: r.id_masked,
    regionCode: r.region_code,
    regionName: r.region_name,
    reason: getContext().lang === 'en-US' ? r.rule_name_en : r.rule_name_zh,
    status: r.status,
    outcome: r.outcome,
    attempts: r.attempts,
    issuedOn: r.issued_on,
    dueDate: r.due_date,
    workingDaysLeft: open ? calendar.workingDaysBetween(today, r.due_date) : 0,
    overdue: open && r.due_date < today,
    escalated: r.escalated_at !== null,
    escalatedTo: r.escalated_to,
    createdAt: r.created_at.toISOString(),
  };
}

/** The caller's inbox: leads of their region (a grid worker: her village), open and most urgent first. */
/** The blind index of an ID number (the protector's), for a search by a whole number. */
export type IdHasher = (normalisedId: string) => string;

export async function listLeads(db: Kysely<DB>, q: LeadListQuery, idHash?: IdHasher): Promise<LeadPage> {
  const today = chinaToday();
  // Filters, page and count read leads alone; region, signal and rule are joined to the page's rows.
  let query = db.selectFrom('leads as l').where(inScope('l.region_code'));
  if (q.q) {
    const id = normalizeIdNumber(q.q);
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const hash = /^\d{17}[\dX]$/.test(id) && idHash ? idHash(id) : null;
    query = query.where((eb) =>
      eb.or([eb('l.person_name', 'like', like), ...(hash ? [eb('l.id_hash', '=', hash)] : [])]),
    );
  }
  if (q.regionCode) query = query.where(sql<boolean>`l.region_code like ${q.regionCode + '%'}`);
  if (q.recordType)
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('signal_records as sr')
          .innerJoin('feed_records as fr', 'fr.id', 'sr.record_id')
          .select(sql`1`.as('one'))
          .whereRef('sr.signal_id', '=', 'l.signal_id')
          .where('fr.record_type', '=', q.recordType!),
      ),
    );
  if (q.issuedFrom) query = query.where('l.issued_on', '>=', q.issuedFrom);
  if (q.issuedTo) query = query.where('l.issued_on', '<=', q.issuedTo);
  if (q.status) query = query.where('l.status', '=', q.status);
  if (q.overdue === 'true') query = query.where('l.status', '=', 'open').where('l.due_date', '<', today);
  if (q.overdue === 'false')
    query = query.where((eb) => eb.or([eb('l.status', '=', 'closed'), eb('l.due_date', '>=', today)]));
  if (q.escalated === 'true') query = query.where('l.escalated_at', 'is not', null);
  if (q.escalated === 'false') query = query.where('l.escalated_at', 'is', null);
  const page = query
    .select('l.id')
    .orderBy(sql`l.status = 'open'`, 'desc')
    .orderBy('l.due_date')
    .orderBy('l.lead_no')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [rows, count, calendar] = await Promise.all([
    selectLead(leadQuery(db).where('l.id', 'in', page))
      .orderBy(sql`l.status = 'open'`, 'desc')
      .orderBy('l.due_date')
      .orderBy('l.lead_no')
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    getCalendar(db),
  ]);
  return { items: rows.map((r) => toSummary(r, calendar, today)), total: Number(count.n) };
}

function toVisit(protector: Protector, v: VisitRow, photos: PhotoMeta[]): LeadVisit {
  return {
    id: v.id,
    visitedAt: v.visited_at.toISOString(),
    recordedBy: v.recorded_by,
    recordedAt: v.recorded_at.toISOString(),
    notes: protector.decrypt(v.notes_enc, NOTES_CONTEXT),
    location:
      v.latitude !== null && v.longitude !== null
        ? { latitude: v.latitude, longitude: v.longitude, accuracy: v.accuracy_m ?? 0 }
        : null,
    outcome: v.outcome,
    referralAgency: v.referral_agency,
    referralNote: v.referral_note,
    photoCount: v.photo_count,
    photos,
  };
}

type VisitRow = {
  id: string;
  visited_at: Date;
  recorded_by: string;
  recorded_at: Date;
  notes_enc: string;
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  outcome: LeadVisitOutcome;
  referral_agency: ReferralAgency | null;
  referral_note: string | null;
  photo_count: number;
};

/** One lead of the caller's region with the person, the why (rule and source records) and the visits; 404 outside. */
export async function getLead(db: Kysely<DB>, protector: Protector, id: string): Promise<LeadDetail> {
  if (!UUID.test(id)) throw NotFound('entity.lead');
  const row = await selectLead(leadQuery(db).where('l.id', '=', id))
    .leftJoin('households as h', 'h.id', 'l.household_id')
    .select([
      'l.signal_id',
      'l.household_id',
      'h.household_no',
      'h.address_enc',
      'l.referral_agency',
      'l.referral_note',
      'l.closed_at',
      'l.closed_by',
    ])
    .executeTakeFirst();
  if (!row) throw NotFound('entity.lead');
  const lang = getContext().lang;
  const [records, visits, calendar, application] = await Promise.all([
    db
      .selectFrom('signal_records as sr')
      .innerJoin('feed_records as fr', 'fr.id', 'sr.record_id')
      .innerJoin('feed_kinds as k', 'k.code', 'fr.kind_code')
      .select(['fr.kind_code', 'k.name_zh', 'k.name_en', 'k.columns', 'fr.record_type', 'fr.event_date', 'fr.data'])
      .where('sr.signal_id', '=', row.signal_id)
      .orderBy('fr.event_date')
      .orderBy('fr.id')
      .limit(100)
      .execute(),
    db
      .selectFrom('lead_visits')
      .select([
        'id',
        'visited_at',
        'recorded_by',
        'recorded_at',
        'notes_enc',
        'latitude',
        'longitude',
        'accuracy_m',
        'outcome',
        'referral_agency',
        'referral_note',
        'photo_count',
      ])
      .where('lead_id', '=', id)
      .where(inScope('region_code'))
      .orderBy('visited_at', 'desc')
      .execute(),
    getCalendar(db),
    findLeadApplication(db, id),
  ]);
  const photoRows =
    visits.length === 0
      ? []
      : await db
          .selectFrom('lead_photos')
          .select(['visit_id', 'n', 'taken_at', 'latitude', 'longitude'])
          .where(
            'visit_id',
            'in',
            visits.map((v) => v.id),
          )
          .orderBy('visit_id')
          .orderBy('n')
          .execute();
  const photoMeta = new Map<string, PhotoMeta[]>();
  for (const p of photoRows) photoMeta.set(p.visit_id, [...(photoMeta.get(p.visit_id) ?? []), toPhotoMeta(p)]);
  return {
    ...toSummary(row, calendar, chinaToday()),
    application,
    householdId: row.household_id,
    householdNo: row.household_no,
    addressMasked: row.address_enc ? maskAddress(protector.decrypt(row.address_enc, 'household.address')) : null,
    ruleCode: row.rule_code,
    sourceRecords: records.map((r) => ({
      kindCode: r.kind_code,
      kindName: lang === 'en-US' ? r.name_en : r.name_zh,
      recordType: r.record_type,
      eventDate: r.event_date,
      data: r.data,
      fields: recordFieldLabels(r.columns, lang),
    })),
    referralAgency: row.referral_agency,
    referralNote: row.referral_note,
    closedAt: row.closed_at?.toISOString() ?? null,
    closedBy: row.closed_by,
    visits: visits.map((v) => toVisit(protector, v, photoMeta.get(v.id) ?? [])),
  };
}

/** Checks what the schema cannot: time, agency, photo content. Returns the decoded photos. */
function checkVisit(input: LeadVisitInput): Photo[] {
  const fields: FieldError[] = [];
  if (Date.parse(input.visitedAt) > Date.now() + CLOCK_SKEW_MS)
    fields.push({ path: 'visitedAt', message: 'lead.visitInFuture' });
  if (input.outcome === 'referred') {
    if (!input.referralAgency) fields.push({ path: 'referralAgency', message: 'lead.agencyRequired' });
    else if (input.referralAgency === 'other' && !input.referralNote)
      fields.push({ path: 'referralNote', message: 'lead.agencyNameRequired' });
  } else if (input.referralAgency || input.referralNote) {
    fields.push({ path: 'referralAgency', message: 'lead.agencyOnlyWhenReferred' });
  }
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
 * Records a visit on an open lead of the caller's region. 'unreachable' keeps the lead open and
 * counts an attempt; any other outcome closes it. A retry carrying the same Idempotency-Key finds
 * the visit made the first time and changes nothing. A closed lead refuses new visits (409).
 */
export async function recordVisit(
  db: Kysely<DB>,
  protector: Protector,
  leadId: string,
  input: LeadVisitInput,
  idempotencyKey: string | undefined,
): Promise<LeadDetail> {
  if (!UUID.test(leadId)) throw NotFound('entity.lead');
  const photos = checkVisit(input);
  const actor = getContext().actor!;
  await db.transaction().execute(async (trx) => {
    const lead = await trx
      .selectFrom('leads')
      .select(['id', 'lead_no', 'region_code', 'status', 'issued_on', 'signal_id'])
      .where('id', '=', leadId)
      .where(inScope('region_code'))
      .forUpdate()
      .executeTakeFirst();
    if (!lead) throw NotFound('entity.lead');
    if (idempotencyKey) {
      const earlier = await trx
        .selectFrom('lead_visits')
        .select('id')
        .where('lead_id', '=', leadId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (earlier) return;
    }
    if (lead.status === 'closed') throw Conflict('lead.closed');
    // "Helped to apply" needs the application filed from this lead; the lead stays open until it is decided.
    let closes = input.outcome !== 'unreachable';
    if (input.outcome === 'helped_to_apply') {
      const application = await findLeadApplication(trx, leadId);
      if (!application) throw InvalidField('outcome', 'lead.applicationRequired');
      closes = isDecided(application.status as CaseStatus);
    }
    const visitedAt = new Date(input.visitedAt);
    const visitDate = chinaToday(visitedAt);
    if (visitDate < lead.issued_on) throw InvalidField('visitedAt', 'lead.visitBeforeIssue');
    const visit = await trx
      .insertInto('lead_visits')
      .values({
        lead_id: leadId,
        region_code: lead.region_code,
        visited_at: visitedAt,
        visit_date: visitDate,
        recorded_by: actor.username,
        notes_enc: protector.encrypt(input.notes, NOTES_CONTEXT),
        latitude: input.location?.latitude ?? null,
        longitude: input.location?.longitude ?? null,
        accuracy_m: input.location?.accuracy ?? null,
        outcome: input.outcome,
        referral_agency: input.referralAgency ?? null,
        referral_note: input.referralNote || null,
        photo_count: photos.length,
        idempotency_key: idempotencyKey ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (photos.length > 0)
      await trx
        .insertInto('lead_photos')
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
    await trx
      .updateTable('leads')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        ...(closes
          ? {
              status: 'closed' as const,
              outcome: input.outcome as Exclude<LeadVisitOutcome, 'unreachable'>,
              referral_agency: input.referralAgency ?? null,
              referral_note: input.referralNote || null,
              closed_at: new Date(),
              closed_by: actor.username,
            }
          : {}),
      }))
      .where('id', '=', leadId)
      .execute();
    // The lead's signal is worked on while visits go on, and resolved with the lead.
    await trx
      .updateTable('signals')
      .set({ status: closes ? 'resolved' : 'in_progress', updated_at: new Date() })
      .where('id', '=', lead.signal_id)
      .where('status', 'in', ['open', 'in_progress'])
      .execute();
    await recordAudit(trx, {
      action: 'lead.visit',
      entity: 'lead',
      entityId: leadId,
      regionCode: lead.region_code,
      detail: {
        leadNo: Number(lead.lead_no),
        visitId: visit.id,
        outcome: input.outcome,
        photos: photos.length,
        located: Boolean(input.location),
      },
    });
  });
  return getLead(db, protector, leadId);
}

/** One photo of a visit on a lead of the caller's region. */
export async function getPhoto(
  db: Kysely<DB>,
  leadId: string,
  visitId: string,
  n: number,
): Promise<{ contentType: string; bytes: Buffer }> {
  if (!UUID.test(leadId) || !UUID.test(visitId)) throw NotFound('entity.photo');
  const row = await db
    .selectFrom('lead_photos as p')
    .innerJoin('lead_visits as v', 'v.id', 'p.visit_id')
    .innerJoin('leads as l', 'l.id', 'v.lead_id')
    .select(['p.content_type', 'p.data'])
    .where('l.id', '=', leadId)
    .where('v.id', '=', visitId)
    .where('p.n', '=', n)
    .where(inScope('l.region_code'))
    .executeTakeFirst();
  if (!row) throw NotFound('entity.photo');
  return { contentType: row.content_type, bytes: Buffer.from(row.data) };
}

type StatsRow = {
  code: string;
  name: string;
  issued: number;
  visited: number;
  verified_on_time: number;
  overdue_open: number;
  escalated: number;
};

/**
 * Figures per child region of `region` (default: the caller's); a region without children (a
 * village) is its own single row. Only leads inside the caller's scope are counted.
 */
export async function leadStats(db: Kysely<DB>, region: string | undefined): Promise<LeadStats> {
  const scope = currentScope();
  const code = region ?? (scope.kind === 'region' ? scope.regionCode : '');
  if (!code || !isInScope(code)) throw Forbidden('error.outOfRegion');
  const self = await db.selectFrom('regions').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!self) throw NotFound('entity.region');
  const today = chinaToday();
  const children = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', code)
    .executeTakeFirstOrThrow();
  const rowsOf = Number(children.n) > 0 ? sql`c.parent_code = ${code}` : sql`c.code = ${code}`;
  const result = await sql<StatsRow>`
    select c.code, c.name,
           count(l.id)::int as issued,
           count(l.id) filter (where l.attempts > 0)::int as visited,
           count(l.id) filter (where l.status = 'closed' and exists (
             select 1 from lead_visits v
              where v.lead_id = l.id and v.outcome <> 'unreachable' and v.visit_date <= l.due_date))::int as verified_on_time,
           count(l.id) filter (where l.status = 'open' and l.due_date < ${today})::int as overdue_open,
           count(l.id) filter (where l.escalated_at is not null)::int as escalated
      from regions c
      left join leads l on l.region_code like c.code || '%' and ${inScope('l.region_code')}
     where ${rowsOf}
     group by c.code, c.name
     order by c.code`.execute(db);
  const rows: LeadStatsRow[] = result.rows.map((r) => ({
    regionCode: r.code,
    regionName: r.name,
    issued: Number(r.issued),
    visited: Number(r.visited),
    verifiedOnTime: Number(r.verified_on_time),
    overdueOpen: Number(r.overdue_open),
    escalated: Number(r.escalated),
  }));
  const sum = (k: keyof LeadStats['totals']) => rows.reduce((a, r) => a + r[k], 0);
  return {
    regionCode: self.code,
    regionName: self.name,
    rows,
    totals: {
      issued: sum('issued'),
      visited: sum('visited'),
      verifiedOnTime: sum('verifiedOnTime'),
      overdueOpen: sum('overdueOpen'),
      escalated: sum('escalated'),
    },
  };
}

// ---- 全市一张图 (dashboard)
export { leadFigures, leadTodoCounts, leadTrace, leadTrend, writeLeadFigures, type LeadFigureRow } from './figures';
