/**
 * What citizens reach without an account: their application's progress behind a one-time code
 * sent to the phone on the application, and the public notice board. Nothing here tells a
 * caller whether a case number or a phone exists: a code is "sent" either way, and a wrong
 * case number answers exactly like a wrong code.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  chinaToday,
  type AssistanceKind,
  type CaseActionType,
  type CaseStatus,
  type PublicNoticeList,
  type PublicNoticeQuery,
  type PublicProgress,
} from '@jiuzhu/shared';
import type { Config } from '../../config';
import { findContext } from '../../context';
import { blindIndex, type Protector } from '../../crypto/index';
import { inScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { AppError } from '../../errors';
import { t, type MessageKey } from '../../i18n/messages';
import type { SmsSender } from '../../sms/sms';

export const PROGRESS_CODE_MINUTES = 10;
export const PROGRESS_CODE_ATTEMPTS = 5;
/** A new code for the same case is sent at most once a minute (no SMS flooding from many addresses). */
export const PROGRESS_CODE_RESEND_SECONDS = 60;

export type PublicDeps = {
  db: Kysely<DB>;
  protector: Protector;
  config: Pick<Config, 'city' | 'indexKey'>;
  sms: SmsSender;
};

const codeError = (key: MessageKey) => new AppError(401, 'UNAUTHENTICATED', key);

function codeHash(config: Pick<Config, 'indexKey'>, caseId: string, code: string): string {
  return blindIndex(`${caseId}:${code}`, config.indexKey, 'case_progress_code');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const normaliseCaseNo = (caseNo: string) => caseNo.trim().toUpperCase();

/**
 * Sends a one-time code to the application's phone when the case exists and the phone is the
 * one it was filed with; otherwise does nothing. The caller answers the same in every case.
 */
export async function requestProgressCode(deps: PublicDeps, body: { caseNo: string; phone: string }): Promise<void> {
  const { db, protector, config, sms } = deps;
  const c = await db
    .selectFrom('cases')
    .select(['id', 'case_no', 'phone_enc'])
    .where('case_no', '=', normaliseCaseNo(body.caseNo))
    .executeTakeFirst();
  if (!c) return;
  const phone = protector.decrypt(c.phone_enc, 'case.phone');
  if (!sameText(phone, body.phone.trim())) return;
  const recent = await db
    .selectFrom('case_progress_codes')
    .select('id')
    .where('case_id', '=', c.id)
    .where('created_at', '>', new Date(Date.now() - PROGRESS_CODE_RESEND_SECONDS * 1000))
    .executeTakeFirst();
  if (recent) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db
    .insertInto('case_progress_codes')
    .values({
      case_id: c.id,
      code_hash: codeHash(config, c.id, code),
      expires_at: new Date(Date.now() + PROGRESS_CODE_MINUTES * 60_000),
    })
    .execute();
  const lang = findContext()?.lang ?? 'zh-CN';
  try {
    await sms.send({
      to: phone,
      template: 'progressCode',
      text: t(lang, 'case.public.smsProgressCode', { caseNo: c.case_no, code, minutes: PROGRESS_CODE_MINUTES }),
      meta: { caseNo: c.case_no, code },
    });
  } catch (err) {
    // The answer stays 202 (no enumeration); the failure is for operators.
    findContext()?.log.error({ err: { message: (err as Error).message }, caseNo: c.case_no }, 'sms send failed');
  }
}

/**
 * The progress of an application for the holder of its latest code. Every try counts against
 * the code's attempts (at most PROGRESS_CODE_ATTEMPTS); the right code works once.
 */
export async function readProgress(deps: PublicDeps, body: { caseNo: string; code: string }): Promise<PublicProgress> {
  const { db, config } = deps;
  const c = await db
    .selectFrom('cases')
    .select(['id', 'case_no', 'status', 'created_at', 'missing_documents', 'enrolled_from'])
    .where('case_no', '=', normaliseCaseNo(body.caseNo))
    .executeTakeFirst();
  if (!c) throw codeError('case.public.codeInvalid');
  const row = await db
    .selectFrom('case_progress_codes')
    .select(['id', 'code_hash', 'expires_at', 'attempts', 'used_at'])
    .where('case_id', '=', c.id)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.used_at !== null) throw codeError('case.public.codeInvalid');
  if (row.expires_at.getTime() <= Date.now()) throw codeError('case.public.codeExpired');
  // Count the try first, in one statement, so parallel guesses cannot exceed the limit.
  const counted = await db
    .updateTable('case_progress_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .where('attempts', '<', PROGRESS_CODE_ATTEMPTS)
    .returning('attempts')
    .executeTakeFirst();
  if (!counted) throw codeError('case.public.codeAttempts');
  if (!sameText(codeHash(config, c.id, body.code), row.code_hash))
    throw codeError(
      counted.attempts >= PROGRESS_CODE_ATTEMPTS ? 'case.public.codeAttempts' : 'case.public.codeInvalid',
    );
  const used = await db
    .updateTable('case_progress_codes')
    .set({ used_at: new Date() })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!used) throw codeError('case.public.codeInvalid');

  const actions = await db
    .selectFrom('case_actions')
    .select(['action', 'to_status', 'at'])
    .where('case_id', '=', c.id)
    .orderBy('seq')
    .execute();
  const missing = (
    typeof c.missing_documents === 'string' ? JSON.parse(c.missing_documents) : c.missing_documents
  ) as string[];
  return {
    caseNo: c.case_no,
    status: c.status as CaseStatus,
    submittedOn: chinaToday(c.created_at),
    steps: actions.map((a) => ({
      action: a.action as CaseActionType,
      toStatus: a.to_status as CaseStatus,
      on: chinaToday(a.at),
    })),
    missingDocuments: c.status === 'missing_docs' ? missing : [],
    enrolledFrom: c.enrolled_from,
  };
}

/**
 * Open notices (公示) of a region (default: the whole city): only the name, number of members,
 * kinds and amount, with the village and township names (POLICY.md). Runs in the city scope.
 */
export async function listPublicNotices(
  db: Kysely<DB>,
  { region, page, pageSize }: PublicNoticeQuery,
): Promise<PublicNoticeList> {
  let q = db
    .selectFrom('case_notices as n')
    .innerJoin('regions as v', 'v.code', 'n.region_code')
    .leftJoin('regions as tw', 'tw.code', 'v.parent_code')
    .select([
      'n.region_code',
      'v.name as village_name',
      'tw.name as township_name',
      'n.display_name',
      'n.members',
      'n.kinds',
      'n.monthly_amount_fen',
      'n.one_off_amount_fen',
      'n.published_on',
      'n.ends_on',
    ])
    .where('n.status', '=', 'open')
    .where('n.ends_on', '>=', chinaToday())
    .where(inScope('n.region_code'));
  if (region) q = q.where(sql<boolean>`n.region_code like ${region + '%'}`);
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy('n.region_code')
    .orderBy('n.published_on')
    .orderBy('n.display_name')
    .orderBy('n.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      villageCode: r.region_code,
      villageName: r.village_name,
      townshipName: r.township_name ?? '',
      name: r.display_name,
      members: r.members,
      kinds: (typeof r.kinds === 'string' ? parsePgArray(r.kinds) : r.kinds) as AssistanceKind[],
      monthlyAmountFen: r.monthly_amount_fen,
      oneOffAmountFen: r.one_off_amount_fen,
      publishedOn: r.published_on,
      endsOn: r.ends_on,
    })),
  };
}

/** A text[] some drivers hand over as its literal, e.g. {dibao,temporary}. */
function parsePgArray(literal: string): string[] {
  const inner = literal.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}
