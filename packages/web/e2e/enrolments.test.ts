import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import pino from 'pino';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { addMonths, chinaToday, makeIdNumber } from '@jiuzhu/shared';
import { applicationInput, driveCase, submitCase } from '../../server/src/demo/case-driver';
import { runAsSystem } from '../../server/src/context';
import { insertEnrolments } from '../../server/src/modules/enrolments/create';
import { scheduleReviews } from '../../server/src/modules/reviews/schedule';
import {
  login,
  pickOption,
  startBrowserEnv,
  submitLogin,
  type BrowserEnv,
  cancelConfirm,
  confirmOk,
  openConfirm,
} from './harness';
import { expectNoMachineData } from './machine-data';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村

let env: BrowserEnv;
const thisMonth = chinaToday().slice(0, 7);
const next = addMonths(thisMonth, 1);
const signalNos = { alone: 0, spouse: 0 };

beforeAll(async () => {
  env = await startBrowserEnv();
  const t = env.t;
  const deps = { db: t.database.db, protector: t.app.deps.protector, config: t.config };
  const admin = await t.login('admin');
  // A working-age couple enrolled in 低保 from next month by an approved application.
  const head = makeIdNumber('350302', '1988-03-02', 731);
  const spouse = makeIdNumber('350302', '1990-06-07', 932);
  const hh = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '云庄村6组2号',
    members: [
      { name: '林在册', idNumber: head, relation: 'head', hukouType: 'rural' },
      { name: '陈在册', idNumber: spouse, relation: 'spouse', hukouType: 'rural' },
    ],
  });
  expect(hh.statusCode, hh.body).toBe(201);
  const input = applicationInput(YUNZHUANG);
  input.members = [
    { name: '林在册', idNumber: head, relation: 'self' },
    { name: '陈在册', idNumber: spouse, relation: 'spouse' },
  ];
  const c = await submitCase(deps, input);
  await driveCase(deps, c.id, 'enrolled', {
    kinds: [{ kind: 'dibao', monthlyAmountFen: 60_000, oneOffAmountFen: 0 }],
    actors: { township: 'lingchuan', county: 'chengxiang' },
  });
  const list = (await admin.request('GET', `/api/enrolments?householdId=${hh.json().id}`)).json();
  expect(list.items).toHaveLength(1);

  // The city configures 低保 changes to be approved by the township (the standard's approval level).
  await sql`update policy_standards set params = jsonb_set(params, '{approvalLevel}', '"township"') where kind = 'dibao'`.execute(
    t.database.db,
  );
  // The review job, run on a day six months after the start: the 低保 household's review falls due.
  const silent = pino({ level: 'silent' });
  await runAsSystem('test', silent, () => scheduleReviews(deps, `${addMonths(next, 6)}-10`));
  // A 低保边缘 household loaded 13 months ago: its yearly review fell due last month
  // (loaded after the job run, which would schedule its task).
  const edge = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '云庄村6组9号',
    members: [
      { name: '黄边缘', idNumber: makeIdNumber('350302', '1970-01-05', 833), relation: 'head', hukouType: 'rural' },
    ],
  });
  expect(edge.statusCode, edge.body).toBe(201);
  const m = edge.json().members[0];
  await t.database.db.transaction().execute((trx) =>
    insertEnrolments(trx, [
      {
        kind: 'dibao_edge',
        householdId: edge.json().id,
        regionCode: YUNZHUANG,
        source: 'import',
        fromMonth: addMonths(thisMonth, -13),
        monthlyAmountFen: 0,
        members: [
          { idHash: m.idHash ?? `edge-${m.id}`, memberId: m.id, name: m.name, idMasked: m.idMasked, relation: 'head' },
        ],
        approvalLevel: 'county',
        reason: 'import',
        reviewDueOn: `${addMonths(thisMonth, -1)}-15`,
      },
    ]),
  );
  // A 低保 couple loaded three months ago, for the change forms (the township approves 低保 changes, above).
  const couple = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '云庄村7组1号',
    members: [
      { name: '郑变更', idNumber: makeIdNumber('350302', '1975-04-09', 612), relation: 'head', hukouType: 'rural' },
      { name: '吴变更', idNumber: makeIdNumber('350302', '1978-08-21', 524), relation: 'spouse', hukouType: 'rural' },
    ],
  });
  expect(couple.statusCode, couple.body).toBe(201);
  const people = await t.database.db
    .selectFrom('members')
    .select(['id', 'id_hash', 'name', 'id_masked', 'relation'])
    .where('household_id', '=', couple.json().id)
    .execute();
  await t.database.db.transaction().execute((trx) =>
    insertEnrolments(trx, [
      {
        kind: 'dibao',
        householdId: couple.json().id,
        regionCode: YUNZHUANG,
        source: 'import',
        fromMonth: addMonths(thisMonth, -3),
        monthlyAmountFen: 80_000,
        members: people.map((p) => ({
          idHash: p.id_hash,
          memberId: p.id,
          name: p.name,
          idMasked: p.id_masked,
          relation: p.relation,
        })),
        approvalLevel: 'township',
        reason: 'import',
      },
    ]),
  );
  // Signals (比对预警) from death records, as a collision run raises them: the only member of a 低保
  // household, and the spouse of a couple.
  const rule = await t.database.db
    .selectFrom('collision_rules')
    .select(['id', 'current_version'])
    .where('code', '=', 'death.recipient')
    .executeTakeFirstOrThrow();
  async function enrolledWithDeath(address: string, names: string[], dead: string, key: string) {
    const res = await admin.request('POST', '/api/households', {
      regionCode: YUNZHUANG,
      address,
      members: names.map((name, i) => ({
        name,
        idNumber: makeIdNumber('350302', `196${i}-02-1${i}`, 400 + names.length * 10 + i),
        relation: i === 0 ? 'head' : 'spouse',
        hukouType: 'rural',
      })),
    });
    expect(res.statusCode, res.body).toBe(201);
    const rows = await t.database.db
      .selectFrom('members')
      .select(['id', 'id_hash', 'name', 'id_masked', 'relation', 'household_id', 'region_code'])
      .where('household_id', '=', res.json().id)
      .execute();
    await t.database.db.transaction().execute((trx) =>
      insertEnrolments(trx, [
        {
          kind: 'dibao',
          householdId: res.json().id,
          regionCode: YUNZHUANG,
          source: 'import',
          fromMonth: addMonths(thisMonth, -6),
          monthlyAmountFen: 50_000,
          members: rows.map((p) => ({
            idHash: p.id_hash,
            memberId: p.id,
            name: p.name,
            idMasked: p.id_masked,
            relation: p.relation,
          })),
          approvalLevel: 'township',
          reason: 'import',
        },
      ]),
    );
    const m = rows.find((r) => r.name === dead)!;
    const s = await t.database.db
      .insertInto('signals')
      .values({
        rule_id: rule.id,
        rule_version: rule.current_version,
        outcome: 'stop',
        dedupe_key: key,
        id_hash: m.id_hash,
        member_id: m.id,
        household_id: m.household_id,
        region_code: m.region_code,
        detail: JSON.stringify({ eventDate: chinaToday() }),
      })
      .returning('signal_no')
      .executeTakeFirstOrThrow();
    return Number(s.signal_no);
  }
  signalNos.alone = await enrolledWithDeath('云庄村8组1号', ['周独居'], '周独居', 'e2e-death-alone');
  signalNos.spouse = await enrolledWithDeath('云庄村8组2号', ['许夫妻', '何配偶'], '何配偶', 'e2e-death-spouse');
}, 120_000);
afterAll(() => env?.close());

