/**
 * 报案 from the citizen H5: a family member reports the death or accident of a person. A person
 * insured on the event date gets a claim at the report step (source 'citizen') in their region,
 * which the township and the insurer see in their claim lists; a report that matches nobody is
 * kept for the staff of the person's registry region (or the city) to follow up by phone. The
 * citizen's answer is the same either way: the H5 is no oracle of who is insured or registered.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  chinaToday,
  maskIdNumber,
  validateIdNumber,
  type FieldError,
  type CitizenClaimProgress,
  type CitizenClaimReportBody,
  type CitizenClaimReportPage,
  type CitizenClaimReportQuery,
  type CitizenClaimReportResult,
} from '@jiuzhu/shared';
import { findContext } from '../../context';
import { blindIndex, maskName, maskPhone, type Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { Invalid, NotFound } from '../../errors';
import { t } from '../../i18n/messages';
import { recordAudit } from '../audit/service';
import { findRegistered } from '../registry/service';
import { openClaim } from './claims';
import { findInsured } from './insured';

export type CitizenReportDeps = {
  db: Kysely<DB>;
  protector: Protector;
  config: { city: string; indexKey: Buffer };
};

const CONTEXT = {
  reporterName: 'claim_report.reporter_name',
  reporterPhone: 'claim_report.reporter_phone',
  insuredName: 'claim_report.insured_name',
  description: 'claim_report.description',
} as const;
const CITIZEN = { username: 'citizen', role: 'citizen' } as const;

const reportNo = () => `BA${chinaToday().replace(/-/g, '')}${randomBytes(3).toString('hex').toUpperCase()}`;
const phoneHash = (deps: CitizenReportDeps, phone: string) => blindIndex(phone, deps.config.indexKey, 'phone');

/**
 * Records a citizen's report (the phone already confirmed by its code) and opens the claim when
 * the person was insured on the event date under a scheme covering what happened.
 */
export async function reportClaimFromCitizen(
  deps: CitizenReportDeps,
  body: Omit<CitizenClaimReportBody, 'phoneCode'>,
): Promise<CitizenClaimReportResult> {
  const { db, protector, config } = deps;
  const lang = findContext()?.lang ?? 'zh-CN';
  const id = validateIdNumber(body.insuredIdNumber);
  const fields: FieldError[] = [];
  if (!id.ok) fields.push({ path: 'insuredIdNumber', message: id.message[lang] });
  const today = chinaToday();
  if (body.eventDate > today) fields.push({ path: 'eventDate', message: t(lang, 'citizen.eventInFuture') });
  if (!id.ok || fields.length > 0) throw Invalid(fields);
  const idHash = protector.idHash(id.idNumber);
  const no = reportNo();
  await db.transaction().execute(async (trx) => {
    const insured = await findInsured(trx, config.city, idHash, body.eventDate);
    let claimId: string | null = null;
    let regionCode: string | null = null;
    if (insured && insured.scheme.coverItems.some((i) => i.code === body.eventKind)) {
      const opened = await openClaim(trx, config.city, {
        idHash,
        coverItem: body.eventKind,
        eventDate: body.eventDate,
        eventNote: null,
        source: 'citizen',
        reportedBy: CITIZEN,
      });
      claimId = opened?.id ?? null;
      regionCode = opened ? insured.regionCode : null;
    }
    if (!regionCode) {
      // Not matched: the staff of the person's registry village follow it up, else the city's.
      const [registered] = await findRegistered(trx, [idHash]);
      regionCode = registered?.region_code ?? config.city;
    }
    const row = await trx
      .insertInto('citizen_claim_reports')
      .values({
        report_no: no,
        reporter_name_enc: protector.encrypt(body.reporterName, CONTEXT.reporterName),
        reporter_phone_enc: protector.encrypt(body.reporterPhone, CONTEXT.reporterPhone),
        reporter_phone_hash: phoneHash(deps, body.reporterPhone),
        relation: body.relation,
        insured_name_enc: protector.encrypt(body.insuredName, CONTEXT.insuredName),
        id_hash: idHash,
        id_masked: maskIdNumber(id.idNumber),
        event_date: body.eventDate,
        event_kind: body.eventKind,
        description_enc: protector.encrypt(body.description, CONTEXT.description),
        claim_id: claimId,
        region_code: regionCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'insurance.citizen_report',
      entity: 'citizen_claim_report',
      entityId: row.id,
      regionCode,
      detail: { eventKind: body.eventKind, matched: claimId !== null },
      actor: { id: null, ...CITIZEN, regionCode },
    });
  });
  return { reportNo: no, reportedOn: today };
}

/** Where a report stands, for the phone that made it (confirmed by its code by the caller). */
export async function citizenClaimProgress(
  deps: CitizenReportDeps,
  no: string,
  phone: string,
): Promise<CitizenClaimProgress> {
  const row = await deps.db
    .selectFrom('citizen_claim_reports as r')
    .leftJoin('insurance_claims as c', 'c.id', 'r.claim_id')
    .select(['r.report_no', 'r.created_at', 'r.event_kind', 'c.status', 'c.paid_on'])
    .where('r.report_no', '=', no.trim().toUpperCase())
    .where('r.reporter_phone_hash', '=', phoneHash(deps, phone))
    .executeTakeFirst();
  if (!row) throw NotFound('entity.claimReport');
  return {
    reportNo: row.report_no,
    reportedOn: chinaToday(new Date(row.created_at)),
    eventKind: row.event_kind,
    status: row.status ?? 'reported',
    paidOn: row.paid_on ?? null,
  };
}

/** The citizens' reports of the caller's region, newest first: matched to a claim or to follow up. */
export async function listCitizenClaimReports(
  deps: CitizenReportDeps,
  q: CitizenClaimReportQuery,
): Promise<CitizenClaimReportPage> {
  const { db, protector } = deps;
  let query = db
    .selectFrom('citizen_claim_reports as r')
    .leftJoin('insurance_claims as c', 'c.id', 'r.claim_id')
    .where(inScope('r.region_code'));
  if (q.matched === 'true') query = query.where('r.claim_id', 'is not', null);
  if (q.matched === 'false') query = query.where('r.claim_id', 'is', null);
  if (q.q) {
    const id = validateIdNumber(q.q);
    if (id.ok) query = query.where('r.id_hash', '=', protector.idHash(id.idNumber));
    else {
      const like = `%${q.q.toUpperCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb('r.report_no', 'like', like), eb('c.claim_no', 'like', like)]));
    }
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'r.id',
        'r.report_no',
        'r.created_at',
        'r.reporter_name_enc',
        'r.reporter_phone_enc',
        'r.relation',
        'r.insured_name_enc',
        'r.id_masked',
        'r.event_date',
        'r.event_kind',
        'r.description_enc',
        'r.region_code',
        'r.claim_id',
        'c.claim_no',
      ])
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reportNo: r.report_no,
      reportedAt: new Date(r.created_at).toISOString(),
      reporterName: protector.decrypt(r.reporter_name_enc, CONTEXT.reporterName),
      reporterPhoneMasked: maskPhone(protector.decrypt(r.reporter_phone_enc, CONTEXT.reporterPhone)),
      relation: r.relation,
      insuredName: maskName(protector.decrypt(r.insured_name_enc, CONTEXT.insuredName)),
      insuredIdMasked: r.id_masked,
      eventDate: r.event_date,
      eventKind: r.event_kind,
      description: protector.decrypt(r.description_enc, CONTEXT.description),
      regionCode: r.region_code,
      claimId: r.claim_id,
      claimNo: r.claim_no ?? null,
    })),
    total: Number(count.n),
  };
}
