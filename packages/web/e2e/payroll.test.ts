import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import iconv from 'iconv-lite';
import { addMonths, chinaToday } from '@jiuzhu/shared';
import type { Agent } from '@jiuzhu/server/test/harness';
import { luhnCard, payrollHousehold, plantEnrolment } from '../../server/src/demo/payroll-driver';
import { login, pickOption, startBrowserEnv, type BrowserEnv, cancelConfirm, confirmOk } from './harness';
import { expectNoMachineData } from './machine-data';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const COUNTY = 'chengxiang';
const FINANCE = 'caizheng';
const thisMonth = chinaToday().slice(0, 7);
const lastMonth = addMonths(thisMonth, -1);

let env: BrowserEnv;
let admin: Agent;
let rcb: Awaited<ReturnType<typeof payrollHousehold>>;
let postal: Awaited<ReturnType<typeof payrollHousehold>>;
let noAccount: Awaited<ReturnType<typeof payrollHousehold>>;

beforeAll(async () => {
  env = await startBrowserEnv();
  admin = await env.t.login('admin');
  rcb = await payrollHousehold(admin, YUNZHUANG, { bankName: '莆田农村商业银行' });
  postal = await payrollHousehold(admin, YUNZHUANG, { bankName: '中国邮政储蓄银行' });
  noAccount = await payrollHousehold(admin, YUNZHUANG, { account: null });
  // 低保 of 450 元 a month from last month, for two months.
  for (const h of [rcb, postal, noAccount])
    await plantEnrolment(env.t.database.db, {
      householdId: h.householdId,
      regionCode: YUNZHUANG,
      history: [
        { seq: 1, type: 'enrolled', effectiveMonth: lastMonth, amountFen: 45_000 },
        { seq: 2, type: 'ended', effectiveMonth: addMonths(lastMonth, 2) },
      ],
    });
});
afterAll(() => env?.close());

async function waitForStatus(page: Page, status: string) {
  await page.locator(`[data-testid="payroll-detail"][data-status="${status}"]`).waitFor();
}

/** The maker builds the draft of `month` from the list page and lands on its detail page. */
async function buildPayroll(page: Page, month: string) {
  await page.getByTestId('menu-payrolls').click();
  await page.getByTestId('payroll-create').click();
  await page.getByTestId('payroll-create-month').click();
  await pickOption(page, page.locator(`.ant-select-item-option[title="${month}"]`));
  await page.getByTestId('payroll-create-ok').click();
  await waitForStatus(page, 'draft');
  await expect.poll(() => page.getByTestId('fact-month').innerText()).toContain(month);
}

