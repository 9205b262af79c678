import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Protector } from '../crypto/index';
import type { Database } from '../db/database';
import type { DB } from '../db/schema';
import { insertDemoAccount } from '../modules/users/seed';
import { runCollision } from '../modules/collision/run';
import { loadCityDivisions } from '../modules/regions/divisions';
import { generateCity } from '../synthetic/index';
import { FEED_SPECS, writeFeeds } from '../synthetic/feeds/index';
import { importFeed } from '../modules/exchange/ingest';
import { chinaToday } from '@jiuzhu/shared';

export type DemoExchangeDeps = {
  database: Database;
  db: Kysely<DB>;
  protector: Protector;
  config: Config;
  log: FastifyBaseLogger;
};

/** The demo grid worker (协理员): bound to the demo village with the most leads. */
export const DEMO_GRID_WORKER = 'wangge';

/**
 * Gives a new demo database the department side too: the nine synthetic feeds of the demo city
 * (the same seed as its registry, events up to today) imported as batches, one collision run,
 * the leads it raises, and a grid-worker account where they are. Call in the system scope.
 */
export async function seedDemoExchange(
  deps: DemoExchangeDeps,
  opts: { city: string; seed: number },
): Promise<{ batches: number; signals: number; leads: number; gridWorkerVillage: string | null }> {
  const asOf = chinaToday();
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'jiuzhu-demo-feeds-'));
  try {
    const divisions = await loadCityDivisions(opts.city);
    await writeFeeds({
      households: generateCity({ city: opts.city, divisions, size: 'demo', seed: opts.seed }),
      seed: opts.seed,
      outDir,
      asOf,
    });
    let batches = 0;
    for (const spec of Object.values(FEED_SPECS)) {
      const res = await importFeed(
        deps,
        { fileName: spec.file, path: path.join(outDir, spec.file) },
        { kindCode: spec.file.replace(/\.(csv|jsonl)$/, ''), channel: 'cli', actor: 'system', asOf },
      );
      if (res.status === 'loaded') batches++;
    }
    const run = await runCollision(deps);
    const village = await deps.db
      .selectFrom('leads')
      .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('region_code')
      .orderBy('n', 'desc')
      .orderBy('region_code')
      .executeTakeFirst();
    const leads = await deps.db
      .selectFrom('leads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (village) await createDemoGridWorker(deps.db, village.region_code);
    return {
      batches,
      signals: run.signalsCreated,
      leads: Number(leads.n),
      gridWorkerVillage: village?.region_code ?? null,
    };
  } finally {
    await fs.rm(outDir, { recursive: true, force: true });
  }
}

async function createDemoGridWorker(db: Kysely<DB>, villageCode: string): Promise<void> {
  const exists = await db.selectFrom('users').select('id').where('username', '=', DEMO_GRID_WORKER).executeTakeFirst();
  if (exists) return;
  await db.transaction().execute((trx) =>
    insertDemoAccount(trx, {
      username: DEMO_GRID_WORKER,
      displayName: '村协理员',
      role: 'grid_worker',
      regionCode: villageCode,
    }),
  );
}
