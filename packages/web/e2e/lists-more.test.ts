import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { makeIdNumber } from '@jiuzhu/shared';
import { plantLeadSignal } from '../../server/src/demo/lead-signal';
import { dispatchNewLeads } from '../../server/src/modules/leads/dispatch';
import { login, startBrowserEnv, type BrowserEnv } from './harness';

// The list-page pattern on the lists beyond the applications (issue 14).
const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 萩芦镇 东张村

let env: BrowserEnv;
const households: { id: string; householdNo: string; head: string }[] = [];

beforeAll(async () => {
  env = await startBrowserEnv();
  const lingchuan = await env.t.login('lingchuan');
  const qiulu = await env.t.login('qiulu');
  let seq = 900;
  const register = async (agent: typeof lingchuan, village: string, head: string, members: number) => {
    const county = village.slice(0, 6);
    const res = await agent.request('POST', '/api/households', {
      regionCode: village,
      address: '莆田市某村1组1号',
      members: Array.from({ length: members }, (_, i) => ({
        name: i === 0 ? head : `${head.slice(0, 1)}家${i}`,
        idNumber: makeIdNumber(county, i === 0 ? '1950-05-01' : '1990-01-01', ++seq),
        relation: i === 0 ? 'head' : 'child',
        hukouType: 'rural',
      })),
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    const h = res.json() as { id: string; householdNo: string; members: { id: string }[] };
    households.push({ id: h.id, householdNo: h.householdNo, head });
    return h;
  };
  const zheng = await register(lingchuan, YUNZHUANG, '郑国安', 1);
  const fang = await register(lingchuan, YUNZHUANG, '方水生', 3);
  await register(lingchuan, YUNZHUANG, '吴桂香', 2);
  await register(qiulu, DONGZHANG, '林东海', 2);
  // Two signals (比对预警) of 灵川镇's households.
  for (const h of [zheng, fang])
    await plantLeadSignal(env.t.database.db, { householdId: h.id, memberId: h.members[0]!.id });
});
afterAll(() => env?.close());

async function rowIds(page: Page, prefix: string): Promise<string[]> {
  return page
    .locator(`[data-testid^="${prefix}"]`)
    .evaluateAll((els, p) => els.map((e) => e.getAttribute('data-testid')!.slice(p.length)), prefix);
}

async function readXlsx(
  page: Page,
  exportButton: string,
): Promise<{ name: string; header: string[]; body: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(exportButton).click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Buffer));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const body: string[][] = [];
  sheet.eachRow((r, n) => {
    if (n > 1) body.push((r.values as unknown[]).slice(1).map(String));
  });
  return {
    name: download.suggestedFilename(),
    header: (sheet.getRow(1).values as unknown[]).slice(1).map(String),
    body,
  };
}

describe('the household registry list', () => {
  it('a county officer searches by 户编号, filters by township, sorts and exports every filtered row', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'chengxiang');
    // One row per page: the export must still hold all three households of 灵川镇.
    await page.goto('/households?regionCode=350302102&pageSize=1&sort=memberCount&order=desc');
    await expect.poll(() => page.getByTestId('households-count').getAttribute('data-total')).toBe('3');
    // Sorted by 人数, most first: 方水生's household (3 people) leads.
    await expect.poll(() => rowIds(page, 'household-row-')).toEqual([households[1]!.householdNo]);
    // The village by its name, not its code (the 户编号 itself starts with the code: that is its number).
    const text = (await page.getByTestId('households-table').textContent())!.replace(households[1]!.householdNo, '');
    expect(text).not.toContain(YUNZHUANG);
    expect(text).toContain('云庄村');
    const xlsx = await readXlsx(page, 'households-export');
    expect(xlsx.name).toBe('家庭档案.xlsx');
    expect(xlsx.header).toEqual([
      '户编号',
      '户主',
      '户主身份证号',
      '所在村（社区）',
      '人数',
      '救助状态',
      '标识',
      '更新时间',
    ]);
    expect(xlsx.body.map((r) => r[1]).sort()).toEqual(['吴桂香', '方水生', '郑国安'].sort());
    expect(xlsx.body.map((r) => r[4])).toEqual(['3', '2', '1']);
    expect(xlsx.body.every((r) => /^3503\*+\d{3}[\dX]$/.test(r[2]!) && !r[3]!.includes('3503'))).toBe(true);
    expect(JSON.stringify(xlsx.body)).not.toContain('林东海');

    // By part of the 户编号, from the search form.
    await page.goto('/households');
    await page.getByTestId('households-filter-householdNo').fill(households[2]!.householdNo.slice(-8));
    await page.getByTestId('households-search').click();
    await expect.poll(() => rowIds(page, 'household-row-')).toContain(households[2]!.householdNo);
    expect(page.url()).toContain('householdNo=');
    // The name stays out of the address bar (personal data), but still searches.
    await page.getByTestId('households-reset').click();
    await page.getByTestId('households-filter-name').fill('吴桂香');
    await page.getByTestId('households-search').click();
    await expect.poll(() => rowIds(page, 'household-row-')).toEqual([households[2]!.householdNo]);
    expect(decodeURIComponent(page.url())).not.toContain('吴桂香');
    await context.close();
  });
});

