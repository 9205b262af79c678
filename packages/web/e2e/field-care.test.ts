/**
 * The field app's care visits, households and referrals (issue 17) on a phone: the lists open
 * offline from the phone's copy; a care visit and a referral recorded offline reach the server
 * exactly once when the network returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, makeIdNumber, addMonths } from '@jiuzhu/shared';
import { insertEnrolments } from '../../server/src/modules/enrolments/create';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { login, pickOption, startBrowserEnv, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
let env: BrowserEnv;
let householdId = '';
let agencyId = '';

beforeAll(async () => {
  env = await startBrowserEnv();
  const admin = await env.t.login('admin');
  const user = await admin.request('POST', '/api/users', {
    username: 'gw.care',
    displayName: '云庄村协理员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-worker-pass-1',
  });
  expect(user.statusCode).toBe(201);
  await env.t.login('gw.care', 'grid-worker-pass-1');
  const lingchuan = await env.t.login('lingchuan');
  const idNumber = makeIdNumber('350302', '1941-07-08', 733);
  const h = await lingchuan.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村9组2号',
    members: [{ name: '蔡阿婆', idNumber, relation: 'head', hukouType: 'rural' }],
  });
  expect(h.statusCode, h.body).toBe(201);
  householdId = h.json().id;
  await plantLeadSignal(env.t.database.db, { householdId, memberId: h.json().members[0].id });
  await dispatchNewLeads({ db: env.t.database.db, config: env.t.config }, chinaToday());
  await env.t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'tekun',
          householdId,
          regionCode: YUNZHUANG,
          source: 'seed',
          fromMonth: addMonths(chinaToday().slice(0, 7), -2),
          monthlyAmountFen: 90_000,
          members: [
            {
              idHash: env.t.app.deps.protector.idHash(idNumber),
              memberId: h.json().members[0].id,
              name: '蔡阿婆',
              idMasked: h.json().members[0].idMasked,
              relation: 'head',
            },
          ],
          approvalLevel: 'system',
          reason: 'seed',
          careTier: 'self',
        },
      ],
      null,
    ),
  );
  const plan = await admin.request('POST', '/api/care/plans', {
    regionCode: '350302',
    category: 'tekun',
    label: '特困供养（分散供养）每月（演示）',
    intervalMonths: 1,
    isDemo: true,
  });
  expect(plan.statusCode, plan.body).toBe(200);
  const agency = await admin.request('POST', '/api/referral-agencies', {
    regionCode: '3503',
    kind: 'disability_federation',
    name: '莆田市残疾人联合会',
    help: '残疾评定、两项补贴',
    contact: '0594-2222222',
  });
  expect(agency.statusCode, agency.body).toBe(201);
  agencyId = agency.json().id;
}, 240_000);
afterAll(() => env?.close());

describe('field app: care visits and referrals offline', () => {
  it('opens the cached lists offline and sends a care visit and a referral exactly once', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/field');
    await page.getByTestId('field-username').fill('gw.care');
    await page.getByTestId('field-password').fill('grid-worker-pass-1');
    await page.getByTestId('field-login').tap();
    await page.getByTestId('field-tab-care').tap();
    const mine = page.locator(`[data-testid="field-care"][data-household="${householdId}"]`);
    await mine.waitFor({ timeout: 30_000 });
    await expect.poll(() => mine.getAttribute('data-overdue')).toBe('true');
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // Offline, after a reload: the care list, the households and the agencies come from the phone.
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('field-network').getAttribute('data-online')).toBe('false');
    await page.getByTestId('field-tab-care').tap();
    await mine.waitFor();
    expect(await mine.textContent()).not.toContain('蔡阿婆');
    await mine.tap();
    await page.getByTestId('field-care-notes').fill('老人独居，身体尚可，米油充足');
    await page.getByTestId('field-finding-needs_help').check();
    await page.getByTestId('field-care-save').tap();

    await page.getByTestId('field-tab-households').tap();
    const household = page.locator(`[data-testid="field-household"][data-household="${householdId}"]`);
    await household.waitFor();
    expect(await household.textContent()).not.toContain('蔡阿婆');
    await household.getByTestId('field-household-refer').tap();
    await page.locator(`[data-testid="field-referral-agency"][data-agency="${agencyId}"]`).check();
    await page.getByTestId('field-referral-request').fill('申请残疾等级评定（视力）');
    await page.getByTestId('field-referral-save').tap();

    // A referral from the lead's visit form too.
    await page.getByTestId('field-tab-leads').tap();
    await page.getByTestId('field-lead').first().tap();
    await page.getByTestId('field-lead-refer').tap();
    await page.locator(`[data-testid="field-referral-agency"][data-agency="${agencyId}"]`).check();
    await page.getByTestId('field-referral-request').fill('申请医疗救助');
    await page.getByTestId('field-referral-save').tap();

    await page.getByTestId('field-tab-outbox').tap();
    const items = page.getByTestId('field-outbox-item');
    await expect.poll(() => items.count()).toBe(3);
    await expect.poll(() => page.locator('[data-testid="field-outbox-item"][data-status="pending"]').count()).toBe(3);
    const db = env.t.database.db;
    expect(await db.selectFrom('care_visits').select('id').execute()).toHaveLength(0);
    expect(await db.selectFrom('referrals').select('id').execute()).toHaveLength(0);

    await context.setOffline(false);
    await expect.poll(() => page.locator('[data-testid="field-outbox-item"][data-status="sent"]').count()).toBe(3);
    await page.getByTestId('field-sync').tap();
    await expect.poll(() => page.getByTestId('field-sync').isEnabled()).toBe(true);

    const visits = await db.selectFrom('care_visits').select(['household_id', 'finding', 'idempotency_key']).execute();
    expect(visits).toEqual([{ household_id: householdId, finding: 'needs_help', idempotency_key: expect.any(String) }]);
    const referrals = await db
      .selectFrom('referrals')
      .select(['source', 'household_id', 'agency_id', 'status'])
      .orderBy('source')
      .execute();
    expect(referrals).toEqual([
      { source: 'household', household_id: householdId, agency_id: agencyId, status: 'sent' },
      { source: 'lead', household_id: householdId, agency_id: agencyId, status: 'sent' },
    ]);

    // The refreshed lists: the household is no longer overdue and shows its open referral.
    await page.getByTestId('field-tab-care').tap();
    await expect.poll(() => mine.getAttribute('data-overdue')).toBe('false');
    await page.getByTestId('field-tab-households').tap();
    await expect.poll(() => household.getByTestId('field-household-referral').count()).toBe(1);
    // The lead closed as referred stays in view while its referral is open.
    const worker = await env.t.login('gw.care', 'grid-worker-pass-1');
    const lead = await db.selectFrom('leads').select('id').executeTakeFirstOrThrow();
    const closed = await worker.request('POST', `/api/leads/${lead.id}/visits`, {
      visitedAt: new Date().toISOString(),
      notes: '已转介残联',
      outcome: 'referred',
      referralAgency: 'disability_federation',
    });
    expect(closed.statusCode, closed.body).toBe(201);
    await page.getByTestId('field-sync').tap();
    await page.getByTestId('field-tab-leads').tap();
    await expect.poll(() => page.getByTestId('field-referred-lead').count()).toBe(1);
    // No sideways scrolling at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('lists the village’s review (复核) waiting for its home visit offline, from the phone’s copy', async () => {
    const db = env.t.database.db;
    const enrolment = await db
      .selectFrom('enrolments')
      .select('id')
      .where('household_id', '=', householdId)
      .executeTakeFirstOrThrow();
    const review = await db
      .insertInto('reviews')
      .values({
        enrolment_id: enrolment.id,
        kind: 'tekun',
        region_code: YUNZHUANG,
        township_code: YUNZHUANG.slice(0, 9),
        period: chinaToday().slice(0, 7),
        due_on: chinaToday(),
        interval_months: 12,
        category: 'single',
        status: 'open',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('review_actions')
      .values({
        review_id: review.id,
        seq: 1,
        type: 'opened',
        data_enc: env.t.app.deps.protector.encrypt(JSON.stringify({ source: 'staff' }), 'review_action.data'),
        actor_username: 'lingchuan',
        region_code: YUNZHUANG,
      })
      .execute();
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/field');
    await page.getByTestId('field-username').fill('gw.care');
    await page.getByTestId('field-password').fill('grid-worker-pass-1');
    await page.getByTestId('field-login').tap();
    await page.getByTestId('field-tab-reviews').tap();
    const task = page.locator(`[data-testid="field-review"][data-review="${review.id}"]`);
    await task.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('field-network').getAttribute('data-online')).toBe('false');
    await page.getByTestId('field-tab-reviews').tap();
    await task.waitFor();
    const text = (await task.textContent()) ?? '';
    expect(text).toContain('特困供养');
    expect(text).toContain('蔡*');
    expect(text).not.toContain('蔡阿婆');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });

  it('staff record the agency’s answer on the referral list, and read the care figures per village', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.goto('/referrals');
    const row = page.locator('[data-testid^="referral-row-"]');
    await expect.poll(() => row.count()).toBe(2);
    const fromHousehold = await env.t.database.db
      .selectFrom('referrals')
      .select('referral_no')
      .where('source', '=', 'household')
      .executeTakeFirstOrThrow();
    await page.getByTestId(`referral-act-${fromHousehold.referral_no}`).click();
    await expect.poll(() => page.getByTestId('referral-request').textContent()).toContain('视力');
    await page.getByTestId('referral-act-accepted').click();
    await page.getByTestId('referral-act-ok').click();
    await expect
      .poll(
        async () =>
          (
            await env.t.database.db
              .selectFrom('referrals')
              .select('status')
              .where('source', '=', 'household')
              .executeTakeFirstOrThrow()
          ).status,
      )
      .toBe('accepted');

    // Staff refer from the household's page too (the dialog confirms it).
    await page.goto(`/households/${householdId}`);
    await page.getByTestId('refer-open').click();
    await page.getByTestId('refer-agency').click();
    await pickOption(page, page.locator('.ant-select-item-option', { hasText: '莆田市残疾人联合会 ·' }));
    await page.getByTestId('refer-request').fill('申请辅助器具适配');
    await page.getByTestId('refer-ok').click();
    await expect
      .poll(async () => (await env.t.database.db.selectFrom('referrals').select('id').execute()).length)
      .toBe(3);

    await page.goto('/care/stats');
    await expect.poll(() => page.getByTestId(`care-visitedThisMonth-${YUNZHUANG}`).textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('care-plans').textContent()).toContain('演示值');
    await context.close();
  });
});
