import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { financeAccount, luhnCard, payrollHousehold, plantEnrolment } from '../../demo/payroll-driver';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村
const CHENGXIANG = '350302';

let t: TestApp;
let admin: Agent;
let chengxiang: Agent;
let finance: Agent;
let lingchuan: Agent;
const thisMonth = chinaToday().slice(0, 7);

/** Enrolled from `month` and ended after `months` (so a later test's months do not see it). */
const enrolled = (month: string, amountFen: number, oneOffFen = 0, months = 1) => [
  { seq: 1, type: 'enrolled' as const, effectiveMonth: month, amountFen, oneOffFen },
  { seq: 9, type: 'ended' as const, effectiveMonth: addMonths(month, months) },
];

async function household(village = YUNZHUANG, opts: Parameters<typeof payrollHousehold>[2] = {}) {
  return payrollHousehold(admin, village, opts);
}

async function auditRows(action: string) {
  return t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
}

/** Accept every open finding with a reason through the API (the maker's step before submitting). */
async function acceptAll(id: string) {
  const list = (await chengxiang.request('GET', `/api/payrolls/${id}/exceptions`)).json();
  for (const x of list.items.filter((i: { status: string }) => i.status === 'open')) {
    const res = await chengxiang.request('POST', `/api/payrolls/${id}/exceptions/${x.id}/accept`, {
      reason: '已入户核实',
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  await financeAccount(t.database.db, 'cx.finance', CHENGXIANG);
  finance = await t.login('cx.finance');
});
afterAll(() => t?.close());

describe('payroll build', () => {
  const month = addMonths(thisMonth, 24);
  let payrollId = '';
  let first: { householdId: string };

  it('makes a draft with one line per enrolment, month and type, split by fund source; a re-run changes nothing', async () => {
    first = await household();
    const second = await household();
    const away = await household(DONGZHANG);
    await plantEnrolment(t.database.db, {
      householdId: first.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 60_000),
    });
    await plantEnrolment(t.database.db, {
      householdId: second.householdId,
      regionCode: YUNZHUANG,
      kind: 'temporary',
      history: enrolled(month, 0, 150_000),
    });
    await plantEnrolment(t.database.db, {
      householdId: away.householdId,
      regionCode: DONGZHANG,
      history: enrolled(month, 55_500),
    });

    const res = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    payrollId = p.id;
    expect(p).toMatchObject({ month, regionCode: CHENGXIANG, status: 'draft', lineCount: 2, totalFen: 210_000 });
    expect(p.byLineType).toEqual(
      expect.arrayContaining([
        { lineType: 'regular', lines: 1, amountFen: 60_000 },
        { lineType: 'one_off', lines: 1, amountFen: 150_000 },
      ]),
    );
    const fund = p.byFund;
    expect(fund.centralFen + fund.provincialFen + fund.cityFen + fund.countyFen).toBe(210_000);
    // The demo shares: 低保 50/20/15/15, 临时救助 30/30/20/20.
    expect(fund.centralFen).toBe(30_000 + 45_000);
    const lines = (await chengxiang.request('GET', `/api/payrolls/${payrollId}/lines`)).json();
    expect(lines.total).toBe(2);
    for (const l of lines.items) {
      expect(l.centralFen + l.provincialFen + l.cityFen + l.countyFen).toBe(l.amountFen);
      expect(l.hasAccount).toBe(true);
      expect(l.payeeName).toMatch(/^林发放/);
      expect(JSON.stringify(l)).not.toMatch(/622127\d{13}/);
    }

    const again = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ id: payrollId, lineCount: 2, totalFen: 210_000 });
    const after = (await chengxiang.request('GET', `/api/payrolls/${payrollId}/lines`)).json();
    expect(after.items).toEqual(lines.items);
    const built = await auditRows('payroll.built');
    expect(built.at(-1)!.detail).toMatchObject({ month, lineCount: 2, totalFen: 210_000 });
  });

  it('a re-run refreshes the draft to the current enrolments and leaves the other lines alone', async () => {
    const before = (await chengxiang.request('GET', `/api/payrolls/${payrollId}/lines`)).json().items;
    const late = await household();
    const id = await plantEnrolment(t.database.db, {
      householdId: late.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 40_000),
    });
    const res = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG });
    expect(res.json()).toMatchObject({ id: payrollId, lineCount: 3, totalFen: 250_000 });
    const now = (await chengxiang.request('GET', `/api/payrolls/${payrollId}/lines?pageSize=200`)).json().items;
    expect(now.filter((l: { enrolmentId: string }) => l.enrolmentId !== id)).toEqual(before);
    // The same enrolment suspended from the month: its line goes on the next re-run.
    await t.database.db
      .insertInto('enrolment_changes')
      .values({
        enrolment_id: id,
        seq: 2,
        type: 'suspended',
        effective_month: month,
        reason: 'staff',
        approval_level: 'county',
        actor_username: 't',
        region_code: YUNZHUANG,
      })
      .execute();
    const again = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG });
    expect(again.json()).toMatchObject({ lineCount: 2, totalFen: 210_000 });
  });

  it('is scoped: another county’s payroll is not found, a township cannot make one, the other county is refused', async () => {
    const other = await t.login('qiulu');
    expect((await other.request('GET', `/api/payrolls/${payrollId}`)).statusCode).toBe(403);
    expect((await lingchuan.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG })).statusCode).toBe(403);
    const res = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: '350303' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    await financeAccount(t.database.db, 'hj.finance', '350303');
    const hj = await t.login('hj.finance');
    expect((await hj.request('GET', `/api/payrolls/${payrollId}`)).statusCode).toBe(404);
    expect((await hj.request('GET', `/api/payrolls?month=${month}`)).json().total).toBe(0);
  });
});

