import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { login, startBrowserEnv, type BrowserEnv, pickOption } from './harness';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

// A month that is always in the future (China time): June of next year.
const FUTURE = `${Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4)) + 1}-06`;

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
/** A parameter of the version in force, as the page shows it. */
const param = (page: Page, key: string) =>
  page.getByTestId('policy-effective').getByTestId(`param-${key}`).textContent();
/** The validation message under the form item that holds `testId`. */
const itemError = (page: Page, testId: string) =>
  page
    .locator('.ant-form-item', { has: page.getByTestId(testId) })
    .locator('.ant-form-item-explain-error')
    .textContent();

async function openStandards(page: Page) {
  await page.getByTestId('menu-policy').click();
  await page.getByTestId('policy-effective').waitFor();
}

// The tests run in order: the city admin's new 城厢区 version is what the others then see.
describe('policy standards page', () => {
  it('the city admin sees the demo 低保 standard and schedules a 城厢区 version', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await openStandards(page);
    expect(await text(page, 'page-title')).toBe('救助标准');
    await expect.poll(() => param(page, 'standardFen')).toBe('900.00 元');
    expect(await param(page, 'deadlines.total')).toBe('30 个工作日');
    expect(await page.getByTestId('policy-effective-meta').getByTestId('demo-tag').textContent()).toBe('演示数据');
    expect(await text(page, 'policy-row-3503-v1')).toContain('演示数据');
    expect(await page.getByTestId('policy-row-3503-v1').getAttribute('data-status')).toBe('current');
    await page.getByTestId('policy-demo-alert').waitFor();

    // 特困: the multiplier reads ×1.3, not 1300.
    await page.getByRole('tab', { name: '特困', exact: true }).click();
    await expect.poll(() => param(page, 'basicLivingPerMille')).toBe('×1.3');
    await page.getByRole('tab', { name: '低保', exact: true }).click();
    await expect.poll(() => param(page, 'standardFen')).toBe('900.00 元');

    // 城厢区 has no version of its own yet: the city default applies.
    await page.getByTestId('policy-region').click();
    await pickOption(page, page.locator('.ant-select-dropdown:visible').getByTitle('城厢区', { exact: true }));
    await expect.poll(() => text(page, 'policy-effective-region')).toBe('城厢区');
    await expect.poll(() => text(page, 'policy-effective-meta')).toContain('市级默认标准');

    await page.getByTestId('policy-add').click();
    await page.getByTestId('policy-form').waitFor();
    // Pre-filled from the version in force, in yuan.
    expect(await page.getByTestId('policy-form-standardFen').inputValue()).toBe('900.00');
    expect(await page.locator('[data-testid="policy-form-region"]').textContent()).toContain('城厢区');
    await page.getByTestId('policy-form-standardFen').fill('950');
    await page.getByTestId('policy-form-month').fill(FUTURE);
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-form-note').fill('2026 年城厢区提标');
    await page.getByTestId('policy-form-submit').click();

    await page.getByTestId('policy-row-350302-v1').waitFor();
    expect(await page.getByTestId('policy-row-350302-v1').getAttribute('data-status')).toBe('scheduled');
    expect(await text(page, 'policy-status-350302-v1')).toBe('待生效');
    expect(await text(page, 'policy-row-350302-v1')).toContain(FUTURE);
    expect(await text(page, 'policy-row-350302-v1')).not.toContain('演示数据');
    // Still the city default until that month.
    expect(await param(page, 'standardFen')).toBe('900.00 元');
    await page.getByTestId('policy-row-350302-v1').locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => page.getByTestId('policy-history').textContent()).toContain('950.00 元');

    const rows = await env.t.database.db
      .selectFrom('policy_standards')
      .select(['region_code', 'effective_month', 'version', 'params', 'created_by'])
      .where('region_code', '=', '350302')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ effective_month: FUTURE, version: 1, created_by: 'admin' });
    const params = (typeof rows[0]!.params === 'string' ? JSON.parse(rows[0]!.params) : rows[0]!.params) as {
      standardFen: number;
    };
    expect(params.standardFen).toBe(95_000);
    await context.close();
  });

  it('the county officer sees the city default and 城厢区’s version; the server’s field errors show per field', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'chengxiang');
    await openStandards(page);
    await expect.poll(() => param(page, 'standardFen')).toBe('900.00 元');
    expect(await text(page, 'policy-effective-meta')).toContain('市级默认标准');
    await page.getByTestId('policy-row-3503-v1').waitFor();
    expect(await page.getByTestId('policy-row-350302-v1').getAttribute('data-status')).toBe('scheduled');
    expect(await page.getByTestId('policy-region').count()).toBe(0);

    // A later version may not start in a past month: the message shows under the month.
    await page.getByTestId('policy-add').click();
    await page.getByTestId('policy-form').waitFor();
    await page.getByTestId('policy-form-month').fill('2025-03');
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-form-submit').click();
    await expect.poll(() => itemError(page, 'policy-form-month')).toContain('生效月份不能早于本月');
    await page.getByTestId('policy-form-cancel').click();

    // 特困 below 1.3× the 低保 standard: the schema's message shows under the multiplier.
    await page.getByRole('tab', { name: '特困', exact: true }).click();
    await expect.poll(() => param(page, 'basicLivingPerMille')).toBe('×1.3');
    await page.getByTestId('policy-add').click();
    await page.getByTestId('policy-form').waitFor();
    expect(await page.getByTestId('policy-form-basicLivingPerMille').inputValue()).toBe('1.3');
    await page.getByTestId('policy-form-basicLivingPerMille').fill('1.2');
    await page.getByTestId('policy-form-submit').click();
    await expect.poll(() => itemError(page, 'policy-form-basicLivingPerMille')).toBeTruthy();
    const tekun = await env.t.database.db
      .selectFrom('policy_standards')
      .select('id')
      .where('kind', '=', 'tekun')
      .execute();
    expect(tekun).toHaveLength(1);
    await context.close();
  });

  it('a township officer reads the standards but cannot add a version', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await openStandards(page);
    await expect.poll(() => param(page, 'standardFen')).toBe('900.00 元');
    await page.getByTestId('policy-row-3503-v1').waitFor();
    await page.getByTestId('policy-row-350302-v1').waitFor();
    expect(await page.getByTestId('policy-add').count()).toBe(0);
    await context.close();
  });
});
