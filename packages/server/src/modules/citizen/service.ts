/**
 * The citizen H5's server side. A citizen has no account: the phone on an application is
 * confirmed by a one-time code sent to it, and nothing here tells a caller whether a phone or a
 * person is known (a code is "sent" every time, within the resend limit).
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  ASSISTANCE_KINDS,
  type CaseStatus,
  type CitizenApplicationBody,
  type CitizenClaimProgress,
  type CitizenClaimProgressBody,
  type CitizenClaimReportBody,
  type CitizenClaimReportResult,
  type DibaoParams,
  type DibaoEdgeParams,
  type FieldError,
  type PublicCondition,
  type PublicConditions,
  type PublicRegionList,
  type TekunParams,
  type TemporaryParams,
} from '@jiuzhu/shared';
import type { Config } from '../../config';
import { findContext } from '../../context';
import { blindIndex, type Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { Invalid, InvalidField, NotFound } from '../../errors';
import { t } from '../../i18n/messages';
import { decodePhotos } from '../../photos';
import type { SmsSender } from '../../sms/sms';
import { createCase } from '../cases/service';
import { citizenClaimProgress, reportClaimFromCitizen } from '../insurance/service';
import { chinaMonth, findEffectiveStandard } from '../policy/service';

export const PHONE_CODE_MINUTES = 10;
export const PHONE_CODE_ATTEMPTS = 5;
export const PHONE_CODE_RESEND_SECONDS = 60;

export type CitizenDeps = {
  db: Kysely<DB>;
  protector: Protector;
  config: Pick<Config, 'city' | 'indexKey'>;
  sms: SmsSender;
};

/** The citizen channel's actor: no account, no role, no region. */
const CITIZEN = { username: 'citizen', role: null } as const;

const phoneHash = (config: Pick<Config, 'indexKey'>, phone: string) => blindIndex(phone, config.indexKey, 'phone');
const codeHash = (config: Pick<Config, 'indexKey'>, phone: string, code: string) =>
  blindIndex(`${phone}:${code}`, config.indexKey, 'citizen_phone_code');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The conditions of each kind in a region (default: the city), worded by the page from the
 * figures of the standards in force this month. A kind with no standard configured is left out.
 */
export async function listConditions(
  db: Kysely<DB>,
  city: string,
  region: string | undefined,
): Promise<PublicConditions> {
  const code = region ?? city;
  const known = await db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst();
  if (!known || !code.startsWith(city)) throw NotFound('entity.region');
  const month = chinaMonth();
  const dibao = await findEffectiveStandard(db, city, code, 'dibao', month);
  const dibaoFen = dibao ? (dibao.standard.params as DibaoParams).standardFen : null;
  const items: PublicCondition[] = [];
  for (const kind of ASSISTANCE_KINDS) {
    const found = kind === 'dibao' ? dibao : await findEffectiveStandard(db, city, code, kind, month);
    if (!found || dibaoFen === null) continue;
    const base = { kind, effectiveMonth: found.standard.effectiveMonth, isDemo: found.standard.isDemo };
    if (kind === 'dibao') {
      const p = found.standard.params as DibaoParams;
      items.push({
        ...base,
        amountFen: p.standardFen,
        secondAmountFen: null,
        propertiesAllowed: p.assets.propertiesAllowed,
        noticeDays: p.noticeDays,
      });
    } else if (kind === 'tekun') {
      const p = found.standard.params as TekunParams;
      items.push({
        ...base,
        amountFen: Math.round((dibaoFen * p.basicLivingPerMille) / 1000),
        secondAmountFen: p.careFen.complete,
        propertiesAllowed: p.assets.propertiesAllowed,
        noticeDays: p.noticeDays,
      });
    } else if (kind === 'dibao_edge') {
      const p = found.standard.params as DibaoEdgeParams;
      items.push({
        ...base,
        amountFen: Math.round((dibaoFen * p.incomePerMille) / 1000),
        secondAmountFen: null,
        propertiesAllowed: p.assets.propertiesAllowed,
        noticeDays: p.noticeDays,
      });
    } else {
      const p = found.standard.params as TemporaryParams;
      items.push({
        ...base,
        amountFen: dibaoFen * p.maxMultiple,
        secondAmountFen: dibaoFen * p.specialHardshipMultiple,
        propertiesAllowed: null,
        noticeDays: null,
      });
    }
  }
  return { regionName: known.name, items };
}

/** Townships of the city, or villages of a township, for the picker. */
export async function listPublicRegions(
  db: Kysely<DB>,
  city: string,
  parent: string | undefined,
): Promise<PublicRegionList> {
  const code = parent ?? city;
  if (!code.startsWith(city)) throw NotFound('entity.region');
  // The city's children are counties; a citizen picks a township, so the city lists townships directly.
  const rows = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .$call((q) =>
      code === city
        ? q.where('level', '=', 'township').where('code', 'like', `${city}%`)
        : q.where('parent_code', '=', code),
    )
    .orderBy('code')
    .limit(2000)
    .execute();
  return { items: rows };
}

