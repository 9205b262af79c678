import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';

let t: TestApp;
let admin: Agent;
let chengxiang: Agent; // county_officer, 城厢区 350302
let lingchuan: Agent; // township_officer, 灵川镇 350302102

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
});
afterAll(() => t?.close());

async function count(table: 'users' | 'audit_log') {
  const r = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function lastSeq() {
  const r = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('s'))
    .executeTakeFirstOrThrow();
  return Number(r.s ?? 0);
}

/** Runs a rejected request and checks that neither users nor the audit trail changed. */
async function rejected(send: () => Promise<LightMyRequestResponse>) {
  const before = { users: await count('users'), audit: await count('audit_log') };
  const res = await send();
  expect({ users: await count('users'), audit: await count('audit_log') }).toEqual(before);
  return res;
}

/** Runs a successful mutation and returns the one audit row it wrote (checked for secrets). */
async function audited(action: string, send: () => Promise<LightMyRequestResponse>, secrets: string[] = []) {
  const after = await lastSeq();
  const res = await send();
  expect(res.statusCode, res.body).toBeLessThan(300);
  const rows = await t.database.db.selectFrom('audit_log').selectAll().where('seq', '>', after).execute();
  expect(rows.map((r) => r.action)).toEqual([action]);
  const detail = JSON.stringify(rows[0]!.detail);
  for (const s of [...secrets, 'argon2', 'password', 'hash']) expect(detail).not.toContain(s);
  return { res, row: rows[0]! };
}

const fieldPaths = (res: LightMyRequestResponse) =>
  (res.json().error.fields as { path: string }[]).map((f) => f.path).sort();

let n = 0;
function newUser(over: Record<string, unknown> = {}) {
  n += 1;
  return {
    username: `user.${n}`,
    displayName: `测试用户${n}`,
    role: 'grid_worker',
    regionCode: '350302102201',
    password: 'initial-password-1',
    ...over,
  };
}

async function create(agent: Agent, over: Record<string, unknown> = {}) {
  const body = newUser(over);
  const res = await agent.request('POST', '/api/users', body);
  expect(res.statusCode, res.body).toBe(201);
  return { ...body, id: res.json().id as string };
}

