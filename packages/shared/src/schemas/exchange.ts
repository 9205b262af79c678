import { z } from 'zod';
import { IsoDate, PageQuery, Text } from './common';

/** Department data exchange (部门数据交换): sources, record kinds, batches and their error reports. */

export const FeedChannel = z.enum(['cli', 'upload', 'push']);
export type FeedChannel = z.infer<typeof FeedChannel>;
export const FeedBatchStatus = z.enum(['loading', 'loaded', 'failed']);
export type FeedBatchStatus = z.infer<typeof FeedBatchStatus>;
export const FeedFormat = z.enum(['csv', 'xlsx', 'jsonl']);
export type FeedFormat = z.infer<typeof FeedFormat>;
export const FeedEncoding = z.enum(['auto', 'utf-8', 'gbk']);
export type FeedEncoding = z.infer<typeof FeedEncoding>;
export const FeedColumnType = z.enum(['text', 'code', 'date', 'month', 'fen', 'integer', 'decimal', 'region']);
export type FeedColumnType = z.infer<typeof FeedColumnType>;

const SnakeName = Text.min(1)
  .max(63)
  .regex(/^[a-z][a-z0-9_]*$/, 'snake_case');
const Label = Text.trim().min(1).max(100);

/** A column of a record kind; every kind has record_id, id_number, name and its event date column. */
export const FeedColumn = z.strictObject({
  name: SnakeName,
  type: FeedColumnType,
  required: z.boolean(),
  values: z.array(Text.min(1).max(100)).min(1).max(200).optional(),
  /** Kept only encrypted (addresses, diagnoses, certificate numbers). */
  protected: z.boolean().optional(),
  /** Dates: may not lie after the batch's as-of date (event dates; planned dates leave it unset). */
  past: z.boolean().optional(),
  /** Integers and decimals: inclusive bounds. */
  min: z.number().optional(),
  max: z.number().optional(),
  labelZh: Label,
  labelEn: Label,
});
export type FeedColumn = z.infer<typeof FeedColumn>;

/** A field of a feed record as people read it: its catalogue name in the caller's language and its type. */
export const RecordFieldLabel = z.object({ name: Text, label: Text, type: FeedColumnType });
export type RecordFieldLabel = z.infer<typeof RecordFieldLabel>;

/** The columns every record kind must have (besides its event date column). */
export const FEED_REQUIRED_COLUMNS = ['record_id', 'id_number', 'name'] as const;

export const FeedKind = z.object({
  code: Text,
  sourceCode: Text,
  nameZh: Text,
  nameEn: Text,
  recordType: Text,
  format: FeedFormat,
  columns: z.array(FeedColumn),
  eventDateColumn: Text,
  builtin: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
});
export type FeedKind = z.infer<typeof FeedKind>;

export const FeedSource = z.object({
  code: Text,
  nameZh: Text,
  nameEn: Text,
  active: z.boolean(),
  /** Whether push credentials were issued (the key itself is never shown again). */
  hasApiKey: z.boolean(),
  apiKeyCreatedAt: Text.nullable(),
  kinds: z.array(FeedKind),
});
export type FeedSource = z.infer<typeof FeedSource>;
export const FeedSourceList = z.object({ items: z.array(FeedSource) });
export type FeedSourceList = z.infer<typeof FeedSourceList>;

/** A kind code: `<source>.<name>`, lower-case snake_case parts. */
export const FeedKindCode = Text.max(100).regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'source.name');

/**
 * A new record kind of an existing shape: either copy the columns of an existing kind
 * (`shapeOf`) or give the columns and the event date column.
 */
export const FeedKindInput = z
  .strictObject({
    code: FeedKindCode,
    sourceCode: SnakeName,
    nameZh: Label,
    nameEn: Label,
    recordType: SnakeName,
    format: FeedFormat,
    shapeOf: FeedKindCode.optional(),
    columns: z.array(FeedColumn).min(4).max(100).optional(),
    eventDateColumn: SnakeName.optional(),
  })
  .refine((v) => (v.shapeOf === undefined) !== (v.columns === undefined), {
    message: 'shapeOf or columns',
    path: ['shapeOf'],
  });
export type FeedKindInput = z.infer<typeof FeedKindInput>;

