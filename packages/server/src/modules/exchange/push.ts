import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FEED_PUSH_HEADERS, FEED_PUSH_MAX_SKEW_SECONDS } from '@jiuzhu/shared';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { AppError, Forbidden } from '../../errors';
import { xlsxFile } from '../../exports';
import type { MessageKey } from '../../i18n/messages';
import { API_SECRET_CONTEXT, sha256Hex } from './service';

/** Why a push was not authenticated: the `details.reason` of its 401. */
export type PushAuthFailure =
  | 'PUSH_KEY_MISSING'
  | 'PUSH_KEY_UNKNOWN'
  | 'PUSH_TIMESTAMP_MISSING'
  | 'PUSH_TIMESTAMP_STALE'
  | 'PUSH_SIGNATURE_MISSING'
  | 'PUSH_SIGNATURE_INVALID';

const FAILURE_MESSAGES: Record<PushAuthFailure, MessageKey> = {
  PUSH_KEY_MISSING: 'exchange.push.keyMissing',
  PUSH_KEY_UNKNOWN: 'exchange.push.keyUnknown',
  PUSH_TIMESTAMP_MISSING: 'exchange.push.timestampMissing',
  PUSH_TIMESTAMP_STALE: 'exchange.push.timestampStale',
  PUSH_SIGNATURE_MISSING: 'exchange.push.signatureMissing',
  PUSH_SIGNATURE_INVALID: 'exchange.push.signatureInvalid',
};

const unauthenticated = (reason: PushAuthFailure, params: Record<string, string | number> = {}) =>
  new AppError(401, 'UNAUTHENTICATED', FAILURE_MESSAGES[reason], params, undefined, { reason });

/** What the department signs: `${timestamp}\n${METHOD}\n${path}\n${hex sha256(body)}`. */
export function pushStringToSign(timestamp: string, method: string, path: string, body: Buffer | string): string {
  return `${timestamp}\n${method.toUpperCase()}\n${path}\n${sha256Hex(body)}`;
}

/** The signature a department computes (hex HMAC-SHA256 with its secret); also used by tests and the docs' example. */
export function signPush(
  secret: string,
  timestamp: string,
  method: string,
  path: string,
  body: Buffer | string,
): string {
  return createHmac('sha256', secret)
    .update(pushStringToSign(timestamp, method, path, body))
    .digest('hex');
}

export type PushRequest = {
  method: string;
  /** The request path as sent, without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

const header = (h: PushRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Authenticates a department's signed request and returns its source code. Checks, in order:
 * the key is present and known, the timestamp is within ±300 s, and the signature matches
 * (constant-time). Each failure is a 401 naming exactly what was wrong.
 */
export async function authenticatePush(
  db: Kysely<DB>,
  protector: Protector,
  req: PushRequest,
  nowMs = Date.now(),
): Promise<string> {
  const keyId = header(req.headers, FEED_PUSH_HEADERS.key)?.trim();
  if (!keyId) throw unauthenticated('PUSH_KEY_MISSING');
  const source = await db
    .selectFrom('feed_sources')
    .select(['code', 'active', 'api_secret_enc'])
    .where('api_key_hash', '=', sha256Hex(keyId))
    .executeTakeFirst();
  if (!source || !source.api_secret_enc) throw unauthenticated('PUSH_KEY_UNKNOWN');

  const timestamp = header(req.headers, FEED_PUSH_HEADERS.timestamp)?.trim();
  if (!timestamp) throw unauthenticated('PUSH_TIMESTAMP_MISSING');
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > FEED_PUSH_MAX_SKEW_SECONDS)
    throw unauthenticated('PUSH_TIMESTAMP_STALE', { seconds: FEED_PUSH_MAX_SKEW_SECONDS });

  const signature = header(req.headers, FEED_PUSH_HEADERS.signature)?.trim().toLowerCase();
  if (!signature) throw unauthenticated('PUSH_SIGNATURE_MISSING');
  const secret = protector.decrypt(source.api_secret_enc, API_SECRET_CONTEXT);
  const expected = Buffer.from(signPush(secret, timestamp, req.method, req.path, req.body), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw unauthenticated('PUSH_SIGNATURE_INVALID');

  if (!source.active) throw Forbidden('exchange.push.sourceInactive');
  return source.code;
}

/** The records of a push, parsed; `line` is where a record that is not a JSON object starts (1-based). */
export type PushRecords = { ok: true; jsonl: Buffer; records: Record<string, unknown>[] } | { ok: false; line: number };

/**
 * Reads a push body: JSON Lines (one object per line, blank lines ignored) or a JSON array of
 * objects. Returns the records and their JSON Lines form, or the first line that is not an object.
 */
export function readPushBody(body: Buffer): PushRecords {
  const text = body.toString('utf8');
  const trimmed = text.trimStart();
  if (trimmed === '') return { ok: false, line: 1 };
  const isObject = (r: unknown): r is Record<string, unknown> =>
    r !== null && typeof r === 'object' && !Array.isArray(r);
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, line: 1 };
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isObject)) return { ok: false, line: 1 };
    const records = parsed as Record<string, unknown>[];
    return { ok: true, records, jsonl: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8') };
  }
  const records: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { ok: false, line: i + 1 };
    }
    if (!isObject(parsed)) return { ok: false, line: i + 1 };
    records.push(parsed);
  }
  if (records.length === 0) return { ok: false, line: 1 };
  return { ok: true, records, jsonl: Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8') };
}

const cell = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
const csvField = (s: string) => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The pushed records as a file of the kind's own format, so the engine reads them like a delivered
 * file: the kind's columns first, then any keys the kind does not have (the engine refuses those by
 * name). In a converted CSV or XLSX file the header is line 1, so record n is line n + 1.
 */
export async function pushFile(
  format: 'csv' | 'xlsx' | 'jsonl',
  columns: readonly string[],
  push: Extract<PushRecords, { ok: true }>,
): Promise<Buffer> {
  if (format === 'jsonl') return push.jsonl;
  const header = [...columns];
  for (const r of push.records) for (const k of Object.keys(r)) if (!header.includes(k)) header.push(k);
  const rows = push.records.map((r) => header.map((h) => cell(r[h])));
  if (format === 'csv') return Buffer.from([header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
  return xlsxFile([{ name: 'data', rows: [header, ...rows] }]);
}