describe('create', () => {
  it('creates an account (201) that can sign in and must change its password; one audit row without the password', async () => {
    const body = newUser({
      username: 'wang.wei',
      displayName: '王伟',
      role: 'township_officer',
      regionCode: '350302102',
    });
    const { res, row } = await audited('user.create', () => admin.request('POST', '/api/users', body), [body.password]);
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({
      username: 'wang.wei',
      displayName: '王伟',
      role: 'township_officer',
      regionCode: '350302102',
      regionName: '灵川镇',
      active: true,
      lockedUntil: null,
    });
    expect(Object.keys(user)).not.toContain('passwordHash');
    expect(row).toMatchObject({
      entity: 'user',
      entity_id: user.id,
      region_code: '350302102',
      actor_username: 'admin',
    });
    expect(row.detail).toEqual({ role: 'township_officer' });

    const wang = await t.login('wang.wei', body.password, { keepMustChange: true });
    expect((await wang.request('GET', '/api/auth/me')).json().user).toMatchObject({
      username: 'wang.wei',
      mustChangePassword: true,
    });
  });

  it('refuses a taken username with 409 on the username field, and writes nothing', async () => {
    for (const username of ['qiulu', 'admin']) {
      const res = await rejected(() => admin.request('POST', '/api/users', newUser({ username })));
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('CONFLICT');
      expect(fieldPaths(res)).toEqual(['username']);
    }
  });

  it('refuses unknown body fields with 400 listing their paths', async () => {
    const res = await rejected(() =>
      admin.request('POST', '/api/users', { ...newUser(), isAdmin: true, permissions: { all: true } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(res)).toEqual(['isAdmin', 'permissions']);
  });

  it('refuses malformed values with 400 on the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ username: 'Upper.Case' }, 'username'],
      [{ username: 'ab' }, 'username'],
      [{ password: 'short' }, 'password'],
      [{ password: 'jiuzhu-demo' }, 'password'], // long enough, but the demo password
      [{ password: 'JIUZHU-DEMO' }, 'password'], // the demo password in another case
      [{ password: '1234567890' }, 'password'], // long enough, but guessed at once
      [{ password: '          ' }, 'password'],
      [{ password: 'password123' }, 'password'],
      [{ role: 'superuser' }, 'role'],
      [{ regionCode: '35030' }, 'regionCode'],
    ];
    for (const [over, path] of cases) {
      const res = await rejected(() => admin.request('POST', '/api/users', newUser(over)));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(fieldPaths(res), JSON.stringify(over)).toEqual([path]);
    }
    const weak = await rejected(() => admin.request('POST', '/api/users', newUser({ password: '1234567890' })));
    expect(weak.json().error.fields[0].message).toBe('密码太容易被猜中，请使用更长、不常见的组合（例如几个词加数字）');
  });

  it('never grants a role above one’s own: 400 on role', async () => {
    // Inside the caller's own region: the rank is what is refused (another region is 403 first, below).
    const cases: [Agent, string, string][] = [
      [chengxiang, 'city_admin', '350302'],
      [chengxiang, 'auditor', '350302'],
      [lingchuan, 'county_officer', '350302102'],
      [lingchuan, 'finance_officer', '350302102'],
    ];
    for (const [agent, role, regionCode] of cases) {
      const res = await rejected(() => agent.request('POST', '/api/users', newUser({ role, regionCode })));
      expect(res.statusCode, `${agent.username} → ${role}`).toBe(400);
      expect(fieldPaths(res)).toEqual(['role']);
      expect(res.json().error.fields[0].message).toBe('不能授予高于自己的角色');
    }
  });

  it('binds a role only at its level: 400 on regionCode', async () => {
    const cases: [string, string][] = [
      ['township_officer', '350302102201'], // a village
      ['grid_worker', '350302102'],
      ['county_officer', '350302102'],
      ['auditor', '350302'],
    ];
    for (const [role, regionCode] of cases) {
      const res = await rejected(() => admin.request('POST', '/api/users', newUser({ role, regionCode })));
      expect(res.statusCode, `${role} @ ${regionCode}`).toBe(400);
      expect(fieldPaths(res)).toEqual(['regionCode']);
    }
    const en = await admin.request('POST', '/api/users', newUser({ role: 'township_officer' }), {
      'accept-language': 'en',
    });
    expect(en.json().error.fields[0].message).toBe('This role can only be bound to a township region');
  });

  it('refuses a well-formed region code that does not exist: 400 on regionCode', async () => {
    for (const [agent, regionCode] of [
      [admin, '350302199'],
      [chengxiang, '350302199'],
      [admin, '350399'],
    ] as const) {
      const role = regionCode.length === 9 ? 'township_officer' : 'county_officer';
      const res = await rejected(() => agent.request('POST', '/api/users', newUser({ role, regionCode })));
      expect(res.statusCode).toBe(400);
      expect(fieldPaths(res)).toEqual(['regionCode']);
      expect(res.json().error.fields[0].message).toBe('区划代码不存在');
    }
  });

  it('refuses a region outside one’s own with 403', async () => {
    const cases: [Agent, string, string][] = [
      [chengxiang, 'township_officer', '350303105'],
      [lingchuan, 'grid_worker', '350303105201'],
      [lingchuan, 'grid_worker', '350302103201'], // a village of a neighbouring township of the same county
      [lingchuan, 'grid_worker', '359901001001'], // another city (not even loaded)
    ];
    for (const [agent, role, regionCode] of cases) {
      const res = await rejected(() => agent.request('POST', '/api/users', newUser({ role, regionCode })));
      expect(res.statusCode, `${agent.username} @ ${regionCode}`).toBe(403);
      expect(res.json().error).toEqual({ code: 'FORBIDDEN', message: '超出您的管辖区域' });
    }
  });

  it('lets a county officer create within the county, and a township officer grid workers but never a peer', async () => {
    await audited('user.create', () =>
      chengxiang.request('POST', '/api/users', newUser({ role: 'finance_officer', regionCode: '350302' })),
    );
    const peer = await lingchuan.request(
      'POST',
      '/api/users',
      newUser({ role: 'township_officer', regionCode: '350302102' }),
    );
    expect(peer.statusCode).toBe(400);
    await audited('user.create', () => lingchuan.request('POST', '/api/users', newUser()));
  });
});

