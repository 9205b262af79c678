import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 萩芦镇 东张村

let t: TestApp;
let lingchuan: Agent;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
});
afterAll(() => t?.close());

const HEADER =
  '序号,村（社区）代码,户编号,姓名,身份证号,与户主关系,保障类别,月保障金额（元）,起始月份,自理能力,批准文号,批准日期';
const csv = (lines: string[]) => Buffer.from([HEADER, ...lines].join('\n') + '\n', 'utf8');
const upload = (agent: Agent, body: Buffer, dryRun: boolean) =>
  agent.request('POST', `/api/enrolments/import?dryRun=${dryRun}`, body, { 'content-type': 'text/csv' });

describe('caseload import (存量对象导入)', () => {
  it('offers the template as XLSX (with notes) and CSV', async () => {
    const x = await lingchuan.request('GET', '/api/enrolments/import/template.xlsx');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['存量对象', '填写说明']);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).slice(1).join(',')).toBe(HEADER);
    const c = await lingchuan.request('GET', '/api/enrolments/import/template.csv');
    expect(c.body.replace('\ufeff', '').split('\n')[0]).toBe(HEADER);
  });

  it('reports bad rows by line and column, warns on amounts, loads the good ones once', async () => {
    const headId = makeIdNumber('350302', '1958-02-03', 611);
    const spouseId = makeIdNumber('350302', '1960-07-08', 622);
    const registeredId = makeIdNumber('350302', '1970-01-05', 633);
    const res = await admin.request('POST', '/api/households', {
      regionCode: YUNZHUANG,
      address: '云庄村2组1号',
      members: [{ name: '陈已登', idNumber: registeredId, relation: 'head', hukouType: 'rural' }],
    });
    expect(res.statusCode).toBe(201);
    const registered = res.json();
    const badId = headId.slice(0, 17) + (headId.endsWith('1') ? '2' : '1');
    const file = csv([
      `1,${YUNZHUANG},,林存量,${headId},户主,低保,780.00,2021-03,,城民低〔2021〕12号,2021-02-25`,
      `1,${YUNZHUANG},,陈存量,${spouseId},配偶,,,,,,`,
      `2,${YUNZHUANG},${registered.householdNo},陈已登,${registeredId},户主,低保,9000.00,2019-07,,,`,
      `3,${YUNZHUANG},,黄错类,${makeIdNumber('350302', '1950-01-01', 644)},户主,五保,500,2020-01,,,`,
      `4,${YUNZHUANG},,郑错号,${badId},户主,低保,500,2020-01,,,`,
      `5,${YUNZHUANG},,吴特困,${makeIdNumber('350302', '1940-01-01', 655)},户主,特困,1500,2020-01,,,`,
      `6,${DONGZHANG},,萩外村,${makeIdNumber('350303', '1950-01-01', 666)},户主,低保,500,2020-01,,,`,
    ]);
    const dry = (await upload(lingchuan, file, true)).json();
    expect(dry).toMatchObject({ dryRun: true, rows: 7, enrolments: 6, created: 2, unchanged: 0, newPeople: 2 });
    const at = (row: number) => dry.errors.filter((e: { row: number }) => e.row === row);
    expect(at(5)).toEqual([expect.objectContaining({ column: '保障类别' })]);
    expect(at(6)).toEqual([expect.objectContaining({ column: '身份证号', reason: expect.stringContaining('校验码') })]);
    expect(at(7)).toEqual([expect.objectContaining({ column: '自理能力' })]);
    expect(at(8)).toEqual([expect.objectContaining({ column: '村（社区）代码', reason: '不在您的管辖范围内' })]);
    expect(dry.warnings).toEqual([expect.objectContaining({ row: 4, column: '月保障金额（元）' })]);
    expect((await lingchuan.request('GET', '/api/enrolments?q=存量')).json().total).toBe(0);

    const loaded = (await upload(lingchuan, file, false)).json();
    expect(loaded).toMatchObject({ dryRun: false, created: 2, unchanged: 0, newPeople: 2 });
    const list = (await lingchuan.request('GET', '/api/enrolments?pageSize=50')).json();
    const imported = list.items.filter((i: { source: string }) => i.source === 'import');
    expect(imported).toHaveLength(2);
    const family = imported.find((i: { name: string }) => i.name === '林存量');
    expect(family).toMatchObject({ kind: 'dibao', members: 2, monthlyAmountFen: 78_000, fromMonth: '2021-03' });
    const detail = (await lingchuan.request('GET', `/api/enrolments/${family.id}`)).json();
    expect(detail).toMatchObject({ approvalDocNo: '城民低〔2021〕12号', approvalDate: '2021-02-25' });
    expect(detail.coveredMembers.every((m: { memberId: string | null }) => m.memberId !== null)).toBe(true);
    // The new people are in the registry now, in a household that is on the rolls.
    const household = (await lingchuan.request('GET', `/api/households/${family.householdId}`)).json();
    expect(household).toMatchObject({ assistanceStatus: 'dibao', memberCount: 2 });
    const existing = (await lingchuan.request('GET', `/api/households/${registered.id}`)).json();
    expect(existing.assistanceStatus).toBe('dibao');

    // The same file again adds nothing.
    const again = (await upload(lingchuan, file, false)).json();
    expect(again).toMatchObject({ created: 0, unchanged: 2, newPeople: 0 });
    const after = (await lingchuan.request('GET', '/api/enrolments?pageSize=50')).json();
    expect(after.total).toBe(list.total);
  });

  it('refuses a file without the template columns, and an empty body', async () => {
    const bad = (await upload(lingchuan, Buffer.from('a,b\n1,2\n'), true)).json();
    expect(bad.errors[0]).toMatchObject({ row: 1, reason: expect.stringContaining('模板') });
    const empty = await lingchuan.request('POST', '/api/enrolments/import?dryRun=true', Buffer.alloc(0), {
      'content-type': 'text/csv',
    });
    expect(empty.statusCode).toBe(400);
  });
});
