/**
 * The grid worker's field app (/field) on a phone: installable (manifest, service worker), opens
 * with no network, records two visits with photos and one application offline into its outbox,
 * and sends each exactly once when the network returns; a 6 MB photo is compressed and accepted,
 * keeping its own time and GPS from the original's EXIF, which staff read on the lead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { login, startBrowserEnv, type BrowserEnv } from './harness';
import { withExif } from './exif';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const GPS = { latitude: 25.4526, longitude: 118.9561 };
/** Where and when the camera took the first photo (not where the visit was recorded). */
const SHOT = { dateTimeOriginal: '2026:11:20 09:30:15', latitude: 25.4411, longitude: 118.9722 };
let env: BrowserEnv;

beforeAll(async () => {
  env = await startBrowserEnv();
  const admin = await env.t.login('admin');
  const user = await admin.request('POST', '/api/users', {
    username: 'gw.field',
    displayName: '云庄村协理员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-worker-pass-1',
  });
  expect(user.statusCode).toBe(201);
  // A new account must change its password first (the API enforces it); the harness's sign-in does that for tests.
  await env.t.login('gw.field', 'grid-worker-pass-1');
  const lingchuan = await env.t.login('lingchuan');
  for (const [name, birth, seq] of [
    ['黄田生', '1950-01-02', 511],
    ['陈玉兰', '1953-03-04', 522],
  ] as const) {
    const h = await lingchuan.request('POST', '/api/households', {
      regionCode: YUNZHUANG,
      address: '莆田市城厢区灵川镇云庄村7组1号',
      members: [{ name, idNumber: makeIdNumber('350302', birth, seq), relation: 'head', hukouType: 'rural' }],
    });
    expect(h.statusCode, h.body).toBe(201);
    await plantLeadSignal(env.t.database.db, { householdId: h.json().id, memberId: h.json().members[0].id });
  }
  await dispatchNewLeads({ db: env.t.database.db, config: env.t.config });
});
afterAll(() => env?.close());

