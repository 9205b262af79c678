import { chinaToday } from '@jiuzhu/shared';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import { ConfigError } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate } from './db/migrate';
import { ensureRegionsLoaded } from './modules/regions/service';
import { ensureFeedCatalogue } from './modules/exchange/catalogue';
import { failInterruptedBatches } from './modules/exchange/service';
import { seedBuiltinRules } from './modules/collision/rules';
import { seedDemoAccounts } from './modules/users/seed';
import { failInterruptedImports } from './modules/registry/import';
import { fillAccountFacts } from './modules/registry/account-facts';
import { t } from './i18n/messages';
import { seedRegistry } from './demo/registry';
import { seedDemoHistories, seedEnrolments } from './demo/enrolments';
import { scheduleReviews } from './modules/reviews/service';
import { seedDemoExchange } from './demo/exchange';
import { seedDemoCases } from './demo/cases';
import { seedDemoPayrolls } from './demo/payroll';
import { seedDemoInsurance } from './demo/insurance';
import { seedDemoStandards } from './modules/policy/service';
import { seedDemoSchemes } from './modules/insurance/service';
// ---- phone side (issue 17)
import { seedDemoCarePlans } from './modules/care/service';
import { seedDemoAgencies } from './modules/referrals/service';
import { Protector } from './crypto/index';
import { runAsSystem } from './context';

export type BootOptions = {
  /** Use an in-memory PGlite instead of the data directory (tests). */
  inMemory?: boolean;
  /** Seed demo accounts into an empty database (default: outside production). */
  seedDemo?: boolean;
  /** Seed the demo-size synthetic city with the demo accounts (default: in development). */
  seedDemoRegistry?: boolean;
  /** Start PGlite from this data directory image (see OpenOptions.pgliteImage); the steps below then find it prepared. */
  pgliteImage?: Blob;
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
    ...(opts.pgliteImage ? { pgliteImage: opts.pgliteImage } : {}),
    onIdleError: (err) => log.warn({ err }, 'the database dropped an idle connection; the next query opens a new one'),
  });
  try {
    const { applied, current } = await migrate(database, (m) =>
      log.info({ migration: m.version }, `applying migration ${m.version}_${m.name}`),
    );
    if (applied.length > 0) log.info({ applied, current }, 'migrations applied');
    const interrupted = await failInterruptedImports(database.db, t('zh-CN', 'import.interrupted'));
    if (interrupted > 0) log.warn({ interrupted }, 'register imports interrupted by the last stop marked failed');
    const batches = await failInterruptedBatches(database.db);
    if (batches > 0) log.warn({ batches }, 'feed batches whose import no process is running marked interrupted');
    const loaded = await ensureRegionsLoaded(database.db, config.city);
    if (loaded > 0) log.info({ city: config.city, regions: loaded }, 'division tree loaded');
    const feeds = await ensureFeedCatalogue(database.db);
    if (feeds.sources + feeds.kinds > 0) log.info(feeds, 'feed catalogue updated');
    const rules = await seedBuiltinRules(database.db);
    if (rules > 0) log.info({ rules }, 'builtin collision rules added');
    const accounts = await fillAccountFacts(database.db, new Protector(config));
    if (accounts > 0) log.info({ accounts }, 'bank account facts filled (blind index and checks for the payroll)');
    const seedDemo = opts.seedDemo ?? config.env !== 'production';
    const standards = seedDemo ? await seedDemoStandards(database.db, config.city) : 0;
    if (standards > 0) log.info({ standards }, 'demo policy standards added (demo values, not real figures)');
    const thisYear = Number(chinaToday().slice(0, 4));
    const schemes = seedDemo ? await seedDemoSchemes(database.db, config.city, [thisYear - 1, thisYear]) : 0;
    if (schemes > 0) log.info({ schemes }, 'demo insurance schemes added (demo values, not real contract terms)');
    // ---- phone side (issue 17)
    const carePlans = seedDemo ? await seedDemoCarePlans(database.db, config.city) : 0;
    const agencies = seedDemo ? await seedDemoAgencies(database.db, config.city) : 0;
    if (carePlans + agencies > 0)
      log.info({ carePlans, agencies }, 'demo care plans and referral agencies added (demo values)');
    if (seedDemo && (await seedDemoAccounts(database.db, config.city))) {
      log.info('demo accounts created (password: jiuzhu-demo)');
      // A new demo database also gets a small synthetic city (tests start from an empty registry).
      if (opts.seedDemoRegistry ?? config.env === 'development') {
        const res = await runAsSystem('boot demo seed', log, () =>
          seedRegistry(database.db, new Protector(config), { city: config.city, size: 'demo', seed: 1 }),
        );
        log.info({ households: res.inserted }, 'demo households created');
        const rolls = await runAsSystem('boot demo enrolments', log, async () => {
          const deps = { db: database.db, protector: new Protector(config), config };
          const seeded = await seedEnrolments(database.db, { city: config.city });
          const histories = await seedDemoHistories(deps);
          // The daily review job's first run: the scheduled reviews (定期核查) falling due around now.
          const reviews = await scheduleReviews(deps, chinaToday());
          return { ...seeded, histories, reviews: reviews.created };
        });
        log.info(rolls, 'demo recipients enrolled (with a few changes)');
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
        const payrolls = await runAsSystem('boot demo payrolls', log, () =>
          seedDemoPayrolls({ db: database.db, protector: new Protector(config), config }, config.city),
        );
        log.info(
          payrolls,
          'demo payrolls: last month approved with bank files and a reissued return, this month a draft',
        );
        const insurance = await runAsSystem('boot demo insurance', log, () =>
          seedDemoInsurance({ db: database.db, protector: new Protector(config), config }),
        );
        log.info(insurance, 'demo insurance claims created at every step');
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
