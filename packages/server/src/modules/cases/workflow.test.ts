import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, type CaseDetail } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { addCalendarDays, nextMonth } from './deadlines';
import { applicationInput, driveCase, passNoticePeriod, submitCase } from '../../demo/case-driver';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村

let t: TestApp;
let lingchuan: Agent; // township officer of 灵川镇
let chengxiang: Agent; // county officer of 城厢区
let qiulu: Agent; // township officer of 萩芦镇 (another county)
let worker: Agent; // grid worker of 云庄村

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const deps = () => ({ db: t.database.db, protector: t.app.deps.protector, config: t.config });

async function post(agent: Agent, url: string, body: unknown = {}, headers?: Record<string, string>) {
  return agent.request('POST', url, body, headers);
}

function survey(extra: Record<string, unknown> = {}) {
  return {
    surveyedOn: chinaToday(),
    staff: ['林调查', '陈调查'],
    findings: '户主长期患病，家中无稳定收入',
    otherIncomeFen: 20_000,
    medicalCostsFen: 5_000,
    unmetAdl: 0,
    ...extra,
  };
}

const OVERRIDE = {
  acceptProposal: false,
  kinds: [{ kind: 'dibao', monthlyAmountFen: 60_000, oneOffAmountFen: 0 }],
  overrideReason: '入户调查发现家庭实际支出大',
};

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  chengxiang = await t.login('chengxiang');
  qiulu = await t.login('qiulu');
  const res = await admin.request('POST', '/api/users', {
    username: 'gw.cases',
    displayName: 'gw.cases',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-password-1',
  });
  expect(res.statusCode, res.body).toBe(201);
  worker = await t.login('gw.cases', 'grid-password-1');
});
afterAll(() => t?.close());

