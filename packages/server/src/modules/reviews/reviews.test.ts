/**
 * Scheduled reviews (定期核查): the daily job creates one task per enrolment and period (a rerun
 * adds nothing), at the configured interval of the household's category; a review goes survey →
 * verification → re-determination → decision, and the decision writes the enrolment change at the
 * configured approval level; everything is region-scoped.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, createCalendar, makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { applicationInput, driveCase, submitCase } from '../../demo/case-driver';
import { runAsSystem } from '../../context';
import { insertEnrolments } from '../enrolments/create';
import { lastWorkingDayOf, scheduleReviews } from './schedule';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村

let t: TestApp;
let admin: Agent;
let lingchuan: Agent;
let chengxiang: Agent;
let qiulu: Agent;
let worker: Agent;
let seq = 0;
const deps = () => ({ db: t.database.db, protector: t.app.deps.protector, config: t.config });
const next = addMonths(chinaToday().slice(0, 7), 1);
const silent = pino({ level: 'silent' });
const runJob = (today: string) => runAsSystem('test', silent, () => scheduleReviews(deps(), today));

/** A registry household of two in 云庄村, enrolled in 低保 from next month by an approved case. */
async function enrolledHousehold(born: [string, string]) {
  seq++;
  const head = makeIdNumber('350302', born[0], 700 + seq);
  const spouse = makeIdNumber('350302', born[1], 900 + seq);
  const members = [
    { name: `林核查${seq}`, idNumber: head, relation: 'head', hukouType: 'rural' },
    { name: `陈核查${seq}`, idNumber: spouse, relation: 'spouse', hukouType: 'rural' },
  ];
  const res = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '云庄村5组1号',
    members,
  });
  expect(res.statusCode, res.body).toBe(201);
  const input = applicationInput(YUNZHUANG);
  input.members = [
    { name: members[0]!.name, idNumber: head, relation: 'self' },
    { name: members[1]!.name, idNumber: spouse, relation: 'spouse' },
  ];
  const c = await submitCase(deps(), input);
  await driveCase(deps(), c.id, 'enrolled', {
    kinds: [{ kind: 'dibao', monthlyAmountFen: 60_000, oneOffAmountFen: 0 }],
  });
  const list = (await lingchuan.request('GET', `/api/enrolments?householdId=${res.json().id}`)).json();
  return list.items[0].id as string;
}

let elderly: string; // nobody can work: yearly
let working: string; // working age: every 6 months
let edge: string; // 低保边缘 loaded 13 months ago: its yearly review fell due last month
const thisMonth = chinaToday().slice(0, 7);

