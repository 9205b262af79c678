import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';

/**
 * The embedded database (PGlite) on a thread of its own. PGlite runs PostgreSQL compiled to
 * WebAssembly; on the server's thread every query held the event loop for as long as it ran
 * (over a second for a dashboard under load), so no other request, health check or timer was
 * served meanwhile. Here the server's thread only sends the statement and takes the result, and
 * both cores work: one on HTTP and JSON, one on the database.
 *
 * The methods are the part of PGlite's interface the project uses. PGlite is still one
 * connection: Kysely's connection lock (pglite-dialect.ts) keeps statements in order. An error
 * keeps the database's fields (`code`, `constraint`, `detail`, …).
 */
export class PGliteThread {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: Record<string, unknown> }) => {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      // Idle, the thread does not keep the process alive (a test or script that ends without
      // closing the database still exits); while a call is pending it does.
      if (this.pending.size === 0) this.worker.unref();
      if (error) p.reject(revive(error));
      else p.resolve(result);
    });
    const failAll = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (!this.closed) failAll(new Error(`the embedded database's thread stopped (exit code ${code})`));
    });
  }

  /** Starts the thread and opens the database in it (`dataDir`: a directory; neither: in memory). */
  static async create(opts: { dataDir?: string; loadDataDir?: Blob }): Promise<PGliteThread> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: opts });
    const thread = new PGliteThread(worker);
    // The worker answers id 0 once the database is open, or with the error that stopped it.
    await new Promise<unknown>((resolve, reject) => thread.pending.set(0, { resolve, reject })).catch(
      async (err: unknown) => {
        thread.closed = true;
        await worker.terminate();
        throw err;
      },
    );
    return thread;
  }

  private call<T>(op: string, ...args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> {
    return this.call('query', sql, params ?? [], options);
  }

  /** Runs a script of several statements (no parameters). */
  exec(sql: string): Promise<Results[]> {
    return this.call('exec', sql);
  }

  /** The data directory as an image another instance can start from (`loadDataDir`). */
  dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'none'): Promise<Blob> {
    return this.call('dumpDataDir', compression);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call('close');
    this.closed = true;
    await this.worker.terminate();
  }
}

/** A worker's error back as an Error, with the database's fields as own properties. */
function revive(e: Record<string, unknown>): Error {
  const { message, name, stack, ...fields } = e;
  const err = Object.assign(new Error(String(message)), fields);
  if (typeof name === 'string') err.name = name;
  if (typeof stack === 'string') err.stack = stack;
  return err;
}
