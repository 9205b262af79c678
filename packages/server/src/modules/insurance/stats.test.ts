import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, makeIdNumber, maskIdNumber, normalizeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { insertEnrolments } from '../enrolments/create';
import { demoSchemeInput } from './demo-scheme';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村
const PASSWORD = 'stats-password-1';

let t: TestApp;
let admin: Agent;
let lingchuan: Agent;
let qiulu: Agent;
let insurer: Agent;
let otherInsurer: Agent;
const today = chinaToday();
const year = Number(today.slice(0, 4));
let seq = 0;

async function account(username: string, role: string, regionCode: string): Promise<Agent> {
  const res = await admin.request('POST', '/api/users', {
    username,
    displayName: username,
    role,
    regionCode,
    password: PASSWORD,
  });
  expect(res.statusCode, res.body).toBe(201);
  return t.login(username, PASSWORD);
}

/** A 低保 household of two in a village enrolled from January; returns the members' ID numbers. */
async function enrolled(village: string): Promise<[string, string]> {
  seq++;
  const county = village.slice(0, 6);
  const ids: [string, string] = [
    makeIdNumber(county, '1951-04-0' + ((seq % 9) + 1), 600 + seq),
    makeIdNumber(county, '1953-08-1' + (seq % 9), 650 + seq),
  ];
  await t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: null,
          regionCode: village,
          source: 'seed',
          fromMonth: `${year}-01`,
          monthlyAmountFen: 60_000,
          members: ids.map((id, j) => ({
            idHash: t.app.deps.protector.idHash(normalizeIdNumber(id)),
            memberId: null,
            name: `${j === 0 ? '郑' : '黄'}统计${seq}`,
            idMasked: maskIdNumber(id),
            relation: j === 0 ? 'head' : 'spouse',
          })),
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
  return ids;
}

const pdf = (kind: string) => ({
  kind,
  fileName: `${kind}.pdf`,
  mimeType: 'application/pdf',
  contentBase64: Buffer.from(`%PDF-1.4 ${kind}`).toString('base64'),
});
const DEATH_DOCS = [
  'death_certificate',
  'cremation_certificate',
  'medical_records',
  'beneficiary_id',
  'beneficiary_bank_account',
];

type Plan = {
  staff: () => Agent;
  village: string;
  item: 'death_illness' | 'death_accident';
  to: 'reported' | 'guided' | 'received' | 'approved' | 'refused' | 'paid';
  complete?: string;
  paidOn?: string;
  paidFen?: number;
};

