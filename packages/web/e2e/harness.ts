import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestApp, type TestApp } from '@jiuzhu/server/test/harness';
// @ts-expect-error: a plain ESM script shared with `npm start`
import { ensureWebBuilt, webDist } from '../../../scripts/web-build.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags for a closed network: without the background-networking ones Chromium keeps dialling out.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export type BrowserEnv = {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies) with one page, zh-CN unless told otherwise. */
  newPage(locale?: string): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
};

/**
 * The real product for a browser test: the built web app served by the real server
 * (on a fresh database) on a free port, and Debian's Chromium driven by playwright-core.
 */
export async function startBrowserEnv(): Promise<BrowserEnv> {
  ensureWebBuilt();
  const t = await createTestApp({ JIUZHU_WEB_DIST: webDist as string });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  // playwright-core gives every launch a fresh, empty profile directory of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    t,
    baseUrl,
    browser,
    async newPage(locale = 'zh-CN') {
      const context = await browser.newContext({ baseURL: baseUrl, locale, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** Fills and submits the login form (the outcome is the caller's to check). */
export async function submitLogin(page: Page, username: string, password = 'jiuzhu-demo'): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in and waits for the app's menu. */
export async function login(page: Page, username: string, password = 'jiuzhu-demo'): Promise<void> {
  await submitLogin(page, username, password);
  await page.getByTestId('menu-home').waitFor();
}

/**
 * Clicks an element that goes away when clicked (an option of an open Ant Design dropdown, a confirmation's cancel
 * button) and waits until it has gone. Under load the first click can land while the popup is still opening and be
 * lost; it is clicked again until it took.
 */
export async function clickUntilGone(target: ReturnType<Page['locator']>): Promise<void> {
  await target.click();
  await expect
    .poll(async () => {
      const shown = await target.isVisible().catch(() => false);
      if (shown) await target.click({ timeout: 2_000 }).catch(() => {});
      return shown;
    })
    .toBe(false);
}

/** Picks an option of the open Ant Design select dropdown and waits until the dropdown has closed. */
export async function pickOption(_page: Page, option: ReturnType<Page['locator']>): Promise<void> {
  await clickUntilGone(option);
}

/**
 * Chooses `text` in an Ant Design select: opens it, clicks the option, and again until the select shows
 * the choice. Under load the dropdown can close before the option's click lands (the option is then
 * never visible again), so the select is reopened rather than the option waited for.
 */
export async function chooseInSelect(page: Page, select: ReturnType<Page['locator']>, text: string): Promise<void> {
  const option = page.locator('.ant-select-dropdown:visible').getByText(text, { exact: true });
  await expect
    .poll(async () => {
      if (!(await option.isVisible().catch(() => false))) await select.click({ timeout: 2_000 }).catch(() => {});
      await option.click({ timeout: 2_000 }).catch(() => {});
      return (await select.textContent()) ?? '';
    })
    .toContain(text);
}

/**
 * Clicks `button` until `took` says the click took. Under load a click can be lost: when it has not
 * taken within 5 s the button is clicked again, three clicks at most. Not sooner: an action may take
 * a moment to show (a form checks its fields before it sends), and a second click would act twice.
 * The caller waits for the outcome after.
 */
async function clickUntil(button: ReturnType<Page['locator']>, took: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await button.click();
    const taken = await expect
      .poll(took, { timeout: 5_000 })
      .toBe(true)
      .then(() => true)
      .catch(() => false);
    if (taken) return;
  }
}

/**
 * Clicks a button that asks a confirmation and waits for the question; the click is repeated when the
 * question has not shown (clickUntil: once in CI it never showed for 30 s).
 */
export async function openConfirm(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
  const question = page.getByTestId('confirm-question');
  await clickUntil(button, () => question.isVisible());
  await question.waitFor();
}

/**
 * Clicks a button whose action shows it is sending (Ant Design's loading state), makes it go away,
 * or shows `done`, and waits until one of them shows; the click is repeated when none has (clickUntil).
 */
export async function clickUntilSending(
  button: ReturnType<Page['locator']>,
  done?: ReturnType<Page['locator']>,
): Promise<void> {
  const taken = async () =>
    (done !== undefined && (await done.isVisible().catch(() => false))) ||
    (await button
      .evaluate((el) => el.classList.contains('ant-btn-loading'), undefined, { timeout: 1_000 })
      .catch(() => true /* detached: closed */)) ||
    !(await button.isVisible().catch(() => false));
  await clickUntil(button, taken);
  await expect.poll(taken).toBe(true);
}

/**
 * Confirms the open confirmation and waits until it has closed (clickUntilSending). The action may
 * take long under load: its end is waited for, not clicked through.
 */
export async function confirmOk(page: Page): Promise<void> {
  await clickUntilSending(page.getByTestId('confirm-ok'));
  await page.getByTestId('confirm-question').waitFor({ state: 'detached', timeout: 60_000 });
}

/** Cancels the open confirmation and waits until it has closed. */
export async function cancelConfirm(page: Page): Promise<void> {
  await clickUntilGone(page.getByTestId('confirm-cancel'));
  await page.getByTestId('confirm-question').waitFor({ state: 'detached' });
}
