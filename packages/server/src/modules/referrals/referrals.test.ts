/**
 * Referrals (转介) through HTTP: agencies configured per city/county and seen below them, a
 * referral from a lead or a household (masked name, request encrypted, Idempotency-Key), the
 * agency's receipt and outcome recorded by staff in order, region scope, statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, makeIdNumber, type Agency, type ReferralDetail, type ReferralStats } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { plantLeadSignal } from '../../demo/lead-signal';
import { applicationInput } from '../../demo/case-driver';
import { dispatchNewLeads } from '../leads/service';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const CHENGXIANG = '350302';
const LINGCHUAN = '350302102';

let t: TestApp;
let admin: Agent;
let chengxiang: Agent; // county officer
let lingchuan: Agent; // township officer
let qiulu: Agent; // township officer of another county
let worker: Agent; // grid worker of 云庄村
let cityAgency: Agency;
let countyAgency: Agency;
let householdId = '';
let leadId = '';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
  const user = await admin.request('POST', '/api/users', {
    username: 'gw.referral',
    displayName: '协理员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-password-1',
  });
  expect(user.statusCode, user.body).toBe(201);
  worker = await t.login('gw.referral', 'grid-password-1');
  const res = await lingchuan.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村5组8号',
    members: [
      {
        name: '郑玉兰',
        idNumber: makeIdNumber('350302', '1950-03-04', 517),
        relation: 'head',
        hukouType: 'rural',
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  householdId = res.json().id;
  await plantLeadSignal(t.database.db, { memberId: res.json().members[0].id, householdId });
  await dispatchNewLeads({ db: t.database.db, config: t.config }, chinaToday());
  const leads = await worker.request('GET', '/api/leads?status=open&pageSize=200');
  leadId = leads.json().items.find((l: { personName: string }) => l.personName === '郑玉兰').id;
}, 60_000);
afterAll(() => t?.close());

describe('agencies', () => {
  it('are configured by the city or a county and seen by everyone below', async () => {
    const city = await admin.request('POST', '/api/referral-agencies', {
      regionCode: '3503',
      kind: 'disability_federation',
      name: '莆田市残疾人联合会',
      help: '残疾评定、残疾人两项补贴',
      contact: '0594-2222222',
    });
    expect(city.statusCode, city.body).toBe(201);
    cityAgency = city.json();
    const county = await chengxiang.request('POST', '/api/referral-agencies', {
      regionCode: CHENGXIANG,
      kind: 'charity',
      name: '城厢区慈善总会',
      help: '大病慈善救助',
      contact: '0594-3333333',
    });
    expect(county.statusCode, county.body).toBe(201);
    countyAgency = county.json();
    // A county cannot configure the city's, nor anyone a township's.
    const outside = await chengxiang.request('POST', '/api/referral-agencies', {
      regionCode: '3503',
      kind: 'other',
      name: 'x',
      help: 'x',
      contact: 'x',
    });
    expect(outside.statusCode).toBe(403);
    const township = await admin.request('POST', '/api/referral-agencies', {
      regionCode: LINGCHUAN,
      kind: 'other',
      name: 'x',
      help: 'x',
      contact: 'x',
    });
    expect(township.statusCode).toBe(400);
    const fromTownship = await lingchuan.request('POST', '/api/referral-agencies', {
      regionCode: LINGCHUAN,
      kind: 'other',
      name: 'x',
      help: 'x',
      contact: 'x',
    });
    expect(fromTownship.statusCode).toBe(403);
    const seen = (await worker.request('GET', '/api/referral-agencies?active=true')).json().items as Agency[];
    expect(seen.map((a) => a.name)).toEqual(expect.arrayContaining(['城厢区慈善总会', '莆田市残疾人联合会']));
    // The demo agencies (one per kind, labelled) are there too.
    expect(seen.filter((a) => a.name.endsWith('（演示）'))).toHaveLength(7);
    const other = (await qiulu.request('GET', '/api/referral-agencies')).json().items as Agency[];
    expect(other.map((a) => a.name)).toContain('莆田市残疾人联合会');
    expect(other.map((a) => a.name)).not.toContain('城厢区慈善总会');
  });
});

describe('referrals', () => {
  let referral: ReferralDetail;

  it('are sent from a lead by the grid worker once per Idempotency-Key, the name masked', async () => {
    const body = {
      agencyId: cityAgency.id,
      source: 'lead',
      sourceId: leadId,
      request: '申请残疾等级评定（肢体）',
    };
    const res = await worker.request('POST', '/api/referrals', body, { 'idempotency-key': 'ref-1' });
    expect(res.statusCode, res.body).toBe(201);
    referral = res.json();
    expect(referral).toMatchObject({
      status: 'sent',
      regionCode: YUNZHUANG,
      source: 'lead',
      sourceId: leadId,
      agencyName: '莆田市残疾人联合会',
      request: '申请残疾等级评定（肢体）',
    });
    expect(referral.personName).not.toBe('郑玉兰');
    expect(referral.personName.startsWith('郑')).toBe(true);
    const again = await worker.request('POST', '/api/referrals', body, { 'idempotency-key': 'ref-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(referral.id);
    const changed = await worker.request(
      'POST',
      '/api/referrals',
      { ...body, request: '别的' },
      { 'idempotency-key': 'ref-1' },
    );
    expect(changed.statusCode).toBe(422);
    const rows = await t.database.db.selectFrom('referrals').select(['request_enc', 'person_name']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.request_enc).not.toContain('残疾');
  });

  it('refuses an unknown source, an agency of another county, and a source outside the region', async () => {
    const bad = await worker.request('POST', '/api/referrals', {
      agencyId: cityAgency.id,
      source: 'household',
      sourceId: crypto.randomUUID(),
      request: '申请',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('sourceId');
    const qiuluAgency = await admin.request('POST', '/api/referral-agencies', {
      regionCode: '350303',
      kind: 'housing',
      name: '涵江区住建局',
      help: '危房改造',
      contact: '0594-4444444',
    });
    expect(qiuluAgency.statusCode).toBe(201);
    const wrongCounty = await worker.request('POST', '/api/referrals', {
      agencyId: qiuluAgency.json().id,
      source: 'household',
      sourceId: householdId,
      request: '危房改造',
    });
    expect(wrongCounty.statusCode).toBe(400);
    expect(wrongCounty.json().error.fields[0].path).toBe('agencyId');
    const outside = await qiulu.request('POST', '/api/referrals', {
      agencyId: cityAgency.id,
      source: 'household',
      sourceId: householdId,
      request: '申请',
    });
    expect(outside.statusCode).toBe(400);
    expect((await qiulu.request('GET', `/api/referrals/${referral.id}`)).statusCode).toBe(404);
  });

  it('takes the agency’s receipt and outcome from staff, in order, append-only', async () => {
    expect(
      (await worker.request('POST', `/api/referrals/${referral.id}/actions`, { action: 'accepted' })).statusCode,
    ).toBe(403);
    const early = await lingchuan.request('POST', `/api/referrals/${referral.id}/actions`, {
      action: 'done',
      outcome: '已评定',
    });
    expect(early.statusCode).toBe(409);
    const accepted = await lingchuan.request('POST', `/api/referrals/${referral.id}/actions`, { action: 'accepted' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    const noOutcome = await lingchuan.request('POST', `/api/referrals/${referral.id}/actions`, { action: 'done' });
    expect(noOutcome.statusCode).toBe(400);
    const done = await lingchuan.request('POST', `/api/referrals/${referral.id}/actions`, {
      action: 'done',
      outcome: '评定为肢体三级，已办理残疾人证',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().actions.map((a: { action: string }) => a.action)).toEqual(['sent', 'accepted', 'done']);
    expect(done.json().actions[2].outcome).toBe('评定为肢体三级，已办理残疾人证');
    expect(
      (await lingchuan.request('POST', `/api/referrals/${referral.id}/actions`, { action: 'refused', outcome: 'x' }))
        .statusCode,
    ).toBe(409);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'referral.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['referral.send', 'referral.accepted', 'referral.done']),
    );
  });

  it('lists open referrals of a household and counts per region and per agency', async () => {
    const second = await worker.request('POST', '/api/referrals', {
      agencyId: countyAgency.id,
      source: 'household',
      sourceId: householdId,
      request: '大病慈善救助',
    });
    expect(second.statusCode, second.body).toBe(201);
    const open = await worker.request('GET', `/api/referrals?open=true&householdId=${householdId}`);
    expect(open.json()).toMatchObject({ total: 1, items: [{ agencyName: '城厢区慈善总会', status: 'sent' }] });
    const all = await lingchuan.request('GET', `/api/referrals?householdId=${householdId}`);
    expect(all.json().total).toBe(2);
    const stats = (await chengxiang.request('GET', '/api/referrals/stats')).json() as ReferralStats;
    expect(stats.totals).toMatchObject({ total: 2, sent: 1, done: 1 });
    expect(stats.rows.find((r) => r.regionCode === LINGCHUAN)).toMatchObject({ total: 2 });
    expect(stats.agencies.map((a) => [a.agencyName, a.total]).sort()).toEqual([
      ['城厢区慈善总会', 1],
      ['莆田市残疾人联合会', 1],
    ]);
    const village = (await worker.request('GET', '/api/referrals/stats')).json() as ReferralStats;
    expect(village.rows).toEqual([expect.objectContaining({ regionCode: YUNZHUANG, total: 2 })]);
    expect((await qiulu.request('GET', '/api/referrals/stats')).json().totals.total).toBe(0);
    expect((await qiulu.request('GET', `/api/referrals/stats?region=${LINGCHUAN}`)).statusCode).toBe(403);
  });

  it('are sent from a case by its township, named as the applicant (masked)', async () => {
    const input = applicationInput(YUNZHUANG);
    const created = await lingchuan.request('POST', '/api/cases', input);
    expect(created.statusCode, created.body).toBe(201);
    const res = await lingchuan.request('POST', '/api/referrals', {
      agencyId: countyAgency.id,
      source: 'case',
      sourceId: created.json().id,
      request: '大病慈善救助',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ source: 'case', sourceId: created.json().id, regionCode: YUNZHUANG });
    expect(res.json().personName).not.toBe(input.members[0]!.name);
    // A case of another township is unknown to qiulu.
    const outside = await qiulu.request('POST', '/api/referrals', {
      agencyId: cityAgency.id,
      source: 'case',
      sourceId: created.json().id,
      request: '申请',
    });
    expect(outside.statusCode).toBe(400);
  });
});
