import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import {
  FEED_REQUIRED_COLUMNS,
  type FeedApiKey,
  type FeedBatch,
  type FeedBatchDetail,
  type FeedBatchPage,
  type FeedBatchQuery,
  type FeedColumn,
  type FeedColumnType,
  type FeedFailure,
  type FeedImportResult,
  type FeedKind,
  type FeedKindInput,
  type FeedKindUpdate,
  type FeedSourceList,
} from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import type { DB, FeedColumnSpec, FeedKindsTable } from '../../db/schema';
import { Conflict, Invalid, InvalidField, NotFound } from '../../errors';
import { messages, t, type Lang, type MessageKey } from '../../i18n/messages';
import { recordAudit } from '../audit/service';
import { failInterruptedBatches, type IngestResult } from './ingest';

// The module's public surface: the built-in feed kinds (the case verification reads their labels).
export { FEED_KINDS } from './catalogue';
export { failInterruptedBatches };
export { recordFieldLabels } from './labels';

// The shared contract's column types are the database's: a drift fails type-checking here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const COLUMN_TYPES_AGREE: Same<FeedColumnType, FeedColumnSpec['type']> = true;
void COLUMN_TYPES_AGREE;

/** Where the push secret lives; bound into the ciphertext so it decrypts nowhere else. */
export const API_SECRET_CONTEXT = 'feed_source.api_secret';

/** The engine's reason codes (feed_errors.reason, feed_batches.failure.reason) have texts `feed.reason.<code>`. */
export function reasonKey(reason: string): MessageKey | null {
  const key = `feed.reason.${reason}`;
  return key in messages ? (key as MessageKey) : null;
}

/** Parameters of a reason whose values are codes with texts of their own (translated by `t`). */
const CODED_PARAMS: Record<string, string> = { check: 'feed.idCheck.' };

function paramsOf(params: Record<string, unknown> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    const coded = CODED_PARAMS[k];
    if (coded && typeof v === 'string' && `${coded}${v}` in messages) out[k] = `${coded}${v}`;
    else if (typeof v === 'number' || typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.length > 0 ? v.join(', ') : '—';
    else if (v === null) out[k] = '—';
    else if (v !== undefined) out[k] = JSON.stringify(v);
  }
  return out;
}

/** A reason code with its parameters in one language; an unknown code is shown as it is. */
export function describeReason(lang: Lang, reason: string, params?: Record<string, unknown>): string {
  const key = reasonKey(reason);
  return key ? t(lang, key, paramsOf(params)) : reason;
}

export function failureOf(
  lang: Lang,
  failure: { reason: string; params?: Record<string, unknown> } | null | undefined,
): FeedFailure | null {
  if (!failure) return null;
  return {
    reason: failure.reason,
    message: describeReason(lang, failure.reason, failure.params),
    ...(failure.params ? { params: failure.params } : {}),
  };
}

export function toImportResult(lang: Lang, r: IngestResult): FeedImportResult {
  const failure = failureOf(lang, r.failure);
  return {
    batchId: r.batchId,
    batchNo: Number(r.batchNo),
    status: r.status,
    alreadyLoaded: r.alreadyLoaded,
    rowsTotal: r.rowsTotal,
    rowsLoaded: r.rowsLoaded,
    rowsRejected: r.rowsRejected,
    rowsDuplicate: r.rowsDuplicate,
    durationMs: Math.round(r.durationMs),
    ...(failure ? { failure } : {}),
  };
}

// ---- sources and kinds ----

function toKind(r: Selectable<FeedKindsTable>): FeedKind {
  return {
    code: r.code,
    sourceCode: r.source_code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    recordType: r.record_type,
    format: r.format,
    columns: r.columns as FeedColumn[],
    eventDateColumn: r.event_date_column,
    builtin: r.builtin,
    active: r.active,
    version: r.version,
  };
}

/** Every source with its record kinds (city-wide catalogue: no region dimension). */
export async function listSources(db: Kysely<DB>): Promise<FeedSourceList> {
  const [sources, kinds] = await Promise.all([
    db
      .selectFrom('feed_sources')
      .select(['code', 'name_zh', 'name_en', 'active', 'api_key_hash', 'api_key_created_at'])
      .orderBy('code')
      .execute(),
    db.selectFrom('feed_kinds').selectAll().orderBy('code').execute(),
  ]);
  return {
    items: sources.map((s) => ({
      code: s.code,
      nameZh: s.name_zh,
      nameEn: s.name_en,
      active: s.active,
      hasApiKey: s.api_key_hash !== null,
      apiKeyCreatedAt: s.api_key_created_at?.toISOString() ?? null,
      kinds: kinds.filter((k) => k.source_code === s.code).map(toKind),
    })),
  };
}

export async function getKind(db: Kysely<DB>, code: string): Promise<FeedKind> {
  const row = await db.selectFrom('feed_kinds').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw NotFound('entity.feedKind');
  return toKind(row);
}

