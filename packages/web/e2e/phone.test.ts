import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeIdNumber } from '@jiuzhu/shared';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { startBrowserEnv, submitLogin, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const WORKER = 'gw.phone';
const WORKER_PASSWORD = 'grid-worker-pass-1';

let env: BrowserEnv;
let leadId = '';
let caseId = '';

beforeAll(async () => {
  env = await startBrowserEnv();
  const admin = await env.t.login('admin');
  const user = await admin.request('POST', '/api/users', {
    username: WORKER,
    displayName: '云庄村网格员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: WORKER_PASSWORD,
  });
  if (user.statusCode !== 201) throw new Error(`grid worker: ${user.statusCode} ${user.body}`);
  // A new account must change its password first (the API enforces it); the harness's sign-in does that for tests.
  await env.t.login(WORKER, WORKER_PASSWORD);
  const res = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村2组8号',
    members: [
      { name: '林秀英', idNumber: makeIdNumber('350302', '1952-11-03', 417), relation: 'head', hukouType: 'rural' },
    ],
  });
  if (res.statusCode !== 201) throw new Error(`household: ${res.statusCode} ${res.body}`);
  const h = res.json();
  const db = env.t.database.db;
  await plantLeadSignal(db, { householdId: h.id, memberId: h.members[0].id });
  await dispatchNewLeads({ db, config: env.t.config });
  leadId = (await db.selectFrom('leads').select('id').executeTakeFirstOrThrow()).id;
  const township = await env.t.login('lingchuan');
  const c = await township.request('POST', '/api/cases', {
    members: [{ name: '黄秀珍', idNumber: makeIdNumber('350302', '1949-06-21', 228), relation: 'self' }],
    villageCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村5组2号',
    phone: '13805940077',
    reason: '独居老人，无固定收入',
    consent: true,
  });
  if (c.statusCode !== 201) throw new Error(`case: ${c.statusCode} ${c.body}`);
  caseId = c.json().id;
});
afterAll(() => env?.close());

/** Widths after the page has rendered its content: the page must not scroll sideways. */
async function overflow(page: Page) {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
    // The widest element that sticks out to the right, to name the culprit in a failure.
    culprit:
      Array.from(document.querySelectorAll<HTMLElement>('body *'))
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${Array.from(e.classList).join('.')} ${e.getAttribute('data-testid') ?? ''}`,
        )
        .at(-1) ?? '',
  }));
}

describe('phone layout at 390 px', () => {
  it('the menu is a drawer over the content, grouped by the work', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    await submitLogin(page, WORKER, WORKER_PASSWORD);
    await page.getByTestId('welcome-card').waitFor();
    const before = (await page.getByTestId('welcome-card').boundingBox())!;
    await page.getByTestId('sider-toggle').click();
    await page.getByTestId('menu-leads').waitFor();
    // The drawer lies over the page: the content has not moved aside (only the scrollbar may go).
    const after = (await page.getByTestId('welcome-card').boundingBox())!;
    expect({ x: after.x, y: after.y }).toEqual({ x: before.x, y: before.y });
    expect(await page.getByTestId('navgroup-discovery').textContent()).toBe('主动发现');
    await page.getByTestId('menu-leads').click();
    await page.getByTestId('menu-leads').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('breadcrumbs').textContent()).toContain('主动发现');
    await context.close();
  });

  it('no page a grid worker opens scrolls sideways', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    await submitLogin(page, WORKER, WORKER_PASSWORD);
    await page.getByTestId('welcome-card').waitFor();
    await page.getByTestId('sider-toggle').click();
    await page.getByTestId('menu-home').waitFor();
    const menuPaths = await page
      .locator('[data-testid^="menu-"] a, [data-testid^="menu-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!).filter(Boolean));
    const keys = [...new Set(menuPaths.map((id) => id.replace('menu-', '')))];
    expect(keys).toContain('leads');
    const pages: { url: string; ready: string }[] = [];
    for (const key of keys) {
      await page.getByTestId(`menu-${key}`).click();
      await page.getByTestId('page-title').waitFor();
      pages.push({ url: new URL(page.url()).pathname, ready: 'page-title' });
      await page.getByTestId('sider-toggle').click();
      await page.getByTestId('menu-home').waitFor();
    }
    pages.push({ url: `/leads/${leadId}`, ready: 'page-title' });
    pages.push({ url: `/cases/${caseId}`, ready: 'case-detail' });
    pages.push({ url: '/account/password', ready: 'page-title' });
    for (const p of pages) {
      await page.goto(p.url);
      await page.getByTestId(p.ready).first().waitFor();
      // Lists fill after their request: wait for the spinners to go.
      await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
      const o = await overflow(page);
      expect({ url: p.url, ...o, culprit: o.scroll > o.width ? o.culprit : '' }).toEqual({
        url: p.url,
        scroll: o.width,
        width: o.width,
        culprit: '',
      });
    }
    expect(pages.length).toBeGreaterThan(4);
    await context.close();
  });
});
