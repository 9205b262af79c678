/**
 * The lead → application hand-off on a grid worker's phone: "协助申请" carries the registry
 * household's members with their ID numbers, the address and phone; after submit the lead shows
 * the application and its status and stays open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { startBrowserEnv, submitLogin, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

describe('lead → application hand-off', () => {
  it('carries the household members and ID numbers into the form; the lead shows the application and stays open', async () => {
    const admin = await env.t.login('admin');
    const user = await admin.request('POST', '/api/users', {
      username: 'gw.handoff',
      displayName: '云庄村协理员',
      role: 'grid_worker',
      regionCode: YUNZHUANG,
      password: 'grid-worker-pass-1',
    });
    expect(user.statusCode).toBe(201);
    // A new account must change its password first (the API enforces it); the harness's sign-in does that for tests.
    await env.t.login('gw.handoff', 'grid-worker-pass-1');
    const headId = makeIdNumber('350302', '1957-05-06', 431);
    const spouseId = makeIdNumber('350302', '1959-08-09', 442);
    const h = await admin.request('POST', '/api/households', {
      regionCode: YUNZHUANG,
      address: '莆田市城厢区灵川镇云庄村6组12号',
      members: [
        { name: '黄阿水', idNumber: headId, relation: 'head', hukouType: 'rural', phone: '13705941234' },
        { name: '林阿花', idNumber: spouseId, relation: 'spouse', hukouType: 'rural' },
      ],
    });
    expect(h.statusCode, h.body).toBe(201);
    const household = h.json();
    const db = env.t.database.db;
    await plantLeadSignal(db, { householdId: household.id, memberId: household.members[0].id });
    await dispatchNewLeads({ db, config: env.t.config });
    const lead = await db.selectFrom('leads').select('id').executeTakeFirstOrThrow();

    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await submitLogin(page, 'gw.handoff', 'grid-worker-pass-1');
    await page.getByTestId('sider-toggle').waitFor();
    await page.goto(`/leads/${lead.id}`);
    await page.getByTestId('lead-help-apply').tap();
    await page.getByTestId('case-new-lead').waitFor();
    await expect.poll(() => page.getByTestId('member-1-name').inputValue()).toBe('林阿花');
    expect(await page.getByTestId('member-0-name').inputValue()).toBe('黄阿水');
    expect((await page.getByTestId('member-0-idNumber').inputValue()).replace(/\s/g, '')).toBe(headId);
    expect((await page.getByTestId('member-1-idNumber').inputValue()).replace(/\s/g, '')).toBe(spouseId);
    expect(await page.getByTestId('case-phone').inputValue()).toBe('13705941234');
    expect(await page.getByTestId('case-address').inputValue()).toBe('莆田市城厢区灵川镇云庄村6组12号');
    expect(await page.getByTestId('case-new-lead').textContent()).toContain('2 名成员');
    await page.getByTestId('case-reason').fill('户主患病住院，配偶无劳动能力');
    await page.getByTestId('case-consent').check();
    await page.getByTestId('case-submit').tap();
    await page.locator('[data-testid="case-detail"][data-status="submitted"]').waitFor();
    const c = await db
      .selectFrom('cases')
      .select(['case_no', 'lead_id'])
      .where('lead_id', '=', lead.id)
      .executeTakeFirstOrThrow();

    await page.goto(`/leads/${lead.id}`);
    await expect.poll(() => page.getByTestId('lead-application').textContent()).toContain(c.case_no);
    expect(await page.getByTestId('lead-application-status').textContent()).toContain('待受理');
    expect(await page.getByTestId('lead-status').textContent()).toContain('待走访');
    // One application per lead: the button is gone while it is open.
    expect(await page.getByTestId('lead-help-apply').count()).toBe(0);
    // The reveal for the form is in the audit trail, by the worker.
    const audit = await db
      .selectFrom('audit_log')
      .select('actor_username')
      .where('action', '=', 'registry.reveal')
      .execute();
    expect(audit.map((a) => a.actor_username)).toContain('gw.handoff');
    await context.close();
  });
});
