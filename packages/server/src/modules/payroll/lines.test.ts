import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, type DeterminedKind } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { applicationInput, driveCase, submitCase } from '../../demo/case-driver';
import { financeAccount, luhnCard, payrollHousehold, plantEnrolment } from '../../demo/payroll-driver';

/** Emergency (先行救助) and adjustment (调整) lines: through HTTP against a fresh database. */

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const CHENGXIANG = '350302';

let t: TestApp;
let admin: Agent;
let chengxiang: Agent;
let lingchuan: Agent;
let finance: Agent;
const thisMonth = chinaToday().slice(0, 7);
const nextMonth = addMonths(thisMonth, 1);
const deps = () => ({ db: t.database.db, protector: t.app.deps.protector, config: t.config });

type Line = {
  id: number;
  payeeName: string | null;
  householdId: string | null;
  lineType: string;
  kind: string;
  amountFen: number;
  status: string;
  month: string;
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  await financeAccount(t.database.db, 'cx.finance', CHENGXIANG);
  finance = await t.login('cx.finance');
});
afterAll(() => t?.close());

let cardSeq = 500_000;
/**
 * An emergency application from a registry household whose head holds a card (so its lines have a
 * payee with an account), the township's 先行救助 of `emergencyFen`, then driven to `to`.
 */
async function emergencyCase(emergencyFen: number, kinds: DeterminedKind[], to: 'enrolled' | 'rejected' = 'enrolled') {
  const input = applicationInput(YUNZHUANG, { emergency: true, reason: '家中失火' });
  const h = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: '先行救助测试',
    members: input.members.map((m, i) => ({
      name: m.name,
      idNumber: m.idNumber,
      relation: i === 0 ? 'head' : 'spouse',
      hukouType: 'rural',
      ...(i === 0 ? { bankAccount: luhnCard(++cardSeq), bankName: '招商银行' } : {}),
    })),
  });
  expect(h.statusCode, h.body).toBe(201);
  const c = await submitCase(deps(), input);
  const paid = await lingchuan.request('POST', `/api/cases/${c.id}/emergency-payment`, {
    amountFen: emergencyFen,
    reason: '火灾，先行救助',
  });
  expect(paid.statusCode, paid.body).toBe(200);
  await driveCase(deps(), c.id, to, { kinds });
  return { caseId: c.id, caseNo: c.caseNo, householdId: h.json().id as string, headName: h.json().members[0].name };
}