describe('the case workflow over HTTP', () => {
  it('goes from the township window to enrolment, with the timeline and the clocks', async () => {
    const today = chinaToday();
    const input = applicationInput(YUNZHUANG, {}, 3);
    const created = await post(lingchuan, '/api/cases', input);
    expect(created.statusCode, created.body).toBe(201);
    let c = created.json() as CaseDetail;
    expect(c).toMatchObject({ channel: 'window', status: 'submitted', members: 3, applicantName: '林申请' });
    expect(c.caseNo).toMatch(new RegExp(`^SQ${today.slice(0, 4)}\\d{6}$`));
    expect(c.allowedActions.sort()).toEqual(['accept', 'request_documents']);
    expect(c.step).toMatchObject({ startedOn: today, elapsedWorkingDays: 0, overdue: false });
    expect(c.step.dueOn).not.toBeNull();
    expect(c.overall).toBeNull();
    expect(c.phoneMasked).toBe('138****8000');
    for (const m of input.members) expect(created.body).not.toContain(m.idNumber);
    expect(created.body).not.toContain('13800138000');
    expect(created.body).not.toContain('3组45号');
    const id = c.id;

    let res = await post(lingchuan, `/api/cases/${id}/request-documents`, { documents: ['户口簿', '收入证明'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'missing_docs', missingDocuments: ['户口簿', '收入证明'] });
    expect(res.json().step.dueOn).toBeNull();
    // One list of missing documents: a second is the wrong step.
    res = await post(lingchuan, `/api/cases/${id}/request-documents`, { documents: ['户口簿'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('待补齐材料');

    res = await post(lingchuan, `/api/cases/${id}/accept`, { note: '材料已补齐' });
    expect(res.statusCode, res.body).toBe(200);
    c = res.json();
    expect(c.status).toBe('accepted');
    expect(c.overall).toMatchObject({ startedOn: today, elapsedWorkingDays: 0 });
    expect(c.allowedActions).toEqual(['record_survey']);

    // Wrong role for the step, and a bad photo.
    expect((await post(chengxiang, `/api/cases/${id}/survey`, survey())).statusCode).toBe(403);
    res = await post(
      lingchuan,
      `/api/cases/${id}/survey`,
      survey({ photos: [Buffer.from('GIF89a').toString('base64')] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'photos.0', message: '照片须为 JPEG 或 PNG 图片' }]);
    res = await post(lingchuan, `/api/cases/${id}/survey`, survey({ staff: ['林调查', '林调查'] }));
    expect(res.statusCode).toBe(400);
    res = await post(lingchuan, `/api/cases/${id}/survey`, survey({ photos: [PNG] }));
    expect(res.statusCode, res.body).toBe(200);
    c = res.json();
    expect(c.status).toBe('verifying');
    const surveyAction = c.actions.find((a) => a.action === 'record_survey')!;
    expect(surveyAction.data).toMatchObject({
      photos: 1,
      findings: '户主长期患病，家中无稳定收入',
      staff: ['林调查', '陈调查'],
    });
    const photo = await lingchuan.request('GET', `/api/cases/${id}/actions/${surveyAction.seq}/photos/1`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect((await qiulu.request('GET', `/api/cases/${id}/actions/${surveyAction.seq}/photos/1`)).statusCode).toBe(404);
    // Findings are stored encrypted.
    const raw = await t.database.db
      .selectFrom('case_actions')
      .select(['data', 'data_enc'])
      .where('case_id', '=', id)
      .execute();
    expect(JSON.stringify(raw)).not.toContain('户主长期患病');

    expect((await post(lingchuan, `/api/cases/${id}/verification`, {})).statusCode).toBe(403);
    res = await post(chengxiang, `/api/cases/${id}/verification`, { note: '已核对' });
    expect(res.statusCode, res.body).toBe(200);
    c = res.json();
    expect(c.status).toBe('verified');
    expect(c.verification).not.toBeNull();
    expect(c.proposal).not.toBeNull();

    res = await post(lingchuan, `/api/cases/${id}/determine`, { ...OVERRIDE, overrideReason: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('overrideReason');
    res = await post(lingchuan, `/api/cases/${id}/determine`, OVERRIDE);
    expect(res.statusCode, res.body).toBe(200);
    c = res.json();
    expect(c.status).toBe('determined');
    expect(c.determination).toMatchObject({ kinds: OVERRIDE.kinds, overrideReason: OVERRIDE.overrideReason });
    expect(c.approvalLevel).toBe('county');

    res = await post(lingchuan, `/api/cases/${id}/publish-notice`, {});
    expect(res.statusCode, res.body).toBe(200);
    c = res.json();
    const endsOn = addCalendarDays(today, 7);
    expect(c.notice).toEqual({ publishedOn: today, endsOn, objections: 0, status: 'open' });
    expect(c.step.dueOn).toBe(endsOn);
    const board = await t.database.db
      .selectFrom('case_notices')
      .selectAll()
      .where('case_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(board).toMatchObject({ display_name: '林申请', members: 3, kinds: ['dibao'], monthly_amount_fen: 60_000 });

    res = await post(lingchuan, `/api/cases/${id}/close-notice`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain(endsOn);
    await passNoticePeriod(t.database.db, id);
    res = await post(lingchuan, `/api/cases/${id}/close-notice`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'pending_approval', allowedActions: [] });

    res = await post(lingchuan, `/api/cases/${id}/approve`, {});
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('县区');
    res = await post(chengxiang, `/api/cases/${id}/approve`, { opinion: '同意' });
    expect(res.statusCode, res.body).toBe(200);
    c = res.json();
    expect(c).toMatchObject({ status: 'enrolled', enrolledFrom: nextMonth(today), allowedActions: [] });
    expect(c.actions.map((a) => [a.seq, a.action, a.toStatus])).toEqual([
      [1, 'submit', 'submitted'],
      [2, 'request_documents', 'missing_docs'],
      [3, 'accept', 'accepted'],
      [4, 'record_survey', 'verifying'],
      [5, 'record_verification', 'verified'],
      [6, 'determine', 'determined'],
      [7, 'publish_notice', 'notice'],
      [8, 'close_notice', 'pending_approval'],
      [9, 'approve', 'enrolled'],
    ]);
    // Every step completed today met its due date; waiting for documents has none.
    expect(c.actions.map((a) => a.onTime)).toEqual([null, true, null, true, true, true, true, true, true]);
    expect(c.actions[8]).toMatchObject({ actor: 'chengxiang', actorRole: 'county_officer' });
    const enrolments = await t.database.db.selectFrom('enrolments').selectAll().where('case_id', '=', id).execute();
    expect(enrolments).toMatchObject([{ kind: 'dibao', monthly_amount_fen: 60_000, from_month: nextMonth(today) }]);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toHaveLength(9);

    res = await post(chengxiang, `/api/cases/${id}/approve`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('已纳入保障');
  });

  it('a rejection, then a review (复核) reopens the case at verification with the history kept', async () => {
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    await driveCase(deps(), c0.id, 'pending_approval');
    let res = await post(chengxiang, `/api/cases/${c0.id}/reject`, { reasons: '家庭人均收入高于当地低保标准' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', step: { dueOn: null } });
    expect((await post(chengxiang, `/api/cases/${c0.id}/review`, { reason: 'x' })).statusCode).toBe(403);
    res = await post(lingchuan, `/api/cases/${c0.id}/review`, { reason: '申请人提交了医疗费用票据' });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json() as CaseDetail;
    expect(c).toMatchObject({ status: 'verifying', verification: null, determination: null });
    expect(c.actions.slice(-2).map((a) => [a.action, a.fromStatus, a.toStatus])).toEqual([
      ['reject', 'pending_approval', 'rejected'],
      ['request_review', 'rejected', 'verifying'],
    ]);
    expect(c.actions.find((a) => a.action === 'reject')!.data.reasons).toBe('家庭人均收入高于当地低保标准');
    expect(c.actions.filter((a) => a.action === 'record_verification')).toHaveLength(1);
    // The county checks again.
    res = await post(chengxiang, `/api/cases/${c0.id}/verification`, { note: '复核' });
    expect(res.json().status).toBe('verified');
  });

  it('an objection withdraws the notice and sends the case back to the survey', async () => {
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    await driveCase(deps(), c0.id, 'notice');
    const res = await post(lingchuan, `/api/cases/${c0.id}/objection`, { content: '邻居反映其有经营收入' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', notice: { status: 'withdrawn', objections: 1 } });
    expect(res.json().allowedActions).toEqual(['record_survey']);
  });

  it('refuses the wrong step, a second time, another region, and the wrong role', async () => {
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    let res = await post(chengxiang, `/api/cases/${c0.id}/verification`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('案件当前状态为“已提交待受理”，不能进行此操作');
    expect((await post(lingchuan, `/api/cases/${c0.id}/accept`, {})).statusCode).toBe(200);
    res = await post(lingchuan, `/api/cases/${c0.id}/accept`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('已受理待入户调查');
    // Another township: the case is not there.
    expect((await qiulu.request('GET', `/api/cases/${c0.id}`)).statusCode).toBe(404);
    expect((await post(qiulu, `/api/cases/${c0.id}/survey`, survey())).statusCode).toBe(404);
    // A grid worker reads but does not act; a county officer does not do township steps.
    expect((await worker.request('GET', `/api/cases/${c0.id}`)).json().allowedActions).toEqual([]);
    expect((await post(worker, `/api/cases/${c0.id}/survey`, survey())).statusCode).toBe(403);
    expect((await post(chengxiang, `/api/cases/${c0.id}/survey`, survey())).statusCode).toBe(403);
    expect((await lingchuan.request('GET', '/api/cases/not-a-uuid')).statusCode).toBe(404);
  });

  it('N simultaneous approvals: exactly one succeeds and one action is recorded', async () => {
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    await driveCase(deps(), c0.id, 'pending_approval');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(chengxiang, `/api/cases/${c0.id}/approve`, {})),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await t.database.db
      .selectFrom('case_actions')
      .select('seq')
      .where('case_id', '=', c0.id)
      .where('action', '=', 'approve')
      .execute();
    expect(rows).toHaveLength(1);
    const enrolments = await t.database.db.selectFrom('enrolments').select('id').where('case_id', '=', c0.id).execute();
    expect(enrolments).toHaveLength(1);
  });

  it('a retry with the same Idempotency-Key returns the first result and records nothing twice', async () => {
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    const key = { 'idempotency-key': `accept-${c0.id}` };
    const [a, b] = [
      await post(lingchuan, `/api/cases/${c0.id}/accept`, {}, key),
      await post(lingchuan, `/api/cases/${c0.id}/accept`, {}, key),
    ];
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.json().actions).toHaveLength(2);
    const audit = await t.database.db.selectFrom('audit_log').select('seq').where('entity_id', '=', c0.id).execute();
    expect(audit).toHaveLength(2);
  });

  it('the township approves temporary assistance within its limit; a relative of staff always goes to the county', async () => {
    const temporary = [{ kind: 'temporary' as const, monthlyAmountFen: 0, oneOffAmountFen: 100_000 }];
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    const pending = await driveCase(deps(), c0.id, 'pending_approval', { kinds: temporary });
    expect(pending.approvalLevel).toBe('township');
    expect(pending.overall!.dueOn).not.toBeNull();
    expect((await post(chengxiang, `/api/cases/${c0.id}/approve`, {})).statusCode).toBe(403);
    expect((await post(lingchuan, `/api/cases/${c0.id}/approve`, {})).json().status).toBe('enrolled');

    const input = applicationInput(YUNZHUANG);
    const admin = await t.login('admin');
    const rel = await admin.request('POST', '/api/staff-relatives', {
      regionCode: '350302102',
      staffName: '林干部',
      staffPosition: '村委会主任',
      relativeName: input.members[1]!.name,
      relativeIdNumber: input.members[1]!.idNumber,
      relation: '兄弟',
    });
    expect(rel.statusCode, rel.body).toBe(201);
    const c1 = await submitCase(deps(), input);
    expect(c1.staffRelative).toBe(true);
    const determined = await driveCase(deps(), c1.id, 'determined', { kinds: temporary });
    expect(determined.approvalLevel).toBe('county');
  });

  it('pays emergency assistance first, once, within the township limit; the survey completes the paperwork', async () => {
    const plain = await submitCase(deps(), applicationInput(YUNZHUANG));
    let res = await post(lingchuan, `/api/cases/${plain.id}/emergency-payment`, { amountFen: 10_000, reason: '火灾' });
    expect(res.statusCode).toBe(409);

    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG, { emergency: true }));
    expect(c0.allowedActions).toContain('emergency_payment');
    const limit = 90_000 * 3;
    res = await post(lingchuan, `/api/cases/${c0.id}/emergency-payment`, { amountFen: limit + 1, reason: '火灾' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('2700.00');
    res = await post(lingchuan, `/api/cases/${c0.id}/emergency-payment`, { amountFen: limit, reason: '火灾' });
    expect(res.statusCode, res.body).toBe(200);
    let c = res.json() as CaseDetail;
    expect(c.status).toBe('submitted');
    expect(c.emergencyPayment).toMatchObject({ amountFen: limit, paidOn: chinaToday(), paperworkDone: false });
    expect(c.emergencyPayment!.paperworkDueOn > chinaToday()).toBe(true);
    expect(c.allowedActions).not.toContain('emergency_payment');
    res = await post(lingchuan, `/api/cases/${c0.id}/emergency-payment`, { amountFen: 100, reason: '再次' });
    expect(res.statusCode).toBe(409);
    c = await driveCase(deps(), c0.id, 'verifying');
    expect(c.emergencyPayment!.paperworkDone).toBe(true);
  });

  it('keeps case_actions append-only', async () => {
    const c0 = await submitCase(deps(), applicationInput(YUNZHUANG));
    await expect(
      sql`update case_actions set actor_username = 'x' where case_id = ${c0.id}`.execute(t.database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from case_actions where case_id = ${c0.id}`.execute(t.database.db)).rejects.toThrow(
      /append-only/,
    );
  });
});
