import { Transform } from 'node:stream';
import { attachment } from '../../exports';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorBody,
  FEED_MANAGERS,
  FEED_PUSH_HEADERS,
  FEED_READERS,
  FeedApiKey,
  FeedBatchDetail,
  FeedBatchPage,
  FeedBatchQuery,
  FeedImportResult,
  FeedKind,
  FeedKindCode,
  FeedKindInput,
  FeedKindUpdate,
  FeedSourceList,
  FeedUploadQuery,
  Text,
} from '@jiuzhu/shared';
import { getContext, runAsSystem } from '../../context';
import { AppError, Forbidden, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { requestCollisionRun } from '../collision/service';
import { errorsCsvStream } from './errors-csv';
import { importFeed, resumable, type IngestDeps, type IngestResult } from './ingest';
import { authenticatePush, pushFile, readPushBody } from './push';
import {
  assertBatch,
  createKind,
  getBatch,
  getKind,
  issueApiKey,
  listBatches,
  listSources,
  sha256Hex,
  toImportResult,
  updateKind,
} from './service';

/** Uploads stream into the ingest engine; this is the most a single file may be. */
export const UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024;
/** A push is one request of records; bigger deliveries go in several pushes (or as a file). */
export const PUSH_LIMIT_BYTES = 50 * 1024 * 1024;
/** Pushes per minute per key (a department's machine account), before 429. */
export const PUSH_RATE_PER_MINUTE = 120;

const UPLOAD_TYPES = [
  'text/csv',
  'application/octet-stream',
  'application/x-ndjson',
  'application/jsonl',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
const PUSH_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain'];

const CodeParams = z.strictObject({ code: Text.max(100) });
const IdParams = z.strictObject({ id: Text.max(64) });
const KindParams = z.strictObject({ kind: FeedKindCode });

/** The uploaded file's name as the browser sent it (percent-encoded); a malformed one is kept as it came. */
function decodeFileName(raw: string | string[] | undefined, fallback: string): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return fallback;
  let name: string;
  try {
    name = decodeURIComponent(value);
  } catch {
    name = value;
  }
  // Only the last path segment, and never control characters, reach the batch record.
  return (name.split(/[\\/]/).pop() ?? '').replace(/\p{Cc}/gu, '').slice(0, 255) || fallback;
}

/** Passes the body through, failing once it grows past the limit (the body is never buffered whole). */
function limited(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(InvalidField('file', 'exchange.fileTooLarge', { mb: Math.round(limit / 1024 / 1024) }));
      else done(null, chunk);
    },
  });
}

function ingestDeps(app: FastifyInstance, req: FastifyRequest): IngestDeps {
  const { database, db, protector } = app.deps;
  return { database, db, protector, log: req.log };
}

/** Hands a newly loaded batch to the collision engine (a background run; the answer does not wait for it). */
async function afterLoad(app: FastifyInstance, req: FastifyRequest, result: IngestResult): Promise<void> {
  if (result.status !== 'loaded' || result.alreadyLoaded) return;
  const { database, db, config, jobs } = app.deps;
  await requestCollisionRun({ database, db, config, jobs, log: req.log }, { batchId: result.batchId });
}

