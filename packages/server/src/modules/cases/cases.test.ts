import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  OPEN_CASE_STATUSES,
  chinaToday,
  createCalendar,
  demoPolicyParams,
  makeIdNumber,
  officialCalendar,
} from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { dispatchNewLeads } from '../leads/dispatch';
import { plantLeadSignal } from '../../demo/lead-signal';
import { clockOf, nextMonth, overallDueOn, paperworkDueOn, stepDueOn } from './deadlines';
import { applicationInput, driveCase, submitCase } from '../../demo/case-driver';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 萩芦镇 东张村
const demo = demoPolicyParams(90_000);
const standards = { dibao: demo.dibao, tekun: demo.tekun };

describe('deadlines (pure, on the official calendar)', () => {
  const cal = officialCalendar;

  it('counts across National Day 2025: accepted on 30 September, the survey is due on 11 October', () => {
    // 1–8 October are holidays; Sunday 28 September and Saturday 11 October are make-up working days.
    expect(stepDueOn(cal, 'accepted', '2025-09-30', standards)).toBe('2025-10-11');
    expect(stepDueOn(cal, 'verifying', '2025-09-30', standards)).toBe('2025-10-11');
    expect(stepDueOn(cal, 'submitted', '2025-09-26', standards)).toBe('2025-09-30');
    expect(stepDueOn(cal, 'determined', '2025-09-30', standards)).toBe('2025-10-10');
    expect(overallDueOn(cal, '2025-09-30', 'county', demo.dibao)).toBe('2025-11-18');
    expect(overallDueOn(cal, '2025-09-30', 'township', demo.dibao)).toBe('2025-11-04');
    // On 9 October one working day (the 9th) has passed since the 30th: the holiday does not count.
    expect(clockOf(cal, '2025-09-30', '2025-10-11', '2025-10-09')).toEqual({
      startedOn: '2025-09-30',
      dueOn: '2025-10-11',
      elapsedWorkingDays: 1,
      remainingWorkingDays: 2,
      overdue: false,
    });
    expect(clockOf(cal, '2025-09-30', '2025-10-11', '2025-10-14')).toMatchObject({
      elapsedWorkingDays: 5,
      remainingWorkingDays: -2,
      overdue: true,
    });
  });

  it('counts across the 2026 Spring Festival (15–23 February off, 14 and 28 February worked)', () => {
    expect(stepDueOn(cal, 'submitted', '2026-02-12', standards)).toBe('2026-02-24');
    // County decision: 10 working days for 低保, 15 when 特困 is among the kinds.
    expect(stepDueOn(cal, 'pending_approval', '2026-02-13', standards, { kinds: ['dibao'] })).toBe('2026-03-05');
    expect(stepDueOn(cal, 'pending_approval', '2026-02-13', standards, { kinds: ['tekun', 'dibao'] })).toBe(
      '2026-03-12',
    );
    expect(paperworkDueOn(cal, '2026-02-13', demo.temporary)).toBe('2026-02-27');
    expect(clockOf(cal, '2026-02-13', '2026-02-24', '2026-02-23')).toMatchObject({
      elapsedWorkingDays: 1,
      remainingWorkingDays: 1,
    });
  });

  it('has no clock while documents are missing or after closing; the notice is due when it ends; overrides count', () => {
    expect(stepDueOn(cal, 'missing_docs', '2025-09-30', standards)).toBeNull();
    expect(stepDueOn(cal, 'enrolled', '2025-09-30', standards)).toBeNull();
    expect(stepDueOn(cal, 'notice', '2025-09-30', standards, { noticeEndsOn: '2025-10-07' })).toBe('2025-10-07');
    const typhoon = createCalendar([{ date: '2025-10-09', isWorkingDay: false, note: '台风停工' }]);
    expect(stepDueOn(typhoon, 'accepted', '2025-09-30', standards)).toBe('2025-10-13');
    expect(nextMonth('2025-12-31')).toBe('2026-01');
    expect(nextMonth('2026-02-28')).toBe('2026-03');
  });
});