async function lines(id: string, query = ''): Promise<Line[]> {
  const res = await chengxiang.request('GET', `/api/payrolls/${id}/lines?pageSize=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

async function acceptAll(id: string) {
  const list = (await chengxiang.request('GET', `/api/payrolls/${id}/exceptions`)).json();
  for (const x of list.items.filter((i: { status: string }) => i.status === 'open')) {
    const res = await chengxiang.request('POST', `/api/payrolls/${id}/exceptions/${x.id}/accept`, {
      reason: '已入户核实',
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

/** A new card for the household's head, through the registry's edit. */
async function newCard(h: { householdId: string; headId: string }, n: number) {
  const before = (await admin.request('GET', `/api/households/${h.householdId}`)).json();
  const edited = await admin.request('PUT', `/api/households/${h.householdId}`, {
    version: before.version,
    regionCode: before.regionCode,
    assistanceStatus: before.assistanceStatus,
    members: before.members.map((x: { id: string; name: string; relation: string; hukouType: string }) => ({
      id: x.id,
      name: x.name,
      relation: x.relation,
      hukouType: x.hukouType,
      ...(x.id === h.headId ? { bankAccount: luhnCard(n), bankName: '中国邮政储蓄银行' } : {}),
    })),
  });
  expect(edited.statusCode, edited.body).toBe(200);
}

/** Submits and approves a payroll (its findings accepted), then the payee's amounts in the 邮储 file. */
async function approveAndPay(id: string, payeeName: string): Promise<{ reference: string; amount: string }[]> {
  await acceptAll(id);
  const submitted = await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {});
  expect(submitted.statusCode, submitted.body).toBe(200);
  expect((await finance.request('POST', `/api/payrolls/${id}/approve`, {})).statusCode).toBe(200);
  const { default: iconv } = await import('iconv-lite');
  const file = (await finance.request('GET', `/api/payrolls/${id}/bank-files/psbc`)).rawPayload;
  return iconv
    .decode(file, 'gbk')
    .trim()
    .split('\r\n')
    .filter((r) => r.includes(payeeName))
    .map((r) => ({ reference: r.split(',')[0]!, amount: r.split(',')[3]! }));
}

async function auditRows(action: string) {
  return t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
}

describe('emergency lines (先行救助)', () => {
  it('carries the cash paid at the township once, as paid, outside the bank file; the one-off pays what remains', async () => {
    const temporary = await emergencyCase(50_000, [
      { kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 150_000 },
    ]);
    const small = await emergencyCase(60_000, [{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 40_000 }]);
    const dibao = await emergencyCase(30_000, [{ kind: 'dibao', monthlyAmountFen: 60_000, oneOffAmountFen: 0 }]);
    const rejected = await emergencyCase(
      45_000,
      [{ kind: 'dibao', monthlyAmountFen: 60_000, oneOffAmountFen: 0 }],
      'rejected',
    );

    // Last month's payroll does not carry cash paid this month.
    const before = (
      await chengxiang.request('POST', '/api/payrolls', { month: addMonths(thisMonth, -1), regionCode: CHENGXIANG })
    ).json();
    expect((await lines(before.id, '&lineType=emergency')).length).toBe(0);

    // The next payroll built after the approvals (this month's) carries each payment once.
    const first = await chengxiang.request('POST', '/api/payrolls', { month: thisMonth, regionCode: CHENGXIANG });
    expect(first.statusCode, first.body).toBe(201);
    const id0: string = first.json().id;
    const byType = (ls: Line[]) => Object.fromEntries(ls.map((l) => [l.lineType, l]));
    const of = async (payroll: string, householdId: string) =>
      byType((await lines(payroll)).filter((l) => l.householdId === householdId));
    expect(await of(id0, temporary.householdId)).toEqual({
      emergency: expect.objectContaining({
        amountFen: 50_000,
        status: 'paid',
        kind: 'temporary',
        month: thisMonth,
        payeeName: temporary.headName,
      }),
    });
    expect((await of(id0, small.householdId)).emergency).toMatchObject({ amountFen: 60_000, status: 'paid' });
    expect((await of(id0, dibao.householdId)).emergency).toMatchObject({ amountFen: 30_000, kind: 'temporary' });
    expect(await of(id0, rejected.householdId)).toEqual({});
    // Split by fund source like any line (temporary shares 30/30/20/20 in the demo configuration).
    const stored = await t.database.db
      .selectFrom('payroll_lines')
      .selectAll()
      .where('payroll_id', '=', id0)
      .where('line_type', '=', 'emergency')
      .execute();
    expect(stored).toHaveLength(3);
    for (const l of stored) {
      expect(l.central_fen + l.provincial_fen + l.city_fen + l.county_fen).toBe(l.amount_fen);
      expect(l.account_hash).toBeNull();
    }
    expect(stored.find((l) => l.amount_fen === 50_000)).toMatchObject({ central_fen: 15_000, county_fen: 10_000 });
    // A rebuild refreshes, never doubles.
    const again = (
      await chengxiang.request('POST', '/api/payrolls', { month: thisMonth, regionCode: CHENGXIANG })
    ).json();
    expect(again).toMatchObject({ lineCount: first.json().lineCount, totalFen: first.json().totalFen });
    expect((await lines(id0, '&lineType=emergency')).length).toBe(3);
    await acceptAll(id0);
    expect((await chengxiang.request('POST', `/api/payrolls/${id0}/submit`, {})).statusCode).toBe(200);
    expect((await finance.request('POST', `/api/payrolls/${id0}/approve`, {})).statusCode).toBe(200);
    const files = (await finance.request('GET', `/api/payrolls/${id0}`)).json().banks;
    expect(files.reduce((n: number, b: { lines: number }) => n + b.lines, 0)).toBe(0);

    // Next month: the enrolments are due; no emergency line again; the one-off pays what remains.
    const built = await chengxiang.request('POST', '/api/payrolls', { month: nextMonth, regionCode: CHENGXIANG });
    expect(built.statusCode, built.body).toBe(201);
    const id: string = built.json().id;
    expect((await lines(id, '&lineType=emergency')).length).toBe(0);
    expect(await of(id, temporary.householdId)).toEqual({
      one_off: expect.objectContaining({ amountFen: 100_000, status: 'pending' }),
    });
    // The one-off below the emergency payment: nothing remains to pay.
    expect(await of(id, small.householdId)).toEqual({});
    // A 低保 case: its monthly amount is not reduced.
    expect(await of(id, dibao.householdId)).toEqual({ regular: expect.objectContaining({ amountFen: 60_000 }) });
    const rebuilt = (
      await chengxiang.request('POST', '/api/payrolls', { month: nextMonth, regionCode: CHENGXIANG })
    ).json();
    expect(rebuilt).toMatchObject({ lineCount: built.json().lineCount, totalFen: built.json().totalFen });
    expect((await of(id, temporary.householdId)).one_off!.amountFen).toBe(100_000);

    // Approved: in the ledger and the household's history; the bank file pays the one-off only.
    await acceptAll(id);
    expect((await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {})).statusCode).toBe(200);
    expect((await finance.request('POST', `/api/payrolls/${id}/approve`, {})).statusCode).toBe(200);
    const file = await finance.request('GET', `/api/payrolls/${id}/bank-files/other`);
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    // One row a payee, named by a line of theirs: the amount per household.
    const householdOf = new Map((await lines(id)).map((l) => [l.id, l.householdId]));
    const paidTo = new Map<string | null | undefined, unknown>();
    wb.worksheets[0]!.eachRow((r, n) => {
      const ref = String(r.getCell(1).value);
      if (n > 1 && ref.startsWith('JZ')) paidTo.set(householdOf.get(Number(ref.split('-')[1])), r.getCell(4).value);
    });
    expect(paidTo.get(temporary.householdId)).toBe(1000);
    expect(paidTo.has(small.householdId)).toBe(false);
    expect(paidTo.get(dibao.householdId)).toBe(600);
    // The ledger: this month the three emergency payments, next month the one-off that remained.
    const ledger = async (m: string) =>
      (await chengxiang.request('GET', `/api/payroll-reports?month=${m}`))
        .json()
        .rows.find((r: { kind: string }) => r.kind === 'temporary').month;
    expect(await ledger(thisMonth)).toMatchObject({ personTimes: 3, amountFen: 140_000, centralFen: 42_000 });
    expect(await ledger(nextMonth)).toMatchObject({ personTimes: 1, amountFen: 100_000 });
    const history = (await lingchuan.request('GET', `/api/households/${small.householdId}/payments`)).json();
    expect(history.items).toEqual([
      expect.objectContaining({ lineType: 'emergency', amountFen: 60_000, status: 'paid' }),
    ]);
    expect(history.paidByYear).toEqual([{ year: thisMonth.slice(0, 4), amountFen: 60_000, lines: 1 }]);

    // The rejected case's emergency payment is reported as not recovered (in the year it was paid).
    const paidReport = (await chengxiang.request('GET', `/api/payroll-reports?month=${thisMonth}`)).json();
    expect(paidReport.unrecoveredEmergency).toMatchObject({
      totalFen: 45_000,
      items: [{ caseNo: rejected.caseNo, amountFen: 45_000, paidOn: chinaToday() }],
    });
    // …and in the 资金统计表 workbook, under its own heading.
    const funds = await chengxiang.request('GET', `/api/payroll-reports/funds.xlsx?month=${thisMonth}`);
    expect(funds.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(funds.rawPayload as unknown as ArrayBuffer);
    // Array.from: the sheet's values leave holes for blank rows.
    const rows = Array.from(book.getWorksheet('资金统计表')!.getSheetValues(), (r) =>
      Array.isArray(r) ? r.slice(1) : [],
    );
    const heading = rows.findIndex((r) => String(r[0] ?? '').startsWith('未追回的先行救助'));
    expect(heading).toBeGreaterThan(0);
    const [line, sum] = [rows[heading + 2]!, rows[heading + 3]!];
    expect([line[0], line[3], line[4]]).toEqual([rejected.caseNo, chinaToday(), 450]);
    expect([sum[0], sum[4]]).toEqual(['合计', 450]);
  });
});

describe('adjustment lines (调整)', () => {
  const month = addMonths(thisMonth, 36);

  it('are recorded and removed on a draft only, audited, kept by a rebuild, shown to the checker; a negative net blocks submit', async () => {
    const h = await payrollHousehold(admin, YUNZHUANG, { bankName: '中国邮政储蓄银行' });
    const enrolmentId = await plantEnrolment(t.database.db, {
      householdId: h.householdId,
      regionCode: YUNZHUANG,
      history: [
        { seq: 1, type: 'enrolled', effectiveMonth: addMonths(month, -3), amountFen: 50_000, oneOffFen: 0 },
        { seq: 9, type: 'ended', effectiveMonth: addMonths(month, 2) },
      ],
    });
    const built = (await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG })).json();
    const id: string = built.id;
    expect(built.allowed).toContain('adjust');
    const base = { lineCount: built.lineCount as number, totalFen: built.totalFen as number };

    // Refused: no reason, zero, a month before the enrolment or after the payroll, another county's enrolment.
    const post = (body: unknown, key?: string) =>
      chengxiang.request('POST', `/api/payrolls/${id}/adjustments`, body, key ? { 'idempotency-key': key } : {});
    const good = { enrolmentId, month: addMonths(month, -1), amountFen: 12_000, reason: '上月少发标准差额' };
    expect((await post({ ...good, reason: '' })).statusCode).toBe(400);
    expect((await post({ ...good, amountFen: 0 })).statusCode).toBe(400);
    expect((await post({ ...good, month: addMonths(month, -4) })).statusCode).toBe(400);
    expect((await post({ ...good, month: addMonths(month, 1) })).statusCode).toBe(400);

    const added = await post(good, 'adj-1');
    expect(added.statusCode, added.body).toBe(201);
    const lineId: number = added.json().lineId;
    expect(added.json().payroll).toMatchObject({ lineCount: base.lineCount + 1, totalFen: base.totalFen + 12_000 });
    // The same Idempotency-Key again: the same line, nothing added.
    const retry = await post(good, 'adj-1');
    expect(retry.statusCode).toBe(201);
    expect(retry.json().lineId).toBe(lineId);
    // One adjustment per enrolment and month.
    expect((await post({ ...good, amountFen: 500 })).statusCode).toBe(409);

    const adj = (await lines(id, '&lineType=adjustment')) as (Line & { reason: string; createdBy: string })[];
    expect(adj).toEqual([
      expect.objectContaining({
        id: lineId,
        month: good.month,
        amountFen: 12_000,
        reason: good.reason,
        createdBy: 'chengxiang',
      }),
    ]);
    const stored = await t.database.db
      .selectFrom('payroll_lines')
      .selectAll()
      .where('id', '=', lineId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ central_fen: 6_000, provincial_fen: 2_400, city_fen: 1_800, county_fen: 1_800 });

    // The checker sees it among the findings, with the maker's reason; it does not block submit.
    const findings = (await finance.request('GET', `/api/payrolls/${id}/exceptions`)).json();
    expect(findings.items.find((x: { code: string }) => x.code === 'adjustment')).toMatchObject({
      status: 'accepted',
      reason: good.reason,
      decidedBy: 'chengxiang',
      detail: { amountFen: 12_000, lines: [{ month: good.month, amountFen: 12_000 }] },
    });

    // A rebuild keeps it (and its finding).
    const rebuilt = (await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG })).json();
    expect(rebuilt).toMatchObject({ lineCount: base.lineCount + 1, totalFen: base.totalFen + 12_000 });
    expect((await lines(id, '&lineType=adjustment')).map((l) => l.id)).toEqual([lineId]);
    expect((await finance.request('GET', `/api/payrolls/${id}/exceptions`)).json().counts.adjustment).toBe(1);

    // Removed, then an over-payment recovery beyond the month's amount: the net is negative, submit refused.
    const del = (l: number, key?: string) =>
      chengxiang.request(
        'DELETE',
        `/api/payrolls/${id}/adjustments/${l}`,
        undefined,
        key ? { 'idempotency-key': key } : {},
      );
    expect((await finance.request('DELETE', `/api/payrolls/${id}/adjustments/${lineId}`)).statusCode).toBe(403);
    const removed = await del(lineId, 'del-1');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject(base);
    expect((await del(lineId, 'del-1')).statusCode).toBe(200);
    expect((await del(lineId)).statusCode).toBe(404);
    expect((await finance.request('GET', `/api/payrolls/${id}/exceptions`)).json().counts.adjustment).toBeUndefined();

    const recovery = await post({ ...good, amountFen: -80_000, reason: '多发追回：家庭收入超标期间' });
    expect(recovery.statusCode, recovery.body).toBe(201);
    await acceptAll(id);
    const refused = await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain(h.headName);
    expect(refused.json().error.message).toContain('-300.00');

    // A recovery within the month's amount: the bank file pays the net (500 − 200).
    expect((await del(recovery.json().lineId)).statusCode).toBe(200);
    const partial = await post({ ...good, amountFen: -20_000, reason: '多发追回' });
    expect(partial.statusCode).toBe(201);
    expect((await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {})).statusCode).toBe(200);
    // Submitted: neither added nor removed.
    expect((await post({ ...good, month: addMonths(month, -2) })).statusCode).toBe(409);
    expect((await del(partial.json().lineId)).statusCode).toBe(409);
    expect((await finance.request('POST', `/api/payrolls/${id}/approve`, {})).statusCode).toBe(200);
    const csv = await finance.request('GET', `/api/payrolls/${id}/bank-files/psbc`);
    const { default: iconv } = await import('iconv-lite');
    const rows = iconv.decode(csv.rawPayload, 'gbk').trim().split('\r\n').slice(1);
    expect(rows.filter((r) => r.includes(h.headName)).map((r) => r.split(',')[3])).toEqual(['300.00']);
    // The ledger: the amount nets; a correction is not a person-time.
    const report = (await chengxiang.request('GET', `/api/payroll-reports?month=${month}`)).json();
    expect(report.totals.month).toMatchObject({ personTimes: base.lineCount, amountFen: base.totalFen - 20_000 });

    // A return of the payee's row fails both of their lines.
    const reference = rows.find((r) => r.includes(h.headName))!.split(',')[0];
    const ret = await finance.request('POST', `/api/payrolls/${id}/returns`, {
      content: `${reference},account_closed`,
    });
    expect(ret.json()).toMatchObject({ failed: 2, amountFen: 30_000 });

    // Audited: each step one row.
    const addedAudit = await auditRows('payroll.adjustment_added');
    expect(addedAudit.map((a) => (a.detail as { amountFen: number }).amountFen)).toEqual([12_000, -80_000, -20_000]);
    expect((await auditRows('payroll.adjustment_removed')).length).toBe(2);
  });

  /** A household paid through 邮储 with an enrolment of 500 元 a month from three months before `m` until `ends`. */
  async function enrolledPayee(m: string, ends: string) {
    const h = await payrollHousehold(admin, YUNZHUANG, { bankName: '中国邮政储蓄银行' });
    const enrolmentId = await plantEnrolment(t.database.db, {
      householdId: h.householdId,
      regionCode: YUNZHUANG,
      history: [
        { seq: 1, type: 'enrolled', effectiveMonth: addMonths(m, -3), amountFen: 50_000, oneOffFen: 0 },
        { seq: 9, type: 'ended', effectiveMonth: ends },
      ],
    });
    return { ...h, enrolmentId };
  }
  const build = async (month: string, runKind: 'regular' | 'supplementary' = 'regular') => {
    const res = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG, runKind });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json().id as string;
  };
  const linesOf = async (id: string, householdId: string) =>
    (await lines(id))
      .filter((l) => l.householdId === householdId)
      .map((l) => [l.lineType, l.month, l.amountFen])
      .sort();
  const recover = async (id: string, enrolmentId: string, month: string) => {
    const res = await chengxiang.request('POST', `/api/payrolls/${id}/adjustments`, {
      enrolmentId,
      month,
      amountFen: -20_000,
      reason: '多发追回',
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const returned = async (id: string, reference: string) =>
    (await finance.request('POST', `/api/payrolls/${id}/returns`, { content: `${reference},account_closed` })).json();

  it('a returned row holding a recovery of the same month is reissued whole: both lines, netted, and the next run submits', async () => {
    const m = addMonths(thisMonth, 40);
    const h = await enrolledPayee(m, addMonths(m, 3));
    const id = await build(m);
    // The recovery names the payroll's own month: the same enrolment and month as the regular line.
    await recover(id, h.enrolmentId, m);
    const [row] = await approveAndPay(id, h.headName);
    expect(row!.amount).toBe('300.00');
    expect(await returned(id, row!.reference)).toMatchObject({ failed: 2, amountFen: 30_000 });
    await newCard(h, 880_040);

    // A supplementary run of the month reissues both failed lines: the payee's net is what the row paid.
    const supId = await build(m, 'supplementary');
    const reissued = [
      ['reissue', m, -20_000],
      ['reissue', m, 50_000],
    ];
    expect(await linesOf(supId, h.householdId)).toEqual(reissued);
    await build(m, 'supplementary');
    expect(await linesOf(supId, h.householdId)).toEqual(reissued);
    expect((await approveAndPay(supId, h.headName)).map((r) => r.amount)).toEqual(['300.00']);
  });

  it('a returned row of a reissue and a recovery waits for a new card and is then reissued whole', async () => {
    const m = addMonths(thisMonth, 44);
    const m1 = addMonths(m, 1);
    // Due in m only: the next payroll pays this payee nothing but what it reissues.
    const h = await enrolledPayee(m, m1);
    const id = await build(m);
    const [first] = await approveAndPay(id, h.headName);
    expect(await returned(id, first!.reference)).toMatchObject({ failed: 1, amountFen: 50_000 });
    await newCard(h, 880_044);
    const id1 = await build(m1);
    await recover(id1, h.enrolmentId, addMonths(m, -1));
    // The card changes again before the draft is refreshed: the refresh keeps the reissue and pays it
    // to the new card, while the recovery keeps the card it was recorded with.
    await newCard(h, 880_045);
    await build(m1);
    expect(await linesOf(id1, h.householdId)).toEqual([
      ['adjustment', addMonths(m, -1), -20_000],
      ['reissue', m, 50_000],
    ]);
    const [row] = await approveAndPay(id1, h.headName);
    expect(row!.amount).toBe('300.00');
    expect(await returned(id1, row!.reference)).toMatchObject({ failed: 2, amountFen: 30_000 });

    // The card the row was paid to is unchanged: neither line is reissued (no recovery alone).
    const id2 = await build(addMonths(m, 2));
    expect(await linesOf(id2, h.householdId)).toEqual([]);
    // A new card: both, the failed reissue included, net what the row paid; submit is not refused.
    await newCard(h, 880_046);
    await build(addMonths(m, 2));
    expect(await linesOf(id2, h.householdId)).toEqual([
      ['reissue', addMonths(m, -1), -20_000],
      ['reissue', m, 50_000],
    ]);
    expect((await approveAndPay(id2, h.headName)).map((r) => r.amount)).toEqual(['300.00']);
  });
});
