import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import { ConfigError } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate } from './db/migrate';
import { ensureRegionsLoaded } from './modules/regions/service';
import { ensureFeedCatalogue } from './modules/exchange/catalogue';
import { seedBuiltinRules } from './modules/collision/rules';
import { seedDemoAccounts } from './modules/users/seed';
import { seedRegistry } from './modules/registry/seed';
import { seedDemoExchange } from './modules/exchange/demo';
import { seedDemoCases } from './modules/cases/demo';
import { seedDemoStandards } from './modules/policy/service';
import { Protector } from './crypto/index';
import { runAsSystem } from './context';

export type BootOptions = {
  /** Use an in-memory PGlite instead of the data directory (tests). */
  inMemory?: boolean;
  /** Seed demo accounts into an empty database (default: outside production). */
  seedDemo?: boolean;
  /** Seed the demo-size synthetic city with the demo accounts (default: in development). */
  seedDemoRegistry?: boolean;
};

/**
 * Opens the database and brings it to a usable state: migrations, the city's
 * division tree, demo accounts on an empty non-production database, and the
 * production safety checks.
 */
export async function openAndPrepare(config: Config, log: Logger, opts: BootOptions = {}): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: opts.inMemory ? undefined : path.join(config.dataDir, 'pglite'),
    ...(config.dbSchema ? { schema: config.dbSchema } : {}),
  });
  try {
    const { applied, current } = await migrate(database, (m) =>
      log.info({ migration: m.version }, `applying migration ${m.version}_${m.name}`),
    );
    if (applied.length > 0) log.info({ applied, current }, 'migrations applied');
    const loaded = await ensureRegionsLoaded(database.db, config.city);
    if (loaded > 0) log.info({ city: config.city, regions: loaded }, 'division tree loaded');
    const feeds = await ensureFeedCatalogue(database.db);
    if (feeds.sources + feeds.kinds > 0) log.info(feeds, 'feed catalogue updated');
    const rules = await seedBuiltinRules(database.db);
    if (rules > 0) log.info({ rules }, 'builtin collision rules added');
    const seedDemo = opts.seedDemo ?? config.env !== 'production';
    const standards = seedDemo ? await seedDemoStandards(database.db, config.city) : 0;
    if (standards > 0) log.info({ standards }, 'demo policy standards added (demo values, not real figures)');
    if (seedDemo && (await seedDemoAccounts(database.db, config.city))) {
      log.info('demo accounts created (password: jiuzhu-demo)');
      // A new demo database also gets a small synthetic city (tests start from an empty registry).
      if (opts.seedDemoRegistry ?? config.env === 'development') {
        const res = await runAsSystem('boot demo seed', log, () =>
          seedRegistry(database.db, new Protector(config), { city: config.city, size: 'demo', seed: 1 }),
        );
        log.info({ households: res.inserted }, 'demo households created');
        const exchange = await runAsSystem('boot demo feeds', log, () =>
          seedDemoExchange(
            { database, db: database.db, protector: new Protector(config), config, log },
            {
              city: config.city,
              seed: 1,
            },
          ),
        );
        log.info(exchange, 'demo department feeds imported and matched');
        const cases = await runAsSystem('boot demo cases', log, () =>
          seedDemoCases({ db: database.db, protector: new Protector(config), config }, config.city),
        );
        log.info(cases, 'demo applications created at every step');
      }
    }
    if (config.env === 'production') await refuseUnsafeProduction(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

async function refuseUnsafeProduction(database: Database): Promise<void> {
  const demo = await database.db.selectFrom('users').select('username').where('demo_password', '=', true).execute();
  if (demo.length > 0) {
    throw new ConfigError(
      `Refusing to start in production: accounts still have the demo password: ${demo.map((u) => u.username).join(', ')}. ` +
        'Give each a new password first (jiuzhu users reset-password <username>).',
    );
  }
}
