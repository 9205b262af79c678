// Helper of chaos-import.ts: with the server stopped, prints the households a chaos run
// imported (source key prefix in argv) and how many of them do not have exactly one member.
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../packages/server/src/config';
import { openDatabase } from '../packages/server/src/db/database';

const prefix = process.argv[2]!;
const config = loadConfig(process.env);
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
});
const res = await sql<{ households: number; partial: number }>`
  select count(*)::int as households,
         count(*) filter (where (select count(*) from members m where m.household_id = h.id) <> 1)::int as partial
  from households h where h.source_key like ${`%:${prefix}%`}`.execute(database.db);
console.log(JSON.stringify(res.rows[0]));
await database.close();
