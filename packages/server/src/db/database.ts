import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { ConfigError } from '../config';
import { PGliteDialect } from './pglite-dialect';
import { PGliteThread } from './pglite-thread';
import type { DB } from './schema';

export type DatabaseKind = 'pglite' | 'postgresql';

/** One database handle for the process: Kysely for typed SQL, `exec` for multi-statement scripts. */
export type Database = {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** Runs a multi-statement SQL script (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The embedded instance (on its own thread), when kind is pglite. */
  pglite?: PGliteThread;
  /** The server pool, when kind is postgresql. */
  pool?: pg.Pool;
};

// int8 (counts, sequences) as numbers; `date` as plain 'YYYY-MM-DD' strings, never a shifted Date.
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export type OpenOptions = {
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined means in memory. */
  pgliteDir?: string | undefined;
  /** PostgreSQL schema to use as search_path (tests use one schema per file). */
  schema?: string;
  poolSize?: number;
  /**
   * Told when the server drops an idle pooled connection (a restart, an administrator's terminate). The pool
   * discards that connection and opens a new one for the next query; without a listener the pool's `error`
   * event would end the process.
   */
  onIdleError?: (err: Error) => void;
  /**
   * A data directory image (`pglite.dumpDataDir()`) to start a new PGlite from instead of an empty
   * cluster (the test harness's migrated template). Refused when the data directory already holds one.
   */
  pgliteImage?: Blob;
};

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // Extensions (pg_trgm) live in public, so it stays on the path behind the working schema.
      ...(opts.schema ? { options: `-c search_path=${opts.schema},public` } : {}),
    });
    pool.on('error', (err) => opts.onIdleError?.(err));
    // Fail fast with a clear message when the server is not reachable, or the schema is not there:
    // PostgreSQL skips a missing schema on the search path, and everything would go to public.
    const { rows } = await pool.query<{ schema: string | null }>('select current_schema() as schema');
    if (opts.schema && rows[0]?.schema !== opts.schema) {
      await pool.end();
      throw new ConfigError(
        `JIUZHU_DB_SCHEMA: the database has no schema "${opts.schema}"; create it first (create schema ${opts.schema})`,
      );
    }
    return {
      kind: 'postgresql',
      db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
      pool,
      async exec(sql) {
        await pool.query(sql);
      },
      async close() {
        await pool.end();
      },
    };
  }
  if (opts.pgliteDir) fs.mkdirSync(path.dirname(opts.pgliteDir), { recursive: true });
  const pglite = await PGliteThread.create({
    ...(opts.pgliteDir ? { dataDir: opts.pgliteDir } : {}),
    ...(opts.pgliteImage ? { loadDataDir: opts.pgliteImage } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    pglite,
    async exec(sql) {
      // Through Kysely's connection lock so a script never interleaves with a request.
      await db.connection().execute(async () => {
        await pglite.exec(sql);
      });
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