describe('update', () => {
  it('changes the display name, role and region, one audit row each', async () => {
    const u = await create(admin, { role: 'county_officer', regionCode: '350302' });
    const { res, row } = await audited('user.update', () =>
      admin.request('PATCH', `/api/users/${u.id}`, { displayName: '李四' }),
    );
    expect(res.json()).toMatchObject({ displayName: '李四', role: 'county_officer', regionCode: '350302' });
    expect(row.detail).toEqual({ fields: ['displayName'] });

    const agent = await t.login(u.username, u.password);
    const role = await audited('user.update', () =>
      admin.request('PATCH', `/api/users/${u.id}`, { role: 'finance_officer' }),
    );
    expect(role.res.json()).toMatchObject({ role: 'finance_officer' });
    expect(role.row.detail).toEqual({ fields: ['role'], role: 'finance_officer' });
    // A new role takes effect at once: the old session is gone.
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(401);

    const moved = await audited('user.update', () =>
      admin.request('PATCH', `/api/users/${u.id}`, { regionCode: '350303' }),
    );
    expect(moved.res.json()).toMatchObject({ regionCode: '350303', regionName: '涵江区' });
    expect(moved.row.region_code).toBe('350303');
    // Now outside 城厢区: invisible to its county officer.
    expect((await chengxiang.request('GET', `/api/users/${u.id}`)).statusCode).toBe(404);
  });

  it('deactivating ends the user’s sessions (401) and blocks sign-in; reactivating allows it again', async () => {
    const u = await create(chengxiang);
    const agent = await t.login(u.username, u.password);
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(200);
    const { row } = await audited('user.update', () =>
      chengxiang.request('PATCH', `/api/users/${u.id}`, { active: false }),
    );
    expect(row.detail).toEqual({ fields: ['active'], active: false });
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await agent.request('GET', '/api/regions/350302102201')).statusCode).toBe(401);
    const login = await t.anonymous.request('POST', '/api/auth/login', { username: u.username, password: u.password });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.message).toBe('账号已停用，请联系管理员');

    await audited('user.update', () => chengxiang.request('PATCH', `/api/users/${u.id}`, { active: true }));
    // Reactivation does not revive the old session: it was ended, not just suspended.
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(401);
    await t.login(u.username, u.password);
  });

  it('refuses to deactivate, re-role or move oneself with 409, and writes nothing', async () => {
    for (const [agent, username] of [
      [admin, 'admin'],
      [chengxiang, 'chengxiang'],
    ] as const) {
      const me = (await agent.request('GET', '/api/auth/me')).json().user;
      expect(me.username).toBe(username);
      const elsewhere = me.regionCode === '350302' ? '350303' : '350302';
      for (const body of [{ active: false }, { role: 'grid_worker' }, { regionCode: elsewhere }]) {
        const res = await rejected(() => agent.request('PATCH', `/api/users/${me.id}`, body));
        expect(res.statusCode, `${username} ${JSON.stringify(body)}`).toBe(409);
        expect(res.json().error).toEqual({ code: 'CONFLICT', message: '不能修改自己的角色、区划或停用自己' });
      }
      expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(200);
    }
    // Renaming oneself is fine.
    const me = (await chengxiang.request('GET', '/api/auth/me')).json().user;
    await audited('user.update', () =>
      chengxiang.request('PATCH', `/api/users/${me.id}`, { displayName: '城厢区民政局（改名）' }),
    );
  });

  it('a form sent back unchanged changes nothing: no audit row, no session ended, even for oneself', async () => {
    const u = await create(chengxiang, { role: 'township_officer', regionCode: '350302102' });
    const agent = await t.login(u.username, u.password);
    const read = (await chengxiang.request('GET', `/api/users/${u.id}`)).json();
    const same = { displayName: read.displayName, role: read.role, regionCode: read.regionCode, active: read.active };
    const res = await rejected(() => chengxiang.request('PATCH', `/api/users/${u.id}`, same));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(read);
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(200);
    // Only the one field that differs is recorded.
    const { row } = await audited('user.update', () =>
      chengxiang.request('PATCH', `/api/users/${u.id}`, { ...same, displayName: '王五' }),
    );
    expect(row.detail).toEqual({ fields: ['displayName'] });
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(200);
    // One's own form, role and region as they are, is no self-change.
    const me = (await chengxiang.request('GET', '/api/auth/me')).json().user;
    const self = await rejected(() =>
      chengxiang.request('PATCH', `/api/users/${me.id}`, { role: me.role, regionCode: me.regionCode, active: true }),
    );
    expect(self.statusCode).toBe(200);
  });

  it('refuses a role above one’s own, a wrong level, another region, unknown fields and unknown ids, writing nothing', async () => {
    const u = await create(chengxiang, { role: 'township_officer', regionCode: '350302102' });
    const cases: [Record<string, unknown>, number, string[] | null][] = [
      [{ role: 'auditor' }, 400, ['role']],
      [{ role: 'city_admin' }, 400, ['role']],
      [{ role: 'county_officer' }, 400, ['role']], // the county officer's own rank
      [{ regionCode: '350302102201' }, 400, ['regionCode']],
      [{ regionCode: '350302199' }, 400, ['regionCode']],
      [{ regionCode: '350303105' }, 403, null],
      [{ displayName: 'x', passwordHash: 'x', mustChangePassword: false }, 400, ['mustChangePassword', 'passwordHash']],
      [{ displayName: '' }, 400, ['displayName']],
    ];
    for (const [body, status, paths] of cases) {
      const res = await rejected(() => chengxiang.request('PATCH', `/api/users/${u.id}`, body));
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      if (paths) expect(fieldPaths(res), JSON.stringify(body)).toEqual(paths);
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await rejected(() => admin.request('PATCH', `/api/users/${id}`, { displayName: 'x' }));
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual({ code: 'NOT_FOUND', message: '未找到用户' });
    }
    expect((await admin.request('GET', `/api/users/${u.id}`)).json()).toMatchObject({
      role: 'township_officer',
      regionCode: '350302102',
      displayName: u.displayName,
    });
  });
});