/** Sends a one-time code to a phone (at most one a minute per phone); answers the same in every case. */
export async function requestPhoneCode(deps: CitizenDeps, phone: string): Promise<void> {
  const { db, config, sms } = deps;
  const hash = phoneHash(config, phone);
  const recent = await db
    .selectFrom('citizen_phone_codes')
    .select('id')
    .where('phone_hash', '=', hash)
    .where('created_at', '>', new Date(Date.now() - PHONE_CODE_RESEND_SECONDS * 1000))
    .executeTakeFirst();
  if (recent) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db
    .insertInto('citizen_phone_codes')
    .values({
      phone_hash: hash,
      code_hash: codeHash(config, phone, code),
      expires_at: new Date(Date.now() + PHONE_CODE_MINUTES * 60_000),
    })
    .execute();
  const lang = findContext()?.lang ?? 'zh-CN';
  try {
    await sms.send({
      to: phone,
      template: 'phoneCode',
      text: t(lang, 'citizen.smsPhoneCode', { code, minutes: PHONE_CODE_MINUTES }),
      meta: { code },
    });
  } catch (err) {
    findContext()?.log.error({ err: { message: (err as Error).message } }, 'sms send failed');
  }
}

/** Uses up the phone's latest code if it matches; every try counts against its attempts. */
export async function confirmPhone(deps: CitizenDeps, phone: string, code: string): Promise<void> {
  const { db, config } = deps;
  const invalid = () => InvalidField('phoneCode', 'citizen.phoneCodeInvalid');
  const row = await db
    .selectFrom('citizen_phone_codes')
    .select(['id', 'code_hash', 'expires_at', 'used_at'])
    .where('phone_hash', '=', phoneHash(config, phone))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at.getTime() <= Date.now()) throw invalid();
  const counted = await db
    .updateTable('citizen_phone_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .where('attempts', '<', PHONE_CODE_ATTEMPTS)
    .returning('attempts')
    .executeTakeFirst();
  if (!counted || !sameText(codeHash(config, phone, code), row.code_hash)) throw invalid();
  const used = await db
    .updateTable('citizen_phone_codes')
    .set({ used_at: new Date() })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!used) throw invalid();
}

/**
 * A citizen's application from the H5: the photos checked first (so a bad photo costs no code),
 * then the phone's code, then the case as on every channel (dispatched by village), the photos
 * stored on its submit action.
 */
export async function submitCitizenApplication(
  deps: CitizenDeps,
  body: CitizenApplicationBody,
): Promise<{ caseNo: string; status: CaseStatus }> {
  const { db, protector, config } = deps;
  const { phoneCode, documents, ...input } = body;
  const fields: FieldError[] = [];
  const lang = findContext()?.lang ?? 'zh-CN';
  const photos = decodePhotos(
    documents,
    'documents',
    { type: t(lang, 'citizen.documentType'), tooLarge: t(lang, 'citizen.documentTooLarge') },
    fields,
  );
  if (fields.length > 0) throw Invalid(fields);
  await confirmPhone(deps, input.phone, phoneCode);
  // A duplicate (open case, enrolment, household on assistance) is entered and marked for the
  // township like any other application, as on the public form: the same 201, so the H5 is no
  // oracle of who is on assistance.
  const created = await createCase({ db, protector, config }, input, 'citizen', CITIZEN, undefined, {
    recordDuplicate: true,
  });
  if (photos.length > 0) {
    const submit = await db
      .selectFrom('case_actions')
      .select('id')
      .where('case_id', '=', created.id)
      .where('action', '=', 'submit')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('case_photos')
      .values(
        photos.map((p, i) => ({
          action_id: submit.id,
          n: i + 1,
          content_type: p.contentType,
          size_bytes: p.bytes.length,
          data: p.bytes,
        })),
      )
      .execute();
  }
  return { caseNo: created.caseNo, status: created.status };
}

/**
 * 报案 from the H5: the reporter's phone confirmed by its code, then the report recorded (and the
 * claim opened when the person was insured). The same answer whether or not anyone matched.
 */
export async function submitClaimReport(
  deps: CitizenDeps,
  body: CitizenClaimReportBody,
): Promise<CitizenClaimReportResult> {
  const { phoneCode, ...report } = body;
  await confirmPhone(deps, report.reporterPhone, phoneCode);
  return reportClaimFromCitizen(deps, report);
}

/** A report's progress for the phone that made it, confirmed by a fresh code. */
export async function claimReportProgress(
  deps: CitizenDeps,
  body: CitizenClaimProgressBody,
): Promise<CitizenClaimProgress> {
  await confirmPhone(deps, body.phone, body.phoneCode);
  return citizenClaimProgress(deps, body.reportNo, body.phone);
}
