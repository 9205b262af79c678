/**
 * The `jiuzhu feed` commands' work: importing a file from the command line and listing
 * the kinds. The command definitions live in src/cli/index.ts.
 */
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../../config';
import { runAsSystem } from '../../../context';
import { Protector } from '../../../crypto/index';
import type { Database } from '../../../db/database';
import { recordAudit } from '../../audit/service';
import { jobSchemaOf } from '../../../jobs/index';
import { startPgBoss } from '../../../jobs/queue';
import { requestCollisionRun, runCollision } from '../../collision/service';
import { importFeed, type IngestResult } from '../ingest';

export type FeedImportArgs = { kind?: string; encoding?: string; asOf?: string };

/** Which kind a file is: --kind, else the file name `<kind code>.<ext>`, else the source's only kind. */
export async function resolveKind(database: Database, source: string, file: string, kind?: string): Promise<string> {
  const src = await database.db.selectFrom('feed_sources').select('code').where('code', '=', source).executeTakeFirst();
  if (!src) throw new InvalidArgumentError(`no feed source ${source} (see jiuzhu feed kinds)`);
  const kinds = await database.db
    .selectFrom('feed_kinds')
    .select('code')
    .where('source_code', '=', source)
    .where('active', '=', true)
    .orderBy('code')
    .execute();
  const codes = kinds.map((k) => k.code);
  if (kind) {
    if (!codes.includes(kind))
      throw new InvalidArgumentError(`${source} has no active kind ${kind} (${codes.join(', ')})`);
    return kind;
  }
  const base = path.basename(file).replace(/\.(csv|jsonl|xlsx)$/i, '');
  if (codes.includes(base)) return base;
  if (codes.length === 1) return codes[0]!;
  throw new InvalidArgumentError(`cannot tell the kind of ${path.basename(file)}; give --kind (${codes.join(', ')})`);
}

export async function feedImport(
  database: Database,
  cfg: Config,
  log: FastifyBaseLogger,
  source: string,
  file: string,
  args: FeedImportArgs,
): Promise<IngestResult> {
  if (args.encoding && !['auto', 'utf-8', 'gbk'].includes(args.encoding)) {
    throw new InvalidArgumentError('--encoding is auto, utf-8 or gbk');
  }
  if (args.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(args.asOf)) throw new InvalidArgumentError('--as-of is YYYY-MM-DD');
  const kindCode = await resolveKind(database, source, file, args.kind);
  const protector = new Protector(cfg);
  const result = await runAsSystem('cli feed import', log, () =>
    importFeed(
      { database, db: database.db, protector, log },
      { path: path.resolve(file), fileName: path.basename(file) },
      {
        kindCode,
        channel: 'cli',
        actor: 'cli',
        encoding: (args.encoding ?? 'auto') as 'auto' | 'utf-8' | 'gbk',
        ...(args.asOf ? { asOf: args.asOf } : {}),
      },
    ),
  );
  if (!result.alreadyLoaded) {
    await database.db.transaction().execute((trx) =>
      recordAudit(trx, {
        action: 'feed.import',
        entity: 'feed_batch',
        entityId: result.batchId,
        regionCode: cfg.city,
        actor: { id: null, username: 'cli', role: 'system', regionCode: cfg.city },
        detail: {
          kind: kindCode,
          channel: 'cli',
          status: result.status,
          rowsTotal: result.rowsTotal,
          rowsLoaded: result.rowsLoaded,
          rowsRejected: result.rowsRejected,
          rowsDuplicate: result.rowsDuplicate,
          ...(result.failure ? { failure: result.failure.reason } : {}),
        },
      }),
    );
  }
  return result;
}

/**
 * After a loaded batch: with the pg-boss queue on, enqueue a collision run for the server's
 * worker; without it (in-process jobs, e.g. a PGlite install whose server is stopped), run
 * it here.
 */
export async function collideBatch(
  database: Database,
  cfg: Config,
  log: FastifyBaseLogger,
  batchId: string,
): Promise<{ runId: string; status: 'queued' | 'done' | 'failed' }> {
  const deps = { database, db: database.db, config: cfg, log };
  if (cfg.jobs) {
    const jobs = await startPgBoss(database, jobSchemaOf(cfg), log);
    try {
      const { runId } = await runAsSystem('cli collision request', log, () =>
        requestCollisionRun({ ...deps, jobs }, { batchId }),
      );
      return { runId, status: 'queued' };
    } finally {
      await jobs.stop();
    }
  }
  const run = await runAsSystem('cli collision run', log, () => runCollision(deps, { batchId }));
  return { runId: run.runId, status: run.status };
}

export async function feedKinds(database: Database): Promise<string[]> {
  const rows = await database.db
    .selectFrom('feed_kinds')
    .innerJoin('feed_sources', 'feed_sources.code', 'feed_kinds.source_code')
    .select([
      'feed_kinds.code',
      'feed_kinds.format',
      'feed_kinds.record_type',
      'feed_kinds.name_zh',
      'feed_kinds.active',
      'feed_sources.name_zh as source_name',
    ])
    .orderBy('feed_kinds.code')
    .execute();
  return rows.map((r) =>
    [r.code, r.format, r.record_type, `${r.source_name} ${r.name_zh}`, r.active ? '' : 'inactive'].join('\t').trimEnd(),
  );
}
