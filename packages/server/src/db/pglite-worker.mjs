// The embedded database's own thread (see pglite-thread.ts): PGlite runs here, so a long query
// holds this thread, not the server's event loop. Plain JavaScript: it needs no TypeScript.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

// int8 (counts, sequences) as numbers; `date` as plain 'YYYY-MM-DD' strings, never a shifted Date.
const INT8 = 20;
const DATE = 1082;

/** An error as plain data: the database's fields (code, constraint, detail, …) survive the copy. */
function plain(err) {
  if (!(err instanceof Error)) return { message: String(err) };
  const out = { name: err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) if (typeof v !== 'function' && typeof v !== 'object') out[k] = v;
  return out;
}

const result = (r) => ({ rows: r.rows, affectedRows: r.affectedRows, fields: r.fields, blob: r.blob });

let pglite;
try {
  pglite = await PGlite.create({
    ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}),
    ...(workerData.loadDataDir ? { loadDataDir: workerData.loadDataDir } : {}),
    extensions: { pg_trgm },
    parsers: { [INT8]: (v) => Number(v), [DATE]: (v) => v },
  });
} catch (err) {
  // The server terminates this thread on this answer.
  parentPort.postMessage({ id: 0, error: plain(err) });
}

if (pglite)
  parentPort.on('message', async ({ id, op, args }) => {
    try {
      let out = null;
      if (op === 'query') out = result(await pglite.query(args[0], args[1], args[2]));
      else if (op === 'exec') out = (await pglite.exec(args[0])).map(result);
      else if (op === 'dumpDataDir') out = await pglite.dumpDataDir(args[0]);
      else if (op === 'close') await pglite.close();
      else throw new Error(`unknown operation ${op}`);
      parentPort.postMessage({ id, result: out });
    } catch (err) {
      parentPort.postMessage({ id, error: plain(err) });
    }
  });
if (pglite) parentPort.postMessage({ id: 0, result: null });