/** A 低保边缘 enrolment loaded with its history (as the caseload import does), from `fromMonth`. */
async function loadedEdge(fromMonth: string) {
  const res = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '云庄村5组9号',
    members: [
      { name: '黄边缘', idNumber: makeIdNumber('350302', '1970-01-05', 811), relation: 'head', hukouType: 'rural' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const head = res.json().members[0];
  const [id] = await t.database.db.transaction().execute((trx) =>
    insertEnrolments(trx, [
      {
        kind: 'dibao_edge',
        householdId: res.json().id,
        regionCode: YUNZHUANG,
        source: 'import',
        fromMonth,
        monthlyAmountFen: 0,
        members: [
          {
            idHash: head.idHash ?? `edge-${head.id}`,
            memberId: head.id,
            name: head.name,
            idMasked: head.idMasked,
            relation: 'head',
          },
        ],
        approvalLevel: 'county',
        reason: 'import',
      },
    ]),
  );
  return id!;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  chengxiang = await t.login('chengxiang');
  qiulu = await t.login('qiulu');
  const res = await admin.request('POST', '/api/users', {
    username: 'gw.reviews',
    displayName: 'gw.reviews',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-password-1',
  });
  expect(res.statusCode, res.body).toBe(201);
  worker = await t.login('gw.reviews', 'grid-password-1');
  elderly = await enrolledHousehold(['1950-03-02', '1952-06-07']);
  working = await enrolledHousehold(['1988-03-02', '1990-06-07']);
  edge = await loadedEdge(addMonths(thisMonth, -13));
}, 60_000);
afterAll(() => t?.close());

const reviewsOf = async (enrolmentId: string) =>
  t.database.db.selectFrom('reviews').selectAll().where('enrolment_id', '=', enrolmentId).execute();

describe('the review job', () => {
  it('creates one task per enrolment and period at the configured interval; a rerun adds nothing', async () => {
    const sixth = addMonths(next, 6);
    const first = await runJob(`${sixth}-10`);
    expect(first.created).toBe(1);
    expect(await runJob(`${sixth}-10`)).toMatchObject({ created: 0 });
    expect(await runJob(`${sixth}-28`)).toMatchObject({ created: 0 });
    const [w] = await reviewsOf(working);
    const calendar = createCalendar();
    expect(w).toMatchObject({
      period: sixth,
      due_on: lastWorkingDayOf(calendar, sixth),
      category: 'other',
      interval_months: 6,
      status: 'open',
      township_code: '350302102',
    });
    expect(calendar.isWorkingDay(w!.due_on)).toBe(true);
    expect(await reviewsOf(elderly)).toHaveLength(0);

    // A year on: the household nobody in which can work falls due; the other still has its review open.
    const twelfth = addMonths(next, 12);
    expect(await runJob(`${twelfth}-03`)).toMatchObject({ created: 1 });
    expect(await runJob(`${twelfth}-03`)).toMatchObject({ created: 0 });
    expect(await reviewsOf(elderly)).toEqual([
      expect.objectContaining({ period: twelfth, category: 'unable_to_work', interval_months: 12 }),
    ]);
    expect(await reviewsOf(working)).toHaveLength(1);
    // The enrolment list's "review due" filter sees it.
    const due = (await lingchuan.request('GET', `/api/enrolments?reviewDueBy=${addMonths(twelfth, 1)}-01`)).json();
    expect(due.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([elderly, working]));

    // An enrolment loaded with a start 13 months ago (低保边缘, yearly) fell due last month: overdue today.
    expect(await runJob(chinaToday())).toMatchObject({ created: 1 });
    expect(await runJob(chinaToday())).toMatchObject({ created: 0 });
    const [o] = await reviewsOf(edge);
    expect(o).toMatchObject({ period: addMonths(thisMonth, -1), category: 'single', interval_months: 12 });
    expect(o!.due_on < chinaToday()).toBe(true);
  });

  it('lists the reviews of the caller’s region with open and overdue counts, and nothing of another', async () => {
    const page = (await lingchuan.request('GET', '/api/reviews')).json();
    expect(page).toMatchObject({ total: 3, open: 3, overdue: 1 });
    // The overdue one first (the earliest due), marked overdue.
    expect(page.items.map((i: { enrolmentId: string }) => i.enrolmentId)).toEqual([edge, working, elderly]);
    expect(page.items[0]).toMatchObject({ kind: 'dibao_edge', overdue: true, category: 'single' });
    expect((await lingchuan.request('GET', '/api/reviews?overdue=true')).json().total).toBe(1);
    expect((await chengxiang.request('GET', '/api/reviews?kind=dibao&status=open')).json().total).toBe(2);
    expect((await worker.request('GET', '/api/reviews')).json().total).toBe(3);
    const other = await qiulu.request('GET', '/api/reviews');
    expect(other.json()).toMatchObject({ total: 0, items: [] });
    expect((await qiulu.request('GET', `/api/reviews?regionCode=350302`)).statusCode).toBe(403);
    const id = page.items[0].id;
    expect((await qiulu.request('GET', `/api/reviews/${id}`)).statusCode).toBe(404);
    const survey = { visitedOn: chinaToday(), visitors: '林某、陈某', findings: '入户核查' };
    expect((await qiulu.request('POST', `/api/reviews/${id}/survey`, survey)).statusCode).toBe(404);
  });
});

describe('a review', () => {
  it('goes survey → verification → re-determination → decision, which writes the change at the configured level', async () => {
    const [v] = await reviewsOf(elderly);
    const url = `/api/reviews/${v!.id}`;
    let d = (await worker.request('GET', url)).json();
    expect(d).toMatchObject({ status: 'open', approvalLevel: 'county', allowedActions: ['survey'] });
    // Steps out of order are refused.
    expect((await lingchuan.request('POST', `${url}/verify`, {})).statusCode).toBe(409);

    const survey = {
      visitedOn: chinaToday(),
      visitors: '网格员林某、陈某',
      findings: '家庭情况无变化',
      otherIncomeFen: 20_000,
    };
    let res = await worker.request('POST', `${url}/survey`, survey, { 'idempotency-key': 'r-survey-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'surveyed', survey: { otherIncomeFen: 20_000 } });
    // A grid worker records the visit only.
    expect((await worker.request('POST', `${url}/verify`, {})).statusCode).toBe(403);

    res = await lingchuan.request('POST', `${url}/verify`, { note: '部门数据无异常' });
    expect(res.statusCode, res.body).toBe(200);
    d = res.json();
    expect(d.status).toBe('verified');
    expect(d.report).toMatchObject({ members: 2, monthlyIncomeFen: 20_000 });

    res = await lingchuan.request('POST', `${url}/determine`, {});
    expect(res.statusCode, res.body).toBe(200);
    d = res.json();
    expect(d.status).toBe('determined');
    const proposed = d.determination.kinds.find((k: { kind: string }) => k.kind === 'dibao');
    expect(proposed.monthlyAmountFen).toBeGreaterThan(0);
    // The county approves 低保 changes here: the township may not decide.
    expect(d.allowedActions).toEqual([]);
    const decide = { decision: 'change_amount', amountFen: proposed.monthlyAmountFen, note: '复核调整' };
    res = await lingchuan.request('POST', `${url}/decide`, decide);
    expect(res.statusCode, res.body).toBe(403);

    res = await chengxiang.request('POST', `${url}/decide`, decide, { 'idempotency-key': 'r-decide-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'decided', decision: 'change_amount', decidedOn: chinaToday() });
    // The same request again changes nothing; another decision is refused.
    res = await chengxiang.request('POST', `${url}/decide`, decide, { 'idempotency-key': 'r-decide-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await chengxiang.request('POST', `${url}/decide`, decide)).statusCode).toBe(409);

    const e = (await lingchuan.request('GET', `/api/enrolments/${elderly}`)).json();
    const changes = e.changes.filter((c: { type: string }) => c.type === 'amount_changed');
    expect(changes).toEqual([
      expect.objectContaining({
        effectiveMonth: next,
        amountFen: proposed.monthlyAmountFen,
        reason: 'review',
        reviewId: v!.id,
        approvalLevel: 'county',
        actor: 'chengxiang',
      }),
    ]);
    expect(e.reviewDueOn).toBeNull();
    // Audited, step by step.
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', v!.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['review.survey', 'review.verify', 'review.determine', 'review.decide']);
    // Decided: the next period may be scheduled.
    expect(await runJob(`${addMonths(next, 24)}-03`)).toMatchObject({ created: 1 });
  });

  it('an end decision ends the enrolment from next month', async () => {
    const [v] = await reviewsOf(working);
    const url = `/api/reviews/${v!.id}`;
    const survey = { visitedOn: chinaToday(), visitors: '林某、陈某', findings: '夫妻二人均已就业' };
    expect((await lingchuan.request('POST', `${url}/survey`, survey)).statusCode).toBe(200);
    expect((await lingchuan.request('POST', `${url}/verify`, {})).statusCode).toBe(200);
    expect((await lingchuan.request('POST', `${url}/determine`, {})).statusCode).toBe(200);
    const bad = await chengxiang.request('POST', `${url}/decide`, { decision: 'end' });
    expect(bad.statusCode).toBe(400);
    const res = await chengxiang.request('POST', `${url}/decide`, { decision: 'end', reason: 'income_above_line' });
    expect(res.statusCode, res.body).toBe(200);
    const e = (await lingchuan.request('GET', `/api/enrolments/${working}`)).json();
    expect(e.changes.at(-1)).toMatchObject({ type: 'ended', effectiveMonth: next, reason: 'income_above_line' });
    expect(e.endsMonth).toBe(next);
  });
});

describe('signals act', () => {
  /** A death signal (rule death.recipient) on a registry member, as a collision run raises it. */
  async function deathSignal(memberId: string, key: string) {
    const db = t.database.db;
    const m = await db
      .selectFrom('members')
      .select(['id_hash', 'household_id', 'region_code'])
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    const rule = await db
      .selectFrom('collision_rules')
      .select(['id', 'current_version'])
      .where('code', '=', 'death.recipient')
      .executeTakeFirstOrThrow();
    const s = await db
      .insertInto('signals')
      .values({
        rule_id: rule.id,
        rule_version: rule.current_version,
        outcome: 'stop',
        dedupe_key: key,
        id_hash: m.id_hash,
        member_id: memberId,
        household_id: m.household_id,
        region_code: m.region_code,
        detail: JSON.stringify({ eventDate: chinaToday() }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return s.id;
  }

  /** A 低保 enrolment of the given registry people (all of one household), loaded as the import does. */
  async function enrolPeople(householdId: string, people: { id: string; name: string; idMasked: string }[]) {
    const hashes = await t.database.db
      .selectFrom('members')
      .select(['id', 'id_hash'])
      .where(
        'id',
        'in',
        people.map((p) => p.id),
      )
      .execute();
    const hashOf = new Map(hashes.map((h) => [h.id, h.id_hash]));
    const [id] = await t.database.db.transaction().execute((trx) =>
      insertEnrolments(trx, [
        {
          kind: 'dibao',
          householdId,
          regionCode: YUNZHUANG,
          source: 'import',
          fromMonth: addMonths(thisMonth, -3),
          monthlyAmountFen: 50_000,
          members: people.map((p, i) => ({
            idHash: hashOf.get(p.id)!,
            memberId: p.id,
            name: p.name,
            idMasked: p.idMasked,
            relation: i === 0 ? 'head' : 'spouse',
          })),
          approvalLevel: 'county',
          reason: 'import',
        },
      ]),
    );
    return id!;
  }

  async function household(names: string[]) {
    const res = await admin.request('POST', '/api/households', {
      regionCode: YUNZHUANG,
      address: '云庄村7组2号',
      members: names.map((name, i) => ({
        name,
        idNumber: makeIdNumber('350302', `1940-0${i + 1}-1${i}`, 600 + ++seq),
        relation: i === 0 ? 'head' : 'spouse',
        hukouType: 'rural',
      })),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; members: { id: string; name: string; idMasked: string }[] };
  }

  it('a death record of the only member proposes the end; the township confirms it in one step', async () => {
    const h = await household(['郑独居']);
    const enrolmentId = await enrolPeople(h.id, h.members);
    const signalId = await deathSignal(h.members[0]!.id, 'test-death-only');
    const view = (await lingchuan.request('GET', `/api/signals/${signalId}/enrolments`)).json();
    expect(view).toMatchObject({
      death: true,
      items: [{ enrolmentId, onlyMember: true, proposal: 'end', effectiveMonth: next }],
    });
    expect((await qiulu.request('GET', `/api/signals/${signalId}/enrolments`)).statusCode).toBe(404);
    const body = { enrolmentId, action: 'confirm_end', note: '死亡记录核实' };
    // The township confirms, not the county (even though 低保 changes are the county's here).
    expect((await chengxiang.request('POST', `/api/signals/${signalId}/act`, body)).statusCode).toBe(403);
    expect((await qiulu.request('POST', `/api/signals/${signalId}/act`, body)).statusCode).toBe(404);
    const res = await lingchuan.request('POST', `/api/signals/${signalId}/act`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ reviewId: null, endsMonth: next });
    const e = (await lingchuan.request('GET', `/api/enrolments/${enrolmentId}`)).json();
    expect(e.changes.at(-1)).toMatchObject({
      type: 'ended',
      effectiveMonth: next,
      reason: 'death',
      approvalLevel: 'township',
      actor: 'lingchuan',
      signalId,
    });
    const s = (await lingchuan.request('GET', `/api/signals/${signalId}`)).json();
    expect(s.status).toBe('resolved');
    // Ended: nothing more to propose.
    const after = await lingchuan.request('GET', `/api/signals/${signalId}/enrolments`);
    expect(after.json().items, after.body).toEqual([]);
  });

  it('any other signal opens a review with the proposal noted, not an end', async () => {
    const h = await household(['郑夫', '郑妻']);
    const enrolmentId = await enrolPeople(h.id, h.members);
    const signalId = await deathSignal(h.members[1]!.id, 'test-death-spouse');
    const view = (await lingchuan.request('GET', `/api/signals/${signalId}/enrolments`)).json();
    expect(view.items).toEqual([expect.objectContaining({ enrolmentId, onlyMember: false, proposal: 'review' })]);
    const confirm = await lingchuan.request('POST', `/api/signals/${signalId}/act`, {
      enrolmentId,
      action: 'confirm_end',
    });
    expect(confirm.statusCode).toBe(409);
    const res = await chengxiang.request('POST', `/api/signals/${signalId}/act`, {
      enrolmentId,
      action: 'open_review',
      propose: 'suspend',
      note: '成员死亡，重新核定',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { reviewId } = res.json();
    const r = (await lingchuan.request('GET', `/api/reviews/${reviewId}`)).json();
    expect(r).toMatchObject({ source: 'signal', status: 'open', enrolmentId, period: thisMonth });
    expect(r.actions[0].data).toMatchObject({ source: 'signal', signalId, proposal: 'suspend' });
    expect((await lingchuan.request('GET', `/api/signals/${signalId}`)).json().status).toBe('in_progress');
    // Again: the open review is the one.
    const again = await lingchuan.request('POST', `/api/signals/${signalId}/act`, {
      enrolmentId,
      action: 'open_review',
    });
    expect(again.json().reviewId).toBe(reviewId);
  });
});

describe('long-term public notice (长期公示)', () => {
  it('lists the current 低保 / 特困 recipients of a village with name, members, kind and amount only', async () => {
    const res = await t.anonymous.request('GET', `/api/public/recipients?region=${YUNZHUANG}`);
    expect(res.statusCode, res.body).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(items.length);
    // Loaded three months ago and in force: listed; enrolled from next month or 低保边缘: not.
    expect(items).toContainEqual({
      villageCode: YUNZHUANG,
      villageName: '云庄村委会',
      townshipName: '灵川镇',
      name: '郑夫',
      members: 2,
      kind: 'dibao',
      monthlyAmountFen: 50_000,
    });
    const names = items.map((i: { name: string }) => i.name);
    expect(names).not.toContain('黄边缘');
    // Ended from next month (the death of the only member, above): still paid, so still listed, this month.
    expect(names).toContain('郑独居');
    expect(names.some((n: string) => n.includes('核查'))).toBe(false);
    for (const i of items) expect(Object.keys(i).sort()).toEqual(Object.keys(items[0]).sort());
    expect(res.body).not.toMatch(/\d{6}(19|20)\d{2}/);
    // A whole city's roll is not handed out.
    expect((await t.anonymous.request('GET', '/api/public/recipients?region=3503')).statusCode).toBe(400);
    expect((await t.anonymous.request('GET', '/api/public/recipients?region=350303105201')).json().total).toBe(0);
  });
});
