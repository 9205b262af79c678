import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { runAsSystem } from '../context';
import { Protector } from '../crypto/index';
import { COLLISION_RUN_JOB, runCollision } from '../modules/collision/service';
import { escalateOverdueLeads } from '../modules/leads/service';
import { REVIEW_SCHEDULE_JOB, scheduleReviews } from '../modules/reviews/service';
import { escalateOverdueClaims } from '../modules/insurance/service';
import { fillProvinceOutbox, sendProvinceOutbox } from '../modules/province/service';
import { FIGURES_RECOUNT_JOB, freshenFigures, refreshAllFigures } from '../modules/dashboard/service';
import { inProcessJobs, startPgBoss, type Jobs } from './queue';
import { chinaToday } from '@jiuzhu/shared';

export type { Jobs, JobHandler, EnqueueOptions } from './queue';

export type JobDeps = { config: Config; database: Database; log: FastifyBaseLogger };

const ESCALATE_LEADS_JOB = 'leads.escalate';
/** Daily: claims past their 10-working-day clock are escalated to the county once. */
export const ESCALATE_CLAIMS_JOB = 'insurance.claims.escalate';
/** Fills the province outbox, then sends what is due (docs/PROVINCE.md). */
export const PROVINCE_UPLOAD_JOB = 'province.upload';
/** Nightly: every pre-aggregated figure recounted as of the new day (docs/DASHBOARD.md). */
export const FIGURES_REFRESH_JOB = 'dashboard.figures.refresh';

/** The queue's own schema: next to the working schema (tests: one per file), or `pgboss`. */
export function jobSchemaOf(config: Config): string {
  return config.dbSchema ? `${config.dbSchema}_jobs` : 'pgboss';
}

/**
 * Starts the queue with the server and registers every worker and daily job. Stop it
 * (`jobs.stop()`) before closing the database.
 */
export async function startJobs(deps: JobDeps): Promise<Jobs> {
  const { config, database, log } = deps;
  const jobs = config.jobs ? await startPgBoss(database, jobSchemaOf(config), log) : inProcessJobs(log);
  const collisionDeps = { database, db: database.db, config, jobs, log };
  const protector = new Protector(config);

  await jobs.registerWorker<{ runId: string }>(COLLISION_RUN_JOB, async ({ runId }) => {
    await runAsSystem('collision run', log, () => runCollision(collisionDeps, { runId }));
  });
  await jobs.registerWorker<{ today?: string }>(ESCALATE_LEADS_JOB, async ({ today }) => {
    const day = today ?? chinaToday();
    const n = await runAsSystem('escalate overdue leads', log, () =>
      escalateOverdueLeads({ db: database.db, config }, day),
    );
    log.info({ escalated: n }, 'overdue leads escalated');
  });
  await jobs.scheduleDaily(ESCALATE_LEADS_JOB, 7, {});
  // Scheduled reviews (定期核查): the tasks falling due, township by township.
  await jobs.registerWorker<{ today?: string }>(REVIEW_SCHEDULE_JOB, async ({ today }) => {
    const day = today ?? chinaToday();
    const result = await runAsSystem('schedule reviews', log, () =>
      scheduleReviews({ db: database.db, protector, config }, day),
    );
    log.info(result, 'review tasks created');
  });
  await jobs.scheduleDaily(REVIEW_SCHEDULE_JOB, 6, {});
  await jobs.registerWorker<{ today?: string }>(ESCALATE_CLAIMS_JOB, async ({ today }) => {
    const n = await runAsSystem('escalate overdue claims', log, () =>
      escalateOverdueClaims(database.db, today ?? chinaToday()),
    );
    log.info({ escalated: n }, 'overdue insurance claims escalated');
  });
  await jobs.scheduleDaily(ESCALATE_CLAIMS_JOB, 7, {});
  await jobs.registerWorker<Record<string, never>>(PROVINCE_UPLOAD_JOB, async () => {
    const protector = new Protector(config);
    const added = await runAsSystem('province outbox', log, () => fillProvinceOutbox({ db: database.db, protector }));
    const sent = await runAsSystem('province upload', log, () =>
      sendProvinceOutbox({ db: database.db, protector, province: config.province }),
    );
    // The receipts change the upload figures of many villages: recount them now, not in a reader's request.
    const figures = await runAsSystem('province figures', log, () => freshenFigures(database.db, chinaToday()));
    log.info({ added, sent, figures }, 'province upload');
  });
  await jobs.scheduleDaily(PROVINCE_UPLOAD_JOB, 2, {});
  await jobs.registerWorker<{ today?: string }>(FIGURES_REFRESH_JOB, async ({ today }) => {
    const day = today ?? chinaToday();
    const started = Date.now();
    await runAsSystem('figures refresh', log, () => refreshAllFigures(database.db, day));
    log.info({ asOf: day, ms: Date.now() - started }, 'figures recounted');
  });
  await jobs.scheduleDaily(FIGURES_REFRESH_JOB, 0, {});
  // Sent by a read that finds a full recount due (a new day, many changed regions): the read answers
  // from the figures as they are, marked recounting, and this job brings them up to date.
  await jobs.registerWorker<Record<string, never>>(FIGURES_RECOUNT_JOB, async () => {
    const started = Date.now();
    const done = await runAsSystem('figures recount', log, () => freshenFigures(database.db, chinaToday()));
    log.info({ recounted: done, ms: Date.now() - started }, 'figures recount');
  });
  if (jobs.kind === 'in-process') {
    // Nothing survives a restart in this queue: runs left unfinished are picked up again
    // (pg-boss keeps and retries its own jobs).
    const unfinished = await database.db
      .selectFrom('collision_runs')
      .select('id')
      .where('status', 'in', ['queued', 'running'])
      .execute();
    for (const r of unfinished) await jobs.enqueue(COLLISION_RUN_JOB, { runId: r.id });
  }
  return jobs;
}