describe('reset password and unlock', () => {
  it('resets a password: the old one fails, the new one works and must be changed; sessions end', async () => {
    const u = await create(lingchuan);
    const agent = await t.login(u.username, u.password);
    const { row } = await audited(
      'user.reset_password',
      () => lingchuan.request('POST', `/api/users/${u.id}/password`, { newPassword: 'brand-new-password-2' }),
      ['brand-new-password-2', u.password],
    );
    expect(row).toMatchObject({ entity_id: u.id, region_code: u.regionCode, actor_username: 'lingchuan' });
    expect((await agent.request('GET', '/api/auth/me')).statusCode).toBe(401);
    const old = await t.anonymous.request('POST', '/api/auth/login', { username: u.username, password: u.password });
    expect(old.statusCode).toBe(401);
    const fresh = await t.login(u.username, 'brand-new-password-2', { keepMustChange: true });
    expect((await fresh.request('GET', '/api/auth/me')).json().user.mustChangePassword).toBe(true);
  });

  it('refuses a short, demo or malformed new password and unknown ids, writing nothing', async () => {
    const u = await create(admin);
    for (const [body, path] of [
      [{ newPassword: 'short' }, 'newPassword'],
      [{ newPassword: 'jiuzhu-demo' }, 'newPassword'],
      [{ newPassword: ` ${u.username.toUpperCase()} ` }, 'newPassword'],
      [{ newPassword: `${u.username}2026` }, 'newPassword'],
      [{ newPassword: 'qwertyuiop' }, 'newPassword'],
      [{ newPassword: 'long-enough-1', extra: 1 }, 'extra'],
    ] as const) {
      const res = await rejected(() => admin.request('POST', `/api/users/${u.id}/password`, body));
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fieldPaths(res)).toEqual([path]);
    }
    const missing = await rejected(() =>
      admin.request('POST', '/api/users/00000000-0000-4000-8000-000000000000/password', {
        newPassword: 'long-enough-1',
      }),
    );
    expect(missing.statusCode).toBe(404);
    await t.login(u.username, u.password);
  });

  it('unlocks a locked account (one user.unlock row) so it can sign in again', async () => {
    const u = await create(chengxiang);
    for (let i = 0; i < 5; i++)
      await t.anonymous.request('POST', '/api/auth/login', { username: u.username, password: `wrong-password-${i}` });
    const locked = await t.anonymous.request('POST', '/api/auth/login', { username: u.username, password: u.password });
    expect(locked.statusCode).toBe(423);
    expect((await chengxiang.request('GET', `/api/users/${u.id}`)).json().lockedUntil).not.toBeNull();
    const { row } = await audited('user.unlock', () => chengxiang.request('POST', `/api/users/${u.id}/unlock`));
    expect(row).toMatchObject({ entity_id: u.id, actor_username: 'chengxiang' });
    expect((await chengxiang.request('GET', `/api/users/${u.id}`)).json().lockedUntil).toBeNull();
    await t.login(u.username, u.password);
  });
});

