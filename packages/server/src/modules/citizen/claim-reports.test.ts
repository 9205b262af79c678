/**
 * 报案 from the citizen H5 through HTTP: the reporter's phone confirmed by its one-time code; an
 * insured person gets a claim at the report step (source citizen) that the township and the
 * insurer see; a person not insured (or unknown) is kept as a report to follow up; the citizen's
 * answer is the same either way; progress by report number, phone and code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, makeIdNumber, maskIdNumber, normalizeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { LogSmsSender, type SmsMessage } from '../../sms/sms';
import { insertEnrolments } from '../enrolments/create';
import { demoSchemeInput } from '../insurance/demo-scheme';

const YUNZHUANG = '350302102201';
const today = chinaToday();
let t: TestApp;
let lingchuan: Agent;
let qiulu: Agent;
let insurer: Agent;
const sent: SmsMessage[] = [];
const tap = (m: SmsMessage) => sent.push(m);
let ipSeq = 0;
let phoneSeq = 0;
const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  t.anonymous.request(method, url, body, { 'x-forwarded-for': `10.3.0.${++ipSeq % 250}` });
const nextPhone = () => `137${String(10_000_000 + ++phoneSeq).slice(-8)}`;
const insuredId = makeIdNumber('350302', '1948-02-03', 611);

async function phoneCode(phone: string): Promise<string> {
  // One code a minute per phone: the earlier ones of this test are made a minute old.
  await t.database.db
    .updateTable('citizen_phone_codes')
    .set({ created_at: new Date(Date.now() - 120_000) })
    .execute();
  sent.length = 0;
  expect((await call('POST', '/api/public/phone/code', { phone })).statusCode).toBe(202);
  return sent.find((m) => m.to === phone)!.meta.code!;
}

const report = (over: Record<string, unknown>) => ({
  reporterName: '林建国',
  relation: 'child',
  insuredName: '林阿公',
  insuredIdNumber: insuredId,
  eventDate: today,
  eventKind: 'death_illness',
  description: '老人在家中病故',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({ JIUZHU_PUBLIC_RATE_LIMIT: '1000' });
  LogSmsSender.taps.add(tap);
  const admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
  const made = await admin.request('POST', '/api/users', {
    username: 'ins.report',
    displayName: '保险公司',
    role: 'insurer',
    regionCode: '3503',
    password: 'insurer-pass-1',
  });
  expect(made.statusCode, made.body).toBe(201);
  insurer = await t.login('ins.report', 'insurer-pass-1');
  const scheme = await admin.request('POST', '/api/insurance/schemes', {
    ...demoSchemeInput(Number(today.slice(0, 4))),
    insurerUsers: ['ins.report'],
  });
  expect(scheme.statusCode, scheme.body).toBe(201);
  await t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: null,
          regionCode: YUNZHUANG,
          source: 'seed',
          fromMonth: addMonths(today.slice(0, 7), -3),
          monthlyAmountFen: 60_000,
          members: [
            {
              idHash: t.app.deps.protector.idHash(normalizeIdNumber(insuredId)),
              memberId: null,
              name: '林阿公',
              idMasked: maskIdNumber(insuredId),
              relation: 'head',
            },
          ],
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
}, 60_000);
afterAll(async () => {
  LogSmsSender.taps.delete(tap);
  await t?.close();
});

describe('报案 from the citizen H5', () => {
  it('opens a claim for an insured person and answers a stranger exactly the same', async () => {
    const phone = nextPhone();
    const res = await call('POST', '/api/public/claim-reports', {
      ...report({ reporterPhone: phone }),
      phoneCode: await phoneCode(phone),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { reportNo } = res.json() as { reportNo: string };
    expect(reportNo).toMatch(/^BA\d{8}[0-9A-F]{6}$/);

    const strangerPhone = nextPhone();
    const stranger = await call('POST', '/api/public/claim-reports', {
      ...report({
        reporterPhone: strangerPhone,
        insuredName: '陈某',
        insuredIdNumber: makeIdNumber('350303', '1950-05-06', 622),
      }),
      phoneCode: await phoneCode(strangerPhone),
    });
    // No registry oracle: the same status and the same keys, a report number either way.
    expect(stranger.statusCode, stranger.body).toBe(201);
    expect(Object.keys(stranger.json()).sort()).toEqual(Object.keys(res.json()).sort());

    // The insured person's claim: at the report step, from the citizen, in the person's village.
    const claims = await t.database.db
      .selectFrom('insurance_claims')
      .select(['id', 'status', 'source', 'region_code', 'cover_item'])
      .execute();
    expect(claims).toEqual([
      {
        id: expect.any(String),
        status: 'reported',
        source: 'citizen',
        region_code: YUNZHUANG,
        cover_item: 'death_illness',
      },
    ]);
    // The township and the insurer see it; the other township does not.
    const seen = await lingchuan.request('GET', '/api/insurance/claims');
    expect((seen.json().items as { id: string; source: string }[]).map((c) => [c.id, c.source])).toEqual([
      [claims[0]!.id, 'citizen'],
    ]);
    expect((await insurer.request('GET', '/api/insurance/claims')).json().total).toBe(1);
    expect((await qiulu.request('GET', '/api/insurance/claims')).json().total).toBe(0);

    // Staff see both reports: one matched (with the claim), one to follow up (the city's, unknown person).
    const admin = await t.login('admin');
    const all = (await admin.request('GET', '/api/insurance/claim-reports')).json();
    expect(all.total).toBe(2);
    const unmatched = (await admin.request('GET', '/api/insurance/claim-reports?matched=false')).json();
    expect(unmatched.items).toHaveLength(1);
    expect(unmatched.items[0]).toMatchObject({
      reporterName: '林建国',
      insuredName: '陈*',
      claimId: null,
      regionCode: '3503',
      description: '老人在家中病故',
    });
    expect(unmatched.items[0].reporterPhoneMasked).not.toContain(strangerPhone);
    const mine = (await lingchuan.request('GET', '/api/insurance/claim-reports')).json();
    expect(mine.items.map((i: { reportNo: string; claimId: string }) => [i.reportNo, i.claimId])).toEqual([
      [reportNo, claims[0]!.id],
    ]);
    // Personal data is stored encrypted.
    const row = await t.database.db.selectFrom('citizen_claim_reports').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('林建国');
    expect(JSON.stringify(row)).not.toContain(phone);

    // Progress: the report number, the reporter's phone and a fresh code.
    const progress = await call('POST', '/api/public/claim-reports/progress', {
      reportNo,
      phone,
      phoneCode: await phoneCode(phone),
    });
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json()).toMatchObject({ reportNo, status: 'reported', eventKind: 'death_illness' });
    const guided = await lingchuan.request('POST', `/api/insurance/claims/${claims[0]!.id}/guide`, { note: null });
    expect(guided.statusCode, guided.body).toBe(200);
    const later = await call('POST', '/api/public/claim-reports/progress', {
      reportNo,
      phone,
      phoneCode: await phoneCode(phone),
    });
    expect(later.json().status).toBe('guided');
    // Another phone (with its own good code) finds nothing under that number.
    const other = nextPhone();
    const foreign = await call('POST', '/api/public/claim-reports/progress', {
      reportNo,
      phone: other,
      phoneCode: await phoneCode(other),
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses a wrong code, a bad ID number and a future date, recording nothing', async () => {
    const before = await t.database.db.selectFrom('citizen_claim_reports').select('id').execute();
    const phone = nextPhone();
    const code = await phoneCode(phone);
    const wrong = code === '000000' ? '000001' : '000000';
    const bad = await call('POST', '/api/public/claim-reports', {
      ...report({ reporterPhone: phone }),
      phoneCode: wrong,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('phoneCode');
    const phone2 = nextPhone();
    const badId = await call('POST', '/api/public/claim-reports', {
      ...report({ reporterPhone: phone2, insuredIdNumber: '350302194802036110' }),
      phoneCode: await phoneCode(phone2),
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields[0].path).toBe('insuredIdNumber');
    const phone3 = nextPhone();
    const future = await call('POST', '/api/public/claim-reports', {
      ...report({ reporterPhone: phone3, eventDate: '2999-01-01' }),
      phoneCode: await phoneCode(phone3),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields[0].path).toBe('eventDate');
    expect(await t.database.db.selectFrom('citizen_claim_reports').select('id').execute()).toEqual(before);
  });
});
