/**
 * The lead → application hand-off through HTTP: the form starts from the registry household
 * (members with ID numbers, address, phone; the reveal audited), "helped to apply" needs the
 * application, and the lead stays open until the application is decided.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, makeIdNumber, type LeadDetail, type LeadPrefill } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { driveCase } from '../../demo/case-driver';
import { plantLeadSignal } from '../../demo/lead-signal';
import { dispatchNewLeads } from './dispatch';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
let t: TestApp;
let lingchuan: Agent;
let worker: Agent;
let leadId = '';
const head = makeIdNumber('350302', '1958-02-03', 411);
const spouse = makeIdNumber('350302', '1960-06-07', 422);

const visit = (outcome: string) => ({
  visitedAt: new Date(Math.max(Date.now() - 3_600_000, Date.parse(`${chinaToday()}T00:00:00+08:00`))).toISOString(),
  notes: '入户走访，协助填写申请',
  outcome,
});

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  const user = await admin.request('POST', '/api/users', {
    username: 'gw.handoff',
    displayName: '协理员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-password-1',
  });
  expect(user.statusCode, user.body).toBe(201);
  worker = await t.login('gw.handoff', 'grid-password-1');
  const res = await lingchuan.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村5组8号',
    members: [
      { name: '黄大海', idNumber: head, relation: 'head', hukouType: 'rural', phone: '13705940001' },
      { name: '郑春花', idNumber: spouse, relation: 'spouse', hukouType: 'rural' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const h = res.json();
  await plantLeadSignal(t.database.db, { householdId: h.id, memberId: h.members[0].id });
  await dispatchNewLeads({ db: t.database.db, config: t.config }, chinaToday());
  leadId = (await worker.request('GET', '/api/leads')).json().items[0].id;
});
afterAll(() => t?.close());

describe('lead → application hand-off', () => {
  it('refuses "helped to apply" while no application was filed from the lead', async () => {
    const res = await worker.request('POST', `/api/leads/${leadId}/visits`, visit('helped_to_apply'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('outcome');
  });

  it('starts the form from the household: members with ID numbers, address and phone, audited', async () => {
    const res = await worker.request('GET', `/api/leads/${leadId}/application-prefill`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as LeadPrefill;
    expect(p).toMatchObject({
      villageCode: YUNZHUANG,
      address: '莆田市城厢区灵川镇云庄村5组8号',
      phone: '13705940001',
      members: [
        { name: '黄大海', idNumber: head, relation: 'self' },
        { name: '郑春花', idNumber: spouse, relation: 'spouse' },
      ],
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_username', 'detail'])
      .where('action', '=', 'registry.reveal')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_username).toBe('gw.handoff');
    expect(JSON.stringify(audit[0]!.detail)).toContain('lead.application');
  });

  it('shows the application on the lead, which stays open until the application is decided', async () => {
    const p = (await worker.request('GET', `/api/leads/${leadId}/application-prefill`)).json() as LeadPrefill;
    const created = await worker.request(
      'POST',
      '/api/cases',
      {
        members: p.members,
        villageCode: p.villageCode,
        address: p.address,
        phone: p.phone,
        reason: '户主患病，家庭收入低',
        consent: true,
        leadId,
      },
      { 'idempotency-key': 'handoff-1' },
    );
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json().id as string;

    const lead = (await worker.request('GET', `/api/leads/${leadId}`)).json() as LeadDetail;
    expect(lead.application).toMatchObject({ caseId, status: 'submitted' });
    const v = await worker.request('POST', `/api/leads/${leadId}/visits`, visit('helped_to_apply'));
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json()).toMatchObject({ status: 'open', outcome: null });

    await driveCase({ db: t.database.db, protector: t.app.deps.protector, config: t.config }, caseId, 'rejected');
    const closed = (await worker.request('GET', `/api/leads/${leadId}`)).json() as LeadDetail;
    expect(closed).toMatchObject({ status: 'closed', outcome: 'helped_to_apply' });
    expect(closed.application).toMatchObject({ status: 'rejected' });
  });
});