export const FeedKindUpdate = z.strictObject({
  nameZh: Label.optional(),
  nameEn: Label.optional(),
  active: z.boolean().optional(),
});
export type FeedKindUpdate = z.infer<typeof FeedKindUpdate>;

/** Push credentials: the secret is shown once, here, and never again. */
export const FeedApiKey = z.object({
  sourceCode: Text,
  keyId: Text,
  secret: Text,
  createdAt: Text,
});
export type FeedApiKey = z.infer<typeof FeedApiKey>;

export const FeedUploadQuery = z.strictObject({
  kind: FeedKindCode,
  encoding: FeedEncoding.default('auto'),
  asOf: IsoDate.optional(),
});
export type FeedUploadQuery = z.infer<typeof FeedUploadQuery>;

/** Why a batch was refused as a whole, in the caller's language (`reason` is the engine's code). */
export const FeedFailure = z.object({
  reason: Text,
  message: Text,
  params: z.record(Text, z.unknown()).optional(),
});
export type FeedFailure = z.infer<typeof FeedFailure>;

/** The outcome of one upload or push. */
export const FeedImportResult = z.object({
  batchId: Text,
  batchNo: z.number().int(),
  status: z.enum(['loaded', 'failed']),
  /** This file (or idempotency key) was loaded before; nothing was added. */
  alreadyLoaded: z.boolean(),
  rowsTotal: z.number().int(),
  rowsLoaded: z.number().int(),
  rowsRejected: z.number().int(),
  rowsDuplicate: z.number().int(),
  durationMs: z.number().int(),
  failure: FeedFailure.optional(),
});
export type FeedImportResult = z.infer<typeof FeedImportResult>;

export const FeedBatchQuery = PageQuery.extend({
  source: Text.max(63).optional(),
  kind: Text.max(100).optional(),
  status: FeedBatchStatus.optional(),
  channel: FeedChannel.optional(),
});
export type FeedBatchQuery = z.infer<typeof FeedBatchQuery>;

export const FeedBatch = z.object({
  id: Text,
  batchNo: z.number().int(),
  kindCode: Text,
  kindNameZh: Text,
  kindNameEn: Text,
  sourceCode: Text,
  sourceNameZh: Text,
  sourceNameEn: Text,
  channel: FeedChannel,
  fileName: Text,
  fileSha256: Text,
  fileBytes: z.number().int(),
  encoding: Text,
  status: FeedBatchStatus,
  asOf: IsoDate,
  rowsTotal: z.number().int(),
  rowsLoaded: z.number().int(),
  rowsRejected: z.number().int(),
  rowsDuplicate: z.number().int(),
  durationMs: z.number().int().nullable(),
  createdBy: Text,
  createdAt: Text,
  loadedAt: Text.nullable(),
  failure: FeedFailure.nullable(),
});
export type FeedBatch = z.infer<typeof FeedBatch>;
export const FeedBatchPage = z.object({ items: z.array(FeedBatch), total: z.number().int() });
export type FeedBatchPage = z.infer<typeof FeedBatchPage>;

/** A quarantined row: where and why, never its content. */
export const FeedRowError = z.object({
  line: z.number().int(),
  column: Text.nullable(),
  /** The column's catalogue name in the caller's language (the key when the kind no longer has it). */
  columnLabel: Text.nullable(),
  reason: Text,
  message: Text,
});
export type FeedRowError = z.infer<typeof FeedRowError>;

export const FeedBatchDetail = FeedBatch.extend({
  /** The first 100 errors (all of them are in errors.csv). */
  errors: z.array(FeedRowError),
  errorsTotal: z.number().int(),
});
export type FeedBatchDetail = z.infer<typeof FeedBatchDetail>;

/** The push API's request headers (HMAC-signed; see docs/EXCHANGE.md). */
export const FEED_PUSH_HEADERS = {
  key: 'x-jiuzhu-key',
  timestamp: 'x-jiuzhu-timestamp',
  signature: 'x-jiuzhu-signature',
  idempotencyKey: 'idempotency-key',
} as const;
/** How far a push's timestamp may be from the server's clock. */
export const FEED_PUSH_MAX_SKEW_SECONDS = 300;
