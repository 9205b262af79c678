import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsSystem } from '../context';
import { createTestApp, type TestApp } from '../../test/harness';
import pino from 'pino';
import { loadCityDivisions } from '../modules/regions/divisions';
import { generateAll } from '../synthetic/index';
import { seedRegistry } from './registry';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const seedDemo = () =>
  runAsSystem('test seed', pino({ level: 'silent' }), () =>
    seedRegistry(t.database.db, t.app.deps.protector, { city: '3503', size: 'demo', seed: 7 }),
  );

describe('jiuzhu seed (demo size)', () => {
  it('stores the generated city; a second run stores nothing more', async () => {
    const first = await seedDemo();
    expect(first.inserted).toBeGreaterThan(250);
    expect(first.conflicts).toBe(0);
    const again = await seedDemo();
    expect(again).toMatchObject({ inserted: 0, skipped: first.inserted });
    const lingchuan = await t.login('lingchuan');
    const page = (await lingchuan.request('GET', '/api/households?status=dibao')).json();
    expect(page.total).toBeGreaterThan(5);
    for (const h of page.items) expect(h.regionCode.startsWith('350302102')).toBe(true);
  });

  it('leaves no plaintext ID number, phone, bank account or address of any seeded person in any table', async () => {
    const households = generateAll({ city: '3503', divisions: await loadCityDivisions('3503'), size: 'demo', seed: 7 });
    const secrets = new Set<string>();
    for (const h of households) {
      secrets.add(h.address);
      for (const m of h.members) {
        secrets.add(m.idNumber);
        if (m.phone) secrets.add(m.phone);
        if (m.bankAccount) secrets.add(m.bankAccount);
      }
    }
    expect(secrets.size).toBeGreaterThan(800);
    // Every text a table holds, whatever its columns: each row cast to its text form.
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.database.db);
    expect(tables.rows.length).toBeGreaterThanOrEqual(10);
    let dump = '';
    for (const { name } of tables.rows) {
      const rows = await sql<{ r: string }>`select t::text as r from ${sql.table(name)} t`.execute(t.database.db);
      dump += rows.rows.map((r) => r.r).join('\n');
    }
    const leaked = [...secrets].filter((s) => dump.includes(s));
    expect(leaked).toEqual([]);
  });
});