/** Takes a claim as far as the plan says, through the HTTP API. */
async function claim(p: Plan): Promise<string> {
  const [head] = await enrolled(p.village);
  const res = await p.staff().request('POST', '/api/insurance/claims', {
    idNumber: head,
    coverItem: p.item,
    eventDate: `${year}-03-02`,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const step = async (who: Agent, name: string, body: object) => {
    const r = await who.request('POST', `/api/insurance/claims/${id}/${name}`, body);
    expect(r.statusCode, r.body).toBe(200);
  };
  if (p.to === 'reported') return id;
  await step(p.staff(), 'guide', {});
  if (p.to === 'guided') return id;
  await step(p.staff(), 'receive', {
    documents: [...DEATH_DOCS, ...(p.item === 'death_accident' ? ['accident_proof'] : [])].map(pdf),
    completeOn: p.complete ?? `${year}-03-05`,
  });
  if (p.to === 'received') return id;
  if (p.to === 'refused') {
    await step(insurer, 'review', { decision: 'refuse', reasons: '不属于保险责任' });
    return id;
  }
  await step(insurer, 'review', { decision: 'approve', reasons: '符合' });
  if (p.to === 'approved') return id;
  await step(insurer, 'pay', { paidOn: p.paidOn!, amountFen: p.paidFen!, reference: `ZF-${seq}` });
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
  insurer = await account('ins.stats', 'insurer', '3503');
  otherInsurer = await account('ins.none', 'insurer', '3503');
  const res = await admin.request('POST', '/api/insurance/schemes', {
    ...demoSchemeInput(year),
    insurerUsers: ['ins.stats'],
  });
  expect(res.statusCode, res.body).toBe(201);
  const L = () => lingchuan;
  const Q = () => qiulu;
  for (const p of [
    { staff: L, village: YUNZHUANG, item: 'death_illness', to: 'reported' },
    { staff: L, village: YUNZHUANG, item: 'death_illness', to: 'guided' },
    { staff: L, village: YUNZHUANG, item: 'death_illness', to: 'received' },
    { staff: Q, village: DONGZHANG, item: 'death_illness', to: 'approved' },
    { staff: Q, village: DONGZHANG, item: 'death_accident', to: 'refused' },
    // Complete Thursday 5 March, paid Thursday 12 March: 5 working days.
    { staff: L, village: YUNZHUANG, item: 'death_illness', to: 'paid', paidOn: `${year}-03-12`, paidFen: 300_000 },
    // Complete 5 March, paid 19 March: 10 working days; part of the maximum paid.
    { staff: Q, village: DONGZHANG, item: 'death_accident', to: 'paid', paidOn: `${year}-03-19`, paidFen: 2_500_000 },
  ] as Plan[])
    await claim(p);
});
afterAll(() => t?.close());

describe('insurance statistics', () => {
  it('equals the figures counted independently from the claims list and the roster', async () => {
    const res = await admin.request('GET', `/api/insurance/stats?year=${year}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();

    // Independently: every claim of the year from the list, counted here.
    const list = (await admin.request('GET', '/api/insurance/claims?pageSize=200')).json();
    type Item = {
      status: string;
      coverItem: string;
      regionCode: string;
      eventDate: string;
      paidOn: string | null;
      paidFen: number | null;
      clock: { workingDays: number | null };
    };
    const items = (list.items as Item[]).filter((i) => i.eventDate.startsWith(String(year)));
    expect(items).toHaveLength(7);
    expect(s.claims).toBe(items.length);
    const count = (f: (i: Item) => boolean) => items.filter(f).length;
    for (const { status, count: n } of s.byStatus) expect(n, status).toBe(count((i) => i.status === status));
    expect(Object.fromEntries(s.byStatus.map((b: { status: string; count: number }) => [b.status, b.count]))).toEqual({
      reported: 1,
      guided: 1,
      received: 1,
      approved: 1,
      refused: 1,
      paid: 2,
    });
    const paid = items.filter((i) => i.status === 'paid' && i.paidOn! <= today);
    const sumPaid = (f: (i: Item) => boolean) => paid.filter(f).reduce((a, i) => a + i.paidFen!, 0);
    expect(s.byCoverItem).toEqual(
      ['death_accident', 'death_illness'].map((coverItem) => ({
        coverItem,
        count: count((i) => i.coverItem === coverItem),
        paidFen: sumPaid((i) => i.coverItem === coverItem),
      })),
    );
    expect(
      s.byCounty.map((c: { regionCode: string; count: number; paidFen: number }) => [c.regionCode, c.count, c.paidFen]),
    ).toEqual(
      ['350302', '350303'].map((county) => [
        county,
        count((i) => i.regionCode.startsWith(county)),
        sumPaid((i) => i.regionCode.startsWith(county)),
      ]),
    );
    expect(s.byCounty[0].regionName).toBe('城厢区');
    expect(s.paidYtdFen).toBe(2_800_000);
    expect(s.paidYtdFen).toBe(sumPaid(() => true));
    // Mean of the clocks of the paid claims as the list shows them: (5 + 10) / 2.
    expect(paid.map((i) => i.clock.workingDays).sort()).toEqual([10, 5]);
    expect(s.paidWithClock).toBe(2);
    expect(s.avgWorkingDaysToPayout).toBe(7.5);
    // The received claim (complete 5 March) and the approved one are long past due.
    expect(s.overdueOpen).toBe(2);

    // Premiums billed: person-months = the roster's size on the first of each month so far, × 40 yuan / 12.
    let personMonths = 0;
    for (let m = 1; m <= Number(today.slice(5, 7)); m++) {
      const on = `${year}-${String(m).padStart(2, '0')}-01`;
      const roster = await admin.request('GET', `/api/insurance/roster?on=${on}&pageSize=1`);
      expect(roster.statusCode, roster.body).toBe(200);
      personMonths += roster.json().total;
    }
    expect(personMonths).toBeGreaterThanOrEqual(14 * Number(today.slice(5, 7)));
    expect(s.personMonths).toBe(personMonths);
    expect(s.premiumsBilledFen).toBe(Math.round((personMonths * 4_000) / 12));
  });

  it('counts only the caller’s region, and for an insurer only its schemes’ claims', async () => {
    const county = (await lingchuan.request('GET', `/api/insurance/stats?year=${year}`)).json();
    expect(county.claims).toBe(4);
    expect(county.byCounty.map((c: { regionCode: string }) => c.regionCode)).toEqual(['350302']);
    expect(county.paidYtdFen).toBe(300_000);
    expect((await lingchuan.request('GET', `/api/insurance/stats?year=${year}&regionCode=350303`)).statusCode).toBe(
      403,
    );
    expect((await insurer.request('GET', `/api/insurance/stats?year=${year}`)).json().claims).toBe(7);
    const none = (await otherInsurer.request('GET', `/api/insurance/stats?year=${year}`)).json();
    expect(none).toMatchObject({ claims: 0, paidYtdFen: 0, avgWorkingDaysToPayout: null, overdueOpen: 0 });
    // A year without a scheme bills nothing.
    expect((await admin.request('GET', '/api/insurance/stats?year=2001')).json()).toMatchObject({
      claims: 0,
      premiumsBilledFen: null,
    });
  });
});