describe('payroll pages', () => {
  let payrollUrl = '';
  let reference = '';

  it('the county officer builds and submits; finance approves after confirming and downloads a bank file; a return is recorded and reissued', async () => {
    // --- The county civil-affairs officer: build, clear the findings, submit.
    const maker = await env.newPage();
    await login(maker.page, COUNTY);
    const page = maker.page;
    await buildPayroll(page, lastMonth);
    payrollUrl = page.url();
    await expect.poll(() => page.getByTestId('fact-lines').innerText()).toContain('3');
    await expect.poll(() => page.getByTestId('fact-total').innerText()).toContain('1,350.00 元');
    await expect.poll(() => page.getByTestId('payroll-kind-dibao').innerText()).toContain('1,350.00');
    // One payee has no account: submit waits, with its reason shown, until the finding is handled.
    await page.getByTestId('payroll-exception-missing_account').waitFor();
    await expect.poll(() => page.getByTestId('action-submit').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('action-submit-why').innerText()).toContain('1 项');
    await page.getByTestId('payroll-exception-missing_account').getByTestId('payroll-exception-accept').click();
    await page.getByTestId('payroll-exception-reason').fill('已电话联系，下月前补办一卡通');
    await page.getByTestId('payroll-exception-accept-ok').click();
    await expect.poll(() => page.getByTestId('payroll-exception-missing_account').innerText()).toContain('已电话联系');
    await expect.poll(() => page.getByTestId('action-submit').isDisabled()).toBe(false);
    // The lines list searches by payee.
    await page.getByTestId('payroll-lines-search-q').fill(rcb.headName);
    await page.getByTestId('payroll-lines-search-submit').click();
    await expect
      .poll(() => page.getByTestId('payroll-lines').locator('tbody tr[data-testid^="payroll-line-"]').count())
      .toBe(1);
    await expectNoMachineData(page, 'payroll-detail');

    await page.getByTestId('action-submit').click();
    await page.getByTestId('submit-submit').click();
    await expect.poll(() => page.getByTestId('confirm-question').innerText()).toContain('1,350.00 元');
    await confirmOk(page);
    await waitForStatus(page, 'submitted');
    // The maker cannot approve her own payroll.
    expect(await page.getByTestId('action-approve').count()).toBe(0);

    // --- The county finance officer: approve after confirming.
    const checker = await env.newPage();
    const fp = checker.page;
    await login(fp, FINANCE);
    await fp.getByTestId('menu-payrolls').click();
    await fp.getByTestId(`payroll-row-${lastMonth}-regular`).getByTestId('payroll-link').click();
    await waitForStatus(fp, 'submitted');
    await fp.getByTestId('action-approve').click();
    await fp.getByTestId('approve-submit').click();
    await expect.poll(() => fp.getByTestId('confirm-question').innerText()).toContain(lastMonth);
    // Cancelled: nothing happens.
    await cancelConfirm(fp);
    expect(await fp.getByTestId('payroll-detail').getAttribute('data-status')).toBe('submitted');
    await fp.getByTestId('approve-submit').click();
    await confirmOk(fp);
    await waitForStatus(fp, 'approved');

    // The rural bank's file: fixed-width GBK, one line for the one payee of that bank.
    const [download] = await Promise.all([
      fp.waitForEvent('download'),
      fp.getByTestId('payroll-bank-download-ptrcb').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^payroll-${lastMonth}-350302-ptrcb\\.txt$`));
    const text = iconv.decode(readFileSync((await download.path())!), 'gbk');
    const rows = text.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(rcb.headName);
    reference = rows[0]!.slice(0, 20).trim();
    await expect.poll(() => fp.getByTestId('payroll-bank-ptrcb').innerText()).toContain('1 次');

    // --- The bank returns that line: account closed.
    await fp.getByTestId('action-returns').click();
    await fp.getByTestId('returns-content').fill(`${reference},销户`);
    await fp.getByTestId('returns-submit').click();
    await expect.poll(() => fp.getByTestId('returns-result').innerText()).toContain('1 笔');
    await expect.poll(() => fp.getByTestId('fact-failed').innerText()).toContain('450.00 元');

    // The village corrects the payee's card (the registry edit is tested with the registry pages).
    await env.t.database.db
      .updateTable('members')
      .set({ bank_account_enc: env.t.app.deps.protector.encrypt(luhnCard(880_001), 'member.bank_account') })
      .where('id', '=', rcb.headId)
      .execute();

    // --- This month's draft carries the reissue of last month's returned payment.
    await buildPayroll(page, thisMonth);
    await expect.poll(() => page.getByTestId('payroll-totals').innerText()).toContain('退票重发');
    await page.getByTestId('payroll-lines-search-q').fill(rcb.headName);
    await page.getByTestId('payroll-lines-search-submit').click();
    await expect
      .poll(() => page.getByTestId('payroll-lines').locator('tbody tr[data-testid^="payroll-line-"]').count())
      .toBe(2);
    expect(await page.getByTestId('payroll-lines').innerText()).toContain('退票重发');

    // The household page: last month returned, the reissue pending in this month's draft.
    await page.goto(`/households/${rcb.householdId}`);
    const payments = page.getByTestId('household-payments');
    await payments.getByTestId(`household-payment-${lastMonth}-reissue`).waitFor();
    expect(await payments.getByTestId(`household-payment-${lastMonth}-regular`).innerText()).toContain('账户已销户');
    await expectNoMachineData(page, 'household-payments');
    await maker.context.close();
    await checker.context.close();
  });

  it('the household page shows what was paid per year', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.goto(`/households/${postal.householdId}`);
    await expect
      .poll(() => page.getByTestId(`household-paid-${lastMonth.slice(0, 4)}`).innerText())
      .toContain('450.00 元');
    await context.close();
    expect(payrollUrl).toContain('/payrolls/');
  });

  it('the maker records a correction (调整) on this month’s draft after confirming, the checker sees it, and it is removed', async () => {
    const { household_no: householdNo } = await env.t.database.db
      .selectFrom('households')
      .select('household_no')
      .where('id', '=', postal.householdId)
      .executeTakeFirstOrThrow();
    const { context, page } = await env.newPage();
    await login(page, COUNTY);
    await page.getByTestId('menu-payrolls').click();
    await page.getByTestId(`payroll-row-${thisMonth}-regular`).getByTestId('payroll-link').click();
    await waitForStatus(page, 'draft');
    const total = await page.getByTestId('fact-total').innerText();

    await page.getByTestId('action-adjust').click();
    await page.getByTestId('adjust-enrolment').click();
    await page.keyboard.type(householdNo);
    await pickOption(page, page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText(householdNo));
    await page.getByTestId('adjust-month').fill(lastMonth);
    await page.getByTestId('adjust-amount').fill('-50');
    await page.getByTestId('adjust-reason').fill('上月多发 50 元，本月追回');
    await page.getByTestId('adjust-submit').click();
    // The confirmation names the household, the month and the amount in 元.
    const question = page.getByTestId('confirm-question');
    await expect.poll(() => question.innerText()).toContain(householdNo);
    expect(await question.innerText()).toContain(lastMonth);
    expect(await question.innerText()).toContain('-50.00 元');
    // Cancelled: nothing recorded.
    await cancelConfirm(page);
    expect(await page.getByTestId('fact-total').innerText()).toBe(total);
    await page.getByTestId('adjust-submit').click();
    await confirmOk(page);
    await expect.poll(() => page.getByTestId('payroll-totals').innerText()).toContain('调整');
    await expect.poll(() => page.getByTestId('fact-total').innerText()).not.toBe(total);
    const lines = page.getByTestId('payroll-lines');
    await expect.poll(() => lines.innerText()).toContain('上月多发 50 元，本月追回');
    expect(await lines.innerText()).toContain('-50.00 元');
    await expect.poll(() => page.getByTestId('payroll-exception-adjustment').innerText()).toContain('本月追回');
    await expectNoMachineData(page, 'payroll-detail');

    // The finance officer sees the correction among the findings.
    const checker = await env.newPage();
    await login(checker.page, FINANCE);
    await checker.page.goto(page.url());
    await waitForStatus(checker.page, 'draft');
    await expect
      .poll(() => checker.page.getByTestId('payroll-exception-adjustment').innerText())
      .toContain('-50.00 元');
    expect(await checker.page.locator('[data-testid^="payroll-adjustment-remove-"]').count()).toBe(0);
    await checker.context.close();

    // Removed after confirming.
    await page.locator('[data-testid^="payroll-adjustment-remove-"]').click();
    await expect.poll(() => question.innerText()).toContain('删除调整');
    await confirmOk(page);
    await expect.poll(() => page.getByTestId('fact-total').innerText()).toBe(total);
    await expect.poll(() => page.getByTestId('payroll-exception-adjustment').count()).toBe(0);
    expect(await lines.innerText()).not.toContain('本月追回');
    await context.close();
  });

  it('the reports page shows the fund ledger and downloads the 发放花名册', async () => {
    const { context, page } = await env.newPage();
    await login(page, FINANCE);
    await page.getByTestId('menu-payroll-reports').click();
    // Last month: three lines approved, one returned by the bank; two person-times, 900 元.
    const total = page.getByTestId('reports-ledger').getByTestId('reports-total');
    await expect.poll(() => total.innerText()).toContain('900.00');
    expect(await total.innerText()).toMatch(/\b2\b/);
    await expectNoMachineData(page, 'reports-ledger');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-roster').click()]);
    expect(download.suggestedFilename()).toBe(`payroll-roster-${lastMonth}-350302.xlsx`);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    // Title, header, the two paid lines, the total.
    expect(rows).toHaveLength(5);
    expect(Number(rows.at(-1)![10])).toBe(900);
    await context.close();
  });
});
