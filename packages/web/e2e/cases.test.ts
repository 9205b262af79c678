import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chinaToday, makeIdNumber } from '@jiuzhu/shared';
import type { Agent } from '@jiuzhu/server/test/harness';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { passNoticePeriod as passNotice } from '../../server/src/demo/case-driver';
import { login, startBrowserEnv, submitLogin, type BrowserEnv, cancelConfirm, confirmOk, pickOption } from './harness';
import { expectNoMachineData } from './machine-data';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const TOWNSHIP = 'lingchuan';
const COUNTY = 'chengxiang';

let env: BrowserEnv;
let township: Agent;
let county: Agent;

beforeAll(async () => {
  env = await startBrowserEnv();
  township = await env.t.login(TOWNSHIP);
  county = await env.t.login(COUNTY);
});
afterAll(() => env?.close());

/** The status a case detail page shows, once it shows `status`. */
async function waitForStatus(page: Page, status: string) {
  await page.locator(`[data-testid="case-detail"][data-status="${status}"]`).waitFor();
}

/** The notice period passes (the server's test helper moves the notice's dates back). */
const passNoticePeriod = (caseId: string) => passNotice(env.t.database.db, caseId);

async function post(agent: Agent, url: string, body: unknown = {}) {
  const res = await agent.request('POST', url, body);
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; caseNo: string; status: string };
}

/** A case through the API up to the approver's step (the steps the first test drives in the browser). */
async function caseAwaitingApproval(name: string, idNumber: string): Promise<{ id: string; caseNo: string }> {
  const c = await post(township, '/api/cases', {
    members: [{ name, idNumber, relation: 'self' }],
    villageCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村3组6号',
    phone: '13805940011',
    reason: '独居老人，无固定收入',
    consent: true,
  });
  await post(township, `/api/cases/${c.id}/accept`);
  await post(township, `/api/cases/${c.id}/survey`, {
    surveyedOn: chinaToday(),
    staff: ['灵川镇经办人', '云庄村协理员'],
    findings: '独居，无劳动能力',
  });
  await post(county, `/api/cases/${c.id}/verification`);
  await post(township, `/api/cases/${c.id}/determine`, { acceptProposal: true });
  await post(township, `/api/cases/${c.id}/publish-notice`);
  await passNoticePeriod(c.id);
  const closed = await post(township, `/api/cases/${c.id}/close-notice`);
  expect(closed.status).toBe('pending_approval');
  return c;
}

