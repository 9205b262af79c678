import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { submitLogin, startBrowserEnv, type BrowserEnv } from './harness';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

async function menuKeys(page: Page): Promise<string[]> {
  await page.getByTestId('menu-home').waitFor();
  const ids = await page
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
  return ids.map((id) => id.replace('menu-', '')).sort();
}

describe('staff web shell', () => {
  it('admin signs in and sees every page of a city administrator', async () => {
    const { context, page } = await env.newPage();
    await submitLogin(page, 'admin');
    expect(await menuKeys(page)).toEqual([
      'audit',
      'calendar',
      'care-stats',
      'cases',
      'cases-overdue',
      'dashboard',
      'enrolments',
      'exchange',
      'exchange-sources',
      'home',
      'households',
      'insurance',
      'insurance-claim-reports',
      'insurance-claims',
      'insurance-condolence',
      'insurance-stats',
      'leads',
      'leads-stats',
      'payroll-reports',
      'payrolls',
      'policy',
      'province',
      'referrals',
      'regions',
      'reviews',
      'signals',
      'signals-rules',
      'staff-relatives',
      'users',
    ]);
    await expect.poll(() => page.getByTestId('header-region').textContent()).toContain('莆田市');
    await page.getByTestId('menu-users').click();
    await page.getByTestId('user-row-lingchuan').waitFor();
    await page.getByTestId('user-row-qiulu').waitFor();
    await context.close();
  });

  it('lingchuan sees only a township officer’s menu and only 灵川镇', async () => {
    const { context, page } = await env.newPage();
    await submitLogin(page, 'lingchuan');
    expect(await menuKeys(page)).toEqual([
      'care-stats',
      'cases',
      'cases-new',
      'dashboard',
      'enrolments',
      'home',
      'households',
      'insurance',
      'insurance-claim-reports',
      'insurance-claims',
      'insurance-condolence',
      'insurance-stats',
      'leads',
      'leads-stats',
      'policy',
      'referrals',
      'regions',
      'reviews',
      'signals',
      'staff-relatives',
      'users',
    ]);
    await expect.poll(() => page.getByTestId('header-region').textContent()).toContain('灵川镇');
    await page.getByTestId('menu-users').click();
    await page.getByTestId('user-row-lingchuan').waitFor();
    expect(await page.getByTestId('user-row-qiulu').count()).toBe(0);
    // Pages outside the role answer with the 403 page, not with data.
    await page.goto('/audit');
    await page.getByTestId('forbidden').waitFor();
    await context.close();
  });

  it('switches the language to English and back', async () => {
    const { context, page } = await env.newPage();
    await submitLogin(page, 'admin');
    await page.getByTestId('menu-home').waitFor();
    expect(await page.getByTestId('menu-users').textContent()).toContain('用户管理');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en-US').click();
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toContain('Users');
    await page.reload();
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toContain('Users');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await expect.poll(() => page.getByTestId('menu-users').textContent()).toContain('用户管理');
    await context.close();
  });

  it('a failed login says so clearly and does not sign in', async () => {
    const { context, page } = await env.newPage();
    await submitLogin(page, 'qiulu', 'not-the-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    expect(page.url()).toContain('/login');
    await context.close();
  });

  it('a locked account is told when it unlocks', async () => {
    const { context, page } = await env.newPage();
    for (let i = 0; i < 5; i++) await submitLogin(page, 'chengxiang', `wrong-${i}`);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('账号已锁定');
    await page.getByTestId('login-locked-until').waitFor();
    await context.close();
  });
});
