import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserEnv, login, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村

let env: BrowserEnv;
let recordId = '';

beforeAll(async () => {
  env = await startBrowserEnv();
  // A record the province rejected, and one it accepted.
  const db = env.t.database.db;
  const protector = env.t.app.deps.protector;
  for (const [n, status] of [
    [1, 'rejected'],
    [2, 'accepted'],
  ] as const) {
    const row = await db
      .insertInto('province_outbox')
      .values({
        record_id: `recipient:e2e-${n}:v1`,
        type: 'recipient',
        source_id: `e2e-${n}`,
        version: 1,
        region_code: YUNZHUANG,
        month: '2026-11',
        payload_enc: protector.encrypt('{}', 'province_outbox.payload'),
        status,
        reason: status === 'rejected' ? 'missing idNumber' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (status === 'rejected') recordId = String(row.id);
  }
}, 120_000);
afterAll(() => env?.close());

describe('省平台上传', () => {
  it('shows the counts and re-sends a rejected record after confirmation', async () => {
    const { page } = await env.newPage();
    await login(page, 'admin');
    await page.getByTestId('menu-province').click();
    await expect.poll(() => page.getByTestId('province-total-total').textContent()).toContain('2');
    await expect.poll(() => page.getByTestId('province-total-rejected').textContent()).toContain('1');
    const row = page.getByTestId(`province-rejected-${recordId}`);
    await expect.poll(() => row.textContent()).toContain('missing idNumber');
    await page.getByTestId(`province-resend-${recordId}`).click();
    await page.getByTestId('province-resend-confirm').click();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('province-total-pending').textContent()).toContain('1');
    const stored = await env.t.database.db
      .selectFrom('province_outbox')
      .select(['status', 'resent'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'pending', resent: 1 });
    await page.context().close();
  });
});
