import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { runAsSystem } from '../context';
import { COLLISION_RUN_JOB, runCollision } from '../modules/collision/run';
import { escalateOverdueLeads } from '../modules/leads/dispatch';
import { inProcessJobs, startPgBoss, type Jobs } from './queue';
import { chinaToday } from '@jiuzhu/shared';

export type { Jobs, JobHandler, EnqueueOptions } from './queue';

export type JobDeps = { config: Config; database: Database; log: FastifyBaseLogger };

const ESCALATE_LEADS_JOB = 'leads.escalate';

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