describe('list', () => {
  it('filters by text, role and region, and pages with a total', async () => {
    const byQ = (await admin.request('GET', `/api/users?q=${encodeURIComponent('灵川镇')}`)).json();
    expect(byQ.items.map((u: { username: string }) => u.username)).toContain('lingchuan');
    for (const u of byQ.items) expect(`${u.username} ${u.displayName}`).toContain('灵川镇');
    expect((await admin.request('GET', '/api/users?q=qiul')).json()).toMatchObject({
      total: 1,
      items: [{ username: 'qiulu' }],
    });
    // LIKE wildcards in q are literal.
    expect((await admin.request('GET', '/api/users?q=%25')).json()).toEqual({ items: [], total: 0 });
    expect((await admin.request('GET', '/api/users?q=_')).json().items.length).toBe(0);

    const byRole = (await admin.request('GET', '/api/users?role=township_officer&pageSize=200')).json();
    expect(byRole.items.map((u: { username: string }) => u.username)).toEqual(
      expect.arrayContaining(['lingchuan', 'qiulu']),
    );
    for (const u of byRole.items) expect(u.role).toBe('township_officer');

    const byRegion = (await admin.request('GET', '/api/users?regionCode=350303&pageSize=200')).json();
    expect(byRegion.items.map((u: { username: string }) => u.username)).toContain('qiulu');
    for (const u of byRegion.items) expect(u.regionCode.startsWith('350303')).toBe(true);

    const total = await count('users');
    const all = (await admin.request('GET', '/api/users?pageSize=200')).json();
    expect(all.total).toBe(total);
    const pages = [];
    for (let page = 1; page <= Math.ceil(total / 3); page++) {
      const res = (await admin.request('GET', `/api/users?pageSize=3&page=${page}`)).json();
      expect(res.total).toBe(total);
      pages.push(...res.items.map((u: { id: string }) => u.id));
    }
    expect(pages).toEqual(all.items.map((u: { id: string }) => u.id));
    expect((await admin.request('GET', `/api/users?pageSize=3&page=${Math.ceil(total / 3) + 1}`)).json()).toEqual({
      items: [],
      total,
    });
  });

  it('filters by status (active, inactive, locked now) and sorts by a named key', async () => {
    const u = await create(admin, { role: 'county_officer', regionCode: '350302' });
    await admin.request('PATCH', `/api/users/${u.id}`, { active: false });
    const names = async (query: string) =>
      (await admin.request('GET', `/api/users?pageSize=200&${query}`))
        .json()
        .items.map((x: { username: string }) => x.username);
    expect(await names('status=inactive')).toContain(u.username);
    expect(await names('status=active')).not.toContain(u.username);
    expect(await names('status=active')).toContain('lingchuan');
    await t.database.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 600_000) })
      .where('username', '=', 'qiulu')
      .execute();
    expect(await names('status=locked')).toEqual(['qiulu']);
    await t.database.db.updateTable('users').set({ locked_until: null }).where('username', '=', 'qiulu').execute();
    const desc = await names('sort=username&order=desc');
    expect(desc).toEqual([...desc].sort().reverse());
    expect((await admin.request('GET', '/api/users?sort=password_hash')).statusCode).toBe(400);
  });

  it('lists only the caller’s region', async () => {
    const mine = (await lingchuan.request('GET', '/api/users?pageSize=200')).json();
    expect(mine.total).toBeGreaterThan(0);
    for (const u of mine.items) expect(u.regionCode.startsWith('350302102')).toBe(true);
    expect(mine.items.map((u: { username: string }) => u.username)).not.toContain('qiulu');
  });

  it('rejects bad filters with 400 on the query field', async () => {
    for (const [url, path] of [
      ['/api/users?role=boss', 'query.role'],
      ['/api/users?regionCode=35', 'query.regionCode'],
      ['/api/users?pageSize=1000', 'query.pageSize'],
      ['/api/users?page=0', 'query.page'],
      ['/api/users?sort=password_hash', 'query.sort'],
      ['/api/users?status=deleted', 'query.status'],
    ] as const) {
      const res = await admin.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(fieldPaths(res), url).toEqual([path]);
    }
  });
});
