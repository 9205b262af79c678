import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { financeAccount, payrollHousehold, plantEnrolment } from '../../demo/payroll-driver';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村
const YEAR = Number(chinaToday().slice(0, 4)) + 40;
const M = (n: number) => `${YEAR}-${String(n).padStart(2, '0')}`;

let t: TestApp;
let admin: Agent;
const makers: Record<string, Agent> = {};
const checkers: Record<string, Agent> = {};
const approved: string[] = [];
let returnedFen = 0;

async function ok(agent: Agent, method: 'GET' | 'POST', url: string, body?: unknown) {
  const res = await agent.request(method, url, body);
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/** Build, accept every finding, submit and approve the payroll of a month and county. */
async function approvedPayroll(county: string, month: string): Promise<{ id: string; payrollNo: number }> {
  const p = await ok(makers[county]!, 'POST', '/api/payrolls', { month, regionCode: county });
  const findings = await ok(makers[county]!, 'GET', `/api/payrolls/${p.id}/exceptions`);
  for (const x of findings.items.filter((i: { status: string }) => i.status === 'open'))
    await ok(makers[county]!, 'POST', `/api/payrolls/${p.id}/exceptions/${x.id}/accept`, { reason: '已核实' });
  await ok(makers[county]!, 'POST', `/api/payrolls/${p.id}/submit`, {});
  await ok(checkers[county]!, 'POST', `/api/payrolls/${p.id}/approve`, {});
  approved.push(p.id);
  return p;
}

type Figures = {
  personTimes: number;
  amountFen: number;
  centralFen: number;
  provincialFen: number;
  cityFen: number;
  countyFen: number;
};

/** The ledger computed here from the stored lines, row by row (independent of the report's SQL). */
async function ledgerFromLines(month: string, region = '') {
  const lines = await t.database.db
    .selectFrom('payroll_lines as l')
    .innerJoin('payrolls as p', 'p.id', 'l.payroll_id')
    .select(['p.month as pm', 'p.status as ps', 'l.status', 'l.region_code', 'l.kind', 'l.amount_fen'])
    .select(['l.central_fen', 'l.provincial_fen', 'l.city_fen', 'l.county_fen'])
    .execute();
  const rows = new Map<string, { month: Figures; ytd: Figures }>();
  const zero = (): Figures => ({
    personTimes: 0,
    amountFen: 0,
    centralFen: 0,
    provincialFen: 0,
    cityFen: 0,
    countyFen: 0,
  });
  const addTo = (f: Figures, l: (typeof lines)[number]) => {
    f.personTimes += 1;
    f.amountFen += l.amount_fen;
    f.centralFen += l.central_fen;
    f.provincialFen += l.provincial_fen;
    f.cityFen += l.city_fen;
    f.countyFen += l.county_fen;
  };
  for (const l of lines) {
    if (l.ps !== 'approved' || l.status !== 'paid' || !l.region_code.startsWith(region)) continue;
    if (l.pm < `${month.slice(0, 4)}-01` || l.pm > month) continue;
    const key = `${l.region_code.slice(0, 6)}/${l.kind}`;
    const row = rows.get(key) ?? { month: zero(), ytd: zero() };
    rows.set(key, row);
    addTo(row.ytd, l);
    if (l.pm === month) addTo(row.month, l);
  }
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  makers['350302'] = await t.login('chengxiang');
  await financeAccount(t.database.db, 'hj.maker.finance', '350303');
  checkers['350302'] = await t.login('caizheng');
  checkers['350303'] = await t.login('hj.maker.finance');
  // 涵江区 has no demo county officer: one for the test.
  await t.database.db.transaction().execute(async (trx) =>
    (await import('../users/seed')).insertDemoAccount(trx, {
      username: 'hanjiang',
      displayName: '涵江区民政局',
      role: 'county_officer',
      regionCode: '350303',
    }),
  );
  makers['350303'] = await t.login('hanjiang');

  // Households in two counties, 低保 and 低保边缘 (different fund shares) of different amounts, from January for five months.
  const plan: [string, 'dibao' | 'dibao_edge', number][] = [
    [YUNZHUANG, 'dibao', 45_000],
    [YUNZHUANG, 'dibao', 61_337],
    [YUNZHUANG, 'dibao_edge', 98_901],
    [DONGZHANG, 'dibao', 45_001],
    [DONGZHANG, 'dibao_edge', 120_003],
  ];
  for (const [village, kind, amountFen] of plan) {
    const h = await payrollHousehold(admin, village);
    await plantEnrolment(t.database.db, {
      householdId: h.householdId,
      regionCode: village,
      kind,
      history: [
        { seq: 1, type: 'enrolled', effectiveMonth: M(1), amountFen },
        { seq: 2, type: 'ended', effectiveMonth: M(6) },
      ],
    });
  }
  for (const county of ['350302', '350303']) for (const m of [1, 2]) await approvedPayroll(county, M(m));
  // A line of 城厢区's February payroll comes back from the bank; March stays a draft.
  const feb = (await ok(checkers['350302']!, 'GET', `/api/payrolls?month=${M(2)}&regionCode=350302`)).items[0];
  const lines = await ok(checkers['350302']!, 'GET', `/api/payrolls/${feb.id}/lines`);
  const returned = await ok(checkers['350302']!, 'POST', `/api/payrolls/${feb.id}/returns`, {
    content: `${lines.items[0].reference},account_closed`,
  });
  expect(returned.failed).toBe(1);
  returnedFen = returned.amountFen;
  await ok(makers['350302']!, 'POST', '/api/payrolls', { month: M(3), regionCode: '350302' });
});
afterAll(() => t?.close());

