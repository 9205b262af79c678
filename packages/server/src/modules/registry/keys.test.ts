import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { loadConfig } from '../../config';
import { Protector } from '../../crypto/index';
import { openDatabase } from '../../db/database';
import { createTestApp, type TestApp } from '../../../test/harness';
import { ENCRYPTED_COLUMNS } from './keys';

const run = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/jiuzhu.mjs');
const KEY1 = randomBytes(32).toString('base64');
const KEY2 = randomBytes(32).toString('base64');

let t: TestApp;
const originals: { idNumber: string; phone: string; bank: string }[] = [];

beforeAll(async () => {
  t = await createTestApp({ JIUZHU_DATA_KEY: KEY1 }, {}, { persistent: true });
  const clerk = await t.login('lingchuan');
  for (let i = 0; i < 30; i++) {
    const o = {
      idNumber: makeIdNumber('350302', '1950-01-01', 500 + i),
      phone: `139${String(10_000_000 + i).padStart(8, '0')}`,
      bank: `62284800${String(10_000_000_000 + i)}`,
    };
    originals.push(o);
    const res = await clerk.request('POST', '/api/households', {
      regionCode: '350302102201',
      address: `云庄村${i}号`,
      members: [
        {
          name: `林${i}`,
          idNumber: o.idNumber,
          relation: 'head',
          hukouType: 'rural',
          phone: o.phone,
          bankAccount: o.bank,
        },
      ],
    });
    expect(res.statusCode).toBe(201);
  }
  await t.shutdown();
});
afterAll(() => t?.close());

describe('jiuzhu keys rotate', () => {
  it('re-encrypts every value under the new key and cipher, and every record stays readable without the old key', async () => {
    const env = {
      ...process.env,
      ...t.cliEnv,
      JIUZHU_DATA_KEY: KEY2,
      JIUZHU_DATA_KEY_VERSION: '2',
      JIUZHU_DATA_KEYS_OLD: `1:${KEY1}`,
      JIUZHU_DATA_CIPHER: 'sm4',
    };
    const first = await run(process.execPath, [CLI, 'keys', 'rotate'], { env });
    expect(first.stdout).toMatch(/^(\d+) values re-encrypted under key v2 \(sm4\)/);
    expect(Number(first.stdout.split(' ')[0])).toBe(30 * 4); // address, ID number, phone, bank account
    const second = await run(process.execPath, [CLI, 'keys', 'rotate'], { env });
    expect(second.stdout).toMatch(/^0 values re-encrypted/);

    const config = loadConfig({
      ...t.cliEnv,
      JIUZHU_DATA_KEY: KEY2,
      JIUZHU_DATA_KEY_VERSION: '2',
      JIUZHU_DATA_CIPHER: 'sm4',
    });
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
      ...(config.dbSchema ? { schema: config.dbSchema } : {}),
    });
    try {
      const onlyNewKey = new Protector(config);
      for (const c of ENCRYPTED_COLUMNS) {
        const rows = await sql<{
          v: string | null;
        }>`select ${sql.ref(c.column)} as v from ${sql.table(c.table)}`.execute(database.db);
        for (const r of rows.rows) if (r.v) expect(r.v.startsWith('v2.sm4.')).toBe(true);
      }
      const members = await database.db
        .selectFrom('members')
        .select(['id_number_enc', 'phone_enc', 'bank_account_enc'])
        .execute();
      const read = members.map((m) => ({
        idNumber: onlyNewKey.decrypt(m.id_number_enc, 'member.id_number'),
        phone: onlyNewKey.decrypt(m.phone_enc!, 'member.phone'),
        bank: onlyNewKey.decrypt(m.bank_account_enc!, 'member.bank_account'),
      }));
      expect(read.sort((a, b) => a.idNumber.localeCompare(b.idNumber))).toEqual(originals);
      const trail = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'keys.rotate').execute();
      expect(trail).toHaveLength(2);
    } finally {
      await database.close();
    }
  });
});
