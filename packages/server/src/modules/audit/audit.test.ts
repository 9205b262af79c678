import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chinaToday } from '@jiuzhu/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';

const run = promisify(execFile);
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/jiuzhu.mjs');

async function cli(t: TestApp, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...t.cliEnv } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, {}, { persistent: true });
});
afterAll(() => t?.close());

describe('audit trail', () => {
  it('records every mutation with actor, role, region and a chained hash, and no personal data', async () => {
    const admin = await t.login('admin');
    const created = await admin.request('POST', '/api/users', {
      username: 'zhang.san',
      displayName: '张三',
      role: 'grid_worker',
      regionCode: '350302102201',
      password: 'a-secret-password-9',
    });
    expect(created.statusCode).toBe(201);
    const list = (await admin.request('GET', '/api/audit?entity=user&action=user.create')).json();
    const row = list.items.find((i: { entityId: string }) => i.entityId === created.json().id);
    expect(row).toMatchObject({
      actorUsername: 'admin',
      actorRole: 'city_admin',
      regionCode: '350302102201',
      action: 'user.create',
    });
    expect(JSON.stringify(list)).not.toContain('a-secret-password-9');
    const rows = await t.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect((await admin.request('GET', '/api/audit/verify')).json()).toMatchObject({ ok: true, brokenAt: null });
  });

  it('filters by actor, action and date', async () => {
    const auditor = await t.login('admin');
    const today = chinaToday(); // the API's dates are China dates
    const res = (await auditor.request('GET', `/api/audit?actor=admin&action=auth.&from=${today}&to=${today}`)).json();
    expect(res.total).toBeGreaterThan(0);
    for (const item of res.items) {
      expect(item.actorUsername).toBe('admin');
      expect(item.action.startsWith('auth.')).toBe(true);
    }
    expect((await auditor.request('GET', '/api/audit?from=2000-01-01&to=2000-01-02')).json().total).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows in the database itself', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(t.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = 1`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('`jiuzhu audit verify` passes on an intact chain', async () => {
    const fresh = await createTestApp({}, {}, { persistent: true });
    try {
      await fresh.login('admin');
      const rows = await fresh.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      await fresh.shutdown();
      const res = await cli(fresh, ['audit', 'verify']);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(Number(rows.n)).toBeGreaterThan(0);
      expect(res.stdout).toContain(`audit chain intact: ${Number(rows.n)} rows verified`);
    } finally {
      await fresh.close();
    }
  });

  it('`jiuzhu audit verify` exits non-zero naming the first tampered row', async () => {
    const admin = await t.login('admin');
    // Tamper as the database owner would: switch the guard off, rewrite a row, switch it on.
    await t.database.db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(trx);
      await sql`update audit_log set detail = '{"role":"city_admin"}' where seq = 3`.execute(trx);
      await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(trx);
    });
    const api = (await admin.request('GET', '/api/audit/verify')).json();
    expect(api).toMatchObject({ ok: false, brokenAt: 3 });
    await t.shutdown();
    const res = await cli(t, ['audit', 'verify']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('seq=3');
  });
});
