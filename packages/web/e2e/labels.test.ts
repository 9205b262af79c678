import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import ExcelJS from 'exceljs';
import { login, startBrowserEnv, type BrowserEnv } from './harness';
import { expectNoMachineData } from './machine-data';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村

let env: BrowserEnv;
let leadId = '';
let batchId = '';
let householdNo = '';

beforeAll(async () => {
  env = await startBrowserEnv();
  const admin = await env.t.login('admin');
  const res = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '莆田市城厢区灵川镇云庄村2组8号',
    members: [
      { name: '林秀英', idNumber: makeIdNumber('350302', '1952-11-03', 417), relation: 'head', hukouType: 'rural' },
    ],
  });
  if (res.statusCode !== 201) throw new Error(`household: ${res.statusCode} ${res.body}`);
  const h = res.json();
  householdNo = h.householdNo;
  const db = env.t.database.db;
  await plantLeadSignal(db, { householdId: h.id, memberId: h.members[0].id });
  await dispatchNewLeads({ db, config: env.t.config });
  leadId = (await db.selectFrom('leads').select('id').executeTakeFirstOrThrow()).id;
  // A deaths file with a bad ID number and a bad code: the batch page lists its errors.
  const good = makeIdNumber('350302', '1950-01-02', 902);
  const bad = good.slice(0, 10) + (good[10] === '1' ? '2' : '1') + good.slice(11);
  const csv = [
    'record_id,id_number,name,death_date,cause_category,death_place,hukou_region',
    `DTH0000001,${good},林好行,2025-06-01,illness,elsewhere,350302102`,
    `DTH0000002,${bad},林错号,2025-06-01,illness,hospital,350302102`,
    `DTH0000003,${makeIdNumber('350302', '1950-01-03', 903)},林错码,2025-06-01,flu,hospital,350302102`,
  ].join('\n');
  const up = await admin.request(
    'POST',
    '/api/feeds/upload?kind=public_security.deaths&asOf=2025-07-01',
    Buffer.from(csv),
    {
      'content-type': 'text/csv',
      'x-file-name': encodeURIComponent('死亡注销.csv'),
    },
  );
  if (up.statusCode >= 300) throw new Error(`upload: ${up.statusCode} ${up.body}`);
  batchId = up.json().batchId;
});
afterAll(() => env?.close());

describe('what people read: names and formats, never keys or ids', () => {
  it('the lead page names the department record’s fields and shows money in 元', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.goto(`/leads/${leadId}`);
    await page.getByTestId('lead-sources').getByText('个人自付').waitFor();
    const sources = await page.getByTestId('lead-sources').innerText();
    expect(sources).toContain('个人自付：52,000.00 元');
    expect(sources).toContain('医疗总费用：86,000.00 元');
    await expectNoMachineData(page, 'app-content');
    await context.close();
  });

  it('the signal list names the rule, the record kind and its fields', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.goto('/signals');
    await page.locator('[data-testid^="signal-row-"]').first().waitFor();
    await page.locator('.ant-table-row-expand-icon').first().click();
    await page.getByText('医疗费用（测试）').first().waitFor();
    const text = await expectNoMachineData(page, 'app-content');
    expect(text).toContain('个人自付：52,000.00 元');
    expect(text).toContain('自付医疗费用高');
    await context.close();
  });

  it('the batch page names the columns of its errors', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.goto(`/exchange/batches/${batchId}`);
    await page.getByTestId('batch-counts').waitFor();
    await page.getByText('身份证号码').first().waitFor();
    const text = await expectNoMachineData(page, 'app-content');
    expect(text).toContain('死亡原因类别');
    await context.close();
  });

  it('the township officer’s standards page names the county whose standards apply', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'lingchuan');
    await page.goto('/policy/standards');
    await expect.poll(() => page.getByTestId('app-content').innerText()).toContain('城厢区');
    expect(await page.getByTestId('app-content').innerText()).not.toMatch(/现行标准\s*350302/);
    await context.close();
  });

  it('the audit log reads in Chinese, finds a household by its 户编号 and exports what it found', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.goto('/audit');
    await page.getByTestId('audit-filter-household').fill(householdNo);
    await page.getByTestId('audit-search').click();
    await expect.poll(() => page.locator('[data-testid^="audit-row-"]').count()).toBe(1);
    const row = await page.locator('[data-testid^="audit-row-"]').first().innerText();
    expect(row).toContain('新建家庭档案');
    expect(row).toContain(householdNo);
    expect(row).toContain('市民政局管理员');
    expect(row).not.toContain('household.create');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Buffer));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    const values = (sheet.getRow(2).values as unknown[]).map(String);
    expect(values).toContain('新建家庭档案');
    expect(values).toContain(householdNo);
    await context.close();
  });
});
