import os from 'node:os';
import { Piscina } from 'piscina';
import type { Prepared, SegmentTask } from './prepare';

/**
 * The worker threads that check, hash and encrypt the rows of large feed files (prepare.ts), so
 * an import uses the other cores and its CPU work never holds the event loop (one core is left
 * to the event loop and the database: on a 2-core server, one thread). One pool for the process,
 * started on the first large import; idle threads exit after a while and never keep the process
 * alive.
 */
/**
 * Whether large files go to worker threads by default: only with a core to spare beyond the
 * event loop and the database. Measured on 2 cores (PostgreSQL on the same machine, 300,000-row
 * imports, load ~8): 7.7–11.1 s with one worker thread against 7.7–7.9 s on the main thread in
 * turns of 500 rows, whose COPY already overlaps the checks with the database's writing.
 */
export const WORKERS_BY_DEFAULT = os.availableParallelism() > 2;

export const INGEST_THREADS = Math.max(1, Math.min(4, os.availableParallelism() - 1));

let pool: Piscina<SegmentTask, Prepared> | null = null;

export function ingestPool(): Piscina<SegmentTask, Prepared> {
  pool ??= new Piscina<SegmentTask, Prepared>({
    filename: new URL('./worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: INGEST_THREADS,
    idleTimeout: 30_000,
  });
  return pool;
}
