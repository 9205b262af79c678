/**
 * The citizen H5 at /m on a phone (390×844, touch): light on the first visit (compressed JS,
 * brotli), and a citizen who applies with a photo, gets a case number and reads the progress
 * with text codes (read from the server's SMS log sender, as a phone would receive them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { makeIdNumber } from '@jiuzhu/shared';
import { LogSmsSender, type SmsMessage } from '../../server/src/sms/sms';
import { startBrowserEnv, type BrowserEnv } from './harness';

const JS_BUDGET = 300 * 1024;
let env: BrowserEnv;
const sent: SmsMessage[] = [];
const tap = (m: SmsMessage) => sent.push(m);

beforeAll(async () => {
  env = await startBrowserEnv();
  LogSmsSender.taps.add(tap);
});
afterAll(async () => {
  LogSmsSender.taps.delete(tap);
  await env?.close();
});

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  // A new context has an empty cache: what a first visit downloads.
  const context = await env.browser.newContext({
    baseURL: env.baseUrl,
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  return { context, page: await context.newPage() };
}

/** The latest code texted to a phone, once it has arrived. */
async function codeSentTo(to: string, template: SmsMessage['template']): Promise<string> {
  await expect.poll(() => sent.filter((m) => m.to === to && m.template === template).length).toBeGreaterThan(0);
  return sent.filter((m) => m.to === to && m.template === template).at(-1)!.meta.code!;
}

describe('citizen H5 (/m)', () => {
  it('first visit with an empty cache loads at most 300 KB of compressed JavaScript, brotli-encoded', async () => {
    const { context, page } = await phone();
    const scripts: { url: string; encoding: string | undefined; bytes: number }[] = [];
    page.on('requestfinished', (req) => {
      void (async () => {
        if (req.resourceType() !== 'script') return;
        const res = await req.response();
        const sizes = await req.sizes();
        scripts.push({ url: req.url(), encoding: res?.headers()['content-encoding'], bytes: sizes.responseBodySize });
      })();
    });
    const res = await page.goto('/m');
    expect(res?.headers()['content-encoding']).toBeUndefined();
    expect(res?.headers()['cache-control']).toBe('no-cache');
    await page.getByTestId('h5-tile-apply').waitFor();
    await expect.poll(() => scripts.length).toBeGreaterThan(1);
    await page.waitForLoadState('networkidle');
    const total = scripts.reduce((s, x) => s + x.bytes, 0);
    expect(total).toBeGreaterThan(10 * 1024);
    expect(total).toBeLessThanOrEqual(JS_BUDGET);
    for (const s of scripts) {
      expect(s.url).toContain('/assets/');
      expect(s.encoding, s.url).toBe('br');
    }
    // No staff app code on the citizen page.
    expect(scripts.some((s) => /\/assets\/(antd|main)-/.test(s.url))).toBe(false);
    await context.close();
  });

  it('shows the conditions from the standards in force, labelled demo, and the large-type option', async () => {
    const { context, page } = await phone();
    await page.goto('/m');
    await page.getByTestId('h5-tile-conditions').tap();
    await expect.poll(() => page.getByTestId('h5-condition-dibao').textContent()).toContain('每人每月');
    await expect.poll(() => page.locator('.demo').count()).toBe(1);
    const before = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await page.getByTestId('h5-large').tap();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).not.toBe(before);
    await context.close();
  });

  it('a citizen applies with a document photo, gets a case number and reads the progress', async () => {
    const { context, page } = await phone();
    const mobile = '13912345678';
    await page.goto('/m');
    await page.getByTestId('h5-tile-apply').tap();

    await page.getByTestId('h5-name-0').fill('林小梅');
    // The ID number is checked as typed: a wrong check character is said at once.
    const id0 = makeIdNumber('350302', '1970-03-15', 231);
    const wrong = id0.slice(0, 17) + (id0.endsWith('1') ? '2' : '1');
    await page.getByTestId('h5-id-0').fill(wrong);
    await expect.poll(() => page.getByTestId('h5-id-check-0').getAttribute('class')).toBe('error');
    await page.getByTestId('h5-id-0').fill(id0);
    await expect.poll(() => page.getByTestId('h5-id-check-0').getAttribute('class')).toBe('ok');
    await page.getByTestId('h5-add-member').tap();
    await page.getByTestId('h5-name-1').fill('陈大山');
    await page.getByTestId('h5-id-1').fill(makeIdNumber('350302', '1968-11-02', 353));
    await page.getByTestId('h5-relation-1').selectOption('spouse');

    await page.getByTestId('h5-township').selectOption('350302102');
    await expect.poll(() => page.getByTestId('h5-village').locator('option').count()).toBeGreaterThan(1);
    await page.getByTestId('h5-village').selectOption('350302102201');
    await page.getByTestId('h5-address').fill('3组45号');
    await page.getByTestId('h5-phone').fill(mobile);
    await page.getByTestId('h5-get-code').tap();
    await page.getByTestId('h5-code').fill(await codeSentTo(mobile, 'phoneCode'));
    await page.getByTestId('h5-reason').fill('丈夫因病不能劳动，家庭收入低');

    // A phone photo (made in the page like a camera would) is compressed before it is sent.
    const jpeg = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 2400;
      c.height = 1800;
      const g = c.getContext('2d')!;
      g.fillStyle = '#dde';
      g.fillRect(0, 0, 2400, 1800);
      g.fillStyle = '#223';
      g.font = '120px sans-serif';
      g.fillText('户口簿', 200, 400);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/jpeg', 0.95));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await page
      .getByTestId('h5-photo-input')
      .setInputFiles({ name: 'hukou.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpeg) });
    await page.getByTestId('h5-photo').waitFor();
    await page.getByTestId('h5-consent').tap();
    await page.getByTestId('h5-submit').tap();

    const caseNo = (await page.getByTestId('h5-apply-no').textContent())!.trim();
    expect(caseNo).toMatch(/^[A-Z]{2}\d+$/);
    const row = await env.t.database.db
      .selectFrom('cases')
      .select(['id', 'channel', 'region_code'])
      .where('case_no', '=', caseNo)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'citizen', region_code: '350302102201' });
    const photo = await env.t.database.db
      .selectFrom('case_photos as p')
      .innerJoin('case_actions as a', 'a.id', 'p.action_id')
      .select(['p.size_bytes'])
      .where('a.case_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(photo.size_bytes).toBeLessThanOrEqual(500 * 1024);

    await page.getByTestId('h5-apply-to-progress').tap();
    await expect.poll(() => page.getByTestId('h5-progress-caseno').inputValue()).toBe(caseNo);
    await page.getByTestId('h5-progress-phone').fill(mobile);
    await page.getByTestId('h5-progress-get-code').tap();
    await page.getByTestId('h5-progress-code').fill(await codeSentTo(mobile, 'progressCode'));
    await page.getByTestId('h5-progress-submit').tap();
    await expect.poll(() => page.getByTestId('h5-progress-status').textContent()).toBe('待受理');
    await expect.poll(() => page.getByTestId('h5-progress').textContent()).toContain('提交申请');
    await context.close();
  });
});
