import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chinaToday, makeIdNumber, maskIdNumber, normalizeIdNumber } from '@jiuzhu/shared';
import { insertEnrolments } from '../../server/src/modules/enrolments/create';
import { demoSchemeInput } from '../../server/src/modules/insurance/demo-scheme';
import { issueCondolenceTask } from '../../server/src/modules/insurance/condolence';
import { startBrowserEnv, submitLogin, login, type BrowserEnv, cancelConfirm, confirmOk, pickOption } from './harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const INSURER = 'ins.e2e';
const INSURER_PASSWORD = 'insurer-pass-e2e-1';
const HEAD = makeIdNumber('350302', '1948-06-15', 531);
const SPOUSE = makeIdNumber('350302', '1950-02-11', 542);
const WORKER = 'gw.insurance';
const WORKER_PASSWORD = 'grid-worker-pass-7';
const NAME = '黄理赔';
const today = chinaToday();
const pdf = (kind: string) => ({
  name: `${kind}.pdf`,
  mimeType: 'application/pdf',
  buffer: Buffer.from(`%PDF-1.4 ${kind}`),
});

let env: BrowserEnv;

beforeAll(async () => {
  env = await startBrowserEnv();
  const admin = await env.t.login('admin');
  const user = await admin.request('POST', '/api/users', {
    username: INSURER,
    displayName: '承保公司理赔员',
    role: 'insurer',
    regionCode: '3503',
    password: INSURER_PASSWORD,
  });
  if (user.statusCode !== 201) throw new Error(`insurer: ${user.statusCode} ${user.body}`);
  await env.t.login(INSURER, INSURER_PASSWORD);
  const scheme = await admin.request('POST', '/api/insurance/schemes', {
    ...demoSchemeInput(Number(today.slice(0, 4))),
    insurerUsers: [INSURER],
  });
  const worker = await admin.request('POST', '/api/users', {
    username: WORKER,
    displayName: '云庄村网格员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: WORKER_PASSWORD,
  });
  if (worker.statusCode !== 201) throw new Error(`grid worker: ${worker.statusCode} ${worker.body}`);
  await env.t.login(WORKER, WORKER_PASSWORD);
  if (scheme.statusCode !== 201) throw new Error(`scheme: ${scheme.statusCode} ${scheme.body}`);
  await env.t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: null,
          regionCode: YUNZHUANG,
          source: 'seed',
          fromMonth: `${today.slice(0, 4)}-01`,
          monthlyAmountFen: 60_000,
          members: [
            {
              idHash: env.t.app.deps.protector.idHash(normalizeIdNumber(HEAD)),
              memberId: null,
              name: NAME,
              idMasked: maskIdNumber(HEAD),
              relation: 'head',
            },
            {
              idHash: env.t.app.deps.protector.idHash(normalizeIdNumber(SPOUSE)),
              memberId: null,
              name: '林吊唁',
              idMasked: maskIdNumber(SPOUSE),
              relation: 'spouse',
            },
          ],
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
});
afterAll(() => env?.close());

/** Submits the open step form and confirms in the dialog that names the person. */
async function step(page: Page, name: string) {
  await page.getByTestId(`${name}-submit`).click();
  await expect.poll(() => page.getByTestId('confirm-question').textContent()).toContain(NAME);
  await confirmOk(page);
}
const status = (page: Page) => page.getByTestId('claim-header').getByTestId('claim-status').textContent();

