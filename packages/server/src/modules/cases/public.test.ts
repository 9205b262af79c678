/**
 * The public (no-login) API through HTTP: a citizen's application dispatched to its village,
 * duplicates refused without naming the other case, rate limits, progress behind a one-time
 * code read from the SMS log sender, and a notice board that carries no ID number, phone or
 * address.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, type ApplicationInput } from '@jiuzhu/shared';
import { maskAddress, maskPhone } from '../../crypto/index';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import type { CaseDeps } from './service';
import { LogSmsSender, type SmsMessage } from '../../sms/sms';
import { applicationInput, driveCase } from '../../demo/case-driver';
import { PROGRESS_CODE_ATTEMPTS } from './public';

const RATE_LIMIT = 5;
const VILLAGE = '350302102201'; // 云庄村, 灵川镇 (lingchuan's township)

let t: TestApp;
let deps: CaseDeps;
let lingchuan: Agent;
let qiulu: Agent;
const sent: SmsMessage[] = [];
const tap = (m: SmsMessage) => sent.push(m);

// Every request comes from its own address unless a test says otherwise, so limits do not interfere.
let ipSeq = 0;
const nextIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
const call = (method: 'GET' | 'POST', url: string, body?: unknown, ip = nextIp()) =>
  t.anonymous.request(method, url, body, { 'x-forwarded-for': ip });

beforeAll(async () => {
  t = await createTestApp({ JIUZHU_PUBLIC_RATE_LIMIT: String(RATE_LIMIT) });
  deps = { db: t.database.db, protector: t.app.deps.protector, config: t.config };
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
  LogSmsSender.taps.add(tap);
}, 60_000);
afterAll(async () => {
  LogSmsSender.taps.delete(tap);
  await t?.close();
});
afterEach(() => {
  sent.length = 0;
});

async function apply(input: ApplicationInput): Promise<{ caseNo: string; id: string }> {
  const res = await call('POST', '/api/public/applications', input);
  expect(res.statusCode, res.body).toBe(201);
  const { caseNo } = res.json() as { caseNo: string };
  const row = await t.database.db
    .selectFrom('cases')
    .select('id')
    .where('case_no', '=', caseNo)
    .executeTakeFirstOrThrow();
  return { caseNo, id: row.id };
}

/** Asks for a code and returns the one the log sender wrote. */
async function codeFor(caseNo: string, phone: string): Promise<string> {
  sent.length = 0;
  const res = await call('POST', '/api/public/progress/code', { caseNo, phone });
  expect(res.statusCode).toBe(202);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.to).toBe(phone);
  expect(sent[0]!.text).toContain(sent[0]!.meta.code);
  return sent[0]!.meta.code!;
}

/** Lets a new code be asked for at once (the resend pause is a minute). */
async function forgetRecentCodes(caseId: string) {
  await t.database.db
    .updateTable('case_progress_codes')
    .set({ created_at: new Date(Date.now() - 120_000) })
    .where('case_id', '=', caseId)
    .execute();
}