describe('fund ledger', () => {
  it('sums per county, kind and fund source, month and year to date, equal to the lines’ own sums', async () => {
    const report = await ok(admin, 'GET', `/api/payroll-reports?month=${M(2)}`);
    expect(report.fromMonth).toBe(M(1));
    const expected = await ledgerFromLines(M(2));
    expect(report.rows.map((r: { countyCode: string; kind: string }) => `${r.countyCode}/${r.kind}`).sort()).toEqual(
      [...expected.keys()].sort(),
    );
    for (const r of report.rows) {
      const e = expected.get(`${r.countyCode}/${r.kind}`)!;
      expect(r.month).toEqual(e.month);
      expect(r.yearToDate).toEqual(e.ytd);
    }
    // The returned line is left out; the draft of March is not money paid.
    const all = [...expected.values()];
    const ytd = all.reduce((s, r) => s + r.ytd.amountFen, 0);
    expect(report.totals.yearToDate.amountFen).toBe(ytd);
    expect(report.totals.yearToDate.personTimes).toBe(5 * 2 - 1);
    expect(report.totals.month.personTimes).toBe(5 - 1);
    expect(ytd).toBe(2 * (45_000 + 61_337 + 98_901 + 45_001 + 120_003) - returnedFen);
    const t0 = report.totals.yearToDate;
    expect(t0.centralFen + t0.provincialFen + t0.cityFen + t0.countyFen).toBe(t0.amountFen);
    expect(report.rows.find((r: { countyCode: string }) => r.countyCode === '350303').countyName).toBe('涵江区');
    expect(report.fundShares.every((s: { demo: boolean }) => s.demo)).toBe(true);

    // January alone: its year to date is its month.
    const jan = await ok(admin, 'GET', `/api/payroll-reports?month=${M(1)}`);
    expect(jan.totals.month).toEqual(jan.totals.yearToDate);
    expect(jan.totals.month.personTimes).toBe(5);
  });

  it('keeps to the caller’s region', async () => {
    const mine = await ok(makers['350302']!, 'GET', `/api/payroll-reports?month=${M(2)}`);
    expect(new Set(mine.rows.map((r: { countyCode: string }) => r.countyCode))).toEqual(new Set(['350302']));
    const expected = await ledgerFromLines(M(2), '350302');
    expect(mine.totals.yearToDate.amountFen).toBe([...expected.values()].reduce((s, r) => s + r.ytd.amountFen, 0));
    expect(
      (await makers['350302']!.request('GET', `/api/payroll-reports?month=${M(2)}&regionCode=350303`)).statusCode,
    ).toBe(403);
    const city = await ok(admin, 'GET', `/api/payroll-reports?month=${M(2)}&regionCode=350303`);
    expect(new Set(city.rows.map((r: { countyCode: string }) => r.countyCode))).toEqual(new Set(['350303']));
  });

  it('downloads the 发放花名册 and the 资金统计表 as XLSX with the same sums', async () => {
    const res = await checkers['350302']!.request('GET', `/api/payroll-reports/roster.xlsx?month=${M(2)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().filter(Boolean) as unknown[][];
    // Title, header, two paid lines of 城厢区 in February (the third was returned), total.
    expect(rows).toHaveLength(2 + 2 + 1);
    const body = rows.slice(2, -1);
    const amounts = body.map((r) => Math.round(Number(r[10]) * 100));
    const expected = await ledgerFromLines(M(2), '350302');
    const monthFen = [...expected.values()].reduce((s, r) => s + r.month.amountFen, 0);
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(monthFen);
    expect(Math.round(Number(rows.at(-1)![10]) * 100)).toBe(monthFen);
    expect(JSON.stringify(rows)).not.toMatch(/622127\d{13}/);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'payroll.roster_export')
      .execute();
    expect(audit.at(-1)!.detail).toMatchObject({ month: M(2), lines: 2, amountFen: monthFen });

    const funds = await admin.request('GET', `/api/payroll-reports/funds.xlsx?month=${M(2)}`);
    expect(funds.statusCode).toBe(200);
    const fw = new ExcelJS.Workbook();
    await fw.xlsx.load(funds.rawPayload as unknown as ArrayBuffer);
    const sheet = fw.worksheets[0]!;
    const report = await ok(admin, 'GET', `/api/payroll-reports?month=${M(2)}`);
    const totalRow = sheet.getRow(2 + report.rows.length + 1);
    expect(totalRow.getCell(1).value).toBe('合计');
    expect(totalRow.getCell(3).value).toBe(report.totals.month.personTimes);
    expect(Math.round(Number(totalRow.getCell(4).value) * 100)).toBe(report.totals.month.amountFen);
    expect(totalRow.getCell(9).value).toBe(report.totals.yearToDate.personTimes);
    expect(Math.round(Number(totalRow.getCell(10).value) * 100)).toBe(report.totals.yearToDate.amountFen);
    expect(approved).toHaveLength(4);
  });
});
