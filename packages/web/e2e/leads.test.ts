import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeIdNumber } from '@jiuzhu/shared';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { startBrowserEnv, submitLogin, login, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const WORKER = 'gw.yunzhuang';
const WORKER_PASSWORD = 'grid-worker-pass-1';
// A 1×1 PNG, as a phone camera would hand over a (much larger) JPEG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const GPS = { latitude: 25.4526, longitude: 118.9561, accuracy: 15 };

let env: BrowserEnv;
let leadNo = 0;

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
  await plantLeadSignal(env.t.database.db, { householdId: h.id, memberId: h.members[0].id });
  const db = env.t.database.db;
  await dispatchNewLeads({ db, config: env.t.config });
  leadNo = Number((await db.selectFrom('leads').select('lead_no').executeTakeFirstOrThrow()).lead_no);
});
afterAll(() => env?.close());

async function stats(page: Page) {
  await page.goto('/leads/stats');
  await page.getByTestId(`stats-row-${YUNZHUANG}`).waitFor();
  const cell = (k: string) => page.getByTestId(`${k}-${YUNZHUANG}`).textContent();
  return {
    issued: await cell('stats-issued'),
    visited: await cell('stats-visited'),
    onTime: await cell('stats-ontime'),
  };
}

describe('lead pages', () => {
  it('a grid worker closes a lead with a visit on her phone; the township sees the statistics change', async () => {
    const township = await env.newPage();
    await login(township.page, 'lingchuan');
    expect(await stats(township.page)).toEqual({ issued: '1', visited: '0', onTime: '0' });

    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      geolocation: GPS,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await submitLogin(page, WORKER, WORKER_PASSWORD);
    // Phone width: the menu is folded away behind the toggle.
    await page.getByTestId('sider-toggle').click();
    await page.getByTestId('menu-leads').click();
    const card = page.getByTestId(`lead-card-${leadNo}`);
    await card.waitFor();
    expect(await card.textContent()).toContain('林秀英');
    expect(await card.textContent()).toContain('云庄村委会');
    expect(await card.textContent()).toContain('自付医疗费用高');
    expect(await card.textContent()).toContain('剩 10 个工作日');
    await card.click();

    await page.getByTestId('visit-form').waitFor();
    expect(await page.getByTestId('lead-sources').textContent()).toContain('医疗费用（测试）');
    await page.getByTestId('visit-notes').fill('户主长期住院，子女在外务工，经核实家庭收入可维持基本生活');
    await page
      .getByTestId('visit-photo-input')
      .setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('visit-photo-preview-0').waitFor();
    await page.getByTestId('visit-locate').click();
    await expect.poll(() => page.getByTestId('visit-location').textContent()).toContain('25.452600');
    expect(await page.getByTestId('visit-location').textContent()).toContain('118.956100');
    await page.getByTestId('visit-form').getByText('经核实不困难').click();
    // Nothing sticks out sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('visit-submit').click();

    await page.getByTestId('lead-closed').waitFor();
    expect(await page.getByTestId('lead-status').textContent()).toContain('已办结');
    expect(await page.getByTestId('lead-visit-0').textContent()).toContain('经核实不困难');
    expect(await page.getByTestId('lead-visit-location').textContent()).toContain('25.452600');
    await expect
      .poll(() =>
        page
          .getByTestId('lead-visit-photo-1')
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBe(1);
    expect(await page.locator('[data-testid="visit-form"]').count()).toBe(0);

    const visit = await env.t.database.db.selectFrom('lead_visits').selectAll().executeTakeFirstOrThrow();
    expect(visit).toMatchObject({ outcome: 'not_needy', latitude: GPS.latitude, photo_count: 1 });
    await context.close();

    expect(await stats(township.page)).toEqual({ issued: '1', visited: '1', onTime: '1' });
    await township.context.close();
  });
});
