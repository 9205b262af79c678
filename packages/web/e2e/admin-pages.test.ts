import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, pickOption, startBrowserEnv, type BrowserEnv } from './harness';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

describe('administration pages', () => {
  it('region browser: the tree starts at the user’s region and the search shows the path', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'chengxiang');
    await page.getByTestId('menu-regions').click();
    await expect.poll(() => page.getByTestId('region-tree').textContent()).toContain('城厢区');
    await page.getByTestId('region-tree').locator('.ant-tree-switcher').first().click();
    await expect.poll(() => page.getByTestId('region-tree').textContent()).toContain('灵川镇');
    expect(await page.getByTestId('region-tree').textContent()).not.toContain('涵江区');
    await page.getByTestId('region-search').locator('input').fill('云庄');
    await page.getByTestId('region-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('region-search-results').textContent()).toContain('城厢区');
    await page.getByTestId('region-result-350302102201').click();
    await expect.poll(() => page.getByTestId('region-code').textContent()).toBe('350302102201');
    // 萩芦镇 is in another district: not found from 城厢区.
    await page.getByTestId('region-search').locator('input').fill('萩芦');
    await page.getByTestId('region-search').locator('input').press('Enter');
    await expect.poll(async () => await page.locator('[data-testid^="region-result-"]').count()).toBe(0);
    await context.close();
  });

  it('user management: a township officer creates a grid worker who can then sign in', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.getByTestId('menu-users').click();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-username').fill('yunzhuang.lin');
    await page.getByTestId('user-form-displayName').fill('云庄村协理员');
    await page.getByTestId('user-form-role').click();
    await pickOption(
      page,
      page.locator('.ant-select-dropdown:visible').getByTitle('村（社区）协理员', { exact: true }),
    );
    await page.getByTestId('user-form-region').click();
    await page.keyboard.type('云庄');
    await pickOption(page, page.locator('.ant-select-dropdown:visible').getByText('云庄村委会').first());
    await page.getByTestId('user-form-password').fill('grid-worker-pass-1');
    await page.getByTestId('user-form-confirm').fill('grid-worker-pass-1');
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('user-row-yunzhuang.lin').waitFor();
    await context.close();

    const second = await env.newPage();
    await login(second.page, 'yunzhuang.lin', 'grid-worker-pass-1');
    await second.page.getByTestId('must-change-password').waitFor();
    await second.context.close();
  });

  it('change password: the page changes it and the new one works', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'qiulu');
    await page.goto('/account/password');
    await page.getByTestId('password-current').fill('jiuzhu-demo');
    await page.getByTestId('password-new').fill('qiulu-new-password-1');
    await page.getByTestId('password-confirm').fill('qiulu-new-password-1');
    await page.getByTestId('password-submit').click();
    await expect
      .poll(
        async () =>
          (
            await env.t.anonymous.request('POST', '/api/auth/login', {
              username: 'qiulu',
              password: 'qiulu-new-password-1',
            })
          ).statusCode,
      )
      .toBe(200);
    await context.close();
  });

  it('working-day calendar: official holidays are shown and an admin adds an override', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.getByTestId('menu-calendar').click();
    await page.getByTestId('calendar-grid').waitFor();
    // October 2025 (National Day), typed into the month picker.
    await page.getByTestId('calendar-month-picker').fill('2025-10');
    await page.keyboard.press('Enter');
    await page.getByTestId('calendar-day-2025-10-01').waitFor();
    await expect.poll(() => page.getByTestId('calendar-day-2025-10-01').getAttribute('data-kind')).toBe('holiday');
    expect(await page.getByTestId('calendar-day-2025-10-11').getAttribute('data-kind')).toBe('makeup_workday');
    await page.getByTestId('override-add').click();
    await page.getByTestId('override-note').waitFor();
    await page.getByTestId('override-date').fill('2025-10-13');
    await page.keyboard.press('Enter');
    await page.getByTestId('override-note').fill('防汛应急调休');
    await page.getByTestId('override-submit').click();
    await expect.poll(() => page.getByTestId('calendar-day-2025-10-13').getAttribute('data-kind')).toBe('holiday');
    await context.close();
  });

  it('audit trail: the city admin sees the actions and verifies the chain', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.getByTestId('menu-audit').click();
    await expect.poll(async () => await page.locator('[data-testid^="audit-row-"]').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('audit-table').textContent()).toContain('新建用户');
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').getAttribute('data-ok')).toBe('true');
    await context.close();
  });
});
