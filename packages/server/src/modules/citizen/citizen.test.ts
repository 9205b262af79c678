/**
 * The citizen H5's API through HTTP: conditions from the standards in force, the village picker,
 * an application whose phone is confirmed by a one-time code (read from the SMS log sender),
 * with document photos, dispatched to its township; wrong codes refused; duplicates answered like
 * new applications (no registry oracle) and marked for the township.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CitizenApplicationBody, PublicConditions } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { applicationInput } from '../../demo/case-driver';
import { DEMO_DIBAO_STANDARD_FEN } from '../policy/demo-values';
import { LogSmsSender, type SmsMessage } from '../../sms/sms';
import { PHONE_CODE_ATTEMPTS } from './service';

const VILLAGE = '350302102201'; // 云庄村, 灵川镇 (lingchuan's township)
const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64')}`;

let t: TestApp;
let lingchuan: Agent;
let qiulu: Agent;
const sent: SmsMessage[] = [];
const tap = (m: SmsMessage) => sent.push(m);
let ipSeq = 0;
let phoneSeq = 0;
const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  t.anonymous.request(method, url, body, { 'x-forwarded-for': `10.2.0.${++ipSeq % 250}` });
const nextPhone = () => `139${String(10_000_000 + ++phoneSeq).slice(-8)}`;

beforeAll(async () => {
  t = await createTestApp({ JIUZHU_PUBLIC_RATE_LIMIT: '1000' });
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

async function phoneCode(phone: string): Promise<string> {
  sent.length = 0;
  const res = await call('POST', '/api/public/phone/code', { phone });
  expect(res.statusCode).toBe(202);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ to: phone, template: 'phoneCode' });
  return sent[0]!.meta.code!;
}

describe('conditions and the village picker', () => {
  it('gives each kind with the figures of the standard in force, labelled demo', async () => {
    const res = await call('GET', '/api/public/conditions');
    expect(res.statusCode).toBe(200);
    const body = res.json() as PublicConditions;
    expect(body.items.map((i) => i.kind).sort()).toEqual(['dibao', 'dibao_edge', 'tekun', 'temporary']);
    const dibao = body.items.find((i) => i.kind === 'dibao')!;
    expect(dibao).toMatchObject({ amountFen: DEMO_DIBAO_STANDARD_FEN, isDemo: true });
    // Derived figures follow the 低保 standard (e.g. 特困 ≥ 1.3×).
    expect(body.items.find((i) => i.kind === 'tekun')!.amountFen).toBeGreaterThanOrEqual(DEMO_DIBAO_STANDARD_FEN * 1.3);
    expect((await call('GET', '/api/public/conditions?region=110101')).statusCode).toBe(404);
  });

  it('lists townships of the city, then the villages of one', async () => {
    const towns = (await call('GET', '/api/public/regions')).json() as { items: { code: string; level: string }[] };
    expect(towns.items.length).toBeGreaterThan(50);
    expect(towns.items.every((r) => r.level === 'township')).toBe(true);
    const villages = (await call('GET', '/api/public/regions?parent=350302102')).json() as {
      items: { code: string }[];
    };
    expect(villages.items.map((v) => v.code)).toContain(VILLAGE);
  });
});

describe('a citizen application from the H5', () => {
  it('takes the application once the phone code is right, with its photos, dispatched to the township', async () => {
    const phone = nextPhone();
    const code = await phoneCode(phone);
    const body: CitizenApplicationBody = {
      ...applicationInput(VILLAGE, { phone }),
      phoneCode: code,
      documents: [JPEG],
    };
    const res = await call('POST', '/api/public/citizen-applications', body);
    expect(res.statusCode, res.body).toBe(201);
    const { caseNo, status } = res.json() as { caseNo: string; status: string };
    expect(status).toBe('submitted');
    const row = await t.database.db
      .selectFrom('cases')
      .select(['id', 'channel'])
      .where('case_no', '=', caseNo)
      .executeTakeFirstOrThrow();
    expect(row.channel).toBe('citizen');
    const photos = await t.database.db
      .selectFrom('case_photos as p')
      .innerJoin('case_actions as a', 'a.id', 'p.action_id')
      .select(['a.action', 'p.content_type'])
      .where('a.case_id', '=', row.id)
      .execute();
    expect(photos).toEqual([{ action: 'submit', content_type: 'image/jpeg' }]);
    expect((await lingchuan.request('GET', `/api/cases/${row.id}`)).statusCode).toBe(200);
    expect((await qiulu.request('GET', `/api/cases/${row.id}`)).statusCode).toBe(404);
    // The code works once.
    const again = await call('POST', '/api/public/citizen-applications', {
      ...applicationInput(VILLAGE, { phone }),
      phoneCode: code,
    });
    expect(again.statusCode).toBe(400);
  });

  it('refuses a wrong code, and stops after the allowed attempts', async () => {
    const phone = nextPhone();
    const code = await phoneCode(phone);
    const wrong = code === '000000' ? '000001' : '000000';
    const input = applicationInput(VILLAGE, { phone });
    for (let i = 0; i < PHONE_CODE_ATTEMPTS; i++) {
      const res = await call('POST', '/api/public/citizen-applications', { ...input, phoneCode: wrong });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[0].path).toBe('phoneCode');
    }
    const late = await call('POST', '/api/public/citizen-applications', { ...input, phoneCode: code });
    expect(late.statusCode).toBe(400);
  });

  it('checks photos before spending the code, and sends one code a minute per phone', async () => {
    const phone = nextPhone();
    const code = await phoneCode(phone);
    await call('POST', '/api/public/phone/code', { phone });
    expect(sent).toHaveLength(1);
    const input = { ...applicationInput(VILLAGE, { phone }), phoneCode: code };
    const bad = await call('POST', '/api/public/citizen-applications', { ...input, documents: ['bm90IGFuIGltYWdl'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('documents.0');
    expect((await call('POST', '/api/public/citizen-applications', input)).statusCode).toBe(201);
  });

  it('answers a duplicate exactly like a new application, and marks it for the township', async () => {
    const first = applicationInput(VILLAGE, { phone: nextPhone() });
    const c1 = await phoneCode(first.phone);
    const new1 = await call('POST', '/api/public/citizen-applications', { ...first, phoneCode: c1 });
    expect(new1.statusCode, new1.body).toBe(201);
    const phone = nextPhone();
    const c2 = await phoneCode(phone);
    const dup = await call('POST', '/api/public/citizen-applications', { ...first, phone, phoneCode: c2 });
    // The same status, keys and case status as a new one: the H5 tells no one who is on assistance.
    expect(dup.statusCode, dup.body).toBe(201);
    expect(Object.keys(dup.json()).sort()).toEqual(Object.keys(new1.json()).sort());
    expect(dup.json().status).toBe(new1.json().status);
    expect(dup.body).not.toContain(new1.json().caseNo);
    // The township sees what it duplicates, in the first action of the new case.
    const row = await t.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_no', '=', dup.json().caseNo)
      .executeTakeFirstOrThrow();
    const seen = await lingchuan.request('GET', `/api/cases/${row.id}`);
    expect(seen.json().actions[0].data).toMatchObject({ duplicateOf: `case:${new1.json().caseNo}` });
  });
});

describe('a new citizen application is announced', () => {
  it('counts on the village grid worker’s and the county’s workbench until the township accepts it', async () => {
    const admin = await t.login('admin');
    for (const [username, regionCode] of [
      ['gw.yunzhuang', VILLAGE],
      ['gw.other', '350302102202'],
    ] as const) {
      const made = await admin.request('POST', '/api/users', {
        username,
        displayName: username,
        role: 'grid_worker',
        regionCode,
        password: 'grid-worker-pass-1',
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    const worker = await t.login('gw.yunzhuang', 'grid-worker-pass-1');
    const neighbour = await t.login('gw.other', 'grid-worker-pass-1');
    const county = await t.login('chengxiang');
    const todo = async (agent: Agent) => {
      const res = await agent.request('GET', '/api/workbench');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().todos as { key: string; count: number; link: string }[]).find(
        (x) => x.key === 'cases_citizen_new',
      );
    };
    const before = (await todo(worker))!.count;
    const countyBefore = (await todo(county))!.count;

    const phone = nextPhone();
    const code = await phoneCode(phone);
    const res = await call('POST', '/api/public/citizen-applications', {
      ...applicationInput(VILLAGE, { phone }),
      phoneCode: code,
    });
    expect(res.statusCode, res.body).toBe(201);
    const caseNo = (res.json() as { caseNo: string }).caseNo;

    const mine = (await todo(worker))!;
    expect(mine.count).toBe(before + 1);
    expect((await todo(county))!.count).toBe(countyBefore + 1);
    expect((await todo(neighbour))!.count).toBe(0);
    // The township is told by its inbox (cases_my_step), not by this to-do.
    expect(await todo(lingchuan)).toBeUndefined();
    // The link is a list the grid worker may open, and the case is on it.
    expect(mine.link).toBe('/cases?view=all&channel=citizen&unaccepted=true');
    const list = await worker.request('GET', '/api/cases?channel=citizen&unaccepted=true&pageSize=200');
    expect(list.statusCode, list.body).toBe(200);
    const found = (list.json().items as { id: string; caseNo: string }[]).find((c) => c.caseNo === caseNo)!;
    expect(found).toBeDefined();
    expect((await worker.request('GET', `/api/cases/${found.id}`)).statusCode).toBe(200);

    // Accepted by the township: no longer new, on either workbench.
    const accepted = await lingchuan.request('POST', `/api/cases/${found.id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await todo(worker))!.count).toBe(before);
    expect((await todo(county))!.count).toBe(countyBefore);
    const after = await worker.request('GET', '/api/cases?channel=citizen&unaccepted=true&pageSize=200');
    expect((after.json().items as { caseNo: string }[]).map((c) => c.caseNo)).not.toContain(caseNo);
  });
});
