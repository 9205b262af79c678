/**
 * The phone side's announcements and 报案 (issue 17): a citizen's new application is counted on
 * the village grid worker's workbench and links to a list they may open; a family reports the
 * death of an insured person from /m at 390×844 (large type), gets a report number, and reads
 * the progress with a text code; the township sees the claim, reported by the citizen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, makeIdNumber, maskIdNumber, normalizeIdNumber } from '@jiuzhu/shared';
import { LogSmsSender, type SmsMessage } from '../../server/src/sms/sms';
import { insertEnrolments } from '../../server/src/modules/enrolments/create';
import { demoSchemeInput } from '../../server/src/modules/insurance/demo-scheme';
import { applicationInput } from '../../server/src/demo/case-driver';
import { login, startBrowserEnv, type BrowserEnv } from './harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const insuredId = makeIdNumber('350302', '1947-04-05', 655);
let env: BrowserEnv;
const sent: SmsMessage[] = [];
const tap = (m: SmsMessage) => sent.push(m);

async function codeSentTo(to: string): Promise<string> {
  await expect.poll(() => sent.filter((m) => m.to === to).length).toBeGreaterThan(0);
  return sent.filter((m) => m.to === to).at(-1)!.meta.code!;
}

beforeAll(async () => {
  env = await startBrowserEnv();
  LogSmsSender.taps.add(tap);
  const admin = await env.t.login('admin');
  const user = await admin.request('POST', '/api/users', {
    username: 'gw.news',
    displayName: '云庄村协理员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-worker-pass-1',
  });
  expect(user.statusCode).toBe(201);
  await env.t.login('gw.news', 'grid-worker-pass-1');
  const today = chinaToday();
  const scheme = await admin.request('POST', '/api/insurance/schemes', demoSchemeInput(Number(today.slice(0, 4))));
  expect(scheme.statusCode, scheme.body).toBe(201);
  await env.t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: null,
          regionCode: YUNZHUANG,
          source: 'seed',
          fromMonth: addMonths(today.slice(0, 7), -3),
          monthlyAmountFen: 60_000,
          members: [
            {
              idHash: env.t.app.deps.protector.idHash(normalizeIdNumber(insuredId)),
              memberId: null,
              name: '黄阿公',
              idMasked: maskIdNumber(insuredId),
              relation: 'head',
            },
          ],
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
}, 240_000);
afterAll(async () => {
  LogSmsSender.taps.delete(tap);
  await env?.close();
});

describe('a new citizen application on the grid worker’s workbench', () => {
  it('counts it until the township accepts it, and links to the list with the case', async () => {
    const phone = '13905941234';
    expect((await env.t.anonymous.request('POST', '/api/public/phone/code', { phone })).statusCode).toBe(202);
    const applied = await env.t.anonymous.request('POST', '/api/public/citizen-applications', {
      ...applicationInput(YUNZHUANG, { phone }),
      phoneCode: await codeSentTo(phone),
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const caseNo = applied.json().caseNo as string;

    const { context, page } = await env.newPage();
    await login(page, 'gw.news', 'grid-worker-pass-1');
    const todo = page.getByTestId('todo-cases_citizen_new');
    await expect.poll(() => todo.getAttribute('data-count')).toBe('1');
    expect(await todo.textContent()).toContain('新的群众申请');
    await todo.locator('a').click();
    await page.getByTestId('cases-filter-citizen-new').waitFor();
    await page.getByTestId(`case-row-${caseNo}`).waitFor();
    await page.getByTestId(`case-row-${caseNo}`).getByTestId('case-link').click();
    await expect.poll(() => page.url()).toMatch(/\/cases\/[0-9a-f-]{36}$/);

    const lingchuan = await env.t.login('lingchuan');
    const row = await env.t.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_no', '=', caseNo)
      .executeTakeFirstOrThrow();
    expect((await lingchuan.request('POST', `/api/cases/${row.id}/accept`, {})).statusCode).toBe(200);
    await page.goto('/');
    await expect.poll(() => page.getByTestId('todo-cases_citizen_new').getAttribute('data-count')).toBe('0');
    await context.close();
  });
});

describe('报案 from the citizen H5', () => {
  it('a family reports a death on the phone, gets a report number and reads the progress', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/m');
    await page.getByTestId('h5-large').check();
    await page.getByTestId('h5-tile-report').tap();
    await page.getByTestId('h5-report-insured-name').fill('黄阿公');
    await page.getByTestId('h5-report-insured-id').fill(insuredId);
    await expect.poll(() => page.getByTestId('h5-report-id-check').textContent()).toContain('校验通过');
    await page.getByTestId('h5-report-event-kind').selectOption('death_illness');
    await page.getByTestId('h5-report-event-date').fill(chinaToday());
    await page.getByTestId('h5-report-description').fill('老人今晨在家中病故');
    await page.getByTestId('h5-report-name').fill('黄建国');
    await page.getByTestId('h5-report-relation').selectOption('child');
    const phone = '13905945678';
    await page.getByTestId('h5-report-phone').fill(phone);
    await page.getByTestId('h5-report-get-code').tap();
    await page.getByTestId('h5-report-code').fill(await codeSentTo(phone));
    await page.getByTestId('h5-report-submit').tap();
    await page.getByTestId('h5-report-done').waitFor();
    const reportNo = (await page.getByTestId('h5-report-no').textContent())!.trim();
    expect(reportNo).toMatch(/^BA\d{8}[0-9A-F]{6}$/);
    // Large type and no sideways scrolling at phone width.
    expect(await page.evaluate(() => document.documentElement.classList.contains('large'))).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The township sees the claim at the report step, reported by the citizen.
    const db = env.t.database.db;
    const claim = await db
      .selectFrom('insurance_claims')
      .select(['id', 'status', 'source', 'region_code'])
      .executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ status: 'reported', source: 'citizen', region_code: YUNZHUANG });

    // Progress: the report number, the phone and a fresh code (the earlier one is a minute old).
    await db
      .updateTable('citizen_phone_codes')
      .set({ created_at: new Date(Date.now() - 120_000) })
      .execute();
    sent.length = 0;
    await page.getByTestId('h5-report-to-progress').tap();
    expect(await page.getByTestId('h5-report-progress-no').inputValue()).toBe(reportNo);
    await page.getByTestId('h5-report-progress-phone').fill(phone);
    await page.getByTestId('h5-report-progress-get-code').tap();
    await page.getByTestId('h5-report-progress-code').fill(await codeSentTo(phone));
    await page.getByTestId('h5-report-progress-submit').tap();
    await expect.poll(() => page.getByTestId('h5-report-status').textContent()).toBe('已报案，正在核实');
    await context.close();

    // Staff read it on 群众报案, linked to its claim.
    const staff = await env.newPage();
    await login(staff.page, 'lingchuan');
    await staff.page.goto('/insurance/claim-reports');
    const row = staff.page.getByTestId(`report-row-${reportNo}`);
    await row.waitFor();
    await row.getByTestId('report-claim-link').click();
    await expect.poll(() => staff.page.url()).toContain(`/insurance/claims/${claim.id}`);
    await staff.context.close();
  });
});
