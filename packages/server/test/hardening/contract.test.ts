import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../harness';

/** Defects 4 and 6 of the security test: control characters and impossible dates are 400s naming the field. */
let t: TestApp;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

function expectField(res: { statusCode: number; json(): unknown }, path: string) {
  expect(res.statusCode).toBe(400);
  const body = res.json() as { error: { code: string; fields?: { path: string; message: string }[] } };
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(body.error.fields?.map((f) => f.path)).toContain(path);
  return body.error.fields!.find((f) => f.path === path)!.message;
}

describe('control characters', () => {
  it('refuses NUL in the anonymous login, progress code and progress bodies', async () => {
    const login = await t.anonymous.request('POST', '/api/auth/login', { username: 'ad\u0000min', password: 'x' });
    expect(expectField(login, 'username')).toBe('不能包含控制字符（制表符和换行除外）');
    const code = await t.anonymous.request('POST', '/api/public/progress/code', {
      caseNo: 'A\u0000',
      phone: '13800000000',
    });
    expectField(code, 'caseNo');
    const progress = await t.anonymous.request('POST', '/api/public/progress', { caseNo: 'A\u0000', code: '123456' });
    expectField(progress, 'caseNo');
  });

  it('names the field in the caller language, in queries and nested bodies too', async () => {
    const res = await admin.request('GET', '/api/audit?actor=a%01b', undefined, { 'accept-language': 'en-US' });
    expect(expectField(res, 'query.actor')).toBe('Must not contain control characters (other than tab and newline)');
    const bell = await admin.request('POST', '/api/users', {
      username: 'newuser',
      displayName: 'x\u0007y',
      role: 'grid_worker',
      regionCode: '350302102001',
      password: 'Correct-Horse-Battery-9',
    });
    expectField(bell, 'displayName');
  });

  it('keeps tab and newline in free text', async () => {
    const res = await admin.request('GET', '/api/audit?actor=a%09b%0Ac');
    expect(res.statusCode).toBe(200);
  });
});

describe('calendar dates', () => {
  it.each(['0000-00-00', '2026-13-01', '2026-02-30', '2025-02-29'])('refuses the audit date %s', async (d) => {
    const res = await admin.request('GET', `/api/audit?from=${d}`);
    expectField(res, 'query.from');
  });

  it('accepts a leap day', async () => {
    expect((await admin.request('GET', '/api/audit?from=2024-02-29')).statusCode).toBe(200);
  });

  it('refuses a feed upload dated 2026-02-30, and a feed upload sent as plain text', async () => {
    const res = await admin.request('POST', '/api/feeds/upload?kind=public_security.deaths&asOf=2026-02-30', 'a,b\n', {
      'content-type': 'text/csv',
    });
    expectField(res, 'query.asOf');
    const plain = await admin.request('POST', '/api/feeds/upload?kind=public_security.deaths', 'a,b\n', {
      'content-type': 'text/plain',
    });
    expect(plain.statusCode).toBe(415);
    expect(plain.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('refuses month 13 in the calendar', async () => {
    expectField(await admin.request('GET', '/api/calendar/month?month=2026-13'), 'query.month');
  });
});

describe('failed feed uploads (defect 5)', () => {
  const cases: [string, string, Buffer][] = [
    ['a corrupt XLSX', 'tax.income', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(4000, 7)])],
    [
      'a binary file as CSV',
      'public_security.deaths',
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256)),
    ],
    ['a JSON Lines file with a NUL', 'public_security.detentions', Buffer.from('{"a":"x\\u0000y"}\n')],
  ];
  it.each(cases)(
    'closes the batch as failed with a reason for %s, and again on re-upload',
    async (_what, kind, bytes) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await admin.request('POST', `/api/feeds/upload?kind=${kind}`, bytes, {
          'content-type': 'application/octet-stream',
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) {
          const body = res.json();
          if (body.status === 'failed') expect(body.failure.reason).toEqual(expect.any(String));
        }
      }
      const loading = await t.database.db
        .selectFrom('feed_batches')
        .select('id')
        .where('status', '=', 'loading')
        .execute();
      expect(loading).toEqual([]);
    },
  );
});
