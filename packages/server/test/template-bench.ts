/**
 * What the shared template saves per test app (see README.md): alternately
 * - baseline: an app on an empty database (a new in-memory PGlite, or a fresh schema on DATABASE_URL)
 *   migrated and seeded by `openAndPrepare` — what `createTestApp` did before the template;
 * - ours: `createTestApp` (a copy of the template, booted).
 * Each is created and closed `--runs` times (default 3); the template is made before timing.
 * Run: `npx tsx packages/server/test/template-bench.ts [--runs N]` (prefix DATABASE_URL=… for PostgreSQL).
 * Prints one JSON line last with the medians and ratio = ours / baseline.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { buildApp } from '../src/app';
import { openAndPrepare } from '../src/boot';
import { loadConfig } from '../src/config';
import { createSchema, createTestApp, dropSchema, freshSchema } from './harness';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const url = process.env.DATABASE_URL;
const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', JIUZHU_LOGIN_RATE_LIMIT: '1000' };

async function baseline(): Promise<number> {
  const t0 = performance.now();
  const schema = url ? freshSchema() : undefined;
  if (schema) await createSchema(url!, schema);
  const config = loadConfig({ ...env, ...(schema ? { DATABASE_URL: url!, JIUZHU_DB_SCHEMA: schema } : {}) });
  const database = await openAndPrepare(config, pino({ level: 'silent' }), { inMemory: !url, seedDemo: true });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  await app.close();
  await database.close();
  if (schema) await dropSchema(url!, schema);
  return performance.now() - t0;
}

async function ours(): Promise<number> {
  const t0 = performance.now();
  const t = await createTestApp();
  await t.close();
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await (await createTestApp()).close();
const base: number[] = [];
const tpl: number[] = [];
for (let i = 0; i < runs; i++) {
  base.push(await baseline());
  tpl.push(await ours());
  console.log(JSON.stringify({ run: i, baselineMs: Math.round(base[i]!), oursMs: Math.round(tpl[i]!) }));
}
console.log(
  JSON.stringify({
    database: url ? 'postgresql' : 'pglite',
    runs,
    baselineMedianMs: Math.round(median(base)),
    oursMedianMs: Math.round(median(tpl)),
    ratio: Number((median(tpl) / median(base)).toFixed(3)),
  }),
);
