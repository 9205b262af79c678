import os from 'node:os';
import { Piscina } from 'piscina';
import type { PreparedChunk, PrepareTask } from './import-prepare';

/**
 * The worker threads that check, encrypt and hash register rows (import-prepare.ts), so an
 * import uses the other cores and its CPU work never holds the event loop (one core is left to
 * the event loop and the database: on a 2-core server, one thread). One pool for the process,
 * started on the first import; idle threads exit after a while and never keep the process alive.
 */
let pool: Piscina<PrepareTask, PreparedChunk> | null = null;

export function preparePool(): Piscina<PrepareTask, PreparedChunk> {
  pool ??= new Piscina<PrepareTask, PreparedChunk>({
    filename: new URL('./import-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    idleTimeout: 30_000,
  });
  return pool;
}
