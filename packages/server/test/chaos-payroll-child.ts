/**
 * The child of the payroll crash test (chaos-payroll.ts): opens the database named by the
 * environment, builds the payroll of a month and region, and says when it starts and ends.
 * The parent kills it at a random moment in between.
 */
import path from 'node:path';
import { loadConfig } from '../src/config';
import { Protector } from '../src/crypto/index';
import { openDatabase } from '../src/db/database';
import { asStaff } from '../src/demo/case-driver';
import { createPayroll } from '../src/modules/payroll/service';

const [month, regionCode] = process.argv.slice(2) as [string, string];
const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
  ...(config.dbSchema ? { schema: config.dbSchema } : {}),
});
const deps = { db: database.db, protector: new Protector(config), config };
process.stdout.write('start\n');
await asStaff('county_officer', regionCode, () => createPayroll(deps, { month, regionCode, runKind: 'regular' }));
process.stdout.write('built\n');
await database.close();