describe('checks, maker-checker and locking', () => {
  const month = addMonths(thisMonth, 36);

  it('lists findings; submit needs them cleared or accepted; finance approves; the maker cannot; approved is locked', async () => {
    const noCard = await household(YUNZHUANG, { account: null });
    const badCard = await household(YUNZHUANG, { account: '6221270000000000001' });
    const old = await household(YUNZHUANG, { birthDate: '1920-01-01' });
    const shared = await household();
    const sharer = await household();
    await plantEnrolment(t.database.db, {
      householdId: noCard.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 30_000),
    });
    await plantEnrolment(t.database.db, {
      householdId: badCard.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 30_000),
    });
    await plantEnrolment(t.database.db, {
      householdId: old.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 30_000),
    });
    await plantEnrolment(t.database.db, {
      householdId: shared.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 30_000),
    });
    await plantEnrolment(t.database.db, {
      householdId: sharer.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month, 30_000),
    });
    // The same card on the second household's head.
    const card = await t.database.db
      .selectFrom('members')
      .select(['bank_account_enc', 'bank_name'])
      .where('id', '=', shared.headId)
      .executeTakeFirstOrThrow();
    await t.database.db.updateTable('members').set(card).where('id', '=', sharer.headId).execute();

    const created = await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const x = (await chengxiang.request('GET', `/api/payrolls/${id}/exceptions`)).json();
    expect(x.counts).toMatchObject({ missing_account: 1, invalid_account: 1, payee_over_age: 1, shared_account: 2 });
    expect(x.open).toBe(x.items.length);

    const refused = await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('未处理');

    // Correct one card and rebuild: that finding is gone (cleared); accept the rest with a reason.
    await t.database.db
      .updateTable('members')
      .set({ bank_account_enc: t.app.deps.protector.encrypt(luhnCard(424242), 'member.bank_account') })
      .where('id', '=', badCard.headId)
      .execute();
    const rebuilt = (await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG })).json();
    expect(rebuilt.openExceptions).toBe(x.open - 1);
    await acceptAll(id);
    const submitted = await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {});
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');

    // A maker cannot approve (route access), finance can return with a reason, then approve.
    expect((await chengxiang.request('POST', `/api/payrolls/${id}/approve`, {})).statusCode).toBe(403);
    const returned = await finance.request('POST', `/api/payrolls/${id}/return`, { reason: '请核实高龄对象' });
    expect(returned.json()).toMatchObject({ status: 'draft', returnReason: '请核实高龄对象' });
    expect((await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {})).statusCode).toBe(200);
    const approved = await finance.request('POST', `/api/payrolls/${id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', allowed: ['bank_file', 'returns'] });
    expect(approved.json().actions.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['built', 'submitted', 'returned', 'approved', 'exception_accepted']),
    );
    const audit = await auditRows('payroll.approved');
    expect(audit.at(-1)!.detail).toMatchObject({ month, lineCount: 5, totalFen: 150_000 });

    // Locked: no rebuild, no second approval, no change to a line even in SQL.
    expect((await chengxiang.request('POST', '/api/payrolls', { month, regionCode: CHENGXIANG })).statusCode).toBe(409);
    expect((await finance.request('POST', `/api/payrolls/${id}/approve`, {})).statusCode).toBe(409);
    await expect(
      t.database.db.updateTable('payroll_lines').set({ amount_fen: 1 }).where('payroll_id', '=', id).execute(),
    ).rejects.toThrow(/locked/);
  });

  it('concurrent creates make one payroll; concurrent approvals approve once', async () => {
    const month2 = addMonths(thisMonth, 48);
    const h = await household();
    await plantEnrolment(t.database.db, {
      householdId: h.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(month2, 20_000),
    });
    const made = await Promise.all(
      Array.from({ length: 4 }, () =>
        chengxiang.request('POST', '/api/payrolls', { month: month2, regionCode: CHENGXIANG }),
      ),
    );
    const ids = new Set(made.map((r) => r.json().id));
    expect(made.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const rows = await t.database.db.selectFrom('payrolls').select('id').where('month', '=', month2).execute();
    expect(rows).toHaveLength(1);
    const lines = await t.database.db.selectFrom('payroll_lines').select('id').where('payroll_id', '=', id!).execute();
    expect(lines).toHaveLength(1);
    await acceptAll(id!);
    expect((await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {})).statusCode).toBe(200);
    const approvals = await Promise.all(
      Array.from({ length: 3 }, () => finance.request('POST', `/api/payrolls/${id}/approve`, {})),
    );
    expect(approvals.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const actions = await t.database.db
      .selectFrom('payroll_actions')
      .select('id')
      .where('payroll_id', '=', id!)
      .where('action', '=', 'approved')
      .execute();
    expect(actions).toHaveLength(1);
  });

  it('back pay: a month already paid to the region is paid to a late enrolment once, in the next payroll', async () => {
    const m0 = addMonths(thisMonth, 60);
    const m1 = addMonths(m0, 1);
    const a = await household();
    await plantEnrolment(t.database.db, {
      householdId: a.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(m0, 10_000, 0, 2),
    });
    const p0 = (await chengxiang.request('POST', '/api/payrolls', { month: m0, regionCode: CHENGXIANG })).json().id;
    await acceptAll(p0);
    await chengxiang.request('POST', `/api/payrolls/${p0}/submit`, {});
    expect((await finance.request('POST', `/api/payrolls/${p0}/approve`, {})).statusCode).toBe(200);
    // Decided after m0 was paid, effective from m0.
    const late = await household();
    await plantEnrolment(t.database.db, {
      householdId: late.householdId,
      regionCode: YUNZHUANG,
      history: enrolled(m0, 33_300, 0, 2),
    });
    const p1 = (await chengxiang.request('POST', '/api/payrolls', { month: m1, regionCode: CHENGXIANG })).json();
    expect(p1.byLineType).toEqual(
      expect.arrayContaining([
        { lineType: 'regular', lines: 2, amountFen: 43_300 },
        { lineType: 'back_pay', lines: 1, amountFen: 33_300 },
      ]),
    );
    // A supplementary run for m1 finds nothing more to pay.
    const sup = await chengxiang.request('POST', '/api/payrolls', {
      month: m1,
      regionCode: CHENGXIANG,
      runKind: 'supplementary',
    });
    expect(sup.json()).toMatchObject({ runKind: 'supplementary', lineCount: 0 });
  });
});

describe('bank files, returns and reissue', () => {
  it('makes each bank’s file from its template, records count, total and SHA-256; a returned line is reissued once after correction', async () => {
    const m0 = addMonths(thisMonth, 72);
    const rcb = await household(YUNZHUANG, { bankName: '莆田农村商业银行' });
    const postal = await household(YUNZHUANG, { bankName: '中国邮政储蓄银行' });
    const other = await household(YUNZHUANG, { bankName: '招商银行' });
    for (const h of [rcb, postal, other])
      await plantEnrolment(t.database.db, {
        householdId: h.householdId,
        regionCode: YUNZHUANG,
        history: enrolled(m0, 45_000, 0, 4),
      });
    const id = (await chengxiang.request('POST', '/api/payrolls', { month: m0, regionCode: CHENGXIANG })).json().id;
    expect((await finance.request('GET', `/api/payrolls/${id}/bank-files/ptrcb`)).statusCode).toBe(409);
    await acceptAll(id);
    await chengxiang.request('POST', `/api/payrolls/${id}/submit`, {});
    await finance.request('POST', `/api/payrolls/${id}/approve`, {});

    // The county officer may not download account numbers.
    expect((await chengxiang.request('GET', `/api/payrolls/${id}/bank-files/ptrcb`)).statusCode).toBe(403);
    const fixed = await finance.request('GET', `/api/payrolls/${id}/bank-files/ptrcb`);
    expect(fixed.statusCode).toBe(200);
    const { default: iconv } = await import('iconv-lite');
    const text = iconv.decode(fixed.rawPayload, 'gbk');
    const rows = text.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(1);
    // 20 + 19 + 20 + 12 + 7 bytes in GBK (a Chinese name counts two bytes a character).
    expect(iconv.encode(rows[0]!, 'gbk').length).toBe(78);
    expect(rows[0]).toContain(rcb.headName);
    expect(rows[0]).toMatch(/^JZ\d{6}-\d{10}\s+622127\d{13}/);
    const csv = await finance.request('GET', `/api/payrolls/${id}/bank-files/psbc`);
    const csvRows = iconv.decode(csv.rawPayload, 'gbk').trim().split('\r\n');
    expect(csvRows[0]).toBe('流水号,账号,户名,金额,摘要');
    expect(csvRows.slice(1).map((r) => r.split(',')[3])).toEqual(['450.00']);
    const xlsx = await finance.request('GET', `/api/payrolls/${id}/bank-files/other`);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(2).getCell(3).value).toBe(other.headName);
    expect(sheet.getRow(2).getCell(4).value).toBe(450);

    const detail = (await finance.request('GET', `/api/payrolls/${id}`)).json();
    const ptrcb = detail.banks.find((b: { bankCode: string }) => b.bankCode === 'ptrcb');
    const { createHash } = await import('node:crypto');
    expect(ptrcb).toMatchObject({ lines: 1, amountFen: 45_000 });
    expect(ptrcb.files[0]).toMatchObject({
      lineCount: 1,
      totalFen: 45_000,
      sha256: createHash('sha256').update(fixed.rawPayload).digest('hex'),
    });
    const audit = await auditRows('payroll.bank_file');
    expect(audit.at(-1)!.detail).toMatchObject({ bankCode: 'other', lineCount: 1, totalFen: 45_000 });
    expect(JSON.stringify(audit.map((a) => a.detail))).not.toMatch(/622127\d{13}/);

    // The bank returns the rural-bank line: account closed.
    const reference = rows[0]!.slice(0, 20).trim();
    const ret = await finance.request('POST', `/api/payrolls/${id}/returns`, {
      content: `流水号,原因\n${reference},account_closed\nJZ000000-0000000001,frozen\n`,
    });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({ failed: 1, amountFen: 45_000 });
    expect(ret.json().rejected).toHaveLength(1);
    const again = await finance.request('POST', `/api/payrolls/${id}/returns`, {
      content: `${reference},account_closed`,
    });
    expect(again.json().failed).toBe(0);
    expect((await finance.request('GET', `/api/payrolls/${id}`)).json().failed).toEqual({
      lines: 1,
      amountFen: 45_000,
    });

    // Next month, account not yet corrected: no reissue (the money stays unclaimed).
    const m1 = addMonths(m0, 1);
    let next = (await chengxiang.request('POST', '/api/payrolls', { month: m1, regionCode: CHENGXIANG })).json();
    expect(next.byLineType.find((b: { lineType: string }) => b.lineType === 'reissue')).toBeUndefined();
    // Corrected: the rebuild carries one reissue of the failed month's amount; a supplementary run adds nothing.
    await t.database.db
      .updateTable('members')
      .set({ bank_account_enc: t.app.deps.protector.encrypt(luhnCard(777001), 'member.bank_account') })
      .where('id', '=', rcb.headId)
      .execute();
    next = (await chengxiang.request('POST', '/api/payrolls', { month: m1, regionCode: CHENGXIANG })).json();
    expect(next.byLineType).toEqual(expect.arrayContaining([{ lineType: 'reissue', lines: 1, amountFen: 45_000 }]));
    const sup = await chengxiang.request('POST', '/api/payrolls', {
      month: m1,
      regionCode: CHENGXIANG,
      runKind: 'supplementary',
    });
    expect(sup.json().lineCount).toBe(0);
    const reissued = await t.database.db
      .selectFrom('payroll_lines')
      .selectAll()
      .where('line_type', '=', 'reissue')
      .where('month', '=', m0)
      .execute();
    expect(reissued).toHaveLength(1);
    expect(reissued[0]!.payroll_id).toBe(next.id);

    // The household's payment history: the failed line, the reissue (draft), the paid total per year.
    const history = (await lingchuan.request('GET', `/api/households/${rcb.householdId}/payments`)).json();
    expect(history.items.map((i: { lineType: string; status: string }) => `${i.lineType}/${i.status}`)).toEqual(
      expect.arrayContaining(['reissue/pending', 'regular/pending', 'regular/failed']),
    );
    expect(history.paidByYear).toEqual([]);
    const paid = (await lingchuan.request('GET', `/api/households/${postal.householdId}/payments`)).json();
    expect(paid.paidByYear).toEqual([{ year: m0.slice(0, 4), amountFen: 45_000, lines: 1 }]);
    const qiulu = await t.login('qiulu');
    expect((await qiulu.request('GET', `/api/households/${rcb.householdId}/payments`)).statusCode).toBe(404);
  });
});