/** Checks a column list a city admin typed: the identity columns and a date-typed event date column, no duplicates. */
function checkColumns(columns: FeedColumn[], eventDateColumn: string | undefined): void {
  const names = columns.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw InvalidField('columns', 'exchange.columnDuplicate', { name: dup });
  const missing = FEED_REQUIRED_COLUMNS.filter((n) => !names.includes(n));
  if (missing.length > 0) throw InvalidField('columns', 'exchange.columnsMissing', { columns: missing.join(', ') });
  if (!eventDateColumn) throw InvalidField('eventDateColumn', 'exchange.eventDateColumnRequired');
  const event = columns.find((c) => c.name === eventDateColumn);
  if (!event || event.type !== 'date')
    throw InvalidField('eventDateColumn', 'exchange.eventDateColumnInvalid', { name: eventDateColumn });
}

/** A city admin adds a record kind of an existing shape: copied columns, or typed columns checked here. */
export async function createKind(db: Kysely<DB>, input: FeedKindInput): Promise<FeedKind> {
  const { actor } = getContext();
  if (!input.code.startsWith(`${input.sourceCode}.`))
    throw InvalidField('code', 'exchange.kindCodeSource', { source: input.sourceCode });
  const source = await db
    .selectFrom('feed_sources')
    .select('code')
    .where('code', '=', input.sourceCode)
    .executeTakeFirst();
  if (!source) throw InvalidField('sourceCode', 'exchange.sourceUnknown');
  let columns: FeedColumn[];
  let eventDateColumn: string;
  if (input.shapeOf !== undefined) {
    const shape = await db
      .selectFrom('feed_kinds')
      .select(['columns', 'event_date_column'])
      .where('code', '=', input.shapeOf)
      .executeTakeFirst();
    if (!shape) throw InvalidField('shapeOf', 'exchange.shapeUnknown');
    columns = shape.columns as FeedColumn[];
    eventDateColumn = input.eventDateColumn ?? shape.event_date_column;
  } else {
    columns = input.columns!;
    eventDateColumn = input.eventDateColumn ?? '';
  }
  checkColumns(columns, eventDateColumn);
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('feed_kinds').select('code').where('code', '=', input.code).executeTakeFirst();
    if (exists) throw Conflict('exchange.kindExists', { code: input.code });
    const row = await trx
      .insertInto('feed_kinds')
      .values({
        code: input.code,
        source_code: input.sourceCode,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        record_type: input.recordType,
        format: input.format,
        columns: JSON.stringify(columns),
        event_date_column: eventDateColumn,
        builtin: false,
        created_by: actor?.username ?? 'system',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'exchange.kind.create',
      entity: 'feed_kind',
      entityId: input.code,
      detail: {
        sourceCode: input.sourceCode,
        recordType: input.recordType,
        format: input.format,
        shapeOf: input.shapeOf ?? null,
        columns: columns.map((c) => c.name),
      },
    });
    return toKind(row);
  });
}

export async function updateKind(db: Kysely<DB>, code: string, patch: FeedKindUpdate): Promise<FeedKind> {
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0) throw Invalid([{ path: '', message: 'exchange.nothingToChange' }]);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('feed_kinds')
      .set({
        ...(patch.nameZh !== undefined ? { name_zh: patch.nameZh } : {}),
        ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updated_at: new Date(),
      })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw NotFound('entity.feedKind');
    await recordAudit(trx, {
      action: 'exchange.kind.update',
      entity: 'feed_kind',
      entityId: code,
      detail: { fields: Object.keys(changes) },
    });
    return toKind(row);
  });
}

// ---- push credentials ----

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * (Re)issues a source's push credentials: a key id that identifies the source (stored as its
 * SHA-256) and a secret that signs requests (stored encrypted, since verifying an HMAC needs it).
 * The previous key stops working at once.
 */
