import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { createSchema, dropSchema, freshSchema } from '../../test/harness';
import { openDatabase } from './database';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('JIUZHU_DB_SCHEMA on PostgreSQL', () => {
  it('refuses a schema the database does not have (PostgreSQL would skip it and work in public)', async () => {
    const schema = freshSchema();
    const opening = openDatabase({ databaseUrl: url!, schema });
    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(`no schema "${schema}"`);
  });

  it('works in the schema once it exists', async () => {
    const schema = freshSchema();
    await createSchema(url!, schema);
    try {
      const database = await openDatabase({ databaseUrl: url!, schema });
      try {
        await database.exec('create table probe (n integer)');
        const { rows } = await database.pool!.query<{ schema: string }>(
          `select table_schema as schema from information_schema.tables where table_name = 'probe'`,
        );
        expect(rows.map((r) => r.schema)).toEqual([schema]);
      } finally {
        await database.close();
      }
    } finally {
      await dropSchema(url!, schema);
    }
  });
});