describe('the user list', () => {
  it('searches by name, filters by role and region, exports the filtered rows with names for codes', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.goto('/users');
    await page.getByTestId('users-search').waitFor();
    await page.getByTestId('users-search-q').fill('qiul');
    await page.getByTestId('users-search-submit').click();
    await expect.poll(() => rowIds(page, 'user-row-')).toEqual(['qiulu']);
    expect(page.url()).toContain('q=qiul');
    // A bookmarked search: township officers of 城厢区, one per page; the export holds them all.
    await page.goto('/users?role=township_officer&regionCode=350302&pageSize=1&sort=username&order=asc');
    await expect.poll(() => rowIds(page, 'user-row-')).toHaveLength(1);
    const total = Number(await page.getByTestId('users-count').getAttribute('data-total'));
    expect(total).toBeGreaterThanOrEqual(1);
    const xlsx = await readXlsx(page, 'users-export');
    expect(xlsx.name).toBe('用户.xlsx');
    expect(xlsx.header).toEqual(['用户名', '姓名', '角色', '所属区划', '状态', '创建时间']);
    expect(xlsx.body).toHaveLength(total);
    expect(xlsx.body.map((r) => r[0])).toContain('lingchuan');
    expect(xlsx.body.map((r) => r[0])).not.toContain('qiulu');
    expect(xlsx.body.every((r) => r[2] === '乡镇（街道）经办人')).toBe(true);
    expect(JSON.stringify(xlsx.body)).not.toMatch(/township_officer|350302\d*/);
    await context.close();
  });
});

describe('the signal list', () => {
  it('searches by name and by 户编号, filters by record type by name, exports with names for codes', async () => {
    const { context, page } = await env.newPage();
    await login(page, 'chengxiang');
    await page.goto('/signals');
    await page.getByTestId('signals-search').waitFor();
    await expect.poll(() => page.getByTestId('signals-count').getAttribute('data-total')).toBe('2');
    await page.getByTestId('signals-search-q').fill('方水生');
    await page.getByTestId('signals-search-submit').click();
    await expect.poll(() => page.getByTestId('signals-count').getAttribute('data-total')).toBe('1');
    expect(await page.locator('[data-testid^="signal-row-"]').first().textContent()).toContain('方水生');
    await page.goto(`/signals?q=${households[0]!.householdNo}`);
    await expect.poll(() => page.getByTestId('signals-count').getAttribute('data-total')).toBe('1');
    expect(await page.locator('[data-testid^="signal-row-"]').first().textContent()).toContain('郑国安');
    // The record type by its name; a type with no signal finds none.
    await page.goto('/signals?recordType=death');
    await expect.poll(() => page.getByTestId('signals-count').getAttribute('data-total')).toBe('0');
    expect(await page.getByTestId('signals-search').textContent()).toContain('死亡');
    await page.goto('/signals?pageSize=1');
    await expect.poll(() => page.getByTestId('signals-count').getAttribute('data-total')).toBe('2');
    const xlsx = await readXlsx(page, 'signals-export');
    expect(xlsx.name).toBe('比对预警.xlsx');
    expect(xlsx.header).toEqual(['编号', '人员', '结论', '规则', '所在村居', '状态', '发现时间']);
    expect(xlsx.body).toHaveLength(2);
    expect(xlsx.body.map((r) => r[1]).sort()).toEqual(['方水生', '郑国安'].sort());
    expect(JSON.stringify(xlsx.body)).not.toMatch(/[a-z]+_[a-z]+|350302/);
    await context.close();
  });
});

