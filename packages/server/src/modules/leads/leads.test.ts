import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, chinaToday } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { dispatchNewLeads, escalateOverdueLeads } from './dispatch';
import { plantLeadSignal } from '../../demo/lead-signal';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 萩芦镇 东张村
const LINGCHUAN = '350302102';

let t: TestApp;
let admin: Agent;
let lingchuan: Agent;
let worker: Agent; // grid worker of 云庄村
let otherWorker: Agent; // grid worker of 东张村
let seq = 0;

// The smallest valid PNG (1×1) and a JPEG start-of-image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const deps = () => ({ db: t.database.db, config: t.config });

async function registerPerson(agent: Agent, village: string, name: string) {
  const idNumber = makeIdNumber(village.slice(0, 6), '1956-04-12', ++seq);
  const res = await agent.request('POST', '/api/households', {
    regionCode: village,
    address: '莆田市城厢区灵川镇云庄村3组45号',
    members: [
      {
        name,
        idNumber,
        relation: 'head',
        hukouType: 'rural',
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const h = res.json();
  return {
    householdId: h.id as string,
    memberId: h.members[0].id as string,
    householdNo: h.householdNo as string,
    idNumber,
  };
}

async function auditActions(action: string) {
  const rows = await t.database.db.selectFrom('audit_log').select('region_code').where('action', '=', action).execute();
  return rows.map((r) => r.region_code);
}

function visit(extra: Record<string, unknown> = {}) {
  return {
    // An hour ago, but not before today's China midnight (leads are issued today; visits cannot predate them).
    visitedAt: new Date(Math.max(Date.now() - 3_600_000, Date.parse(`${chinaToday()}T00:00:00+08:00`))).toISOString(),
    notes: '入户走访，户主住院治疗，家庭开支大',
    outcome: 'not_needy',
    ...extra,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  for (const [username, village] of [
    ['gw.yunzhuang', YUNZHUANG],
    ['gw.dongzhang', DONGZHANG],
  ] as const) {
    const res = await admin.request('POST', '/api/users', {
      username,
      displayName: username,
      role: 'grid_worker',
      regionCode: village,
      password: 'grid-password-1',
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  worker = await t.login('gw.yunzhuang', 'grid-password-1');
  otherWorker = await t.login('gw.dongzhang', 'grid-password-1');
});
afterAll(() => t?.close());

describe('leads', () => {
  let leadA = ''; // 云庄村, issued 2025-09-26: due across the National Day holiday
  let leadB = ''; // 云庄村, issued 2025-09-26 after an override
  let leadC = ''; // 云庄村, issued today: visited on time
  let leadD = ''; // 东张村
  let personA: Awaited<ReturnType<typeof registerPerson>>;

  it('dispatches one lead per lead signal to the village, due in working days across National Day; idempotent', async () => {
    personA = await registerPerson(lingchuan, YUNZHUANG, '林秀英');
    await plantLeadSignal(t.database.db, personA);
    expect(await dispatchNewLeads(deps(), '2025-09-26')).toBe(1);
    expect(await dispatchNewLeads(deps(), '2025-09-26')).toBe(0);
    expect(await auditActions('lead.dispatch')).toEqual(['3503']);

    const inbox = await worker.request('GET', '/api/leads');
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect(inbox.json().total).toBe(1);
    const item = inbox.json().items[0];
    leadA = item.id;
    // 2025-09-26 (Fri) + 10 working days: the 28th (make-up Sunday), 29, 30, Oct 9, 10, 11 (make-up), 13–16.
    expect(item).toMatchObject({
      personName: '林秀英',
      regionCode: YUNZHUANG,
      regionName: '云庄村委会',
      reason: '自付医疗费用高',
      status: 'open',
      issuedOn: '2025-09-26',
      dueDate: '2025-10-16',
      overdue: true,
      escalated: false,
      attempts: 0,
    });
    expect(item.idMasked).toMatch(/^\d{6}\*+\d{3}[\dX]$|\*/);
    expect(item.workingDaysLeft).toBeLessThan(0);
  });

  it('counts the due date on the calendar with the admins’ overrides', async () => {
    const put = await admin.request('PUT', '/api/calendar/overrides/2025-10-15', {
      isWorkingDay: false,
      note: '台风停工',
    });
    expect(put.statusCode, put.body).toBe(204);
    const person = await registerPerson(lingchuan, YUNZHUANG, '陈阿婆');
    await plantLeadSignal(t.database.db, person);
    expect(await dispatchNewLeads(deps(), '2025-09-26')).toBe(1);
    const res = await worker.request('GET', '/api/leads?pageSize=50');
    const b = res.json().items.find((i: { personName: string }) => i.personName === '陈阿婆');
    leadB = b.id;
    expect(b.dueDate).toBe('2025-10-17');

    const personC = await registerPerson(lingchuan, YUNZHUANG, '黄志强');
    await plantLeadSignal(t.database.db, personC);
    expect(await dispatchNewLeads(deps())).toBe(1);
    const c = (await worker.request('GET', '/api/leads?pageSize=50'))
      .json()
      .items.find((i: { personName: string }) => i.personName === '黄志强');
    leadC = c.id;
    expect(c).toMatchObject({ issuedOn: chinaToday(), overdue: false, workingDaysLeft: 10 });

    const personD = await registerPerson(admin, DONGZHANG, '郑美玲');
    await plantLeadSignal(t.database.db, personD);
    expect(await dispatchNewLeads(deps(), '2025-09-26')).toBe(1);
    leadD = (await otherWorker.request('GET', '/api/leads')).json().items[0].id;
  });

  it('shows a grid worker her village’s leads only, and the lead with its why', async () => {
    const mine = (await worker.request('GET', '/api/leads')).json();
    expect(mine.total).toBe(3);
    expect(mine.items.map((i: { id: string }) => i.id)).not.toContain(leadD);
    expect((await otherWorker.request('GET', `/api/leads/${leadA}`)).statusCode).toBe(404);
    expect((await worker.request('GET', `/api/leads/${leadD}`)).statusCode).toBe(404);
    expect((await worker.request('GET', '/api/leads/not-a-uuid')).statusCode).toBe(404);

    const res = await worker.request('GET', `/api/leads/${leadA}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      householdId: personA.householdId,
      householdNo: personA.householdNo,
      ruleCode: 'lead_test.high_self_paid',
      visits: [],
      sourceRecords: [
        {
          kindCode: 'lead_test.expenses',
          kindName: '医疗费用（测试）',
          recordType: 'medical',
          eventDate: '2025-08-15',
          data: { total: 8_600_000, self_paid: 5_200_000 },
        },
      ],
    });
    expect(d.addressMasked).not.toContain('45号');
    expect(d.addressMasked).toContain('莆田市');
    expect(res.body).not.toContain('3组45号');

    const en = await worker.request('GET', `/api/leads/${leadA}`, undefined, { 'accept-language': 'en' });
    expect(en.json()).toMatchObject({
      reason: 'High self-paid medical costs',
      sourceRecords: [{ kindName: 'Medical expenses (test)' }],
    });
  });

  it('escalates overdue open leads to the township once, flagged in its list', async () => {
    // On 2025-10-17 only lead A (due the 16th) is overdue; B is due that day; D is in another township.
    expect(await escalateOverdueLeads(deps(), '2025-10-17')).toBe(1);
    expect(await escalateOverdueLeads(deps(), '2025-10-17')).toBe(0);
    expect(await auditActions('lead.escalate')).toEqual([LINGCHUAN]);
    const flagged = (await lingchuan.request('GET', '/api/leads?escalated=true')).json();
    expect(flagged.items.map((i: { id: string }) => i.id)).toEqual([leadA]);
    expect(flagged.items[0]).toMatchObject({ escalated: true, escalatedTo: LINGCHUAN });
    expect((await lingchuan.request('GET', '/api/leads?escalated=false')).json().total).toBe(2);
    expect((await lingchuan.request('GET', '/api/leads?overdue=true')).json().total).toBe(2);

    expect(await escalateOverdueLeads(deps(), '2025-10-20')).toBe(2);
    const both = (await lingchuan.request('GET', '/api/leads?escalated=true')).json();
    expect(both.items.map((i: { id: string }) => i.id).sort()).toEqual([leadA, leadB].sort());
    const qiulu = await t.login('qiulu');
    expect((await qiulu.request('GET', '/api/leads?escalated=true')).json().items[0]).toMatchObject({
      id: leadD,
      escalatedTo: '350303105',
    });
  });

  it('refuses bad visits precisely and writes nothing', async () => {
    const before = await t.database.db.selectFrom('lead_visits').select('id').execute();
    const cases: [Record<string, unknown>, string][] = [
      [visit({ outcome: 'referred' }), 'referralAgency'],
      [visit({ outcome: 'referred', referralAgency: 'other' }), 'referralNote'],
      [visit({ outcome: 'not_needy', referralAgency: 'education_bureau' }), 'referralAgency'],
      [visit({ visitedAt: new Date(Date.now() + 3_600_000).toISOString() }), 'visitedAt'],
      [visit({ visitedAt: '2025-09-01T10:00:00+08:00' }), 'visitedAt'],
      [visit({ photos: [{ data: Buffer.from('GIF89a-not-allowed').toString('base64') }] }), 'photos.0'],
      [
        visit({ photos: [{ data: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]).toString('base64') }] }),
        'photos.0',
      ],
      [visit({ photos: Array.from({ length: 5 }, () => ({ data: PNG.toString('base64') })) }), 'photos'],
      [visit({ location: { latitude: 95, longitude: 119, accuracy: 10 } }), 'location.latitude'],
      [visit({ outcome: 'moved_away' }), 'outcome'],
      [visit({ notes: '' }), 'notes'],
    ];
    for (const [body, path] of cases) {
      const res = await worker.request('POST', `/api/leads/${leadA}/visits`, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      const fields = res.json().error.fields as { path: string }[];
      expect(
        fields.some((f) => f.path === path || f.path.startsWith(`${path}.`) || f.path === `body.${path}`),
        `${path}: ${res.body}`,
      ).toBe(true);
    }
    const zh = await worker.request('POST', `/api/leads/${leadA}/visits`, visit({ outcome: 'referred' }));
    expect(zh.json().error.fields[0].message).toBe('请选择转介机构');
    expect((await otherWorker.request('POST', `/api/leads/${leadA}/visits`, visit())).statusCode).toBe(404);
    expect(await t.database.db.selectFrom('lead_visits').select('id').execute()).toEqual(before);
  });

  it('keeps an unreachable lead open, counts the attempt, and ignores a retried request', async () => {
    const body = visit({
      outcome: 'unreachable',
      notes: '家中无人，邻居称外出务工',
      location: { latitude: 25.4526, longitude: 118.9561, accuracy: 12.5 },
      photos: [
        {
          data: `data:image/png;base64,${PNG.toString('base64')}`,
          // The photo's own time and place, read on the phone from its EXIF.
          takenAt: '2026-11-20T09:30:15+08:00',
          latitude: 25.4411,
          longitude: 118.9722,
        },
      ],
    });
    const first = await worker.request('POST', `/api/leads/${leadA}/visits`, body, { 'idempotency-key': 'k-1' });
    expect(first.statusCode, first.body).toBe(201);
    const again = await worker.request('POST', `/api/leads/${leadA}/visits`, body, { 'idempotency-key': 'k-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json().visits).toHaveLength(1);
    const d = again.json();
    expect(d).toMatchObject({ status: 'open', attempts: 1, outcome: null });
    expect(d.visits[0]).toMatchObject({
      recordedBy: 'gw.yunzhuang',
      notes: '家中无人，邻居称外出务工',
      outcome: 'unreachable',
      location: { latitude: 25.4526, longitude: 118.9561, accuracy: 12.5 },
      photoCount: 1,
      photos: [{ n: 1, takenAt: '2026-11-20T01:30:15.000Z', latitude: 25.4411, longitude: 118.9722 }],
    });
    // Notes are stored encrypted only.
    const row = await t.database.db.selectFrom('lead_visits').selectAll().executeTakeFirstOrThrow();
    expect(row.notes_enc).not.toContain('家中无人');
    expect(await auditActions('lead.visit')).toEqual([YUNZHUANG]);

    const photo = await worker.request('GET', `/api/leads/${leadA}/visits/${d.visits[0].id}/photos/1`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.rawPayload, PNG)).toBe(0);
    expect((await worker.request('GET', `/api/leads/${leadA}/visits/${d.visits[0].id}/photos/2`)).statusCode).toBe(404);
    expect((await otherWorker.request('GET', `/api/leads/${leadA}/visits/${d.visits[0].id}/photos/1`)).statusCode).toBe(
      404,
    );
  });

  it('closes a lead with an outcome; a closed lead refuses new visits', async () => {
    const closing = visit({ outcome: 'referred', referralAgency: 'disability_federation' });
    const res = await worker.request('POST', `/api/leads/${leadA}/visits`, closing, { 'idempotency-key': 'k-2' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'closed',
      outcome: 'referred',
      referralAgency: 'disability_federation',
      attempts: 2,
      closedBy: 'gw.yunzhuang',
    });
    const refused = await worker.request('POST', `/api/leads/${leadA}/visits`, visit(), { 'idempotency-key': 'k-3' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('该线索已办结，不能再登记走访');
    // The phone retrying the closing request (the same bytes) gets the lead back, not an error.
    const retry = await worker.request('POST', `/api/leads/${leadA}/visits`, closing, { 'idempotency-key': 'k-2' });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().visits).toHaveLength(2);
    // The lead's signal went from open to in progress (the unreachable visit) to resolved.
    const signal = await t.database.db
      .selectFrom('signals as s')
      .innerJoin('leads as l', 'l.signal_id', 's.id')
      .select('s.status')
      .where('l.id', '=', leadA)
      .executeTakeFirstOrThrow();
    expect(signal.status).toBe('resolved');

    const c = await worker.request('POST', `/api/leads/${leadC}/visits`, visit({ outcome: 'already_covered' }));
    expect(c.json()).toMatchObject({ status: 'closed', outcome: 'already_covered' });
    const closed = (await worker.request('GET', '/api/leads?status=closed')).json();
    expect(closed.items.map((i: { id: string }) => i.id).sort()).toEqual([leadA, leadC].sort());
  });

  it('counts issued, visited, on time, overdue and escalated per child region', async () => {
    const res = await lingchuan.request('GET', '/api/leads/stats');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.regionCode).toBe(LINGCHUAN);
    expect(s.rows.length).toBeGreaterThan(10);
    for (const r of s.rows) expect(r.regionCode.startsWith(LINGCHUAN)).toBe(true);
    // A: visited twice, closed late, escalated. B: open, overdue, escalated. C: closed on time.
    expect(s.rows.find((r: { regionCode: string }) => r.regionCode === YUNZHUANG)).toMatchObject({
      issued: 3,
      visited: 2,
      verifiedOnTime: 1,
      overdueOpen: 1,
      escalated: 2,
    });
    expect(s.totals).toEqual({ issued: 3, visited: 2, verifiedOnTime: 1, overdueOpen: 1, escalated: 2 });

    const city = (await admin.request('GET', '/api/leads/stats')).json();
    expect(city.rows.find((r: { regionCode: string }) => r.regionCode === '350302')).toMatchObject({ issued: 3 });
    expect(city.rows.find((r: { regionCode: string }) => r.regionCode === '350303')).toMatchObject({
      issued: 1,
      overdueOpen: 1,
      escalated: 1,
    });
    expect(city.totals.issued).toBe(4);

    const village = (await worker.request('GET', '/api/leads/stats')).json();
    expect(village.rows).toHaveLength(1);
    expect(village.rows[0]).toMatchObject({ regionCode: YUNZHUANG, issued: 3 });

    expect((await lingchuan.request('GET', '/api/leads/stats?region=350303105')).statusCode).toBe(403);
    expect((await lingchuan.request('GET', `/api/leads/stats?region=${YUNZHUANG}`)).json().rows).toHaveLength(1);
  });

  it('filters the desk list by name or whole ID number, region, record type and issue dates, in the caller’s region', async () => {
    const ids = async (agent: Agent, query: string) => {
      const res = await agent.request('GET', `/api/leads?pageSize=50&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.total).toBe(body.items.length);
      return (body.items as { id: string }[]).map((i) => i.id).sort();
    };
    expect(await ids(admin, `q=${encodeURIComponent('秀英')}`)).toEqual([leadA]);
    expect(await ids(admin, `q=${personA.idNumber}`)).toEqual([leadA]);
    // A part of an ID number finds nobody (only a whole number is looked up, by its blind index).
    expect(await ids(admin, `q=${personA.idNumber.slice(0, 10)}`)).toEqual([]);
    expect(await ids(admin, `regionCode=${LINGCHUAN}`)).toEqual([leadA, leadB, leadC].sort());
    expect(await ids(admin, `regionCode=${LINGCHUAN}&status=open`)).toEqual([leadB]);
    expect(await ids(admin, 'regionCode=350303105')).toEqual([leadD]);
    expect(await ids(admin, 'recordType=medical')).toEqual([leadA, leadB, leadC, leadD].sort());
    expect(await ids(admin, 'recordType=vehicle')).toEqual([]);
    expect(await ids(admin, `issuedFrom=${chinaToday()}`)).toEqual([leadC]);
    expect(await ids(admin, 'issuedFrom=2025-09-01&issuedTo=2025-09-30')).toEqual([leadA, leadB, leadD].sort());
    // The township sees nothing of another township, whatever it asks for.
    expect(await ids(lingchuan, 'regionCode=350303105')).toEqual([]);
    expect(await ids(lingchuan, `q=${encodeURIComponent('郑美玲')}`)).toEqual([]);
    expect((await admin.request('GET', '/api/leads?issuedFrom=2025-02-30')).statusCode).toBe(400);
  });
});
