import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

async function auditCount() {
  const r = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('login', () => {
  it('signs in a demo account and returns its profile with an httpOnly SameSite cookie', async () => {
    const res = await t.anonymous.request('POST', '/api/auth/login', {
      username: 'lingchuan',
      password: 'jiuzhu-demo',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      username: 'lingchuan',
      role: 'township_officer',
      regionCode: '350302102',
      regionName: '灵川镇',
      mustChangePassword: true,
    });
    const cookie = res.cookies.find((c) => c.name === 'jz_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const me = await t.anonymous.request('GET', '/api/auth/me', undefined, { cookie: `jz_session=${cookie.value}` });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('lingchuan');
  });

  it('answers 401 with the same message for an unknown user and a wrong password', async () => {
    const a = await t.anonymous.request('POST', '/api/auth/login', { username: 'nobody', password: 'whatever-123' });
    const b = await t.anonymous.request('POST', '/api/auth/login', { username: 'qiulu', password: 'wrong-password' });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json().error).toEqual({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    await t.login('qiulu'); // a success resets the counter
  });

  it('speaks English on Accept-Language: en', async () => {
    const res = await t.anonymous.request(
      'POST',
      '/api/auth/login',
      { username: 'nobody', password: 'x' },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(res.json().error.message).toBe('Wrong username or password');
  });

  it('rejects malformed JSON and unknown fields with 400 and writes nothing', async () => {
    const before = await auditCount();
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
    const extra = await t.anonymous.request('POST', '/api/auth/login', {
      username: 'admin',
      password: 'jiuzhu-demo',
      role: 'city_admin',
      nested: { a: 1 },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      extra
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['nested', 'role']);
    expect(await auditCount()).toBe(before);
  });

  const loginFrom = (ip: string, username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  it('locks an account name after 5 failed logins from one address for 15 minutes, even for the right password; not from elsewhere', async () => {
    for (let i = 1; i <= 4; i++) expect((await loginFrom('10.0.0.1', 'chengxiang', `wrong-${i}`)).statusCode).toBe(401);
    const fifth = await loginFrom('10.0.0.1', 'chengxiang', 'wrong-5');
    expect(fifth.statusCode).toBe(423);
    const err = fifth.json().error;
    expect(err.code).toBe('ACCOUNT_LOCKED');
    const until = new Date(err.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(err.message).toMatch(/账号已锁定，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 后再试/);
    expect((await loginFrom('10.0.0.1', 'chengxiang', 'jiuzhu-demo')).statusCode).toBe(423);
    // An administrator of the region sees the lock.
    const admin = await t.login('admin');
    const users = (await admin.request('GET', '/api/users?q=chengxiang')).json();
    expect(users.items[0].lockedUntil).not.toBeNull();
    // Whoever failed from 10.0.0.1 did not lock the owner out at the office.
    expect((await loginFrom('10.0.0.2', 'chengxiang', 'jiuzhu-demo')).statusCode).toBe(200);
    expect((await loginFrom('10.0.0.1', 'chengxiang', 'jiuzhu-demo')).statusCode).toBe(423);
    // The administrator lifts it.
    expect((await admin.request('POST', `/api/users/${users.items[0].id}/unlock`)).statusCode).toBe(204);
    expect((await loginFrom('10.0.0.1', 'chengxiang', 'jiuzhu-demo')).statusCode).toBe(200);
    const trail = (await admin.request('GET', '/api/audit?action=auth.account_locked')).json();
    expect(trail.items.length).toBeGreaterThanOrEqual(1);
  });

  it('backs off exponentially: each failure past the limit doubles the lock', async () => {
    const { db } = t.database;
    const lockMinutes = async () => {
      const row = await db
        .selectFrom('login_throttle')
        .select('locked_until')
        .where('key', '=', 'account:qiulu|10.0.1.1')
        .executeTakeFirstOrThrow();
      return Math.round((row.locked_until!.getTime() - Date.now()) / 60_000);
    };
    for (let i = 1; i <= 5; i++) await loginFrom('10.0.1.1', 'qiulu', `wrong-${i}`);
    expect(await lockMinutes()).toBe(15);
    // The lock runs out (moved into the past here); the next failure locks for twice as long.
    const expire = () =>
      db
        .updateTable('login_throttle')
        .set({ locked_until: new Date(Date.now() - 1000) })
        .where('key', '=', 'account:qiulu|10.0.1.1')
        .execute();
    await expire();
    expect((await loginFrom('10.0.1.1', 'qiulu', 'wrong-6')).statusCode).toBe(423);
    expect(await lockMinutes()).toBe(30);
    await expire();
    await loginFrom('10.0.1.1', 'qiulu', 'wrong-7');
    expect(await lockMinutes()).toBe(60);
  });

  it('answers an unknown account exactly as a known one: 401 then the same lock', async () => {
    const known: { status: number; code: string }[] = [];
    const unknown: { status: number; code: string }[] = [];
    for (let i = 1; i <= 6; i++) {
      const a = await loginFrom('10.0.2.1', 'lingchuan', `wrong-${i}`);
      const b = await loginFrom('10.0.2.1', 'nobody-here', `wrong-${i}`);
      known.push({ status: a.statusCode, code: a.json().error.code });
      unknown.push({ status: b.statusCode, code: b.json().error.code });
      expect(b.json().error.message).toBe(a.json().error.message);
    }
    expect(unknown).toEqual(known);
    expect(known.map((k) => k.status)).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('locks an address that tries many account names', async () => {
    let last = 0;
    for (let i = 1; i <= 30; i++) last = (await loginFrom('10.0.3.1', `guess-${i}`, 'jiuzhu-demo')).statusCode;
    expect(last).toBe(423);
    // The address is locked for every name, a real one with its right password included.
    expect((await loginFrom('10.0.3.1', 'lingchuan', 'jiuzhu-demo')).statusCode).toBe(423);
    expect((await loginFrom('10.0.3.2', 'lingchuan', 'jiuzhu-demo')).statusCode).toBe(200);
  });

  it('logs out: the cookie no longer works', async () => {
    const a = await t.login('qiulu');
    expect((await a.request('GET', '/api/auth/session')).json().user.username).toBe('qiulu');
    expect((await a.request('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await a.request('GET', '/api/auth/me')).statusCode).toBe(401);
    // The session probe answers null, not 401, once signed out.
    const probe = await a.request('GET', '/api/auth/session');
    expect(probe.statusCode).toBe(200);
    expect(probe.json()).toEqual({ user: null });
  });

  it('the session probe answers null for nobody and for a malformed cookie, never 401', async () => {
    for (const headers of [
      undefined,
      { cookie: 'jz_session=not%20a%20token' },
      { cookie: `jz_session=${'a'.repeat(40)}` },
    ]) {
      const res = await t.anonymous.request('GET', '/api/auth/session', undefined, headers);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ user: null });
    }
  });

  it('changes one’s own password, refusing a wrong current one and the demo password', async () => {
    const a = await t.login('lingchuan');
    const other = await t.login('lingchuan');
    const wrong = await a.request('POST', '/api/auth/password', {
      currentPassword: 'nope',
      newPassword: 'a-new-password-1',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toEqual([{ path: 'currentPassword', message: '当前密码不正确' }]);
    const short = await a.request('POST', '/api/auth/password', {
      currentPassword: 'jiuzhu-demo',
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields[0].path).toBe('newPassword');
    expect(
      (
        await a.request('POST', '/api/auth/password', {
          currentPassword: 'jiuzhu-demo',
          newPassword: 'a-new-password-1',
        })
      ).statusCode,
    ).toBe(204);
    expect((await a.request('GET', '/api/auth/me')).json().user.mustChangePassword).toBe(false);
    expect((await other.request('GET', '/api/auth/me')).statusCode).toBe(401);
    await t.login('lingchuan', 'a-new-password-1');
    const demo = await a.request('POST', '/api/auth/password', {
      currentPassword: 'a-new-password-1',
      newPassword: 'jiuzhu-demo',
    });
    expect(demo.statusCode).toBe(400);
  });

  it('rate-limits login per client', async () => {
    const limited = await createTestApp({ JIUZHU_LOGIN_RATE_LIMIT: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++)
        codes.push(
          (await limited.anonymous.request('POST', '/api/auth/login', { username: 'nobody', password: 'x' }))
            .statusCode,
        );
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