describe('field app (/field)', () => {
  it('serves the manifest and the service worker', async () => {
    const manifest = await fetch(`${env.baseUrl}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(await manifest.json()).toMatchObject({ start_url: '/field', display: 'standalone' });
    const sw = await fetch(`${env.baseUrl}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(await sw.text()).toContain('field.html');
  });

  it('records two visits with photos and an application offline; each reaches the server exactly once', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      permissions: ['geolocation'],
      geolocation: GPS,
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto('/field');
    await page.getByTestId('field-username').fill('gw.field');
    await page.getByTestId('field-password').fill('grid-worker-pass-1');
    await page.getByTestId('field-login').tap();
    await expect.poll(() => page.getByTestId('field-lead').count()).toBe(2);
    // The service worker controls the page: the app now opens without a network.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('field-network').getAttribute('data-online')).toBe('false');
    await expect.poll(() => page.getByTestId('field-lead').count()).toBe(2);

    // A 6 MB camera photo, made in the page.
    const big = await page.evaluate(async () => {
      const c = document.createElement('canvas');
      c.width = 3200;
      c.height = 2400;
      const g = c.getContext('2d')!;
      const img = g.createImageData(3200, 2400);
      for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : (Math.random() * 256) | 0;
      g.putImageData(img, 0, 0);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/jpeg', 1));
      return new Promise<string>((r) => {
        const reader = new FileReader();
        reader.onload = () => r((reader.result as string).split(',')[1]!);
        reader.readAsDataURL(blob);
      });
    });
    const bigPhoto = Buffer.from(big, 'base64');
    expect(bigPhoto.length).toBeGreaterThan(6 * 1024 * 1024);

    const names: string[] = [];
    for (const [i, photo] of [bigPhoto, bigPhoto.subarray(0, 0)].entries()) {
      const lead = page.getByTestId('field-lead').nth(i);
      names.push((await lead.textContent())!);
      await lead.tap();
      await page.getByTestId('field-visit-notes').fill(`离线走访第${i + 1}户，家中有老人独居`);
      await page.getByTestId('field-outcome-unreachable').check();
      const file =
        photo.length > 0
          ? { name: 'camera.jpg', mimeType: 'image/jpeg', buffer: withExif(photo, SHOT) }
          : { name: 'small.jpg', mimeType: 'image/jpeg', buffer: bigPhoto };
      await page.getByTestId('field-photo-input').setInputFiles(file);
      await page.getByTestId('field-photo').waitFor({ timeout: 60_000 });
      const compressed = page.getByTestId('field-photo');
      expect(Number(await compressed.getAttribute('data-bytes'))).toBeLessThanOrEqual(500 * 1024);
      expect(
        Math.max(
          Number(await compressed.getAttribute('data-width')),
          Number(await compressed.getAttribute('data-height')),
        ),
      ).toBeLessThanOrEqual(1600);
      await page.getByTestId('field-locate').tap();
      await page.getByTestId('field-located').waitFor();
      await page.getByTestId('field-visit-save').tap();
      await expect.poll(() => page.getByTestId('field-lead').count()).toBe(2);
    }

    await page.getByTestId('field-tab-apply').tap();
    await page.getByTestId('field-apply-name').fill('郑海英');
    await page.getByTestId('field-apply-id').fill(makeIdNumber('350302', '1966-09-10', 533));
    await page.getByTestId('field-apply-address').fill('莆田市城厢区灵川镇云庄村8组3号');
    await page.getByTestId('field-apply-phone').fill('13705946677');
    await page.getByTestId('field-apply-reason').fill('丈夫去世，独自抚养两个孩子');
    await page.getByTestId('field-apply-consent').check();
    await page.getByTestId('field-apply-save').tap();

    await page.getByTestId('field-tab-outbox').tap();
    const items = page.getByTestId('field-outbox-item');
    await expect.poll(() => items.count()).toBe(3);
    await expect.poll(() => page.locator('[data-testid="field-outbox-item"][data-status="pending"]').count()).toBe(3);
    const db = env.t.database.db;
    expect((await db.selectFrom('lead_visits').select('id').execute()).length).toBe(0);

    // Back online: the outbox is sent by itself.
    await context.setOffline(false);
    await expect
      .poll(async () =>
        (await items.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-status')}: ${e.textContent}`))).join(
          ' | ',
        ),
      )
      .not.toMatch(/pending/);
    expect(await items.evaluateAll((els) => els.map((e) => e.textContent))).toHaveLength(3);
    const statuses = await items.evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-status')}: ${e.textContent}`),
    );
    expect(
      statuses.filter((x) => x.startsWith('sent')),
      statuses.join(' | '),
    ).toHaveLength(3);
    // A second sync sends nothing again.
    await page.getByTestId('field-sync').tap();
    await expect.poll(() => page.getByTestId('field-sync').isEnabled()).toBe(true);

    const visits = await db
      .selectFrom('lead_visits as v')
      .innerJoin('leads as l', 'l.id', 'v.lead_id')
      .select(['l.person_name', 'v.latitude', 'v.photo_count', 'v.idempotency_key'])
      .execute();
    expect(visits).toHaveLength(2);
    expect(new Set(visits.map((v) => v.person_name)).size).toBe(2);
    for (const v of visits) {
      expect(v).toMatchObject({ latitude: GPS.latitude, photo_count: 1 });
      expect(v.idempotency_key).toBeTruthy();
    }
    const photos = await db
      .selectFrom('lead_photos')
      .select(['visit_id', 'size_bytes', 'taken_at', 'latitude', 'longitude'])
      .orderBy('taken_at')
      .execute();
    expect(photos).toHaveLength(2);
    for (const p of photos) expect(p.size_bytes).toBeLessThanOrEqual(500 * 1024);
    // The camera photo keeps its own time (China time on the phone) and place; the other had no EXIF.
    expect(new Date(photos[0]!.taken_at!).toISOString()).toBe('2026-11-20T01:30:15.000Z');
    expect(photos[0]!.latitude).toBeCloseTo(SHOT.latitude, 4);
    expect(photos[0]!.longitude).toBeCloseTo(SHOT.longitude, 4);
    expect(photos[1]).toMatchObject({ taken_at: null, latitude: null, longitude: null });
    // Staff read them on the lead's visit, formatted.
    const shotLead = await db
      .selectFrom('lead_visits')
      .select('lead_id')
      .where('id', '=', photos[0]!.visit_id)
      .executeTakeFirstOrThrow();
    const staff = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 800 },
    });
    const staffPage = await staff.newPage();
    await login(staffPage, 'lingchuan');
    await staffPage.goto(`/leads/${shotLead.lead_id}`);
    const meta = staffPage.getByTestId('lead-visit-photo-meta-1');
    await meta.waitFor();
    expect(await meta.textContent()).toContain('拍摄于 2026-11-20 09:30');
    expect(await meta.textContent()).toContain('北纬 25.44110°');
    await staff.close();
    const cases = await db.selectFrom('cases').select(['channel']).where('channel', '=', 'grid').execute();
    expect(cases).toHaveLength(1);
    expect(names.every((n) => /黄田生|陈玉兰/.test(n))).toBe(true);

    // A conflict: the lead is closed on the server while the phone is offline; the visit is kept and explained.
    const worker = await env.t.login('gw.field', 'grid-worker-pass-1');
    const lead = await db
      .selectFrom('leads')
      .select('id')
      .where('person_name', '=', '黄田生')
      .executeTakeFirstOrThrow();
    const closed = await worker.request('POST', `/api/leads/${lead.id}/visits`, {
      visitedAt: new Date().toISOString(),
      notes: '另一名协理员已办结',
      outcome: 'not_needy',
    });
    expect(closed.statusCode, closed.body).toBe(201);
    await context.setOffline(true);
    await page.getByTestId('field-tab-leads').tap();
    await page.getByTestId('field-lead').filter({ hasText: '黄田生' }).tap();
    await page.getByTestId('field-visit-notes').fill('再次走访');
    await page.getByTestId('field-visit-save').tap();
    await page.getByTestId('field-tab-outbox').tap();
    await expect.poll(() => items.count()).toBe(4);
    await context.setOffline(false);
    const conflict = page.locator('[data-testid="field-outbox-item"][data-status="conflict"]');
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await conflict.textContent()).toContain('已被他人办结');
    expect(await conflict.textContent()).toContain('该线索已办结');
    expect((await db.selectFrom('lead_visits').select('id').execute()).length).toBe(3);
    await context.close();
  });
});
