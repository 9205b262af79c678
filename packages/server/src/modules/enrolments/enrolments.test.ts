import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { applicationInput, driveCase, submitCase } from '../../demo/case-driver';
import { listEntitlements } from './service';
import { runWithContext } from '../../context';
import pino from 'pino';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村

let t: TestApp;
let lingchuan: Agent;
let chengxiang: Agent;
let qiulu: Agent;
let admin: Agent;
let seq = 0;
const deps = () => ({ db: t.database.db, protector: t.app.deps.protector, config: t.config });
const thisMonth = chinaToday().slice(0, 7);
const next = addMonths(thisMonth, 1);

/** A registry household of two in 云庄村 and an approved 低保 application for it (600 yuan a month). */
async function enrolledHousehold(amountFen = 60_000) {
  seq++;
  const head = makeIdNumber('350302', `1960-04-1${seq % 10}`, 300 + seq);
  const spouse = makeIdNumber('350302', `1962-05-1${seq % 10}`, 500 + seq);
  const res = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '云庄村3组8号',
    members: [
      { name: `林在册${seq}`, idNumber: head, relation: 'head', hukouType: 'rural' },
      { name: `陈在册${seq}`, idNumber: spouse, relation: 'spouse', hukouType: 'rural' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const household = res.json();
  const input = applicationInput(YUNZHUANG);
  input.members = [
    { name: `林在册${seq}`, idNumber: head, relation: 'self' },
    { name: `陈在册${seq}`, idNumber: spouse, relation: 'spouse' },
  ];
  const c = await submitCase(deps(), input);
  await driveCase(deps(), c.id, 'enrolled', {
    kinds: [{ kind: 'dibao', monthlyAmountFen: amountFen, oneOffAmountFen: 0 }],
  });
  const list = (await lingchuan.request('GET', `/api/enrolments?householdId=${household.id}`)).json();
  expect(list.total).toBe(1);
  return { householdId: household.id as string, enrolmentId: list.items[0].id as string, caseId: c.id, household };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  chengxiang = await t.login('chengxiang');
  qiulu = await t.login('qiulu');
});
afterAll(() => t?.close());

describe('enrolments', () => {
  it('an approved case enrols the household from next month and derives its status', async () => {
    const { householdId, enrolmentId, caseId } = await enrolledHousehold();
    const e = (await lingchuan.request('GET', `/api/enrolments/${enrolmentId}`)).json();
    expect(e).toMatchObject({
      kind: 'dibao',
      status: 'active',
      source: 'case',
      caseId,
      householdId,
      fromMonth: next,
      monthlyAmountFen: 60_000,
      members: 2,
      approvalLevel: 'county',
      regionName: '云庄村委会',
    });
    expect(e.changes).toEqual([
      expect.objectContaining({ seq: 1, type: 'enrolled', effectiveMonth: next, amountFen: 60_000, members: 2 }),
    ]);
    expect(e.coveredMembers.map((m: { covered: boolean }) => m.covered)).toEqual([true, true]);
    // A township account sees the enrolment but the county approves its changes here.
    expect(e.allowedChanges).toEqual([]);
    const county = (await chengxiang.request('GET', `/api/enrolments/${enrolmentId}`)).json();
    expect(county.allowedChanges).toEqual(
      expect.arrayContaining(['amount_changed', 'suspended', 'gradual_exit_started', 'ended']),
    );
    const h = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    expect(h.assistanceStatus).toBe('dibao');
    // Another township sees nothing of it.
    expect((await qiulu.request('GET', `/api/enrolments/${enrolmentId}`)).statusCode).toBe(404);
    expect((await qiulu.request('GET', `/api/enrolments?householdId=${householdId}`)).json().total).toBe(0);
    expect((await qiulu.request('GET', `/api/enrolments?regionCode=350302`)).statusCode).toBe(403);
  });

  it('month by month through amount change → suspension → resumption → gradual exit → end', async () => {
    const { householdId, enrolmentId } = await enrolledHousehold();
    const url = (p: string) => `/api/enrolments/${enrolmentId}/${p}`;
    const m = (n: number) => addMonths(next, n);
    // The township may not decide a county-level change.
    const denied = await lingchuan.request('POST', url('amount'), { amountFen: 45_000, note: '收入增加' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.message).toContain('县区');

    let res = await chengxiang.request(
      'POST',
      url('amount'),
      { amountFen: 45_000, effectiveMonth: m(2), note: '子女务工收入增加' },
      { 'idempotency-key': 'amount-1' },
    );
    expect(res.statusCode, res.body).toBe(200);
    // The same key again records nothing.
    res = await chengxiang.request(
      'POST',
      url('amount'),
      { amountFen: 45_000, effectiveMonth: m(2), note: '子女务工收入增加' },
      { 'idempotency-key': 'amount-1' },
    );
    expect(res.json().changes).toHaveLength(2);
    res = await chengxiang.request('POST', url('suspend'), { effectiveMonth: m(4), note: '未按期参加核查' });
    expect(res.json().status).toBe('suspended');
    // Resuming is the one thing a suspended enrolment can't do twice; a second suspension is refused.
    expect((await chengxiang.request('POST', url('suspend'), { note: '重复' })).statusCode).toBe(409);
    res = await chengxiang.request('POST', url('resume'), { effectiveMonth: m(6), note: '已完成核查' });
    expect(res.json().status).toBe('active');
    // Effective months never go back before the last change.
    const back = await chengxiang.request('POST', url('gradual-exit'), { effectiveMonth: m(5), note: '就业' });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.fields[0].path).toBe('effectiveMonth');
    res = await chengxiang.request('POST', url('gradual-exit'), { effectiveMonth: m(7), note: '户主实现就业' });
    expect(res.json()).toMatchObject({ status: 'gradual_exit', endsMonth: m(13) });
    res = await chengxiang.request('POST', url('end'), {
      reason: 'income_above_line',
      effectiveMonth: m(10),
      note: '收入超过标准',
    });
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json();
    expect(e).toMatchObject({ status: 'ended', endsMonth: m(10), allowedChanges: [] });
    expect(e.changes.map((c: { type: string }) => c.type)).toEqual([
      'enrolled',
      'amount_changed',
      'suspended',
      'resumed',
      'gradual_exit_started',
      'ended',
    ]);
    expect(e.changes[4]).toMatchObject({ months: 6, approvalLevel: 'county', actor: 'chengxiang' });
    expect(e.changes[5]).toMatchObject({ reason: 'income_above_line', note: '收入超过标准' });
    const months = Object.fromEntries(
      e.months.map((x: { month: string; state: string; amountFen: number }) => [x.month, [x.state, x.amountFen]]),
    );
    expect(months).toMatchObject({
      [m(0)]: ['active', 60_000],
      [m(1)]: ['active', 60_000],
      [m(2)]: ['active', 45_000],
      [m(3)]: ['active', 45_000],
      [m(4)]: ['suspended', 0],
      [m(5)]: ['suspended', 0],
      [m(6)]: ['active', 45_000],
      [m(7)]: ['gradual_exit', 45_000],
      [m(9)]: ['gradual_exit', 45_000],
      [m(10)]: ['ended', 0],
    });
    // Still on the rolls until the end month comes: the household keeps its status today.
    expect((await lingchuan.request('GET', `/api/households/${householdId}`)).json().assistanceStatus).toBe('dibao');
    // Payroll's view of the months.
    const asSystem = <T>(fn: () => Promise<T>) =>
      runWithContext(
        {
          requestId: null,
          actor: null,
          scope: { kind: 'system', reason: 'test' },
          lang: 'zh-CN',
          log: pino({ level: 'silent' }),
        },
        fn,
      );
    const pay = async (month: string) =>
      (await asSystem(() => listEntitlements(t.database.db, { month, regionCode: YUNZHUANG }))).find(
        (r) => r.enrolmentId === enrolmentId,
      );
    expect(await pay(m(0))).toMatchObject({ amountFen: 60_000, householdId, state: 'active', coveredMembers: 2 });
    expect((await pay(m(0)))!.memberIds).toHaveLength(2);
    expect(await pay(m(4))).toMatchObject({ amountFen: 0, state: 'suspended' });
    expect(await pay(m(8))).toMatchObject({ amountFen: 45_000, state: 'gradual_exit' });
    expect(await pay(m(10))).toBeUndefined();
    expect(await pay(thisMonth)).toBeUndefined();
    expect(e.months[0].month).toBe(next);
    // Every change is audited; the log refuses rewriting.
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', enrolmentId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['enrolment.amount_changed', 'enrolment.suspended', 'enrolment.ended']),
    );
    await expect(
      t.database.db
        .updateTable('enrolment_changes')
        .set({ reason: 'x' })
        .where('enrolment_id', '=', enrolmentId)
        .execute(),
    ).rejects.toThrow(/append-only/);
  });

  it('editing the status by hand is refused; an end keeps the status until the end month comes', async () => {
    const { householdId, enrolmentId } = await enrolledHousehold(30_000);
    let h = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    const members = h.members.map((m: Record<string, unknown>) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      hukouType: m.hukouType,
    }));
    const byHand = await lingchuan.request('PUT', `/api/households/${householdId}`, {
      version: h.version,
      regionCode: YUNZHUANG,
      assistanceStatus: 'none',
      members,
    });
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().error.message).toContain('定期核查');
    // Ended from the start month (as a death before the first payment would be): off the rolls now.
    const res = await chengxiang.request('POST', `/api/enrolments/${enrolmentId}/end`, {
      reason: 'death',
      effectiveMonth: next,
      note: '户主死亡',
    });
    expect(res.statusCode, res.body).toBe(200);
    h = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    // The end is effective next month: this month the household is still counted (nothing paid yet either).
    expect(h.assistanceStatus).toBe('dibao');
    const ended = (await lingchuan.request('GET', `/api/enrolments?status=ended&householdId=${householdId}`)).json();
    expect(ended.total).toBe(1);
  });

  it('lists with filters, search and counts per kind', async () => {
    const all = (await chengxiang.request('GET', '/api/enrolments?pageSize=200')).json();
    expect(all.total).toBeGreaterThanOrEqual(3);
    expect(all.counts.dibao).toBeGreaterThanOrEqual(1);
    const first = all.items[0];
    const byName = (await chengxiang.request('GET', `/api/enrolments?q=${encodeURIComponent(first.name)}`)).json();
    expect(byName.items.map((i: { id: string }) => i.id)).toContain(first.id);
    expect((await chengxiang.request('GET', '/api/enrolments?kind=tekun')).json().total).toBe(0);
    expect((await chengxiang.request('GET', '/api/enrolments?status=bogus')).statusCode).toBe(400);
    expect((await t.anonymous.request('GET', '/api/enrolments')).statusCode).toBe(401);
  });
});