describe('citizen applications', () => {
  it('creates a case dispatched to its village: seen by that township, not another', async () => {
    const input = applicationInput(VILLAGE);
    const res = await call('POST', '/api/public/applications', input);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { caseNo: string; status: string };
    expect(Object.keys(body).sort()).toEqual(['caseNo', 'status']);
    expect(body).toMatchObject({ caseNo: expect.stringMatching(/^SQ\d{10}$/), status: 'submitted' });
    const row = await t.database.db
      .selectFrom('cases')
      .select(['id', 'channel', 'region_code', 'created_by'])
      .where('case_no', '=', body.caseNo)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'citizen', region_code: VILLAGE, created_by: 'citizen' });
    const seen = await lingchuan.request('GET', `/api/cases/${row.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ caseNo: body.caseNo, channel: 'citizen', regionCode: VILLAGE });
    expect((await qiulu.request('GET', `/api/cases/${row.id}`)).statusCode).toBe(404);
  });

  it('checks the form like the staff entry (400 with field paths) and requires consent', async () => {
    const input = applicationInput(VILLAGE);
    const bad = { ...input, members: [{ ...input.members[0]!, idNumber: '350302199001011234' }] };
    const res = await call('POST', '/api/public/applications', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain('members.0.idNumber');
    const noConsent = await call('POST', '/api/public/applications', { ...input, consent: false });
    expect(noConsent.statusCode).toBe(400);
    const unknownField = await call('POST', '/api/public/applications', { ...input, leadId: crypto.randomUUID() });
    expect(unknownField.statusCode).toBe(400);
  });

  it('answers a second application for the same people like any other, and marks it for the township', async () => {
    const input = applicationInput(VILLAGE);
    const first = await apply(input);
    const again = { ...applicationInput(VILLAGE), members: [input.members[0]!] };
    const res = await call('POST', '/api/public/applications', again);
    // The same answer as a new application: the public form tells no one who is on assistance.
    expect(res.statusCode, res.body).toBe(201);
    expect(Object.keys(res.json()).sort()).toEqual(['caseNo', 'status']);
    expect(res.json().status).toBe('submitted');
    expect(res.body).not.toContain(first.caseNo);
    // The township sees what it duplicates, in the first action of the new case.
    const row = await t.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_no', '=', res.json().caseNo)
      .executeTakeFirstOrThrow();
    const seen = await lingchuan.request('GET', `/api/cases/${row.id}`);
    expect(seen.json().actions[0].data).toMatchObject({ duplicateOf: `case:${first.caseNo}` });
    // The staff window is still refused, with the link to the case.
    const staff = await lingchuan.request('POST', '/api/cases', again);
    expect(staff.statusCode).toBe(409);
    expect(staff.json().error.details).toMatchObject({ caseNo: first.caseNo });
  });
});

describe('rate limits', () => {
  it('answers 429 after the configured number of requests per minute from one address', async () => {
    const ip = '10.250.0.1';
    for (let i = 0; i < RATE_LIMIT; i++)
      expect(
        (await call('POST', '/api/public/progress/code', { caseNo: 'SQ2026999999', phone: '13800000000' }, ip))
          .statusCode,
      ).toBe(202);
    const limited = await call(
      'POST',
      '/api/public/progress/code',
      { caseNo: 'SQ2026999999', phone: '13800000000' },
      ip,
    );
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    // Another address is not affected; nor is another route from the same address.
    expect(
      (await call('POST', '/api/public/progress/code', { caseNo: 'SQ2026999999', phone: '13800000000' })).statusCode,
    ).toBe(202);
    expect((await call('GET', '/api/public/notices', undefined, ip)).statusCode).toBe(200);
    const applications = '10.250.0.2';
    for (let i = 0; i < RATE_LIMIT; i++)
      await call('POST', '/api/public/applications', { ...applicationInput(VILLAGE), consent: false }, applications);
    expect((await call('POST', '/api/public/applications', applicationInput(VILLAGE), applications)).statusCode).toBe(
      429,
    );
  });

  it('believes X-Forwarded-For only from a trusted proxy: a direct client cannot dodge the limit', async () => {
    const direct = (n: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/public/progress/code',
        payload: { caseNo: 'SQ2026999999', phone: '13800000000' },
        remoteAddress: '203.0.113.7',
        headers: { 'x-forwarded-for': `198.51.100.${n}` },
      });
    for (let i = 0; i < RATE_LIMIT; i++) expect((await direct(i)).statusCode).toBe(202);
    expect((await direct(RATE_LIMIT)).statusCode).toBe(429);
  });
});

describe('progress by one-time code', () => {
  it('sends a code only to the application’s phone, and answers 202 alike otherwise', async () => {
    const input = applicationInput(VILLAGE, { phone: '13912345678' });
    const { caseNo } = await apply(input);
    for (const body of [
      { caseNo, phone: '13900000000' },
      { caseNo: 'SQ2000000001', phone: input.phone },
    ]) {
      const res = await call('POST', '/api/public/progress/code', body);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ sent: true });
    }
    expect(sent).toHaveLength(0);
    const code = await codeFor(caseNo, input.phone);
    expect(code).toMatch(/^\d{6}$/);
    const stored = await t.database.db.selectFrom('case_progress_codes').select('code_hash').execute();
    expect(JSON.stringify(stored)).not.toContain(code);
    // Asked again within the minute: no second message.
    sent.length = 0;
    await call('POST', '/api/public/progress/code', { caseNo, phone: input.phone });
    expect(sent).toHaveLength(0);
  });

  it('shows the progress for the right code once; wrong codes count and fail', async () => {
    const input = applicationInput(VILLAGE, { phone: '13712345678' });
    const { caseNo, id } = await apply(input);
    await driveCase(deps, id, 'accepted');
    const code = await codeFor(caseNo, input.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await call('POST', '/api/public/progress', { caseNo, code: wrong });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toBe('验证码错误或已失效，请重新获取');
    const counted = await t.database.db
      .selectFrom('case_progress_codes')
      .select('attempts')
      .where('case_id', '=', id)
      .execute();
    expect(counted.map((r) => r.attempts)).toEqual([1]);
    // An unknown case number answers like a wrong code.
    const unknown = await call('POST', '/api/public/progress', { caseNo: 'SQ2000000001', code });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(bad.json().error.message);

    const ok = await call('POST', '/api/public/progress', { caseNo: caseNo.toLowerCase(), code });
    expect(ok.statusCode, ok.body).toBe(200);
    const progress = ok.json();
    expect(progress).toMatchObject({ caseNo, status: 'accepted', missingDocuments: [], enrolledFrom: null });
    expect(progress.steps.map((s: { action: string; toStatus: string }) => [s.action, s.toStatus])).toEqual([
      ['submit', 'submitted'],
      ['accept', 'accepted'],
    ]);
    expect(progress.steps[0].on).toBe(progress.submittedOn);
    // No staff names, no personal data.
    for (const s of [
      'test.township_officer',
      input.phone,
      input.address,
      input.members[0]!.idNumber,
      input.members[0]!.name,
    ])
      expect(ok.body).not.toContain(s);
    // Used: the same code does not work twice.
    const reused = await call('POST', '/api/public/progress', { caseNo, code });
    expect(reused.statusCode).toBe(401);
  });

  it('refuses an expired code, and any code after too many attempts', async () => {
    const input = applicationInput(VILLAGE, { phone: '13612345678' });
    const { caseNo, id } = await apply(input);
    const first = await codeFor(caseNo, input.phone);
    await t.database.db
      .updateTable('case_progress_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('case_id', '=', id)
      .execute();
    const expired = await call('POST', '/api/public/progress', { caseNo, code: first });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toBe('验证码已过期，请重新获取');

    await forgetRecentCodes(id);
    const code = await codeFor(caseNo, input.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const statuses: string[] = [];
    for (let i = 0; i < PROGRESS_CODE_ATTEMPTS; i++)
      statuses.push((await call('POST', '/api/public/progress', { caseNo, code: wrong })).json().error.message);
    expect(statuses.at(-1)).toBe('验证码输入错误次数过多，请重新获取');
    const late = await call('POST', '/api/public/progress', { caseNo, code });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.message).toBe('验证码输入错误次数过多，请重新获取');
    // A new code works again.
    await forgetRecentCodes(id);
    const fresh = await codeFor(caseNo, input.phone);
    expect((await call('POST', '/api/public/progress', { caseNo, code: fresh })).statusCode).toBe(200);
  });

  it('answers in English on Accept-Language: en', async () => {
    const res = await t.anonymous.request(
      'POST',
      '/api/public/progress',
      { caseNo: 'SQ2000000001', code: '123456' },
      { 'x-forwarded-for': nextIp(), 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('The code is wrong or no longer valid; ask for a new one');
  });
});

describe('notice board', () => {
  it('lists open notices with only name, members, kinds, amount and places; no ID number, phone or address', async () => {
    const input = applicationInput(VILLAGE, { phone: '13512345678', address: '云庄村七组88号之三' }, 3);
    const { id } = await apply(input);
    await driveCase(deps, id, 'notice', {
      kinds: [{ kind: 'dibao', monthlyAmountFen: 123_400, oneOffAmountFen: 0 }],
    });
    const res = await call('GET', '/api/public/notices');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    const mine = items.filter((i) => i.name === input.members[0]!.name && i.monthlyAmountFen === 123_400);
    expect(mine).toEqual([
      {
        villageCode: VILLAGE,
        villageName: '云庄村委会',
        townshipName: '灵川镇',
        name: input.members[0]!.name,
        members: 3,
        kinds: ['dibao'],
        monthlyAmountFen: 123_400,
        oneOffAmountFen: 0,
        publishedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        endsOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
    // Temporary assistance is paid once: the board shows the one-off amount.
    const once = applicationInput(VILLAGE, {}, 1);
    once.members[0]!.name = '郑临时';
    const temporary = await apply(once);
    await driveCase(deps, temporary.id, 'notice', {
      kinds: [{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 150_000 }],
    });
    const board = (await call('GET', `/api/public/notices?region=${VILLAGE}`)).json().items as Record<
      string,
      unknown
    >[];
    expect(board.find((i) => i.name === '郑临时')).toMatchObject({
      kinds: ['temporary'],
      monthlyAmountFen: 0,
      oneOffAmountFen: 150_000,
    });
    const forbidden = [
      ...input.members.flatMap((m) => [
        m.idNumber,
        maskIdNumber(m.idNumber),
        m.idNumber.slice(0, 6) + m.idNumber.slice(6, 14),
      ]),
      input.phone,
      maskPhone(input.phone),
      input.address,
      maskAddress(input.address),
      '七组',
      id,
    ];
    for (const s of forbidden) expect(res.body, s).not.toContain(s);

    // By region: the township shows it, another county does not.
    const township = await call('GET', '/api/public/notices?region=350302102');
    expect(township.json().items).toEqual(expect.arrayContaining(mine));
    const elsewhere = await call('GET', '/api/public/notices?region=350303');
    expect(elsewhere.json().items).toEqual([]);
    expect((await call('GET', '/api/public/notices?region=abc')).statusCode).toBe(400);
  });
});