describe('insurance pages', () => {
  it('a clerk reports a claim and uploads the materials; the insurer approves and pays, and sees nothing else', async () => {
    const clerk = await env.newPage();
    const page = clerk.page;
    await login(page, 'lingchuan');
    await page.getByTestId('menu-insurance-claims').click();
    await page.getByTestId('claim-report').click();
    await page.getByTestId('report-idNumber').fill(HEAD);
    await page.getByTestId('report-coverItem').click();
    await pickOption(page, page.locator('.ant-select-dropdown:visible').getByTitle('疾病身故', { exact: true }));
    await page.getByTestId('report-eventDate').fill(today);
    await page.keyboard.press('Enter');
    await page.getByTestId('report-eventNote').fill('因病在家中去世');
    await page.getByTestId('report-submit').click();
    await expect.poll(() => status(page)).toBe('已报案');
    expect(await page.getByTestId('page-title').textContent()).toContain(NAME);
    const claimUrl = page.url();

    // 指导: the checklist of the cover item, confirmed.
    await page.getByTestId('form-guide').waitFor();
    await page.getByTestId('guide-note').fill('已电话告知家属所需材料');
    await step(page, 'guide');
    await expect.poll(() => status(page)).toBe('已指导');

    // 收件: one file per checklist item; complete materials start the clock.
    await page.getByTestId('form-receive').waitFor();
    for (const kind of [
      'death_certificate',
      'cremation_certificate',
      'medical_records',
      'beneficiary_id',
      'beneficiary_bank_account',
    ])
      await page.getByTestId(`receive-file-${kind}`).setInputFiles(pdf(kind));
    await step(page, 'receive');
    await expect.poll(() => status(page)).toBe('材料齐全');
    await expect.poll(() => page.getByTestId('document-download').count()).toBe(5);
    expect(await page.locator('[data-received="false"]').count()).toBe(0);
    // A document downloads with the clerk's session.
    const href = await page.getByTestId('document-download').first().getAttribute('href');
    const file = await page.request.get(href!);
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The clerk cannot review: no step left for her.
    expect(await page.getByTestId('claim-actions').count()).toBe(0);
    await clerk.context.close();

    // The insurer: only the insurance pages, the roster masked, its claim.
    const ins = await env.newPage();
    const ip = ins.page;
    await submitLogin(ip, INSURER, INSURER_PASSWORD);
    await ip.getByTestId('menu-insurance-claims').waitFor();
    for (const key of ['menu-households', 'menu-cases', 'menu-leads', 'menu-signals', 'menu-users'])
      expect(await ip.getByTestId(key).count(), key).toBe(0);
    await ip.goto('/households');
    await ip.getByTestId('forbidden').waitFor();
    await ip.goto('/insurance?tab=roster');
    await ip.getByTestId('roster-row').first().waitFor();
    const rosterText = (await ip.getByTestId('roster-row').first().textContent()) ?? '';
    expect(rosterText).toContain('*');
    expect(await ip.getByText(HEAD).count()).toBe(0);

    await ip.goto('/insurance/claims');
    await ip.getByTestId('claim-link').first().waitFor();
    expect(await ip.getByTestId('claim-link').count()).toBe(1);
    await ip.getByTestId('claim-link').click();
    await expect.poll(() => ip.url()).toBe(claimUrl);
    await ip.getByTestId('form-review').waitFor();
    await ip.getByTestId('review-reasons').fill('材料齐全，属于疾病身故责任');
    // Cancel first: nothing happens.
    await ip.getByTestId('review-submit').click();
    expect(await ip.getByTestId('confirm-question').textContent()).toContain(NAME);
    await cancelConfirm(ip);
    expect(await status(ip)).toBe('材料齐全');
    await step(ip, 'review');
    await expect.poll(() => status(ip)).toBe('审核通过');
    expect(await ip.getByTestId('fact-approved').textContent()).toContain('3,000.00 元');

    await ip.getByTestId('form-pay').waitFor();
    await ip.getByTestId('pay-reference').fill('ZF-E2E-0001');
    await step(ip, 'pay');
    await expect.poll(() => status(ip)).toBe('已赔付');
    expect(await ip.getByTestId('fact-paid').textContent()).toContain('3,000.00 元');
    expect(await ip.getByTestId('claim-overdue').count()).toBe(0);

    // The statistics count the payout.
    await ip.goto('/insurance/stats');
    await expect.poll(() => ip.getByTestId('stat-paid').textContent()).toContain('3,000.00');
    await ins.context.close();
  });
  it('the village grid worker records the condolence visit on her phone', async () => {
    // A claim as a death record opens it, with its visit (the collision run does both in one transaction).
    const lingchuan = await env.t.login('lingchuan');
    const claim = await lingchuan.request('POST', '/api/insurance/claims', {
      idNumber: SPOUSE,
      coverItem: 'death_illness',
      eventDate: today,
    });
    expect(claim.statusCode, claim.body).toBe(201);
    const { id, claimNo } = claim.json();
    await env.t.database.db.transaction().execute((trx) => issueCondolenceTask(trx, { id, regionCode: YUNZHUANG }));

    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    await submitLogin(page, WORKER, WORKER_PASSWORD);
    await page.getByTestId('sider-toggle').click();
    await page.getByTestId('menu-insurance-condolence').click();
    const card = page.getByTestId(`condolence-card-${claimNo}`);
    await card.waitFor();
    expect(await card.textContent()).toContain('林吊唁');
    await card.getByTestId('condolence-record').click();
    await page.getByTestId('condolence-beneficiaryName').fill('林受益');
    await page.getByTestId('condolence-beneficiaryRelation').fill('子女');
    await page.getByTestId('condolence-beneficiaryIdNumber').fill(makeIdNumber('350302', '1975-08-08', 118));
    await page.getByTestId('condolence-beneficiaryPhone').fill('13900139000');
    await page.getByTestId('condolence-submit').click();
    await expect.poll(() => card.count()).toBe(0);
    await page.getByTestId('condolence-view').getByText('已走访').click();
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('林受益');
    expect(text).not.toContain('13900139000');
    // Nothing sticks out sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The claim shows its visit and the beneficiary.
    await card.getByText(claimNo).click();
    await expect.poll(() => page.getByTestId('claim-condolence').textContent()).toContain('林受益');
    await context.close();
  });
  it('the city admin adds a scheme version (field errors on their items, confirmed); others read; the month’s roster changes', async () => {
    const year = Number(today.slice(0, 4));
    const admin = await env.newPage();
    const page = admin.page;
    await login(page, 'admin');
    await page.goto('/insurance');
    await page.getByTestId('scheme-version-row').first().waitFor();
    const versions = await page.getByTestId('scheme-version-row').count();
    await page.getByTestId('scheme-add').click();
    await page.getByTestId('scheme-insurer').waitFor();
    await expect.poll(() => page.getByTestId('scheme-insurer').inputValue()).not.toBe('');
    // A policy year that is not the period's: the server's error lands on the period item.
    await page.getByTestId('scheme-year').fill(String(year + 1));
    await page.getByTestId('scheme-premium').fill('80');
    await page.getByTestId('scheme-submit').click();
    await expect.poll(() => page.getByTestId('confirm-question').textContent()).toContain('80');
    await page.getByTestId('confirm-ok').click();
    const periodItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('scheme-periodFrom') });
    await expect.poll(() => periodItem.locator('.ant-form-item-explain-error').count()).toBe(1);
    expect(await page.getByTestId('scheme-version-row').count()).toBe(versions);
    // Corrected and confirmed: a new version, in force, listed.
    await page.getByTestId('scheme-year').fill(String(year));
    await page.getByTestId('scheme-submit').click();
    await confirmOk(page);
    await expect.poll(() => page.getByTestId('scheme-version-row').count()).toBe(versions + 1);
    expect(await page.getByTestId('insurance-scheme').first().textContent()).toContain('80.00 元');
    expect(await page.getByTestId('scheme-version-row').first().textContent()).toContain('生效中');

    // The additions of January: the two insured of the household, with the insurer's XLSX.
    await page.goto(`/insurance?tab=changes&month=${year}-01`);
    await expect.poll(() => page.getByTestId('roster-change-row').count()).toBeGreaterThanOrEqual(2);
    const rows = await page.getByTestId('roster-change-row').allTextContents();
    expect(rows.find((r) => r.includes(NAME))).toContain('新增参保');
    expect(rows.join('')).not.toContain(HEAD);
    const xlsx = await page.getByTestId('roster-changes-insurer-xlsx').getAttribute('href');
    const file = await page.request.get(xlsx!);
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 2).toString()).toBe('PK');
    await admin.context.close();

    // A township officer reads the versions but cannot add one.
    const clerk = await env.newPage();
    await login(clerk.page, 'lingchuan');
    await clerk.page.goto('/insurance');
    await clerk.page.getByTestId('scheme-version-row').first().waitFor();
    expect(await clerk.page.getByTestId('scheme-add').count()).toBe(0);
    await clerk.context.close();
  });
});
