import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './database';
import type { DB } from './schema';

/** `copy <table> (<columns>)` in text format from rows that each end with a line end. */
export type CopyIn = (target: string, rows: string) => Promise<void>;

/**
 * One transaction that may COPY as well as run typed queries: the COPY and the queries share the
 * connection, so they commit or roll back together. PostgreSQL: one pooled client, seen by Kysely
 * as a pool of one, and pg-copy-streams. PGlite: the single connection, held through Kysely's lock,
 * and COPY FROM '/dev/blob'.
 */
export async function bulkTransaction<T>(
  database: Database,
  fn: (trx: Transaction<DB>, copyIn: CopyIn) => Promise<T>,
): Promise<T> {
  if (database.kind === 'postgresql') {
    const client = await database.pool!.connect();
    // Kysely releases its connection after the transaction: the client goes back to the pool below, once.
    const single = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: {
          connect: async () => ({
            query: client.query.bind(client) as never,
            release: () => {},
          }),
          end: async () => {},
        },
      }),
    });
    let broken = false;
    try {
      return await single.transaction().execute((trx) =>
        fn(trx, async (target, rows) => {
          if (rows === '') return;
          await pipeline(Readable.from([Buffer.from(rows, 'utf8')]), client.query(copyFrom(`${target} from stdin`)));
        }),
      );
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      // A client whose COPY was interrupted is not handed back to the pool.
      client.release(broken);
    }
  }
  const pglite = database.pglite!;
  return database.db.transaction().execute((trx) =>
    fn(trx, async (target, rows) => {
      if (rows === '') return;
      await pglite.query(`${target} from '/dev/blob'`, [], { blob: new Blob([rows]) });
    }),
  );
}
