import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export type Migration = { version: number; name: string; file: string };

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), file: path.join(dir, f) }));
}

// An arbitrary constant: serialises migrations of several processes sharing one PostgreSQL server.
const MIGRATION_LOCK = 35032025;

type Session = { query(text: string): Promise<Record<string, unknown>[]>; exec(text: string): Promise<void> };

/** Runs fn on one connection held exclusively (a session lock on PostgreSQL, the connection lock on PGlite). */
async function withExclusiveSession<T>(database: Database, fn: (s: Session) => Promise<T>): Promise<T> {
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      await client.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
      try {
        return await fn({
          query: async (text) => (await client.query(text)).rows,
          exec: async (text) => void (await client.query(text)),
        });
      } finally {
        await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK})`);
      }
    } finally {
      client.release();
    }
  }
  const pglite = database.pglite!;
  return database.db.connection().execute(() =>
    fn({
      query: async (text) => (await pglite.query<Record<string, unknown>>(text)).rows,
      exec: async (text) => void (await pglite.exec(text)),
    }),
  );
}

/**
 * Applies pending forward-only migrations, each in its own transaction, in order.
 * Returns the versions applied now and the current version.
 */
export async function migrate(
  database: Database,
  onApply: (m: Migration) => void = () => {},
): Promise<{ applied: number[]; current: number }> {
  const applied = await withExclusiveSession(database, async (s) => {
    await s.exec(`create table if not exists schema_migrations (
      version int primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await s.query('select version from schema_migrations')).map((r) => Number(r.version)));
    const now: number[] = [];
    for (const m of listMigrations()) {
      if (done.has(m.version)) continue;
      onApply(m);
      const body = fs.readFileSync(m.file, 'utf8');
      try {
        await s.exec(
          `begin;\n${body}\n;insert into schema_migrations (version, name) values (${m.version}, '${m.name}');\ncommit;`,
        );
      } catch (err) {
        await s.exec('rollback').catch(() => {});
        throw new Error(`Migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      now.push(m.version);
    }
    return now;
  });
  return { applied, current: await currentMigration(database) };
}

export async function currentMigration(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}
