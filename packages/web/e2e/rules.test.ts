import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chooseInSelect, login, startBrowserEnv, type BrowserEnv } from './harness';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

type Rule = { id: string; code: string; currentVersion: number; definition: Record<string, any> };
async function ruleOf(page: Page, code: string): Promise<Rule> {
  const res = await page.context().request.get('/api/collision/rules');
  expect(res.status()).toBe(200);
  return ((await res.json()).items as Rule[]).find((r) => r.code === code)!;
}

async function openEditor(page: Page, code: string) {
  await page.getByTestId(`rule-edit-${code}`).click();
  await page.getByTestId('rule-form').waitFor();
}

describe('collision rules page', () => {
  it('edits a threshold as a multiple of the 低保 standard and an amount in 元, in words, never JSON', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.goto('/signals/rules');
    const wageRow = page.getByTestId('rule-row-wage.recipient');
    await wageRow.waitFor();
    // Kinds by their names, not record-type codes.
    await expect.poll(() => wageRow.textContent()).toContain('社保缴费工资');

    // The rule in words when the row is opened.
    await wageRow.locator('.ant-table-row-expand-icon').click();
    const summary = page.getByTestId('rule-summary').first();
    await summary.waitFor();
    expect(await summary.textContent()).toContain('月工资 不低于 1.5 × 低保标准');

    // The editor: field by its Chinese name (no unit in fen), operator in words, the multiple.
    await openEditor(page, 'wage.recipient');
    expect(await page.getByTestId('rule-condition-0-field').textContent()).toBe('月工资');
    expect(await page.getByTestId('rule-condition-0-op').textContent()).toBe('不低于');
    expect(await page.getByTestId('rule-condition-0-mode').textContent()).toBe('低保标准倍数');
    const value = page.getByTestId('rule-condition-0-value');
    expect(await value.inputValue()).toBe('1.5');
    expect(await page.getByTestId('rule-form').textContent()).not.toContain('monthly_wage_fen');

    // A multiple with four decimals is refused in the form: nothing is saved.
    const before = await ruleOf(page, 'wage.recipient');
    await value.fill('1.6255');
    await page.getByTestId('rule-note').fill('按新标准调整');
    await page.getByTestId('rule-save').click();
    await page.getByText('请输入倍数，如 1.5（最多三位小数）').waitFor();
    expect((await ruleOf(page, 'wage.recipient')).currentVersion).toBe(before.currentVersion);

    await value.fill('1.6');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-form').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await ruleOf(page, 'wage.recipient')).currentVersion)
      .toBe(before.currentVersion + 1);
    const saved = await ruleOf(page, 'wage.recipient');
    expect(saved.definition.where).toEqual([
      { field: 'monthly_wage_fen', op: 'gte', value: { timesStandardPerMille: 1600 } },
    ]);
    // Everything else of the definition is as it was.
    expect({ ...saved.definition, where: [] }).toEqual({ ...before.definition, where: [] });

    // The 20,000-yuan medical line is the rule's own figure, shown and typed in 元.
    await openEditor(page, 'medical.self_paid');
    const amount = page.getByTestId('rule-aggregate-value');
    expect(await amount.inputValue()).toBe('20000');
    await amount.fill('25000.5');
    await page.getByTestId('rule-note').fill('提高自付医疗费用线');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-form').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await ruleOf(page, 'medical.self_paid')).definition.aggregate?.value)
      .toBe(2_500_050);

    // A fixed amount instead of the multiple: the mode switches to 元.
    await openEditor(page, 'wage.recipient');
    await chooseInSelect(page, page.getByTestId('rule-condition-0-mode'), '金额（元）');
    await page.getByTestId('rule-condition-0-value').fill('1500');
    await page.getByTestId('rule-note').fill('改为固定金额');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-form').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await ruleOf(page, 'wage.recipient')).definition.where)
      .toEqual([{ field: 'monthly_wage_fen', op: 'gte', value: 150_000 }]);
    await context.close();
  }, 120_000);
});