describe('case pages', () => {
  it('a window application goes through survey, verification, determination, public notice and approval', async () => {
    const applicantId = makeIdNumber('350302', '1958-03-12', 512);
    const spouseId = makeIdNumber('350302', '1957-10-05', 331);
    const phone = '13905941234';
    const address = '莆田市城厢区灵川镇云庄村4组18号';

    const officer = await env.newPage();
    const page = officer.page;
    await login(page, TOWNSHIP);
    await page.getByTestId('menu-cases-new').click();
    await page.getByTestId('case-form').waitFor();
    await page.getByTestId('member-0-name').fill('陈桂兰');
    await page.getByTestId('member-0-idNumber').fill(applicantId);
    await page.getByTestId('member-add').click();
    await page.getByTestId('member-1-name').fill('黄金水');
    await page.getByTestId('member-1-idNumber').fill(spouseId);
    await page.getByTestId('case-village').click();
    await page.keyboard.type('云庄');
    await pickOption(page, page.locator('.ant-select-dropdown:visible').getByText('云庄村委会').first());
    await page.getByTestId('case-phone').fill(phone);
    await page.getByTestId('case-address').fill(address);
    await page.getByTestId('case-reason').fill('夫妻二人年老多病，无固定收入');
    await page.getByTestId('case-consent').check();
    await page.getByTestId('case-submit').click();

    // Submitted: the detail page, waiting for acceptance.
    await waitForStatus(page, 'submitted');
    const caseNo = (await page.getByTestId('case-no').textContent())!;
    const caseId = page.url().split('/cases/')[1]!;
    expect(await page.getByTestId('case-members').textContent()).toContain('黄金水');
    expect(await page.getByTestId('case-members').textContent()).not.toContain(applicantId);
    // Only the forms of the allowed actions.
    expect(await page.getByTestId('form-record_survey').count()).toBe(0);
    await page.getByTestId('accept-submit').click();
    await confirmOk(page);
    await waitForStatus(page, 'accepted');

    // The survey: two staff (the first is the signed-in officer), findings.
    await page.getByTestId('survey-staff-1').fill('云庄村协理员');
    await page.getByTestId('survey-findings').fill('二人均患慢性病，依靠子女少量接济');
    await page.getByTestId('record_survey-submit').click();
    await waitForStatus(page, 'verifying');

    // The county officer records the verification from the department data.
    const countyPage = await env.newPage();
    await login(countyPage.page, COUNTY);
    await countyPage.page.goto(`/cases/${caseId}`);
    await countyPage.page.getByTestId('record_verification-submit').click();
    await waitForStatus(countyPage.page, 'verified');
    await countyPage.page.getByTestId('verification-report').waitFor();

    // The township officer accepts the rules' proposal and publishes the notice.
    await page.reload();
    await page.getByTestId('proposal').waitFor();
    expect(await page.getByTestId('proposal-line').textContent()).toContain('低保标准');
    const monthly = (await page.getByTestId('proposal-monthly').textContent())!;
    expect(Number(monthly.replace(/,/g, ''))).toBeGreaterThan(0);
    await page.getByTestId('determine-submit').click();
    await waitForStatus(page, 'determined');
    await page.getByTestId('publish_notice-submit').click();
    await confirmOk(page);
    await waitForStatus(page, 'notice');
    const endsOn = (await page.getByTestId('case-notice-ends').textContent())!;
    expect(endsOn).toMatch(/\d{4}-\d{2}-\d{2}/);

    // The public notice board, without signing in: name, members and amount, nothing else.
    const pub = await env.newPage();
    await pub.page.goto(`/notices?region=${YUNZHUANG}`);
    await pub.page.getByTestId('notice-name').filter({ hasText: '陈桂兰' }).waitFor();
    const row = pub.page.locator('tr', { has: pub.page.getByText('陈桂兰') });
    expect(await row.textContent()).toContain(monthly);
    expect(await row.locator('td').nth(2).textContent()).toBe('2');
    const html = await pub.page.content();
    for (const secret of [applicantId, spouseId, phone, address, '4组18号', applicantId.slice(-6)])
      expect(html).not.toContain(secret);
    await pub.context.close();

    // Before the notice ends, 结束公示 is a disabled button that says until when.
    if (endsOn.includes(chinaToday()) === false) {
      expect(await page.getByTestId('action-close_notice').isDisabled()).toBe(true);
      expect(await page.getByTestId('action-close_notice-why').textContent()).toContain(
        endsOn.match(/\d{4}-\d{2}-\d{2}/)![0],
      );
      expect(await page.getByTestId('close_notice-submit').count()).toBe(0);
    }
    // Seven days later the officer closes the notice; the county (the demo standards' level) approves.
    await passNoticePeriod(caseId);
    await page.reload();
    await page.getByTestId('close_notice-submit').click();
    await confirmOk(page);
    await waitForStatus(page, 'pending_approval');
    expect(await page.getByTestId('case-approval-level').textContent()).toContain('县级');
    expect(await page.getByTestId('form-approve').count()).toBe(0);

    await countyPage.page.reload();
    await countyPage.page.getByTestId('approve-opinion').fill('同意纳入低保');
    // 批准 asks first, naming the applicant; cancelling leaves the case waiting for approval.
    await countyPage.page.getByTestId('approve-submit').click();
    expect(await countyPage.page.getByTestId('confirm-question').textContent()).toContain('陈桂兰');
    await cancelConfirm(countyPage.page);
    await waitForStatus(countyPage.page, 'pending_approval');
    expect((await county.request('GET', `/api/cases/${caseId}`)).json().status).toBe('pending_approval');
    // 不予批准 is its own button, apart from 批准, and opens its own form instead.
    expect(await countyPage.page.getByTestId('action-reject').textContent()).toContain('不予批准');
    expect(await countyPage.page.getByTestId('form-reject').count()).toBe(0);
    await countyPage.page.getByTestId('approve-submit').click();
    await confirmOk(countyPage.page);
    await waitForStatus(countyPage.page, 'enrolled');
    const [y, m] = chinaToday().split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    expect(await countyPage.page.getByTestId('case-enrolled').textContent()).toContain(next);

    // The timeline: every step, in order, with who did it.
    const actions = await countyPage.page
      .locator('[data-testid^="case-action-"][data-action]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual([
      'submit',
      'accept',
      'record_survey',
      'record_verification',
      'determine',
      'publish_notice',
      'close_notice',
      'approve',
    ]);
    expect(await countyPage.page.getByTestId('case-timeline').textContent()).toContain(TOWNSHIP);
    expect(await countyPage.page.getByTestId('case-timeline').textContent()).toContain(COUNTY);
    await expectNoMachineData(countyPage.page, 'case-detail');

    // The inbox lists it as enrolled.
    await page.goto('/cases?view=all');
    await page.getByTestId(`case-row-${caseNo}`).filter({ hasText: '已纳入保障' }).waitFor();
    await officer.context.close();
    await countyPage.context.close();
  }, 150_000);

  it('the approver rejects with reasons; a review request sends the case back to verification with its history', async () => {
    const c = await caseAwaitingApproval('郑春花', makeIdNumber('350302', '1949-06-21', 224));

    const countyPage = await env.newPage();
    const cp = countyPage.page;
    await login(cp, COUNTY);
    await cp.goto('/cases');
    // The county's inbox: the case waits for its approval.
    await cp.getByTestId(`case-row-${c.caseNo}`).getByTestId('case-link').click();
    await waitForStatus(cp, 'pending_approval');
    // Reasons are required.
    await cp.getByTestId('action-reject').click();
    await cp.getByTestId('reject-submit').click();
    await cp.getByTestId('form-reject').getByText('请填写此项').waitFor();
    await cp.getByTestId('reject-reasons').fill('核对发现家庭名下有经营实体，收入超过低保标准');
    await cp.getByTestId('reject-submit').click();
    await confirmOk(cp);
    await waitForStatus(cp, 'rejected');
    await cp.getByTestId('case-rejected').waitFor();
    expect(await cp.getByTestId('case-actions').count()).toBe(0);

    const officer = await env.newPage();
    const page = officer.page;
    await login(page, TOWNSHIP);
    await page.goto(`/cases/${c.id}`);
    await waitForStatus(page, 'rejected');
    await page.getByTestId('request_review-reason').fill('申请人称经营实体已于去年注销，请求复核');
    await page.getByTestId('request_review-submit').click();
    await waitForStatus(page, 'verifying');

    const actions = await page
      .locator('[data-testid^="case-action-"][data-action]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual([
      'submit',
      'accept',
      'record_survey',
      'record_verification',
      'determine',
      'publish_notice',
      'close_notice',
      'reject',
      'request_review',
    ]);
    expect(await page.getByTestId('case-timeline').textContent()).toContain('经营实体');

    // Back at the county's verification step.
    await cp.reload();
    await waitForStatus(cp, 'verifying');
    await cp.getByTestId('record_verification-submit').waitFor();
    await officer.context.close();
    await countyPage.context.close();
  });

  it('a grid worker helps the person of a lead apply, on her phone', async () => {
    const admin = await env.t.login('admin');
    const worker = await admin.request('POST', '/api/users', {
      username: 'gw.yunzhuang',
      displayName: '云庄村网格员',
      role: 'grid_worker',
      regionCode: YUNZHUANG,
      password: 'grid-worker-pass-1',
    });
    expect(worker.statusCode).toBe(201);
    // A new account must change its password first (the API enforces it); the harness's sign-in does that for tests.
    await env.t.login('gw.yunzhuang', 'grid-worker-pass-1');
    const idNumber = makeIdNumber('350302', '1952-11-03', 417);
    const h = await admin.request('POST', '/api/households', {
      regionCode: YUNZHUANG,
      address: '莆田市城厢区灵川镇云庄村2组8号',
      members: [{ name: '林秀英', idNumber, relation: 'head', hukouType: 'rural' }],
    });
    expect(h.statusCode).toBe(201);
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
    });
    const page = await context.newPage();
    // Phone width: the menu folds away, so wait for its toggle rather than for the menu.
    await submitLogin(page, 'gw.yunzhuang', 'grid-worker-pass-1');
    await page.getByTestId('sider-toggle').waitFor();
    await page.goto(`/leads/${lead.id}`);
    await page.getByTestId('lead-help-apply').click();
    await page.getByTestId('case-new-lead').waitFor();
    // Prefilled from the lead: the person and her village.
    await expect.poll(() => page.getByTestId('member-0-name').inputValue(), { timeout: 15_000 }).toBe('林秀英');
    expect(await page.getByTestId('case-form').textContent()).toContain('云庄村委会');
    await page.getByTestId('member-0-idNumber').fill(idNumber);
    await page.getByTestId('case-phone').fill('13705948899');
    await page.getByTestId('case-address').fill('莆田市城厢区灵川镇云庄村2组8号');
    await page.getByTestId('case-reason').fill('户主长期住院，子女在外务工');
    await page.getByTestId('case-consent').check();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('case-submit').click();
    await waitForStatus(page, 'submitted');
    expect(await page.getByTestId('case-summary').textContent()).toContain('网格员代办');
    // The timeline says the case came from a lead, without the lead's id.
    const text = await expectNoMachineData(page, 'case-detail');
    expect(text).toContain('由困难线索转入');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The grid worker reads the case but acts on no step.
    expect(await page.getByTestId('case-actions').count()).toBe(0);
    await context.close();
  });
});
