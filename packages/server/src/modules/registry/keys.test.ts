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
import { applicationInput } from '../../demo/case-driver';
import { ENCRYPTED_COLUMNS } from './keys';

const run = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/jiuzhu.mjs');
const KEY1 = randomBytes(32).toString('base64');
const KEY2 = randomBytes(32).toString('base64');

let t: TestApp;
const application = applicationInput('350302102201', { phone: '13912345678' }, 2);
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
  // The data exchange's encrypted columns: a push secret and feed records' protected fields
  // (a disability certificate number holds the ID number).
  const admin = await t.login('admin');
  expect((await admin.request('POST', '/api/feeds/sources/disability/api-key')).statusCode).toBe(201);
  const feed = [
    'record_id,id_number,name,issue_date,certificate_no,disability_type,disability_grade,change',
    ...originals
      .slice(0, 3)
      .map((o, i) => `DIS000000${i},${o.idNumber},林${i},2025-06-0${i + 1},${o.idNumber}42,physical,2,new`),
  ].join('\n');
  const up = await admin.request('POST', '/api/feeds/upload?kind=disability.certificates', Buffer.from(`${feed}\n`), {
    'content-type': 'text/csv',
    'x-file-name': 'disability.certificates.csv',
  });
  expect(up.json()).toMatchObject({ status: 'loaded', rowsLoaded: 3 });
  // An application: its phone, address, reason, two members' ID numbers, and an action's note.
  const created = await clerk.request('POST', '/api/cases', application);
  expect(created.statusCode).toBe(201);
  const accepted = await clerk.request('POST', `/api/cases/${created.json().id}/accept`, { note: '材料齐全' });
  expect(accepted.statusCode).toBe(200);
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
    // Address, ID number, phone and bank account of 30 people; one push secret; three feed records;
    // an application's phone, address, reason, two ID numbers and one action's content.
    expect(Number(first.stdout.split(' ')[0])).toBe(30 * 4 + 1 + 3 + 6);
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
      const records = await database.db.selectFrom('feed_records').select('protected_enc').orderBy('line').execute();
      expect(records.map((r) => JSON.parse(onlyNewKey.decrypt(r.protected_enc!, 'feed_record.protected')))).toEqual(
        originals.slice(0, 3).map((o) => ({ certificate_no: `${o.idNumber}42` })),
      );
      const source = await database.db
        .selectFrom('feed_sources')
        .select('api_secret_enc')
        .where('code', '=', 'disability')
        .executeTakeFirstOrThrow();
      expect(onlyNewKey.decrypt(source.api_secret_enc!, 'feed_source.api_secret')).toMatch(/^\S{20,}$/);
      const storedCase = await database.db.selectFrom('cases').select(['id', 'phone_enc']).executeTakeFirstOrThrow();
      expect(onlyNewKey.decrypt(storedCase.phone_enc, 'case.phone')).toBe('13912345678');
      const caseMembers = await database.db.selectFrom('case_members').select('id_enc').orderBy('n').execute();
      expect(caseMembers.map((m) => onlyNewKey.decrypt(m.id_enc, 'case_member.id_number'))).toEqual(
        application.members.map((m) => m.idNumber),
      );
      const action = await database.db
        .selectFrom('case_actions')
        .select('data_enc')
        .where('action', '=', 'accept')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(onlyNewKey.decrypt(action.data_enc!, 'case_action.data'))).toEqual({ note: '材料齐全' });
      // Outside a rotation the action log stays append-only.
      await expect(
        sql`update case_actions set data_enc = null where case_id = ${storedCase.id}`.execute(database.db),
      ).rejects.toThrow(/append-only/);
      const trail = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'keys.rotate').execute();
      expect(trail).toHaveLength(2);
    } finally {
      await database.close();
    }
  });
});
