import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationInput } from '../../src/demo/case-driver';
import { createTestApp, type Agent, type TestApp } from '../harness';

/** Defects 7, 10, 11, 12, 13, 14 of the security test, through HTTP on a real database. */
const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
let t: TestApp;
let admin: Agent;
let lingchuan: Agent;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
});
afterAll(() => t?.close());

describe('authorization before validation', () => {
  it('answers 401 to an anonymous caller with a malformed body, without naming fields', async () => {
    const res = await t.anonymous.request('POST', '/api/users', { nonsense: 1 });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    expect(res.json().error.fields).toBeUndefined();
  });

  it('answers 403 to a role without access, before validation', async () => {
    const res = await lingchuan.request('PUT', '/api/calendar/overrides/2026-01-05', { nonsense: 1 });
    expect(res.statusCode).toBe(403);
  });
});

describe('error bodies of the HTTP layer', () => {
  it('answers invalid percent-encoding in the contract, without echoing the path', async () => {
    const res = await t.anonymous.request('GET', '/api/households/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect(res.body).not.toContain('%E0');
  });

  it('answers an over-long URL with 431 in the contract', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/api/health?x=${'a'.repeat(20_000)}` }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
  });
});

describe('security headers', () => {
  it('sets CSP without inline script, no framing, nosniff, no referrer and no-store on API answers', async () => {
    const res = await admin.request('GET', '/api/auth/me');
    const csp = String(res.headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)![1]!;
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    // HSTS only in production (served over HTTPS there).
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('OpenAPI in production', () => {
  it('is off unless configured', async () => {
    const prod = await createTestApp({}, { apiDocs: false });
    try {
      expect((await prod.anonymous.request('GET', '/api/openapi.json')).statusCode).toBe(404);
      expect((await prod.anonymous.request('GET', '/api/docs')).statusCode).toBe(404);
    } finally {
      await prod.close();
    }
    expect((await t.anonymous.request('GET', '/api/openapi.json')).statusCode).toBe(200);
  });
});

describe('a password someone else set', () => {
  it('allows only the password change, who-am-I and logout until changed', async () => {
    const created = await admin.request('POST', '/api/users', {
      username: 'newclerk',
      displayName: '新经办人',
      role: 'township_officer',
      regionCode: '350302102',
      password: 'Initial-Pass-4471',
    });
    expect(created.statusCode, created.body).toBe(201);
    const clerk = await t.login('newclerk', 'Initial-Pass-4471', { keepMustChange: true });
    const blocked = await clerk.request('GET', '/api/households');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await clerk.request('GET', '/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const changed = await clerk.request('POST', '/api/auth/password', {
      currentPassword: 'Initial-Pass-4471',
      newPassword: 'Clerk-Own-Choice-8812',
    });
    expect(changed.statusCode, changed.body).toBeLessThan(300);
    expect((await clerk.request('GET', '/api/households')).statusCode).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  it('replays the same request and refuses another request with the same key (422)', async () => {
    const input = applicationInput(YUNZHUANG);
    const key = { 'idempotency-key': 'hardening-key-1' };
    const a = await lingchuan.request('POST', '/api/cases', input, key);
    const b = await lingchuan.request('POST', '/api/cases', input, key);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().id).toBe(a.json().id);
    const before = await t.database.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    const other = await lingchuan.request('POST', '/api/cases', applicationInput(YUNZHUANG), key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
    const after = await t.database.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(after).toEqual(before);
  });

  it('lets a corrected retry use the key of a request that failed', async () => {
    const key = { 'idempotency-key': 'hardening-key-2' };
    const bad = await lingchuan.request('POST', '/api/cases', { ...applicationInput(YUNZHUANG), consent: false }, key);
    expect(bad.statusCode).toBe(400);
    const good = await lingchuan.request('POST', '/api/cases', applicationInput(YUNZHUANG), key);
    expect(good.statusCode).toBe(201);
  });
});