describe('the feed batch list', () => {
  it('filters by status and source by name and exports the batches with names for codes', async () => {
    const admin = await env.t.login('admin');
    const csv = [
      'record_id,id_number,name,death_date,cause_category,death_place,hukou_region',
      `DTH0000091,${makeIdNumber('350302', '1950-01-02', 991)},林好行,2025-06-01,illness,elsewhere,350302102`,
    ].join('\n');
    const up = await admin.request(
      'POST',
      '/api/feeds/upload?kind=public_security.deaths&asOf=2025-07-01',
      Buffer.from(csv),
      { 'content-type': 'text/csv', 'x-file-name': encodeURIComponent('死亡注销.csv') },
    );
    expect(up.statusCode, up.body).toBeLessThan(300);
    const { context, page } = await env.newPage();
    await login(page, 'admin');
    await page.goto('/exchange/batches?status=failed');
    await expect.poll(() => page.getByTestId('batches-count').getAttribute('data-total')).toBe('0');
    await page.goto('/exchange/batches?status=loaded&pageSize=1');
    // Our upload and the batches the planted signals came with.
    await expect.poll(() => page.getByTestId('batches-count').getAttribute('data-total')).toBe('3');
    const xlsx = await readXlsx(page, 'batches-export');
    expect(xlsx.name).toBe('数据批次.xlsx');
    expect(xlsx.body).toHaveLength(3);
    expect(xlsx.body.every((r) => r[2] === '已入库')).toBe(true);
    expect(JSON.stringify(xlsx.body)).not.toMatch(/public_security|loaded|upload"/);
    await context.close();
  });
});

describe('the lead list at a desk', () => {
  it('a county officer filters leads by status and township; the count and the export agree', async () => {
    const db = env.t.database.db;
    const deps = { db, config: env.t.config };
    // 郑国安 and 方水生 (云庄村, 灵川镇): issued long ago, overdue.
    expect(await dispatchNewLeads(deps, '2025-09-26')).toBe(2);
    // One more in another township of 城厢区, issued today.
    const village = await db
      .selectFrom('regions')
      .select('code')
      .where('code', 'like', '350302%')
      .where('code', 'not like', '350302102%')
      .where(({ fn, lit, eb }) => eb(fn('length', ['code']), '=', lit(12)))
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const admin = await env.t.login('admin');
    const res = await admin.request('POST', '/api/households', {
      regionCode: village.code,
      address: '莆田市某村2组2号',
      members: [
        { name: '蔡春花', idNumber: makeIdNumber('350302', '1948-03-03', 977), relation: 'head', hukouType: 'rural' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json() as { id: string; members: { id: string }[] };
    await plantLeadSignal(db, { householdId: h.id, memberId: h.members[0]!.id });
    expect(await dispatchNewLeads(deps)).toBe(1);
    // 灵川镇 closes 方水生's lead.
    const lingchuan = await env.t.login('lingchuan');
    const mine = (await lingchuan.request('GET', '/api/leads')).json() as {
      items: { id: string; personName: string }[];
    };
    const fang = mine.items.find((l) => l.personName === '方水生')!;
    const visit = await lingchuan.request('POST', `/api/leads/${fang.id}/visits`, {
      visitedAt: new Date(Date.now() - 3_600_000).toISOString(),
      notes: '入户核实，家庭收入稳定',
      outcome: 'not_needy',
    });
    expect(visit.statusCode, visit.body).toBeLessThan(300);

    const { context, page } = await env.newPage();
    await login(page, 'chengxiang');
    await page.goto('/leads');
    await page.getByTestId('leads-search').waitFor();
    await expect.poll(() => page.getByTestId('leads-count').getAttribute('data-total')).toBe('3');
    // Open leads of 灵川镇: 郑国安 only (方水生's is closed, 蔡春花's in another township).
    await page.goto('/leads?status=open&regionCode=350302102');
    await expect.poll(() => page.getByTestId('leads-count').getAttribute('data-total')).toBe('1');
    const row = (await page.locator('[data-testid^="lead-row-"]').first().textContent())!;
    expect(row).toContain('郑国安');
    expect(row).toContain('云庄村');
    expect(row).not.toMatch(/350302\d{3}/);
    // The township and the status by name in the form (the township once the region tree has loaded).
    await expect.poll(() => page.getByTestId('leads-search').textContent()).toContain('灵川镇');
    expect(await page.getByTestId('leads-search').textContent()).toContain('待走访');
    const open = await readXlsx(page, 'leads-export');
    expect(open.name).toBe('疑似困难线索.xlsx');
    expect(open.header).toEqual(['姓名', '村（社区）', '线索原因', '下发日期', '走访期限', '状态']);
    expect(open.body.map((r) => r[0])).toEqual(['郑国安']);
    // The whole township, one per page: the export still holds every filtered row.
    await page.goto('/leads?regionCode=350302102&pageSize=1');
    await expect.poll(() => page.getByTestId('leads-count').getAttribute('data-total')).toBe('2');
    const all = await readXlsx(page, 'leads-export');
    expect(all.body).toHaveLength(2);
    expect(all.body.map((r) => r[0]).sort()).toEqual(['方水生', '郑国安'].sort());
    expect(all.body.find((r) => r[0] === '方水生')![5]).toContain('已办结');
    expect(JSON.stringify(all.body)).not.toMatch(/[a-z]+_[a-z]+|350302/);
    await page.goto('/leads?overdue=true');
    await expect.poll(() => page.getByTestId('leads-count').getAttribute('data-total')).toBe('1');
    await context.close();
  });
});