export async function issueApiKey(db: Kysely<DB>, protector: Protector, sourceCode: string): Promise<FeedApiKey> {
  const keyId = `jzk_${randomBytes(18).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('feed_sources')
      .set({
        api_key_hash: sha256Hex(keyId),
        api_secret_enc: protector.encrypt(secret, API_SECRET_CONTEXT),
        api_key_created_at: now,
      })
      .where('code', '=', sourceCode)
      .returning('code')
      .executeTakeFirst();
    if (!row) throw NotFound('entity.feedSource');
    // The key and secret never reach the trail.
    await recordAudit(trx, { action: 'exchange.apiKey.issue', entity: 'feed_source', entityId: sourceCode });
    return { sourceCode, keyId, secret, createdAt: now.toISOString() };
  });
}

// ---- batches ----

const BATCH_COLUMNS = [
  'b.id',
  'b.batch_no',
  'b.kind_code',
  'b.source_code',
  'b.channel',
  'b.file_name',
  'b.file_sha256',
  'b.file_bytes',
  'b.encoding',
  'b.status',
  'b.as_of',
  'b.rows_total',
  'b.rows_loaded',
  'b.rows_rejected',
  'b.rows_duplicate',
  'b.failure',
  'b.duration_ms',
  'b.created_by',
  'b.created_at',
  'b.loaded_at',
  'k.name_zh as kind_name_zh',
  'k.name_en as kind_name_en',
  's.name_zh as source_name_zh',
  's.name_en as source_name_en',
] as const;

function batchQuery(db: Kysely<DB>) {
  return db
    .selectFrom('feed_batches as b')
    .innerJoin('feed_kinds as k', 'k.code', 'b.kind_code')
    .innerJoin('feed_sources as s', 's.code', 'b.source_code');
}

type BatchRow = Awaited<ReturnType<ReturnType<ReturnType<typeof batchQuery>['select']>['executeTakeFirstOrThrow']>>;

const isoDate = (d: unknown): string =>
  d instanceof Date
    ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    : String(d).slice(0, 10);

function toBatch(lang: Lang, r: BatchRow & Record<string, unknown>): FeedBatch {
  const row = r as unknown as {
    id: string;
    batch_no: number | string;
    kind_code: string;
    source_code: string;
    channel: FeedBatch['channel'];
    file_name: string;
    file_sha256: string;
    file_bytes: number | string;
    encoding: string;
    status: FeedBatch['status'];
    as_of: unknown;
    rows_total: number;
    rows_loaded: number;
    rows_rejected: number;
    rows_duplicate: number;
    failure: { reason: string; params?: Record<string, unknown> } | null;
    duration_ms: number | null;
    created_by: string;
    created_at: Date;
    loaded_at: Date | null;
    kind_name_zh: string;
    kind_name_en: string;
    source_name_zh: string;
    source_name_en: string;
  };
  return {
    id: row.id,
    batchNo: Number(row.batch_no),
    kindCode: row.kind_code,
    kindNameZh: row.kind_name_zh,
    kindNameEn: row.kind_name_en,
    sourceCode: row.source_code,
    sourceNameZh: row.source_name_zh,
    sourceNameEn: row.source_name_en,
    channel: row.channel,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    fileBytes: Number(row.file_bytes),
    encoding: row.encoding,
    status: row.status,
    asOf: isoDate(row.as_of),
    rowsTotal: row.rows_total,
    rowsLoaded: row.rows_loaded,
    rowsRejected: row.rows_rejected,
    rowsDuplicate: row.rows_duplicate,
    durationMs: row.duration_ms,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    loadedAt: row.loaded_at?.toISOString() ?? null,
    failure: failureOf(lang, row.failure),
  };
}

/**
 * Batches, newest first (city-wide: feeds are city-level data, read by FEED_READERS only). A batch
 * whose import died in another process (the CLI killed, a server of several gone) is shown as
 * interrupted, not 'loading' for ever.
 */
export async function listBatches(db: Kysely<DB>, query: FeedBatchQuery): Promise<FeedBatchPage> {
  const { lang } = getContext();
  await failInterruptedBatches(db);
  let q = batchQuery(db);
  if (query.source) q = q.where('b.source_code', '=', query.source);
  if (query.kind) q = q.where('b.kind_code', '=', query.kind);
  if (query.status) q = q.where('b.status', '=', query.status);
  if (query.channel) q = q.where('b.channel', '=', query.channel);
  const [rows, count] = await Promise.all([
    q
      .select(BATCH_COLUMNS)
      .orderBy('b.batch_no', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toBatch(lang, r)), total: Number(count.n) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getBatch(db: Kysely<DB>, id: string): Promise<FeedBatchDetail> {
  const { lang } = getContext();
  if (!UUID.test(id)) throw NotFound('entity.feedBatch');
  await failInterruptedBatches(db);
  const row = await batchQuery(db).select(BATCH_COLUMNS).where('b.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.feedBatch');
  const [errors, count, kind] = await Promise.all([
    db
      .selectFrom('feed_errors')
      .select(['line', 'column_name', 'reason', 'params'])
      .where('batch_id', '=', id)
      .orderBy('line')
      .orderBy('reason')
      .limit(100)
      .execute(),
    db
      .selectFrom('feed_errors')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('batch_id', '=', id)
      .executeTakeFirstOrThrow(),
    db.selectFrom('feed_kinds').select('columns').where('code', '=', row.kind_code).executeTakeFirst(),
  ]);
  const labels = new Map((kind?.columns ?? []).map((c) => [c.name, lang === 'en-US' ? c.labelEn : c.labelZh] as const));
  return {
    ...toBatch(lang, row),
    errors: errors.map((e) => ({
      line: e.line,
      column: e.column_name,
      columnLabel: e.column_name === null ? null : (labels.get(e.column_name) ?? e.column_name),
      reason: e.reason,
      message: describeReason(lang, e.reason, e.params),
    })),
    errorsTotal: Number(count.n),
  };
}

/** Whether a batch exists (errors.csv answers 404 for an unknown one). */
export async function assertBatch(db: Kysely<DB>, id: string): Promise<void> {
  if (!UUID.test(id)) throw NotFound('entity.feedBatch');
  const row = await db.selectFrom('feed_batches').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.feedBatch');
}