let t: TestApp;
let lingchuan: Agent;
let chengxiang: Agent;
let qiulu: Agent;
let worker: Agent;
let admin: Agent;
let seq = 0;
const deps = () => ({ db: t.database.db, protector: t.app.deps.protector, config: t.config });

async function registerHousehold(village: string, assistanceStatus = 'none') {
  const idNumber = makeIdNumber(village.slice(0, 6), '1958-03-0' + ((seq % 9) + 1), 800 + ++seq);
  const res = await admin.request('POST', '/api/households', {
    regionCode: village,
    address: '云庄村5组12号',
    assistanceStatus,
    members: [{ name: '林户主', idNumber, relation: 'head', hukouType: 'rural' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  const h = res.json();
  return { householdId: h.id as string, memberId: h.members[0].id as string, idNumber };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  chengxiang = await t.login('chengxiang');
  qiulu = await t.login('qiulu');
  const res = await admin.request('POST', '/api/users', {
    username: 'gw.intake',
    displayName: 'gw.intake',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-password-1',
  });
  expect(res.statusCode, res.body).toBe(201);
  worker = await t.login('gw.intake', 'grid-password-1');
});
afterAll(() => t?.close());

describe('applications', () => {
  it('checks each ID number with the validator’s reason, the applicant first, no ID twice, a real village', async () => {
    const input = applicationInput(YUNZHUANG, {}, 3);
    const bad = input.members[1]!.idNumber.slice(0, 17) + (input.members[1]!.idNumber.endsWith('0') ? '1' : '0');
    let res = await lingchuan.request('POST', '/api/cases', {
      ...input,
      members: [input.members[0], { ...input.members[1], idNumber: bad }, input.members[0]],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields as { path: string; message: string }[];
    expect(fields.find((f) => f.path === 'members.1.idNumber')!.message).toContain('校验码错误');
    expect(fields.map((f) => f.path)).toContain('members.2.idNumber');
    expect(fields.map((f) => f.path)).toContain('members.2.relation');

    res = await lingchuan.request(
      'POST',
      '/api/cases',
      { ...input, members: [{ ...input.members[0], relation: 'spouse' }] },
      { 'accept-language': 'en-US' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([
      { path: 'members.0.relation', message: expect.stringContaining('applicant') },
    ]);

    res = await lingchuan.request('POST', '/api/cases', { ...input, villageCode: '350302102999' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('villageCode');
    res = await lingchuan.request('POST', '/api/cases', { ...input, consent: false });
    expect(res.statusCode).toBe(400);
  });

  it('takes a grid worker’s application in her village only, and refuses other regions', async () => {
    const res = await worker.request('POST', '/api/cases', applicationInput(YUNZHUANG));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'grid', regionCode: YUNZHUANG, regionName: '云庄村委会' });
    expect((await worker.request('POST', '/api/cases', applicationInput('350302102202'))).statusCode).toBe(403);
    expect((await lingchuan.request('POST', '/api/cases', applicationInput(DONGZHANG))).statusCode).toBe(403);
    expect((await chengxiang.request('POST', '/api/cases', applicationInput(YUNZHUANG))).statusCode).toBe(403);
  });

  it('blocks a second application for a person with an open case, an enrolment or assistance, with the link', async () => {
    const first = await submitCase(deps(), applicationInput(YUNZHUANG, {}, 2));
    const firstInput = await t.database.db
      .selectFrom('cases')
      .select('case_no')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();

    const dupInput = applicationInput(YUNZHUANG, {}, 1);
    // Reuse the first application's second member as a member here.
    const stored = await t.database.db
      .selectFrom('case_members')
      .select(['id_enc'])
      .where('case_id', '=', first.id)
      .where('n', '=', 2)
      .executeTakeFirstOrThrow();
    const idNumber = t.app.deps.protector.decrypt(stored.id_enc, 'case_member.id_number');
    dupInput.members.push({ name: '林家1', idNumber, relation: 'spouse' });
    let res = await lingchuan.request('POST', '/api/cases', dupInput);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual({ caseId: first.id, caseNo: firstInput.case_no, householdId: null });
    expect(res.json().error.message).toContain(firstInput.case_no);
    // Someone of another township is told without the case number or a link.
    const other = await qiulu.request('POST', '/api/cases', { ...dupInput, villageCode: DONGZHANG });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.details).toEqual({ caseId: null, caseNo: null, householdId: null });
    expect(other.body).not.toContain(firstInput.case_no);

    // Enrolled: still blocked, now as an enrolment.
    await driveCase(deps(), first.id, 'enrolled');
    res = await lingchuan.request('POST', '/api/cases', dupInput);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('已纳入保障');
    expect(res.json().error.details.caseId).toBe(first.id);

    // A registry household already receiving 低保.
    const h = await registerHousehold(YUNZHUANG, 'dibao');
    const input = applicationInput(YUNZHUANG, {}, 1);
    input.members[0] = { name: '林户主', idNumber: h.idNumber, relation: 'self' };
    res = await lingchuan.request('POST', '/api/cases', input);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual({ caseId: null, caseNo: null, householdId: h.householdId });
  });

  it('links the registry household and the lead; enrolment sets the household’s assistance status', async () => {
    const h = await registerHousehold(YUNZHUANG);
    await plantLeadSignal(t.database.db, h);
    await dispatchNewLeads({ db: t.database.db, config: t.config });
    const lead = await t.database.db
      .selectFrom('leads')
      .select('id')
      .where('household_id', '=', h.householdId)
      .executeTakeFirstOrThrow();
    const input = { ...applicationInput(YUNZHUANG, {}, 1), leadId: lead.id };
    input.members[0] = { name: '林户主', idNumber: h.idNumber, relation: 'self' };
    expect((await qiulu.request('POST', '/api/cases', { ...input, villageCode: DONGZHANG })).statusCode).toBe(400);
    const res = await worker.request('POST', '/api/cases', input);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ leadId: lead.id, householdId: h.householdId, channel: 'grid' });
    const leadRow = await t.database.db
      .selectFrom('leads')
      .select('status')
      .where('id', '=', lead.id)
      .executeTakeFirstOrThrow();
    expect(leadRow.status).toBe('open');
    await driveCase(deps(), res.json().id, 'enrolled');
    const household = await admin.request('GET', `/api/households/${h.householdId}`);
    expect(household.json().assistanceStatus).toBe('dibao');
  });

  it('a retried application with the same Idempotency-Key gives the same case', async () => {
    const input = applicationInput(YUNZHUANG);
    const key = { 'idempotency-key': 'apply-once-1' };
    const a = await lingchuan.request('POST', '/api/cases', input, key);
    const b = await lingchuan.request('POST', '/api/cases', input, key);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().id).toBe(a.json().id);
  });

  it('a double submit (both sent before either answers) opens one case and answers both with it', async () => {
    const input = applicationInput(YUNZHUANG);
    const key = { 'idempotency-key': 'apply-once-2' };
    const [a, b] = await Promise.all([
      lingchuan.request('POST', '/api/cases', input, key),
      lingchuan.request('POST', '/api/cases', input, key),
    ]);
    expect([a.statusCode, b.statusCode], b.body).toEqual([201, 201]);
    expect(b.json().id).toBe(a.json().id);
    const submits = await t.database.db
      .selectFrom('case_actions')
      .select('case_id')
      .where('action', '=', 'submit')
      .where('idempotency_key', '=', 'apply-once-2')
      .execute();
    expect(submits).toHaveLength(1);
  });
});

describe('lists, inboxes and overdue cases', () => {
  it('shows each role the cases waiting on it, searches by name or number, and counts overdue steps by region', async () => {
    const fresh = await submitCase(deps(), applicationInput(YUNZHUANG));
    const verifying = await submitCase(deps(), applicationInput(YUNZHUANG));
    await driveCase(deps(), verifying.id, 'verifying');
    const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);

    const township = await lingchuan.request('GET', '/api/cases?inbox=true&pageSize=200');
    expect(township.statusCode, township.body).toBe(200);
    expect(ids(township)).toContain(fresh.id);
    expect(ids(township)).not.toContain(verifying.id);
    const county = await chengxiang.request('GET', '/api/cases?inbox=true&pageSize=200');
    expect(ids(county)).toContain(verifying.id);
    expect(ids(county)).not.toContain(fresh.id);
    expect((await qiulu.request('GET', '/api/cases?pageSize=200')).json().total).toBe(0);

    const byNo = await lingchuan.request('GET', `/api/cases?q=${fresh.caseNo}`);
    expect(ids(byNo)).toEqual([fresh.id]);
    const byName = await lingchuan.request('GET', `/api/cases?q=${encodeURIComponent('林申')}&status=verifying`);
    expect(ids(byName)).toEqual([verifying.id]);

    // Time passes: the fresh case's acceptance is overdue.
    await t.database.db
      .updateTable('cases')
      .set({ step_started_on: '2025-09-01', step_due_on: '2025-09-04' })
      .where('id', '=', fresh.id)
      .execute();
    const overdue = await lingchuan.request('GET', '/api/cases?overdue=true&pageSize=200');
    expect(ids(overdue)).toEqual([fresh.id]);
    expect(overdue.json().items[0].step).toMatchObject({ dueOn: '2025-09-04', overdue: true });
    expect(overdue.json().items[0].step.remainingWorkingDays).toBeLessThan(0);
    const notOverdue = await lingchuan.request('GET', '/api/cases?overdue=false&pageSize=200');
    expect(ids(notOverdue)).not.toContain(fresh.id);

    const stats = await chengxiang.request('GET', '/api/cases/overdue');
    expect(stats.statusCode, stats.body).toBe(200);
    const row = stats.json().rows.find((r: { regionCode: string }) => r.regionCode === '350302102');
    expect(row).toMatchObject({ regionName: '灵川镇', overdueSteps: 1 });
    expect(row.open).toBeGreaterThanOrEqual(2);
    expect(stats.json().total).toMatchObject({ regionCode: '350302', overdueSteps: 1 });
    // Every number of 逾期统计 is the total of the list behind it (its link).
    for (const r of [...stats.json().rows, stats.json().total]) {
      const total = async (query: string) =>
        (await chengxiang.request('GET', `/api/cases?region=${r.regionCode}&${query}`)).json().total;
      expect(await total('open=true'), r.regionName).toBe(r.open);
      expect(await total('overdue=step'), r.regionName).toBe(r.overdueSteps);
      expect(await total('overdue=overall'), r.regionName).toBe(r.overdueOverall);
    }
    expect(ids(await chengxiang.request('GET', '/api/cases?region=350302102&overdue=step'))).toEqual([fresh.id]);
    const villages = await lingchuan.request('GET', '/api/cases/overdue');
    expect(villages.json().rows.find((r: { regionCode: string }) => r.regionCode === YUNZHUANG).overdueSteps).toBe(1);
    const elsewhere = await qiulu.request('GET', '/api/cases/overdue');
    expect(elsewhere.json().total).toMatchObject({ open: 0, overdueSteps: 0 });
    expect(chinaToday() > '2025-09-04').toBe(true);
  });
});

describe('the application list for desk work', () => {
  it('has the urgency index on the same open statuses the list orders by (migration 0092)', async () => {
    const def = await sql<{ indexdef: string }>`
      select indexdef from pg_indexes where indexname = 'cases_urgency_idx'`.execute(t.app.deps.db);
    const listed = [...def.rows[0]!.indexdef.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
    expect(listed).toEqual([...OPEN_CASE_STATUSES]);
  });

  it('finds a case by any member’s whole ID number, filters by kind, township and date, and sorts', async () => {
    const input = applicationInput(YUNZHUANG, {}, 2);
    const dibao = await submitCase(deps(), input);
    await driveCase(deps(), dibao.id, 'determined');
    const temporary = await submitCase(deps(), applicationInput(YUNZHUANG));
    await driveCase(deps(), temporary.id, 'determined', {
      kinds: [{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 150_000 }],
    });
    const elsewhere = await submitCase(deps(), applicationInput(DONGZHANG));
    const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);
    const list = (agent: Agent, query: string) => agent.request('GET', `/api/cases?pageSize=200&${query}`);

    // The spouse's number finds the case; a typed-in number with spaces and a lower-case x is the same number.
    const spouseId = input.members[1]!.idNumber;
    const bySpouse = await list(lingchuan, `q=${encodeURIComponent(` ${spouseId.slice(0, 6)} ${spouseId.slice(6)}`)}`);
    expect(bySpouse.statusCode, bySpouse.body).toBe(200);
    expect(ids(bySpouse)).toEqual([dibao.id]);
    // A number elsewhere finds nothing for a township outside its region.
    const other = (await list(qiulu, `q=${input.members[0]!.idNumber}`)).json();
    expect(other.total).toBe(0);

    const byKind = await list(lingchuan, 'kind=temporary');
    expect(ids(byKind)).toContain(temporary.id);
    expect(ids(byKind)).not.toContain(dibao.id);
    const row = byKind.json().items.find((i: { id: string }) => i.id === temporary.id);
    expect(row).toMatchObject({ kinds: ['temporary'], townshipName: '灵川镇', regionName: expect.any(String) });

    // The county filters by township; the city sees both townships and narrows to one.
    const county = await list(chengxiang, 'region=350302102');
    expect(ids(county)).toEqual(expect.arrayContaining([dibao.id, temporary.id]));
    expect(ids(county)).not.toContain(elsewhere.id);
    expect(ids(await list(admin, 'region=350303105'))).toContain(elsewhere.id);
    expect(ids(await list(admin, 'region=350303105'))).not.toContain(dibao.id);
    // A region outside the caller's own finds nothing (scope first, then the filter).
    expect((await list(lingchuan, 'region=350303105')).json().total).toBe(0);

    const today = chinaToday();
    expect(ids(await list(lingchuan, `from=${today}&to=${today}`))).toContain(dibao.id);
    expect((await list(lingchuan, 'to=2020-01-01')).json().total).toBe(0);
    // Dates are China's: a case made at 00:30 on 2 March in China (16:30 UTC on 1 March) is of 2 March.
    await t.database.db
      .updateTable('cases')
      .set({ created_at: new Date('2021-03-01T16:30:00Z') })
      .where('id', '=', temporary.id)
      .execute();
    expect(ids(await list(lingchuan, 'from=2021-03-02&to=2021-03-02'))).toEqual([temporary.id]);
    expect(ids(await list(lingchuan, 'from=2021-03-01&to=2021-03-01'))).toEqual([]);
    expect(ids(await list(lingchuan, 'to=2021-03-02'))).toEqual([temporary.id]);
    expect(ids(await list(lingchuan, 'to=2021-03-01'))).toEqual([]);
    expect(ids(await list(lingchuan, 'from=2021-03-03&to=2021-12-31'))).toEqual([]);

    const asc = ids(await list(admin, 'sort=caseNo&order=asc'));
    const desc = ids(await list(admin, 'sort=caseNo&order=desc'));
    expect(asc.length).toBeGreaterThan(2);
    expect(desc).toEqual([...asc].reverse());
    expect((await list(admin, 'sort=idHash')).statusCode).toBe(400);
  });
});