export default async function exchangeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector } = app.deps;
  const tags = ['exchange'];
  const read = { access: FEED_READERS };
  const manage = { access: FEED_MANAGERS };

  r.get(
    '/api/feeds/sources',
    {
      config: read,
      schema: {
        tags,
        summary: 'Feed sources with their record kinds (columns, format, record type, push key issued)',
        response: { 200: FeedSourceList },
      },
    },
    () => listSources(db),
  );
  r.post(
    '/api/feeds/kinds',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a record kind of an existing shape (copy a kind’s columns, or give typed columns)',
        body: FeedKindInput,
        response: { 201: FeedKind },
      },
    },
    async (req, reply) => reply.status(201).send(await createKind(db, req.body)),
  );
  r.patch(
    '/api/feeds/kinds/:code',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename a record kind or switch it on or off',
        params: CodeParams,
        body: FeedKindUpdate,
        response: { 200: FeedKind },
      },
    },
    (req) => updateKind(db, req.params.code, req.body),
  );
  r.post(
    '/api/feeds/sources/:code/api-key',
    {
      config: manage,
      schema: {
        tags,
        summary: '(Re)issue a source’s push credentials; the secret is shown once, in this answer',
        params: CodeParams,
        response: { 201: FeedApiKey },
      },
    },
    async (req, reply) => reply.status(201).send(await issueApiKey(db, protector, req.params.code)),
  );

  r.get(
    '/api/feeds/batches',
    {
      config: read,
      schema: {
        tags,
        summary: 'Feed batches, newest first',
        querystring: FeedBatchQuery,
        response: { 200: FeedBatchPage },
      },
    },
    (req) => listBatches(db, req.query),
  );
  r.get(
    '/api/feeds/batches/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A batch: counts, duration, who, file, failure and its first 100 row errors',
        params: IdParams,
        response: { 200: FeedBatchDetail },
      },
    },
    (req) => getBatch(db, req.params.id),
  );
  r.get(
    '/api/feeds/batches/:id/errors.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'The quarantined rows of a batch as CSV (line, column, reason; never the row’s content)',
        params: IdParams,
        // A download link carries no Accept-Language of the app's choosing: the page passes its language.
        querystring: z.strictObject({ lang: z.enum(['zh-CN', 'en-US']).optional() }),
      },
    },
    async (req, reply) => {
      await assertBatch(db, req.params.id);
      const batchNo = (
        await db.selectFrom('feed_batches').select('batch_no').where('id', '=', req.params.id).executeTakeFirstOrThrow()
      ).batch_no;
      const lang = req.query.lang ?? getContext().lang;
      const name = `${lang === 'en-US' ? 'feed-errors' : '数据错误报告'}-${batchNo}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(name))
        .send(errorsCsvStream(db, req.params.id, lang));
    },
  );

  // Uploads: the raw file is the body and streams into the engine (never buffered whole).
  await app.register(async (upload) => {
    // Only file types reach the handler as a stream; JSON or plain text is a 415, not a crash.
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));
    upload.withTypeProvider<ZodTypeProvider>().post(
      '/api/feeds/upload',
      {
        config: manage,
        schema: {
          tags,
          summary: 'Upload a feed file (raw bytes: CSV, XLSX or JSON Lines; name in X-File-Name, percent-encoded)',
          querystring: FeedUploadQuery,
          headers: z.object({ 'x-file-name': Text.max(1000).optional() }),
          response: { 200: FeedImportResult },
        },
      },
      async (req) => {
        const body = req.body as NodeJS.ReadableStream | undefined;
        const length = Number(req.headers['content-length'] ?? NaN);
        if (!body || length === 0) throw InvalidField('file', 'exchange.noFile');
        if (length > UPLOAD_LIMIT_BYTES)
          throw InvalidField('file', 'exchange.fileTooLarge', { mb: UPLOAD_LIMIT_BYTES / 1024 / 1024 });
        const kind = await getKind(db, req.query.kind);
        if (!kind.active) throw InvalidField('kind', 'exchange.kindInactive');
        const { actor, lang } = getContext();
        const fileName = decodeFileName(req.headers['x-file-name'], `upload.${kind.format}`);
        const stream = body.pipe(limited(UPLOAD_LIMIT_BYTES));
        body.on('error', (err) => stream.destroy(err));
        const result = await importFeed(
          ingestDeps(app, req),
          { fileName, stream },
          {
            kindCode: kind.code,
            channel: 'upload',
            actor: actor!.username,
            encoding: req.query.encoding,
            ...(req.query.asOf ? { asOf: req.query.asOf } : {}),
          },
        );
        await db.transaction().execute((trx) =>
          recordAudit(trx, {
            action: 'exchange.upload',
            entity: 'feed_batch',
            entityId: result.batchId,
            detail: auditDetail(kind.code, result),
          }),
        );
        await afterLoad(app, req, result);
        return toImportResult(lang, result);
      },
    );
  });

  // Department pushes: a signed request of records (JSON Lines or a JSON array); see docs/EXCHANGE.md.
  await app.register(async (push) => {
    push.addContentTypeParser(PUSH_TYPES, { parseAs: 'buffer', bodyLimit: PUSH_LIMIT_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    push.withTypeProvider<ZodTypeProvider>().post(
      '/api/feeds/push/:kind',
      {
        config: {
          access: 'machine',
          rateLimit: {
            max: PUSH_RATE_PER_MINUTE,
            timeWindow: '1 minute',
            keyGenerator: (req) => String(req.headers[FEED_PUSH_HEADERS.key] ?? req.ip),
          },
        },
        schema: {
          tags,
          summary:
            'A department pushes records (machine account: HMAC-signed; Idempotency-Key required; see docs/EXCHANGE.md)',
          params: KindParams,
          headers: z.object({
            'x-jiuzhu-key': Text.optional(),
            'x-jiuzhu-timestamp': Text.optional(),
            'x-jiuzhu-signature': Text.optional(),
            'idempotency-key': Text.optional(),
          }),
          response: { 200: FeedImportResult, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody },
        },
      },
      async (req) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const sourceCode = await authenticatePush(db, protector, {
          method: req.method,
          path: req.url.split('?')[0]!,
          headers: req.headers,
          body: raw,
        });
        const { lang } = getContext();
        const kind = await db
          .selectFrom('feed_kinds')
          .select(['code', 'source_code', 'active', 'format', 'columns'])
          .where('code', '=', req.params.kind)
          .executeTakeFirst();
        if (!kind) throw NotFound('entity.feedKind');
        if (kind.source_code !== sourceCode) throw Forbidden('exchange.push.kindOfOtherSource');
        if (!kind.active) throw InvalidField('kind', 'exchange.kindInactive');
        const idempotencyKey = String(req.headers[FEED_PUSH_HEADERS.idempotencyKey] ?? '').trim();
        if (!/^[\w.:-]{8,128}$/.test(idempotencyKey))
          throw InvalidField('Idempotency-Key', 'exchange.push.idempotencyKeyRequired');
        const records = readPushBody(raw);
        if (!records.ok) throw InvalidField('body', 'exchange.push.bodyInvalid', { line: records.line });

        // Claim the key with the records' hash. The same key again: the first answer, nothing
        // added; the same key with other records: a conflict.
        const bodySha = sha256Hex(records.jsonl);
        await db
          .insertInto('feed_push_requests')
          .values({ source_code: sourceCode, idempotency_key: idempotencyKey, body_sha256: bodySha })
          .onConflict((oc) => oc.columns(['source_code', 'idempotency_key']).doNothing())
          .execute();
        const claim = await db
          .selectFrom('feed_push_requests as p')
          .leftJoin('feed_batches as b', 'b.id', 'p.batch_id')
          .select(['p.body_sha256', 'b.id', 'b.batch_no', 'b.status', 'b.rows_total', 'b.rows_loaded'])
          .select(['b.rows_rejected', 'b.rows_duplicate', 'b.duration_ms', 'b.failure'])
          .where('p.source_code', '=', sourceCode)
          .where('p.idempotency_key', '=', idempotencyKey)
          .executeTakeFirstOrThrow();
        if (claim.body_sha256 !== bodySha) throw new AppError(409, 'CONFLICT', 'exchange.push.idempotencyConflict');
        if (claim.id && !resumable({ status: claim.status!, failure: claim.failure }))
          return toImportResult(lang, {
            batchId: claim.id,
            batchNo: Number(claim.batch_no),
            status: claim.status as 'loaded' | 'failed',
            alreadyLoaded: true,
            rowsTotal: claim.rows_total ?? 0,
            rowsLoaded: claim.rows_loaded ?? 0,
            rowsRejected: claim.rows_rejected ?? 0,
            rowsDuplicate: claim.rows_duplicate ?? 0,
            durationMs: claim.duration_ms ?? 0,
            ...(claim.failure ? { failure: claim.failure } : {}),
          });

        const feedActor = `feed:${sourceCode}`;
        const bytes = await pushFile(
          kind.format,
          (kind.columns as { name: string }[]).map((c) => c.name),
          records,
        );
        const result = await runAsSystem(`push ${sourceCode}`, req.log, async () => {
          const res = await importFeed(
            ingestDeps(app, req),
            { fileName: `push-${idempotencyKey}.${kind.format}`, bytes },
            { kindCode: kind.code, channel: 'push', actor: feedActor, idempotencyKey },
          );
          await db.transaction().execute(async (trx) => {
            await trx
              .updateTable('feed_push_requests')
              .set({ batch_id: res.batchId })
              .where('source_code', '=', sourceCode)
              .where('idempotency_key', '=', idempotencyKey)
              .execute();
            if (!res.alreadyLoaded)
              await recordAudit(trx, {
                action: 'exchange.push',
                entity: 'feed_batch',
                entityId: res.batchId,
                regionCode: '',
                detail: auditDetail(kind.code, res),
                actor: { id: null, username: feedActor, role: 'feed', regionCode: '' },
              });
          });
          return res;
        });
        await afterLoad(app, req, result);
        return toImportResult(lang, result);
      },
    );
  });
}

/** Counts and codes only: never a row's content. */
function auditDetail(kindCode: string, r: IngestResult): Record<string, unknown> {
  return {
    kind: kindCode,
    batchNo: Number(r.batchNo),
    status: r.status,
    alreadyLoaded: r.alreadyLoaded,
    rowsTotal: r.rowsTotal,
    rowsLoaded: r.rowsLoaded,
    rowsRejected: r.rowsRejected,
    rowsDuplicate: r.rowsDuplicate,
    ...(r.failure ? { failure: r.failure.reason } : {}),
  };
}
