import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payrollHousehold, plantEnrolment } from '../../server/src/demo/payroll-driver';
import { startBrowserEnv, login, submitLogin, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const COUNTIES = ['350302', '350303', '350304', '350305', '350322'];

let env: BrowserEnv;

beforeAll(async () => {
  env = await startBrowserEnv();
  const admin = await env.t.login('admin');
  // Two households on the rolls in 云庄村, so 城厢区 has a colour of its own on the map.
  for (let i = 0; i < 2; i++) {
    const h = await payrollHousehold(admin, YUNZHUANG);
    await plantEnrolment(env.t.database.db, {
      householdId: h.householdId,
      regionCode: YUNZHUANG,
      history: [{ seq: 1, type: 'enrolled', effectiveMonth: '2025-01', amountFen: 60_000, oneOffFen: 0 }],
    });
  }
}, 120_000);
afterAll(() => env?.close());

describe('一张图', () => {
  it('the workbench is the landing page: to-dos with counts and this year’s figures', async () => {
    const { page } = await env.newPage();
    await login(page, 'admin');
    await page.getByTestId('welcome-card').waitFor();
    await page.getByTestId('todo-cases_overdue').waitFor();
    await expect.poll(() => page.getByTestId('workbench-figures').textContent()).toContain('在保户数');
    // Never counted before this read: the figures come from the background recount (the page reads
    // again while the answer says recounting), so they may take a moment.
    await expect
      .poll(() => page.getByTestId('figure-recipientHouseholds').textContent(), { timeout: 20_000 })
      .toContain('2');
    expect(await page.getByTestId('figures-recounting').count()).toBe(0);
    await page.context().close();
  });

  it('the map draws the five counties on its canvas and a click drills down to the villages', async () => {
    const { page } = await env.newPage();
    await login(page, 'admin');
    await page.getByTestId('menu-dashboard').click();
    const dash = page.getByTestId('dashboard');
    await expect.poll(() => dash.getAttribute('data-level')).toBe('city');
    const map = page.getByTestId('dashboard-map');
    await expect.poll(() => map.getAttribute('data-drawn'), { timeout: 20_000 }).toBe(COUNTIES.join(','));
    const centres = JSON.parse((await map.getAttribute('data-centres'))!) as Record<string, [number, number]>;
    // Each county's centre is painted on the canvas (not the transparent background).
    const alpha = await page.evaluate((points) => {
      const canvas = document.querySelector('[data-testid="dashboard-map"] canvas') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const scale = canvas.width / canvas.clientWidth;
      return points.map(([x, y]) => ctx.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data[3]);
    }, Object.values(centres));
    expect(alpha).toHaveLength(5);
    for (const a of alpha) expect(a).toBeGreaterThan(0);

    const [x, y] = centres['350302']!;
    await map.click({ position: { x, y } });
    await expect.poll(() => dash.getAttribute('data-region')).toBe('350302');
    expect(await dash.getAttribute('data-level')).toBe('county');
    await page.getByTestId('dashboard-bars').waitFor();
    await page.getByTestId('area-row-350302102').click();
    await expect.poll(() => dash.getAttribute('data-level')).toBe('township');
    await page.getByTestId(`area-row-${YUNZHUANG}`).click();
    await expect.poll(() => dash.getAttribute('data-level')).toBe('village');
    await page.getByTestId('dashboard-lists').waitFor();
    await expect.poll(() => page.getByTestId('dashboard-figure-recipientHouseholds').textContent()).toContain('2');
    // The province upload: a figure card and its counts per record type.
    await page.getByTestId('dashboard-figure-provinceUploaded').waitFor();
    await expect.poll(() => page.getByTestId('dashboard-province').textContent()).toContain('资金发放');
    await page.getByTestId('dashboard-up').click();
    await expect.poll(() => dash.getAttribute('data-region')).toBe('350302102');
    await page.context().close();
  });

  it('at phone width the map page and the workbench do not scroll sideways', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    // Phone width: the menu is folded away, so wait for the workbench itself.
    await submitLogin(page, 'chengxiang');
    await page.getByTestId('todo-cases_my_step').waitFor();
    const width = () =>
      page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    expect((await width()).scroll).toBeLessThanOrEqual((await width()).width);
    await page.goto('/dashboard');
    await page.getByTestId('dashboard-bars').waitFor();
    await expect.poll(async () => (await width()).scroll <= (await width()).width).toBe(true);
    await context.close();
  });
});
