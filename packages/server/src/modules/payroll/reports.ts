import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { AssistanceKind, LedgerFigures, PayrollReport, PayrollReportQuery } from '@jiuzhu/shared';
import { currentScope } from '../../context';
import { inScope, isInScope } from '../../db/scope';
import { Forbidden } from '../../errors';
import { recordAudit } from '../audit/service';
import { unrecoveredEmergency } from './emergency';
import type { PayrollDeps } from './service';

/**
 * The fund ledger (资金台账) and its reports. Only money that left: lines of approved payrolls
 * that the bank did not return (`paid`). Each line carries its fund split from the build
 * (payroll_fund_shares at that time), so the ledger sums what was stored, never recomputes it.
 */

const FUNDS = ['central', 'provincial', 'city', 'county'] as const;

function regionOf(q: { regionCode?: string }): string {
  const scope = currentScope();
  const region = q.regionCode ?? (scope.kind === 'region' ? scope.regionCode : '');
  if (region && !isInScope(region)) throw Forbidden('error.outOfRegion');
  return region;
}

const zero = (): LedgerFigures => ({
  personTimes: 0,
  amountFen: 0,
  centralFen: 0,
  provincialFen: 0,
  cityFen: 0,
  countyFen: 0,
});

function add(a: LedgerFigures, b: LedgerFigures): LedgerFigures {
  return {
    personTimes: a.personTimes + b.personTimes,
    amountFen: a.amountFen + b.amountFen,
    centralFen: a.centralFen + b.centralFen,
    provincialFen: a.provincialFen + b.provincialFen,
    cityFen: a.cityFen + b.cityFen,
    countyFen: a.countyFen + b.countyFen,
  };
}

export async function payrollReport(deps: PayrollDeps, q: PayrollReportQuery): Promise<PayrollReport> {
  const { db } = deps;
  const region = regionOf(q);
  const fromMonth = `${q.month.slice(0, 4)}-01`;
  // One pass over the year's paid lines: the month's figures are the same sums filtered to it.
  const sums = (prefix: 'm' | 'y', filter: ReturnType<typeof sql>) =>
    sql.join([
      // A correction is money, not a person paid: adjustments count in the amounts, not the 人次.
      sql`(count(*) filter (where ${filter} and l.line_type <> 'adjustment'))::int as ${sql.ref(`${prefix}_n`)}`,
      sql`(coalesce(sum(l.amount_fen) filter (where ${filter}), 0))::bigint as ${sql.ref(`${prefix}_amount`)}`,
      ...FUNDS.map(
        (f) =>
          sql`(coalesce(sum(${sql.ref(`l.${f}_fen`)}) filter (where ${filter}), 0))::bigint as ${sql.ref(`${prefix}_${f}`)}`,
      ),
    ]);
  const rows = await sql<Record<string, string | number>>`
    select substr(l.region_code, 1, 6) as county, l.kind,
      ${sums('m', sql`p.month = ${q.month}`)},
      ${sums('y', sql`true`)}
    from payroll_lines l join payrolls p on p.id = l.payroll_id
    where p.status = 'approved' and l.status = 'paid' and p.month between ${fromMonth} and ${q.month}
      and l.region_code like ${region + '%'} and ${inScope('l.region_code')}
    group by 1, 2
    order by 1, 2`.execute(db);
  const names = await regionNames(
    deps,
    rows.rows.map((r) => String(r.county)),
  );
  const toFigures = (r: Record<string, string | number>, prefix: 'm' | 'y'): LedgerFigures => ({
    personTimes: Number(r[`${prefix}_n`]),
    amountFen: Number(r[`${prefix}_amount`]),
    centralFen: Number(r[`${prefix}_central`]),
    provincialFen: Number(r[`${prefix}_provincial`]),
    cityFen: Number(r[`${prefix}_city`]),
    countyFen: Number(r[`${prefix}_county`]),
  });
  const out = rows.rows.map((r) => ({
    countyCode: String(r.county),
    countyName: names.get(String(r.county)) ?? String(r.county),
    kind: r.kind as AssistanceKind,
    month: toFigures(r, 'm'),
    yearToDate: toFigures(r, 'y'),
  }));
  const [shares, emergency] = await Promise.all([
    db.selectFrom('payroll_fund_shares').selectAll().orderBy('kind').execute(),
    unrecoveredEmergency(db, region, fromMonth, q.month),
  ]);
  return {
    month: q.month,
    fromMonth,
    rows: out,
    totals: {
      month: out.reduce((s, r) => add(s, r.month), zero()),
      yearToDate: out.reduce((s, r) => add(s, r.yearToDate), zero()),
    },
    unrecoveredEmergency: emergency,
    fundShares: shares.map((s) => ({
      kind: s.kind as AssistanceKind,
      centralBp: s.central_bp,
      provincialBp: s.provincial_bp,
      cityBp: s.city_bp,
      countyBp: s.county_bp,
      demo: s.demo,
    })),
  };
}

