/**
 * Routine care visits (探访关爱) through HTTP: plans per category configured by the city or a
 * county (the most frequent applies), the grid worker's due list of households on an active
 * enrolment, a visit recorded once per Idempotency-Key moving the due date, overdue counts per
 * region, region scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, makeIdNumber, type CareDuePage, type CareStats } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { insertEnrolments } from '../enrolments/create';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const LINGCHUAN = '350302102';
const CHENGXIANG = '350302';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let t: TestApp;
let admin: Agent;
let chengxiang: Agent;
let lingchuan: Agent;
let qiulu: Agent;
let worker: Agent;
let tekunHousehold = '';
let dibaoHousehold = '';
let plainHousehold = '';
let seq = 600;

async function household(name: string, kind: 'tekun' | 'dibao' | null, fromMonth: string): Promise<string> {
  const idNumber = makeIdNumber('350302', '1945-05-06', ++seq);
  const res = await lingchuan.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: `莆田市城厢区灵川镇云庄村7组${seq}号`,
    members: [{ name, idNumber, relation: 'head', hukouType: 'rural' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  const h = res.json();
  if (kind)
    await t.database.db.transaction().execute((trx) =>
      insertEnrolments(
        trx,
        [
          {
            kind,
            householdId: h.id,
            regionCode: YUNZHUANG,
            source: 'seed',
            fromMonth,
            monthlyAmountFen: 80_000,
            members: [
              {
                idHash: t.app.deps.protector.idHash(idNumber),
                memberId: h.members[0].id,
                name,
                idMasked: h.members[0].idMasked,
                relation: 'head',
              },
            ],
            approvalLevel: 'system',
            reason: 'seed',
            careTier: kind === 'tekun' ? 'self' : null,
          },
        ],
        null,
      ),
    );
  return h.id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
  const user = await admin.request('POST', '/api/users', {
    username: 'gw.care',
    displayName: '协理员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-password-1',
  });
  expect(user.statusCode, user.body).toBe(201);
  worker = await t.login('gw.care', 'grid-password-1');
  const thisMonth = chinaToday().slice(0, 7);
  // Enrolled three months ago: never visited, a monthly plan is overdue.
  tekunHousehold = await household('黄阿婆', 'tekun', addMonths(thisMonth, -3));
  // Enrolled this month: a quarterly plan is due in three months.
  dibaoHousehold = await household('陈阿公', 'dibao', thisMonth);
  plainHousehold = await household('林某某', null, thisMonth);
}, 60_000);
afterAll(() => t?.close());

const mine = (page: CareDuePage) =>
  page.items.filter((i) => [tekunHousehold, dibaoHousehold, plainHousehold].includes(i.householdId));

describe('care plans and the due list', () => {
  it('are configured by the city or a county, demo values labelled', async () => {
    const city = await admin.request('POST', '/api/care/plans', {
      regionCode: '3503',
      category: 'tekun',
      label: '特困供养（分散供养）每季度',
      intervalMonths: 3,
      isDemo: true,
    });
    expect(city.statusCode, city.body).toBe(200);
    // The county visits its 特困 monthly: the most frequent plan applies.
    const county = await chengxiang.request('POST', '/api/care/plans', {
      regionCode: CHENGXIANG,
      category: 'tekun',
      label: '特困供养（分散供养）每月',
      intervalMonths: 1,
      isDemo: true,
    });
    expect(county.statusCode, county.body).toBe(200);
    expect(
      (
        await chengxiang.request('POST', '/api/care/plans', {
          regionCode: CHENGXIANG,
          category: 'dibao',
          label: '低保（老年人独居）每季度',
          intervalMonths: 3,
          isDemo: true,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await lingchuan.request('POST', '/api/care/plans', {
          regionCode: CHENGXIANG,
          category: 'dibao',
          label: 'x',
          intervalMonths: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await admin.request('POST', '/api/care/plans', {
          regionCode: LINGCHUAN,
          category: 'dibao',
          label: 'x',
          intervalMonths: 1,
        })
      ).statusCode,
    ).toBe(400);
    const plans = (await worker.request('GET', '/api/care/plans')).json().items as { label: string; isDemo: boolean }[];
    // The city's demo plans (seeded, labelled) and the county's.
    expect(plans).toHaveLength(5);
    expect(plans.every((p) => p.isDemo)).toBe(true);
    const other = (await qiulu.request('GET', '/api/care/plans')).json().items as { label: string }[];
    expect(other.map((p) => p.label)).not.toContain('特困供养（分散供养）每月');
  });

  it('lists the households under a plan with their due date, the overdue first, masked', async () => {
    const thisMonth = chinaToday().slice(0, 7);
    const page = (await worker.request('GET', '/api/care/due?pageSize=500')).json() as CareDuePage;
    const items = mine(page);
    expect(items.map((i) => i.householdId)).toEqual([tekunHousehold, dibaoHousehold]);
    expect(items[0]).toMatchObject({
      planLabel: '特困供养（分散供养）每月',
      intervalMonths: 1,
      lastVisitDate: null,
      dueOn: `${addMonths(thisMonth, -2)}-01`,
      overdue: true,
    });
    expect(items[0]!.headName).not.toBe('黄阿婆');
    expect(items[0]!.addressMasked).not.toContain('7组');
    expect(items[1]).toMatchObject({ intervalMonths: 3, dueOn: `${addMonths(thisMonth, 3)}-01`, overdue: false });
    const overdue = (await worker.request('GET', '/api/care/due?overdue=true&pageSize=500')).json() as CareDuePage;
    expect(mine(overdue).map((i) => i.householdId)).toEqual([tekunHousehold]);
    expect(mine((await qiulu.request('GET', '/api/care/due?pageSize=500')).json())).toEqual([]);
  });
});

describe('care visits', () => {
  const visit = (householdId: string, extra: Record<string, unknown> = {}) => ({
    householdId,
    visitedAt: new Date(Date.now() - 60_000).toISOString(),
    finding: 'well',
    notes: '老人身体尚可，独居，米面充足',
    location: { latitude: 25.43, longitude: 119.01, accuracy: 12 },
    photos: [{ data: PNG.toString('base64') }],
    ...extra,
  });

  it('are recorded once per Idempotency-Key and move the due date', async () => {
    // The photo's own time and place, read on the phone from its EXIF, and one without them.
    const body = visit(tekunHousehold, {
      photos: [
        { data: PNG.toString('base64'), takenAt: '2026-11-20T09:30:15+08:00', latitude: 25.44, longitude: 118.97 },
        { data: PNG.toString('base64'), latitude: 25.44 },
      ],
    });
    const res = await worker.request('POST', '/api/care/visits', body, { 'idempotency-key': 'cv-1' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      householdId: tekunHousehold,
      finding: 'well',
      photoCount: 2,
      recordedBy: 'gw.care',
    });
    const photos = await t.database.db
      .selectFrom('care_visit_photos')
      .select(['n', 'taken_at', 'latitude', 'longitude'])
      .where('visit_id', '=', res.json().id)
      .orderBy('n')
      .execute();
    expect(photos.map((p) => ({ ...p, taken_at: p.taken_at && new Date(p.taken_at).toISOString() }))).toEqual([
      { n: 1, taken_at: '2026-11-20T01:30:15.000Z', latitude: 25.44, longitude: 118.97 },
      // A latitude without its longitude is no place.
      { n: 2, taken_at: null, latitude: null, longitude: null },
    ]);
    const again = await worker.request('POST', '/api/care/visits', body, { 'idempotency-key': 'cv-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(res.json().id);
    const rows = await t.database.db
      .selectFrom('care_visits')
      .select(['notes_enc'])
      .where('household_id', '=', tekunHousehold)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.notes_enc).not.toContain('老人');
    const today = chinaToday();
    const due = mine((await worker.request('GET', '/api/care/due?pageSize=500')).json());
    const moved = due.find((d) => d.householdId === tekunHousehold)!;
    expect(moved).toMatchObject({ lastVisitDate: today, overdue: false });
    // One month on (the day clamped to the month's end, as PostgreSQL adds months).
    expect(moved.dueOn.slice(0, 7)).toBe(addMonths(today.slice(0, 7), 1));
    expect(moved.dueOn > today).toBe(true);
    const list = (await lingchuan.request('GET', `/api/care/visits?householdId=${tekunHousehold}`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0].notes).toBe('老人身体尚可，独居，米面充足');
  });

  it('refuses a household under no plan, out of the region, or a visit in the future', async () => {
    const none = await worker.request('POST', '/api/care/visits', visit(plainHousehold));
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].path).toBe('householdId');
    expect((await qiulu.request('POST', '/api/care/visits', visit(dibaoHousehold))).statusCode).toBe(404);
    const future = await worker.request(
      'POST',
      '/api/care/visits',
      visit(dibaoHousehold, { visitedAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields[0].path).toBe('visitedAt');
  });

  it('counts households, overdue and visited this month per child region', async () => {
    const township = (await lingchuan.request('GET', '/api/care/stats')).json() as CareStats;
    const village = township.rows.find((r) => r.regionCode === YUNZHUANG)!;
    expect(village.households).toBeGreaterThanOrEqual(2);
    expect(village.visitedThisMonth).toBeGreaterThanOrEqual(1);
    // A second overdue household in the village shows in the township's count.
    const before = village.overdue;
    const lateId = await household('吴阿婆', 'tekun', addMonths(chinaToday().slice(0, 7), -2));
    const after = (await lingchuan.request('GET', '/api/care/stats')).json() as CareStats;
    expect(after.rows.find((r) => r.regionCode === YUNZHUANG)!.overdue).toBe(before + 1);
    expect(after.totals.overdue).toBe(township.totals.overdue + 1);
    const county = (await chengxiang.request('GET', '/api/care/stats')).json() as CareStats;
    expect(county.rows.find((r) => r.regionCode === LINGCHUAN)!.overdue).toBeGreaterThanOrEqual(before + 1);
    expect((await qiulu.request('GET', `/api/care/stats?region=${LINGCHUAN}`)).statusCode).toBe(403);
    expect(lateId).toBeTruthy();
  });
});
