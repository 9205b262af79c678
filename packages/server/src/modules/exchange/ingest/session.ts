/**
 * One database session for a bulk load: plain queries plus COPY FROM a stream of text
 * chunks. PostgreSQL: a pooled client and pg-copy-streams (streaming). PGlite: the single
 * connection, taken through Kysely's lock so nothing interleaves, and COPY FROM '/dev/blob'
 * in chunks of a few MiB.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../../db/database';

export type LoadSession = {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** `copy <table> (<columns>)` in text format from the chunks (text or UTF-8; each ends with a line end). */
  copyIn(target: string, chunks: AsyncIterable<string | Uint8Array>): Promise<void>;
};

const PGLITE_COPY_CHUNK = 4 * 1024 * 1024;

export async function withLoadSession<T>(database: Database, fn: (s: LoadSession) => Promise<T>): Promise<T> {
  if (database.kind === 'postgresql') {
    const client = await database.pool!.connect();
    let broken = false;
    try {
      return await fn({
        async query(text, params) {
          const r = await client.query(text, params as unknown[]);
          return { rows: r.rows, rowCount: r.rowCount ?? 0 };
        },
        async copyIn(target, chunks) {
          const sink = client.query(copyFrom(`${target} from stdin`));
          await pipeline(Readable.from(chunks, { objectMode: false }), sink);
        },
      });
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      // A client whose COPY was interrupted is not handed back to the pool.
      client.release(broken);
    }
  }
  const pglite = database.pglite!;
  return database.db.connection().execute(() =>
    fn({
      async query(text, params) {
        const r = await pglite.query(text, params as unknown[]);
        return { rows: r.rows as never[], rowCount: r.affectedRows ?? 0 };
      },
      async copyIn(target, chunks) {
        let parts: (string | Uint8Array)[] = [];
        let size = 0;
        const flush = async () => {
          if (size === 0) return;
          // The byte chunks are Buffers and worker results: never a SharedArrayBuffer.
          const blob = new Blob(parts as ConstructorParameters<typeof Blob>[0]);
          parts = [];
          size = 0;
          await pglite.query(`${target} from '/dev/blob'`, [], { blob });
        };
        for await (const c of chunks) {
          parts.push(c);
          size += c.length;
          if (size >= PGLITE_COPY_CHUNK) await flush();
        }
        await flush();
      },
    }),
  );
}