async function rows(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="enrolment-row-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('enrolment-row-', '')));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('在册对象', () => {
  it('lists the enrolments with counts per kind, filters them and exports the filtered rows', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.getByTestId('menu-enrolments').click();
    await page.getByTestId('enrolments-search').waitFor();
    await expect.poll(() => rows(page)).toEqual(expect.arrayContaining(['林在册', '黄边缘']));
    const row = await page.getByTestId('enrolment-row-林在册').textContent();
    expect(row).toContain('低保');
    expect(row).toContain('600.00 元');
    expect(row).toContain('云庄村');
    await expect.poll(() => page.getByTestId('enrolments-count-dibao_edge').textContent()).toMatch(/低保边缘 \d+ 户/);
    // By kind (a bookmarked search).
    await page.goto('/enrolments?kind=dibao_edge');
    await expect.poll(() => rows(page)).toContain('黄边缘');
    expect(await rows(page)).not.toContain('林在册');
    // Review due now: the 低保边缘 household loaded 13 months ago, not the one enrolled from next month.
    await page.goto('/enrolments?due=now');
    await expect.poll(() => rows(page)).toContain('黄边缘');
    expect(await rows(page)).not.toContain('林在册');
    // By name, from the search form.
    await page.goto('/enrolments');
    await page.getByTestId('enrolments-search-q').fill('林在册');
    await page.getByTestId('enrolments-search-submit').click();
    await expect.poll(() => rows(page)).toEqual(['林在册']);
    expect(await page.getByTestId('enrolments-count').textContent()).toBe('共 1 条');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('enrolments-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('在册对象.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readAll(await download.createReadStream())) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['户主（保障对象）', '救助类别', '保障状态', '月保障金']));
    expect(sheet.rowCount).toBe(2);
    const values = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
    expect(values).toEqual(expect.arrayContaining(['林在册', '低保', '600.00 元']));
    // The row opens the enrolment: history, month by month, the household.
    await page.getByTestId('enrolment-link').click();
    await page.getByTestId('enrolment-history').waitFor();
    expect(await page.getByTestId('enrolment-history').textContent()).toContain('纳入保障');
    expect(await page.getByTestId('enrolment-months').textContent()).toContain(next);
    await expectNoMachineData(page, 'enrolment-history');
    await page.getByTestId('enrolment-household').click();
    await page.getByTestId('household-enrolments').waitFor();
    await expect.poll(() => page.getByTestId('household-enrolments').textContent()).toContain('600.00 元');
    await context.close();
  });

  it('the public board lists the current 低保/特困 recipients of a village: name, members, kind and amount only', async () => {
    const { context, page } = await env.newPage();
    await page.goto('/notices');
    await page.getByTestId('roll').waitFor();
    await page.getByTestId('roll-township').click();
    await pickOption(page, page.locator('.ant-select-item-option', { hasText: '灵川镇' }));
    await page.getByTestId('roll-village').click();
    await pickOption(page, page.locator('.ant-select-item-option', { hasText: '云庄村' }));
    await expect.poll(() => page.getByTestId('roll-name').allTextContents()).toContain('郑变更');
    const names = await page.getByTestId('roll-name').allTextContents();
    // Not yet paid (from next month) and 低保边缘 households are not on the long-term notice.
    expect(names).not.toContain('林在册');
    expect(names).not.toContain('黄边缘');
    const row = await page.getByTestId('roll-table').locator('tr', { hasText: '郑变更' }).textContent();
    expect(row).toContain('低保');
    expect(row).toContain('800.00');
    expect(row).toContain('灵川镇 云庄村');
    const text = (await page.getByTestId('roll').textContent())!;
    expect(text).not.toMatch(/\d{6}\*|\d{17}[\dX]/);
    expect(text).not.toContain('7组1号');
    // The choice is in the address: the same village opens again from it.
    expect(new URL(page.url()).searchParams.get('roll')).toBe(YUNZHUANG);
    await page.goto(`/notices?roll=${YUNZHUANG}`);
    await expect.poll(() => page.getByTestId('roll-name').allTextContents()).toContain('郑变更');
    expect(await page.getByTestId('roll-count').textContent()).toMatch(/^共 \d+ 条$/);
    // The same roll on the citizen phone pages (/m), below the application notices.
    await page.goto('/m/notices');
    await page.getByTestId('h5-roll-township').locator('option', { hasText: '灵川镇' }).waitFor({ state: 'attached' });
    await page.getByTestId('h5-roll-township').selectOption(YUNZHUANG.slice(0, 9));
    await page.getByTestId('h5-roll-village').locator(`option[value="${YUNZHUANG}"]`).waitFor({ state: 'attached' });
    await page.getByTestId('h5-roll-village').selectOption(YUNZHUANG);
    await expect
      .poll(() => page.getByTestId('h5-roll-item').allTextContents())
      .toContainEqual(expect.stringContaining('郑变更'));
    const h5 = (await page.getByTestId('h5-roll-item').allTextContents()).find((x) => x.includes('郑变更'))!;
    expect(h5).toContain('2 人');
    expect(h5).toContain('每月 800 元');
    expect(h5).not.toContain('林在册');
    await context.close();
  });

  it('a township officer takes a review through to a decision (confirmed) and the history shows the change', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.getByTestId('menu-reviews').click();
    await page.getByTestId('reviews-search').waitFor();
    await page.getByTestId('review-row-林在册').waitFor();
    await page.getByTestId('review-row-林在册').getByTestId('review-link').click();
    await page.getByTestId('review-header').waitFor();
    // Survey: the next step's form is open with the page.
    await page.getByTestId('survey-visitors').fill('林某、陈某');
    await page.getByTestId('survey-findings').fill('夫妻二人务工收入不稳定');
    await page.getByTestId('survey-submit').click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('已调查');
    await page.getByTestId('verify-submit').click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('已核对');
    await page.getByTestId('determine-submit').click();
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('已重新认定');
    // The decision: suspend, asked once more naming the person.
    await page.getByTestId('decide-decision').click();
    await pickOption(page, page.locator('.ant-select-item-option', { hasText: '暂停发放' }));
    await page.getByTestId('decide-submit').click();
    await page.getByTestId('confirm-question').waitFor();
    expect(await page.getByTestId('confirm-question').textContent()).toContain('林在册');
    // Cancelled: nothing is decided.
    await cancelConfirm(page);
    expect(await page.getByTestId('review-status').textContent()).toBe('已重新认定');
    await page.getByTestId('decide-submit').click();
    await confirmOk(page);
    await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('已决定');
    expect(await page.getByTestId('review-decision').textContent()).toContain('暂停发放');
    // The enrolment's history shows the change, in time order after the enrolment.
    await page.getByTestId('review-enrolment').click();
    await page.getByTestId('enrolment-change-suspended').waitFor();
    const history = await page.getByTestId('enrolment-history').textContent();
    expect(history!.indexOf('纳入保障')).toBeLessThan(history!.indexOf('暂停发放'));
    expect(history).toContain('定期核查');
    await context.close();
  });

  it('a township officer changes an enrolment through its forms, each confirmed, and the months follow', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.goto('/enrolments?q=' + encodeURIComponent('郑变更'));
    await page.getByTestId('enrolment-row-郑变更').getByTestId('enrolment-link').click();
    await page.getByTestId('enrolment-actions').waitFor();
    const month = (m: string) => page.locator(`[data-testid="enrolment-months"] tr[data-row-key="${m}"]`);
    // Only the changes an active enrolment allows: no resumption.
    for (const a of ['amount_changed', 'members_changed', 'suspended', 'gradual_exit_started', 'ended'])
      await page.getByTestId(`action-${a}`).waitFor();
    expect(await page.getByTestId('action-resumed').count()).toBe(0);

    // Amount change from next month; the first confirmation is cancelled and changes nothing.
    await page.getByTestId('action-amount_changed').click();
    await page.getByTestId('change-amount').fill('650');
    await page.getByTestId('change-note').fill('家庭收入减少');
    await page.getByTestId('change-submit').click();
    const question = await page.getByTestId('confirm-question').textContent();
    expect(question).toContain('郑变更');
    expect(question).toContain('650.00 元');
    expect(question).toContain(next);
    await cancelConfirm(page);
    expect(await page.getByTestId('enrolment-change-amount_changed').count()).toBe(0);
    await page.getByTestId('change-submit').click();
    await confirmOk(page);
    await page.getByTestId('enrolment-change-amount_changed').waitFor();
    expect(await page.getByTestId('enrolment-change-amount_changed').textContent()).toContain('650.00 元');
    expect(await month(thisMonth).textContent()).toContain('800.00 元');
    await expect.poll(() => month(next).textContent()).toContain('650.00 元');

    // Members change: the spouse leaves the cover from next month, at a new amount.
    await page.getByTestId('action-members_changed').click();
    await page.getByTestId('change-member-吴变更').waitFor();
    await page.getByTestId('change-member-吴变更').click();
    await page.getByTestId('change-amount').fill('400');
    await page.getByTestId('change-note').fill('配偶外出务工');
    await page.getByTestId('change-submit').click();
    expect(await page.getByTestId('confirm-question').textContent()).toContain('1 人');
    await confirmOk(page);
    await page.getByTestId('enrolment-change-members_changed').waitFor();
    await expect.poll(() => month(next).textContent()).toContain('400.00 元');
    expect(await month(thisMonth).textContent()).toContain('800.00 元');

    // Suspension: a note the server refuses (a control character) shows on its field; corrected, it goes through.
    await page.getByTestId('action-suspended').click();
    await page.getByTestId('change-note').fill('未按时\u0007报告');
    await page.getByTestId('change-submit').click();
    await page.getByTestId('confirm-ok').click();
    await expect
      .poll(() => page.getByTestId('form-suspended').locator('.ant-form-item-explain-error').count())
      .toBeGreaterThan(0);
    expect(await page.getByTestId('enrolment-change-suspended').count()).toBe(0);
    await page.getByTestId('change-note').fill('未按时报告家庭收入变化');
    await page.getByTestId('change-submit').click();
    await confirmOk(page);
    await page.getByTestId('enrolment-change-suspended').waitFor();
    await expect.poll(() => month(next).textContent()).toContain('暂停');
    expect(await page.getByTestId('enrolment-status').first().textContent()).toBe('暂停发放');
    // Suspended: resumption is offered now, and the history lists the changes in order.
    await page.getByTestId('action-resumed').waitFor();
    const history = (await page.getByTestId('enrolment-history').textContent())!;
    expect(history.indexOf('调整保障金')).toBeLessThan(history.indexOf('调整保障成员'));
    expect(history.indexOf('调整保障成员')).toBeLessThan(history.indexOf('暂停发放'));
    await expectNoMachineData(page, 'enrolment-history');
    await context.close();
  });

  it('a signal acts on the rolls: the death of the only member ends from next month in one confirmed step; a spouse opens a review', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.goto('/signals?q=' + encodeURIComponent('周独居'));
    const row = page.getByTestId(`signal-row-${signalNos.alone}`);
    await row.waitFor();
    await row.getByTestId(`signal-act-${signalNos.alone}`).click();
    const card = page.getByTestId('signal-act-周独居');
    await card.waitFor();
    expect(await card.getByTestId('signal-act-proposal').textContent()).toContain(next);
    // The end is asked once more naming the person and the amount; cancelled, nothing changes.
    await openConfirm(page, card.getByTestId('signal-act-confirm-end'));
    const question = await page.getByTestId('confirm-question').textContent();
    expect(question).toContain('周独居');
    expect(question).toContain('500.00 元');
    await cancelConfirm(page);
    expect(await card.getByTestId('signal-act-ended').count()).toBe(0);
    await openConfirm(page, card.getByTestId('signal-act-confirm-end'));
    await confirmOk(page);
    await card.getByTestId('signal-act-ended').waitFor();
    expect(await card.getByTestId('signal-act-ended').textContent()).toContain(next);
    // The signal is resolved; the enrolment's history shows the end, for a death, confirmed by the township.
    await expect.poll(() => row.textContent()).toContain('已处理');
    await card.getByTestId('signal-act-enrolment').click();
    await page.getByTestId('enrolment-change-ended').waitFor();
    const ended = await page.getByTestId('enrolment-change-ended').textContent();
    expect(ended).toContain('死亡');
    expect(ended).toContain('乡镇审批');
    expect(await page.locator(`[data-testid="enrolment-months"] tr[data-row-key="${next}"]`).textContent()).toContain(
      '已终止',
    );

    // The spouse of a couple: not an end, a review proposing suspension, with a link to it.
    await page.goto('/signals?q=' + encodeURIComponent('何配偶'));
    const spouse = page.getByTestId(`signal-row-${signalNos.spouse}`);
    await spouse.waitFor();
    await spouse.getByTestId(`signal-act-${signalNos.spouse}`).click();
    const couple = page.getByTestId('signal-act-许夫妻');
    await couple.waitFor();
    expect(await couple.getByTestId('signal-act-confirm-end').count()).toBe(0);
    await couple.getByTestId('signal-act-propose').click();
    await pickOption(page, page.locator('.ant-select-item-option', { hasText: '建议暂停发放' }));
    await couple.getByTestId('signal-act-note').fill('配偶死亡，家庭人口减少');
    await couple.getByTestId('signal-act-open-review').click();
    await couple.getByTestId('signal-act-review-link').click();
    await page.getByTestId('review-header').waitFor();
    expect(await page.getByTestId('review-header').textContent()).toContain('许夫妻');
    await context.close();
  });

  it('the pages do not scroll sideways at phone width', async () => {
    const context = await env.browser.newContext({
      baseURL: env.baseUrl,
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    await submitLogin(page, 'lingchuan');
    await page.getByTestId('welcome-card').waitFor();
    await page.goto('/enrolments?q=' + encodeURIComponent('林在册'));
    await page.getByTestId('enrolment-row-林在册').waitFor();
    const detail = (await page.getByTestId('enrolment-link').getAttribute('href'))!;
    await page.goto('/reviews');
    await page.getByTestId('review-row-林在册').waitFor();
    const review = (await page.getByTestId('review-link').first().getAttribute('href'))!;
    for (const [url, ready] of [
      ['/enrolments', 'enrolments-search'],
      ['/reviews', 'reviews-search'],
      [detail, 'enrolment-months'],
      [review, 'review-steps'],
      [`/notices?roll=${YUNZHUANG}`, 'roll-table'],
    ] as const) {
      await page.goto(url);
      await page.getByTestId(ready).waitFor();
      await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
      const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      expect({ url, ...o }).toEqual({ url, scroll: o.width, width: o.width });
    }
    await context.close();
  });
});