async function regionNames(deps: PayrollDeps, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await deps.db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

const KIND_ZH: Record<AssistanceKind, string> = {
  dibao: '低保',
  tekun: '特困供养',
  dibao_edge: '低保边缘',
  temporary: '临时救助',
};
const LINE_TYPE_ZH: Record<string, string> = {
  regular: '月度发放',
  back_pay: '补发',
  one_off: '一次性救助金',
  emergency: '先行救助',
  adjustment: '调整',
  reissue: '退票重发',
};
const FUND_ZH = { central: '中央', provincial: '省级', city: '市级', county: '县级' } as const;
const YUAN = '#,##0.00';
const yuan = (fen: number) => fen / 100;

/**
 * 发放花名册: every paid line of the month's approved payrolls in the region, one row a payee and
 * line, with its fund split; no account numbers (those go to the bank files only). Audited: the
 * sheet lists names.
 */
export async function rosterXlsx(
  deps: PayrollDeps,
  q: PayrollReportQuery,
): Promise<{ bytes: Buffer; filename: string }> {
  const region = regionOf(q);
  const lines = await deps.db
    .selectFrom('payroll_lines as l')
    .innerJoin('payrolls as p', 'p.id', 'l.payroll_id')
    .leftJoin('members as m', 'm.id', 'l.payee_member_id')
    .leftJoin('households as h', 'h.id', 'l.household_id')
    .leftJoin('regions as v', 'v.code', 'l.region_code')
    .leftJoin('regions as t', (j) => j.on(sql<boolean>`t.code = substr(l.region_code, 1, 9)`))
    .leftJoin('regions as c', (j) => j.on(sql<boolean>`c.code = substr(l.region_code, 1, 6)`))
    .where('p.status', '=', 'approved')
    .where('l.status', '=', 'paid')
    .where('p.month', '=', q.month)
    .where('l.region_code', 'like', `${region}%`)
    .where(inScope('l.region_code'))
    .select([
      'l.month',
      'l.line_type',
      'l.kind',
      'l.amount_fen',
      'l.central_fen',
      'l.provincial_fen',
      'l.city_fen',
      'l.county_fen',
      'm.name',
      'm.bank_name',
      'h.household_no',
      'v.name as village',
      't.name as township',
      'c.name as county',
    ])
    .orderBy('l.region_code')
    .orderBy('h.household_no')
    .orderBy('l.id')
    .execute();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('发放花名册');
  ws.addRow([`${q.month} 社会救助资金发放花名册`]);
  const header = ws.addRow([
    '序号',
    '县（区）',
    '乡镇（街道）',
    '村（社区）',
    '户编号',
    '收款人',
    '救助类别',
    '发放类型',
    '所属月份',
    '金额（元）',
    ...Object.values(FUND_ZH).map((f) => `其中${f}（元）`),
    '开户银行',
  ]);
  header.font = { bold: true };
  lines.forEach((l, i) =>
    ws.addRow([
      i + 1,
      l.county ?? '',
      l.township ?? '',
      l.village ?? '',
      l.household_no ?? '',
      l.name ?? '',
      KIND_ZH[l.kind as AssistanceKind] ?? l.kind,
      LINE_TYPE_ZH[l.line_type] ?? l.line_type,
      l.month,
      yuan(l.amount_fen),
      yuan(l.central_fen),
      yuan(l.provincial_fen),
      yuan(l.city_fen),
      yuan(l.county_fen),
      l.bank_name ?? '',
    ]),
  );
  const sum = (k: 'amount_fen' | 'central_fen' | 'provincial_fen' | 'city_fen' | 'county_fen') =>
    yuan(lines.reduce((s, l) => s + l[k], 0));
  const total = ws.addRow([
    '合计',
    '',
    '',
    '',
    '',
    `${lines.length} 人次`,
    '',
    '',
    '',
    sum('amount_fen'),
    sum('central_fen'),
    sum('provincial_fen'),
    sum('city_fen'),
    sum('county_fen'),
    '',
  ]);
  total.font = { bold: true };
  for (const col of [10, 11, 12, 13, 14]) ws.getColumn(col).numFmt = YUAN;
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, {
      action: 'payroll.roster_export',
      entity: 'payroll',
      entityId: null,
      regionCode: region || undefined,
      detail: { month: q.month, lines: lines.length, amountFen: lines.reduce((s, l) => s + l.amount_fen, 0) },
    }),
  );
  return {
    bytes: Buffer.from(await wb.xlsx.writeBuffer()),
    filename: `payroll-roster-${q.month}${region ? `-${region}` : ''}.xlsx`,
  };
}

