import type { FastifyBaseLogger } from 'fastify';
import PgBoss from 'pg-boss';
import type { Database } from '../db/database';

export type JobHandler<T> = (data: T) => Promise<void>;
export type EnqueueOptions = {
  singletonKey?: string;
  /** With singletonKey: at most one such job per slot of this many seconds (pg-boss throttling; in-process: while one runs). */
  singletonSeconds?: number;
};

/** The background queue: send a job, handle a queue, run something daily. */
export interface Jobs {
  readonly kind: 'pg-boss' | 'in-process';
  enqueue<T extends object>(name: string, data: T, options?: EnqueueOptions): Promise<string | null>;
  registerWorker<T extends object>(name: string, handler: JobHandler<T>): Promise<void>;
  /** Runs `name` once a day at `hour`:00 Asia/Shanghai (in-process: not scheduled). */
  scheduleDaily<T extends object>(name: string, hour: number, data: T): Promise<void>;
  /**
   * Resolves once no job sent so far is running in this process (in-process queue; tests wait on
   * it so that one request's background work is not counted as the next one's). pg-boss: at once.
   */
  idle(): Promise<void>;
  /** Waits for running jobs and stops polling. */
  stop(): Promise<void>;
}

const QUEUE_NAME = /^[a-z][a-z0-9_.-]{0,49}$/;

/**
 * pg-boss on the application's database. On PostgreSQL it shares the pool; on PGlite (one
 * connection) every statement goes through Kysely's connection lock, so a job's polling never
 * interleaves with a request's transaction. Multi-statement scripts (pg-boss's install) go to
 * `exec`, parameterised statements to `query`.
 */
export async function startPgBoss(database: Database, schema: string, log: FastifyBaseLogger): Promise<Jobs> {
  const executeSql = async (text: string, values?: unknown[]) => {
    if (database.pool) return database.pool.query(text, values);
    const pglite = database.pglite!;
    return database.db.connection().execute(async () => {
      if (!values || values.length === 0) {
        const results = await pglite.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      }
      return pglite.query(text, values);
    });
  };
  const boss = new PgBoss({
    db: { executeSql },
    schema,
    // A slow poll is enough: runs are minutes apart, and on PGlite each poll takes the connection.
    supervise: true,
    schedule: true,
  } as never);
  boss.on('error', (err: Error) => log.error({ err: { message: err.message } }, 'job queue error'));
  await boss.start();
  const created = new Set<string>();
  const ensureQueue = async (name: string) => {
    if (!QUEUE_NAME.test(name)) throw new Error(`bad queue name: ${name}`);
    if (created.has(name)) return;
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
    created.add(name);
  };
  return {
    kind: 'pg-boss',
    async enqueue(name, data, options = {}) {
      await ensureQueue(name);
      return boss.send(name, data, {
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.singletonSeconds ? { singletonSeconds: options.singletonSeconds } : {}),
        retryLimit: 2,
        retryDelay: 30,
        expireInSeconds: 4 * 3600,
      });
    },
    async registerWorker(name, handler) {
      await ensureQueue(name);
      await boss.work(name, { pollingIntervalSeconds: 2, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data as never);
      });
    },
    async scheduleDaily(name, hour, data) {
      await ensureQueue(name);
      await boss.schedule(name, `0 ${hour} * * *`, data, { tz: 'Asia/Shanghai' });
    },
    async idle() {},
    async stop() {
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 30_000 });
    },
  };
}

/**
 * The same interface without a queue table: a job runs in this process right after it is sent.
 * For tests and one-off tools; a job lost in a crash is recovered by its own progress record
 * (a collision run left queued or running is picked up again by the next request).
 */
export function inProcessJobs(log: FastifyBaseLogger): Jobs {
  const handlers = new Map<string, JobHandler<object>>();
  const running = new Set<Promise<void>>();
  const singletons = new Set<string>();
  let stopped = false;
  return {
    kind: 'in-process',
    async enqueue(name, data, options = {}) {
      if (stopped) throw new Error('job queue stopped');
      const handler = handlers.get(name);
      if (!handler) throw new Error(`no worker for ${name}`);
      const key = options.singletonKey ? `${name}:${options.singletonKey}` : null;
      if (key && singletons.has(key)) return null;
      if (key) singletons.add(key);
      const done = { promise: Promise.resolve() };
      const p: Promise<void> = (async () => {
        await new Promise((r) => setImmediate(r));
        try {
          await handler(data);
        } catch (err) {
          log.error({ job: name, err: { message: (err as Error).message } }, 'job failed');
        } finally {
          if (key) singletons.delete(key);
          running.delete(done.promise);
        }
      })();
      done.promise = p;
      running.add(p);
      return null;
    },
    async registerWorker(name, handler) {
      handlers.set(name, handler as JobHandler<object>);
    },
    async scheduleDaily() {},
    async idle() {
      // A job may send another (a feed batch → its collision run): wait until none is left.
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async stop() {
      stopped = true;
      await this.idle();
    },
  };
}