/** 资金统计表: the ledger of the month and the year to date per county and kind, by fund source. */
export async function fundsXlsx(
  deps: PayrollDeps,
  q: PayrollReportQuery,
): Promise<{ bytes: Buffer; filename: string }> {
  const report = await payrollReport(deps, q);
  const region = regionOf(q);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('资金统计表');
  ws.addRow([`社会救助资金统计表（${report.month}，年初至今 ${report.fromMonth} 至 ${report.month}）`]);
  const cols = (label: string) => [
    `${label}人次`,
    `${label}金额（元）`,
    ...Object.values(FUND_ZH).map((f) => `${label}${f}（元）`),
  ];
  const header = ws.addRow(['县（区）', '救助类别', ...cols('本月'), ...cols('累计')]);
  header.font = { bold: true };
  const figures = (f: LedgerFigures) => [
    f.personTimes,
    yuan(f.amountFen),
    yuan(f.centralFen),
    yuan(f.provincialFen),
    yuan(f.cityFen),
    yuan(f.countyFen),
  ];
  for (const r of report.rows)
    ws.addRow([r.countyName, KIND_ZH[r.kind], ...figures(r.month), ...figures(r.yearToDate)]);
  const total = ws.addRow(['合计', '', ...figures(report.totals.month), ...figures(report.totals.yearToDate)]);
  total.font = { bold: true };
  for (const col of [4, 5, 6, 7, 8, 10, 11, 12, 13, 14]) ws.getColumn(col).numFmt = YUAN;
  ws.addRow([]);
  ws.addRow(['资金分担比例（按配置）', ...(report.fundShares.some((s) => s.demo) ? ['演示值，非实际比例'] : [])]);
  for (const s of report.fundShares)
    ws.addRow([
      KIND_ZH[s.kind],
      `中央 ${s.centralBp / 100}%`,
      `省级 ${s.provincialBp / 100}%`,
      `市级 ${s.cityBp / 100}%`,
      `县级 ${s.countyBp / 100}%`,
    ]);
  // 先行救助 paid at a township window on a case that was then rejected: money out, no payroll line.
  ws.addRow([]);
  ws.addRow([`未追回的先行救助（${report.fromMonth} 至 ${report.month}，申请未获批准）`]).font = { bold: true };
  const emergency = report.unrecoveredEmergency;
  if (emergency.items.length === 0) ws.addRow(['无']);
  else {
    ws.addRow(['申请编号', '申请人', '村（社区）', '支付日期', '金额（元）']).font = { bold: true };
    for (const e of emergency.items)
      ws.addRow([e.caseNo, e.applicantName, e.regionName, e.paidOn, yuan(e.amountFen)]).getCell(5).numFmt = YUAN;
    const sum = ws.addRow(['合计', '', '', '', yuan(emergency.totalFen)]);
    sum.font = { bold: true };
    sum.getCell(5).numFmt = YUAN;
  }
  return {
    bytes: Buffer.from(await wb.xlsx.writeBuffer()),
    filename: `payroll-funds-${q.month}${region ? `-${region}` : ''}.xlsx`,
  };
}
