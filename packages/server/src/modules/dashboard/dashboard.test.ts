/**
 * The workbench and the figures against rows this file creates: every expected number is counted
 * here, in plain TypeScript, from the list of rows the test wrote (not from the query under test).
 * Period figures use last year (a closed period whatever today is); "now" figures use today.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { chinaToday, officialCalendar } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { financeAccount, payrollHousehold, plantEnrolment } from '../../demo/payroll-driver';
import { plantLeadSignal } from '../../demo/lead-signal';
import { FULL_AT, freshenForRead } from './aggregates';
import { insertDemoAccount } from '../users/seed';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村
const today = chinaToday();
const Y = Number(today.slice(0, 4)) - 1;
const PRIOR = Y - 1;
const inDays = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const FROM = `${Y}-01`;
const TO = `${Y}-12`;
const inPeriod = (d: string) => d.slice(0, 7) >= FROM && d.slice(0, 7) <= TO;

let t: TestApp;
let admin: Agent;
let chengxiang: Agent;
let lingchuan: Agent;
let finance: Agent;
let grid: Agent;
let otherVillage = ''; // a village of 城厢区 outside 灵川镇

type Enr = { village: string; kind: 'dibao' | 'tekun'; from: string; ended?: string; id?: string; hh?: string };
type Line = { enr: number; month: string; fen: number; failed?: boolean };
type Pay = { region: string; month: string; status: 'draft' | 'submitted' | 'approved'; lines: Line[] };
type Lead = { village: string; issued: string; due: string; closed: boolean };
type Case = {
  village: string;
  status: string;
  level?: 'township' | 'county';
  stepDue?: string;
  overallDue?: string;
  accepted?: string;
  decided?: string;
};
type Claim = { village: string; status: 'paid' | 'received'; paidOn?: string; fen?: number; dueOn?: string };
type Upload = {
  village: string;
  type: 'recipient' | 'payment' | 'case_decision';
  month: string;
  status: 'pending' | 'accepted' | 'rejected';
};

const enrolments: Enr[] = [];
const payrolls: Pay[] = [];
const leads: Lead[] = [];
const cases: Case[] = [];
const claims: Claim[] = [];
const uploads: Upload[] = [];

const under = (code: string, region: string) => code.startsWith(region);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  await financeAccount(db, 'cx.finance', '350302');
  finance = await t.login('cx.finance');
  await db.transaction().execute((trx) =>
    insertDemoAccount(trx, {
      username: 'yz.grid',
      displayName: '云庄村协理员',
      role: 'grid_worker',
      regionCode: YUNZHUANG,
    }),
  );
  grid = await t.login('yz.grid');
  const v = await db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'village')
    .where('code', 'like', '350302%')
    .where('code', 'not like', '350302102%')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  otherVillage = v.code;

  // Enrolments: on the rolls unless ended; new in the period when they start in it.
  enrolments.push(
    { village: YUNZHUANG, kind: 'dibao', from: `${Y}-01` },
    { village: YUNZHUANG, kind: 'tekun', from: `${PRIOR}-06` },
    { village: otherVillage, kind: 'dibao', from: `${Y}-03` },
    { village: DONGZHANG, kind: 'dibao', from: `${Y}-02` },
    { village: YUNZHUANG, kind: 'dibao', from: `${Y}-02`, ended: `${Y}-04` },
  );
  for (const e of enrolments) {
    const h = await payrollHousehold(admin, e.village);
    e.hh = h.householdId;
    e.id = await plantEnrolment(db, {
      householdId: h.householdId,
      regionCode: e.village,
      // A 特困 enrolment needs its care tier, which the payroll helper does not set: stored as 低保, changed below.
      kind: 'dibao',
      history: [
        { seq: 1, type: 'enrolled', effectiveMonth: e.from, amountFen: 60_000, oneOffFen: 0 },
        ...(e.ended ? [{ seq: 2, type: 'ended' as const, effectiveMonth: e.ended }] : []),
      ],
      openCache: !e.ended,
    });
    if (e.kind === 'tekun')
      await db.updateTable('enrolments').set({ kind: 'tekun', care_tier: 'self' }).where('id', '=', e.id).execute();
  }

  // Payrolls: only approved payrolls' lines the bank did not return are paid.
  payrolls.push(
    {
      region: '350302',
      month: `${Y}-02`,
      status: 'approved',
      lines: [
        { enr: 0, month: `${Y}-02`, fen: 60_000 },
        { enr: 2, month: `${Y}-02`, fen: 50_000, failed: true },
      ],
    },
    { region: '350303', month: `${Y}-02`, status: 'approved', lines: [{ enr: 3, month: `${Y}-02`, fen: 55_500 }] },
    { region: '350302', month: `${Y}-03`, status: 'draft', lines: [{ enr: 0, month: `${Y}-03`, fen: 60_000 }] },
    { region: '350302', month: `${Y}-04`, status: 'submitted', lines: [] },
  );
  for (const p of payrolls) {
    const row = await db
      .insertInto('payrolls')
      .values({ month: p.month, region_code: p.region, created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const l of p.lines) {
      const e = enrolments[l.enr]!;
      await db
        .insertInto('payroll_lines')
        .values({
          payroll_id: row.id,
          enrolment_id: e.id!,
          month: l.month,
          line_type: 'regular',
          kind: e.kind,
          region_code: e.village,
          household_id: e.hh!,
          amount_fen: l.fen,
          central_fen: l.fen,
          provincial_fen: 0,
          city_fen: 0,
          county_fen: 0,
          status: 'paid',
        })
        .execute();
    }
    await db.updateTable('payrolls').set({ status: p.status }).where('id', '=', row.id).execute();
    for (const l of p.lines.filter((x) => x.failed))
      await db
        .updateTable('payroll_lines')
        .set({ status: 'failed', fail_code: 'closed_account', failed_at: new Date() })
        .where('payroll_id', '=', row.id)
        .where('enrolment_id', '=', enrolments[l.enr]!.id!)
        .execute();
  }

  // Leads (each on a signal of a registered member).
  leads.push(
    { village: YUNZHUANG, issued: `${Y}-01-10`, due: `${Y}-01-15`, closed: true },
    { village: YUNZHUANG, issued: today, due: inDays(5), closed: false },
    { village: YUNZHUANG, issued: `${Y}-02-02`, due: `${Y}-02-05`, closed: false },
    { village: DONGZHANG, issued: `${Y}-03-02`, due: `${Y}-03-06`, closed: true },
    { village: DONGZHANG, issued: `${PRIOR}-05-06`, due: `${PRIOR}-05-09`, closed: false },
  );
  for (const l of leads) {
    const h = await payrollHousehold(admin, l.village);
    const { signalId } = await plantLeadSignal(db, { memberId: h.headId, householdId: h.householdId });
    await db
      .insertInto('leads')
      .values({
        signal_id: signalId,
        region_code: l.village,
        member_id: h.headId,
        household_id: h.householdId,
        id_hash: randomUUID(),
        person_name: h.headName,
        id_masked: '3503**********0000',
        status: l.closed ? 'closed' : 'open',
        outcome: l.closed ? 'not_needy' : null,
        closed_at: l.closed ? new Date(`${l.due}T02:00:00Z`) : null,
        issued_on: l.issued,
        due_date: l.due,
      })
      .execute();
  }

  // Cases at every kind of step; two decided in the period.
  cases.push(
    { village: YUNZHUANG, status: 'submitted', stepDue: inDays(3) },
    { village: YUNZHUANG, status: 'accepted', stepDue: `${Y}-01-20`, accepted: `${Y}-01-12` },
    { village: YUNZHUANG, status: 'verifying', stepDue: inDays(10), accepted: `${Y}-01-05` },
    { village: YUNZHUANG, status: 'pending_approval', level: 'county', stepDue: inDays(10), accepted: `${Y}-01-05` },
    { village: YUNZHUANG, status: 'enrolled', accepted: `${Y}-03-02`, decided: `${Y}-03-16` },
    { village: DONGZHANG, status: 'rejected', accepted: `${Y}-04-01`, decided: `${Y}-04-22` },
    { village: DONGZHANG, status: 'notice', stepDue: inDays(4), overallDue: `${Y}-01-05`, accepted: `${Y}-01-02` },
  );
  let n = 0;
  for (const c of cases) {
    n++;
    const row = await db
      .insertInto('cases')
      .values({
        case_no: `SQ-DASH-${n}`,
        channel: 'window',
        region_code: c.village,
        applicant_name: `测试${n}`,
        applicant_id_hash: randomUUID(),
        applicant_id_masked: '3503**********0000',
        phone_enc: 'x',
        phone_masked: '138****0000',
        address_enc: 'x',
        reason_enc: 'x',
        consent_at: new Date(),
        approval_level: c.level ?? 'township',
        status: c.status as never,
        step_started_on: c.accepted ?? today,
        step_due_on: c.stepDue ?? null,
        accepted_on: c.accepted ?? null,
        overall_due_on: c.overallDue ?? null,
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (c.decided)
      await db
        .insertInto('case_actions')
        .values({
          case_id: row.id,
          seq: 1,
          action: c.status === 'enrolled' ? 'approve' : 'reject',
          from_status: 'pending_approval',
          to_status: c.status as never,
          actor_username: 'test',
          region_code: c.village,
          at: new Date(`${c.decided}T03:00:00Z`),
        })
        .execute();
  }

  // Insurance claims.
  claims.push(
    { village: YUNZHUANG, status: 'paid', paidOn: `${Y}-05-11`, fen: 300_000 },
    { village: DONGZHANG, status: 'paid', paidOn: `${Y}-06-01`, fen: 3_000_000 },
    { village: YUNZHUANG, status: 'received', dueOn: `${Y}-01-10` },
    { village: YUNZHUANG, status: 'paid', paidOn: `${PRIOR}-12-20`, fen: 300_000 },
  );
  const scheme = await db.selectFrom('insurance_schemes').select('id').orderBy('year').executeTakeFirstOrThrow();
  for (const [i, k] of claims.entries()) {
    await db
      .insertInto('insurance_claims')
      .values({
        claim_no: `LP-DASH-${i}`,
        scheme_id: scheme.id,
        region_code: k.village,
        id_hash: randomUUID(),
        insured_name: '测试',
        id_masked: '3503**********0000',
        cover_item: 'death_illness',
        event_date: `${Y}-01-02`,
        source: 'staff',
        status: k.status,
        due_on: k.dueOn ?? null,
        paid_on: k.paidOn ?? null,
        paid_fen: k.fen ?? null,
      })
      .execute();
  }

  // Records for the provincial platform (the outbox the province module fills).
  uploads.push(
    { village: YUNZHUANG, type: 'recipient', month: `${Y}-02`, status: 'accepted' },
    { village: YUNZHUANG, type: 'payment', month: `${Y}-02`, status: 'accepted' },
    { village: YUNZHUANG, type: 'payment', month: `${Y}-03`, status: 'rejected' },
    { village: DONGZHANG, type: 'payment', month: `${Y}-02`, status: 'accepted' },
    { village: DONGZHANG, type: 'case_decision', month: `${Y}-04`, status: 'pending' },
    { village: DONGZHANG, type: 'recipient', month: `${PRIOR}-11`, status: 'accepted' },
  );
  for (const [i, u] of uploads.entries())
    await db
      .insertInto('province_outbox')
      .values({
        record_id: `dash:${i}`,
        type: u.type,
        source_id: `dash-${i}`,
        version: 1,
        region_code: u.village,
        month: u.month,
        payload_enc: 'x',
        status: u.status,
      })
      .execute();
  // Never counted yet: the first read sends the recount job and says so; the job counts everything.
  const first = await admin.request('GET', '/api/dashboard/figures');
  expect(first.json().freshness).toEqual({ recounting: true, asOf: null });
  await t.idle();
}, 120_000);
afterAll(() => t?.close());

/** The figures of a region, counted from the rows above. */
function expected(region: string) {
  const onRolls = enrolments.filter((e) => under(e.village, region) && !e.ended);
  const paidLines = payrolls
    .filter((p) => p.status === 'approved')
    .flatMap((p) => p.lines)
    .filter((l) => !l.failed && under(enrolments[l.enr]!.village, region) && inPeriod(`${l.month}-01`));
  const ls = leads.filter((l) => under(l.village, region));
  const issued = ls.filter((l) => inPeriod(l.issued));
  const cs = cases.filter((c) => under(c.village, region));
  const open = cs.filter((c) => !['enrolled', 'rejected'].includes(c.status));
  const decided = cs.filter((c) => c.decided && inPeriod(c.decided));
  const paidClaims = claims.filter((k) => under(k.village, region) && k.status === 'paid' && inPeriod(k.paidOn!));
  const up = uploads.filter((u) => under(u.village, region) && inPeriod(`${u.month}-01`));
  const days = decided.map((c) => officialCalendar.workingDaysBetween(c.accepted!, c.decided!));
  return {
    recipientHouseholds: onRolls.length,
    recipientPeople: onRolls.length, // one covered member each (plantEnrolment)
    newEnrolments: enrolments.filter((e) => under(e.village, region) && inPeriod(`${e.from}-01`)).length,
    paidFen: paidLines.reduce((a, l) => a + l.fen, 0),
    paidPersonTimes: paidLines.length,
    leadsIssued: issued.length,
    leadsChecked: issued.filter((l) => l.closed).length,
    overdueLeads: ls.filter((l) => !l.closed && l.due < today).length,
    overdueCases: open.filter((c) => (c.stepDue ?? '9999') < today || (c.overallDue ?? '9999') < today).length,
    claimsPaidFen: paidClaims.reduce((a, k) => a + k.fen!, 0),
    claimsPaid: paidClaims.length,
    casesDecided: decided.length,
    provinceUploaded: up.filter((u) => u.status === 'accepted').length,
    province: (['recipient', 'enrolment_change', 'payment', 'case_decision'] as const).map((type) => ({
      type,
      records: up.filter((u) => u.type === type).length,
      accepted: up.filter((u) => u.type === type && u.status === 'accepted').length,
      rejected: up.filter((u) => u.type === type && u.status === 'rejected').length,
    })),
    avgDecisionWorkingDays: days.length ? Math.round((days.reduce((a, d) => a + d, 0) / days.length) * 10) / 10 : null,
  };
}

describe('figures', () => {
  it('the city admin’s city, a county and a township equal the counts of the rows', async () => {
    for (const region of ['3503', '350302', '350302102', '350303']) {
      const res = await admin.request('GET', `/api/dashboard/figures?regionCode=${region}&from=${FROM}&to=${TO}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json(), region).toMatchObject(expected(region));
    }
    // Sanity of the expectations themselves: the rows do produce non-zero figures.
    expect(expected('3503')).toMatchObject({
      recipientHouseholds: 4,
      paidFen: 115_500,
      leadsIssued: 3,
      casesDecided: 2,
      provinceUploaded: 3,
    });
  });

  it('splits the rolls by kind and draws a monthly trend over the period', async () => {
    const f = (await admin.request('GET', `/api/dashboard/figures?from=${FROM}&to=${TO}`)).json();
    expect(f.regionCode).toBe('3503');
    const kinds = Object.fromEntries(f.byKind.map((k: { kind: string; households: number }) => [k.kind, k.households]));
    const rolls = enrolments.filter((e) => !e.ended);
    expect(kinds).toEqual({
      dibao: rolls.filter((e) => e.kind === 'dibao').length,
      tekun: rolls.filter((e) => e.kind === 'tekun').length,
      dibao_edge: 0,
      temporary: 0,
    });
    expect(f.trend).toHaveLength(12);
    const feb = f.trend.find((p: { month: string }) => p.month === `${Y}-02`);
    expect(feb).toMatchObject({
      paidFen: 115_500,
      paidPersonTimes: 2,
      leadsIssued: 1,
      newEnrolments: enrolments.filter((e) => e.from === `${Y}-02`).length,
    });
    const sum = (k: string) => f.trend.reduce((a: number, p: Record<string, number>) => a + p[k]!, 0);
    expect(sum('paidFen')).toBe(f.paidFen);
    expect(sum('claimsPaidFen')).toBe(f.claimsPaidFen);
    expect(sum('newEnrolments')).toBe(f.newEnrolments);
    expect(sum('provinceUploaded')).toBe(f.provinceUploaded);
  });

  it('a township officer sees her township by default and nothing of another', async () => {
    const own = await lingchuan.request('GET', `/api/dashboard/figures?from=${FROM}&to=${TO}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ regionCode: '350302102', ...expected('350302102') });
    const other = await lingchuan.request('GET', `/api/dashboard/figures?regionCode=350303`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    const up = await lingchuan.request('GET', `/api/dashboard/figures?regionCode=3503`);
    expect(up.statusCode).toBe(403);
  });

  it('refuses a period that ends before it starts, and is closed to roles without figures', async () => {
    const res = await admin.request('GET', `/api/dashboard/figures?from=${Y}-05&to=${Y}-04`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([expect.objectContaining({ path: 'to' })]);
    expect((await grid.request('GET', '/api/dashboard/figures')).statusCode).toBe(403);
  });
});

describe('map', () => {
  it('the city map has the five counties, largest first, adding up to the city', async () => {
    const res = await admin.request('GET', `/api/dashboard/map?figure=recipientHouseholds&from=${FROM}&to=${TO}`);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m.level).toBe('city');
    expect(m.areas).toHaveLength(5);
    const byCode = Object.fromEntries(
      m.areas.map((a: { regionCode: string; value: number }) => [a.regionCode, a.value]),
    );
    expect(byCode['350302']).toBe(expected('350302').recipientHouseholds);
    expect(byCode['350303']).toBe(expected('350303').recipientHouseholds);
    expect(m.total).toBe(expected('3503').recipientHouseholds);
    const values = m.areas.map((a: { value: number }) => a.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('drills down to the townships of a county and the villages of a township', async () => {
    const county = (await chengxiang.request('GET', `/api/dashboard/map?figure=paidFen&from=${FROM}&to=${TO}`)).json();
    expect(county.level).toBe('county');
    const lc = county.areas.find((a: { regionCode: string }) => a.regionCode === '350302102');
    expect(lc).toMatchObject({ regionName: '灵川镇', value: expected('350302102').paidFen });
    const town = (
      await chengxiang.request(
        'GET',
        `/api/dashboard/map?regionCode=350302102&figure=overdueLeads&from=${FROM}&to=${TO}`,
      )
    ).json();
    expect(town.level).toBe('township');
    expect(town.areas[0]).toMatchObject({ regionCode: YUNZHUANG, value: expected(YUNZHUANG).overdueLeads });
    const village = (
      await chengxiang.request('GET', `/api/dashboard/map?regionCode=${YUNZHUANG}&figure=overdueCases`)
    ).json();
    expect(village).toMatchObject({ level: 'village', areas: [], total: expected(YUNZHUANG).overdueCases });
    expect((await chengxiang.request('GET', '/api/dashboard/map?regionCode=350303')).statusCode).toBe(403);
  });
});

describe('workbench', () => {
  const todos = (wb: { todos: { key: string; count: number; link: string }[] }) =>
    Object.fromEntries(wb.todos.map((x) => [x.key, x.count]));
  const TOWNSHIP_STEPS = ['submitted', 'missing_docs', 'accepted', 'verified', 'determined', 'notice'];
  const overdueCase = (c: Case) =>
    !['enrolled', 'rejected'].includes(c.status) && ((c.stepDue ?? '9999') < today || (c.overallDue ?? '9999') < today);

  it('a township officer: cases at her steps, leads, claims, and her township’s figures', async () => {
    const res = await lingchuan.request('GET', '/api/workbench');
    expect(res.statusCode, res.body).toBe(200);
    const wb = res.json();
    const mine = cases.filter(
      (c) =>
        under(c.village, '350302102') &&
        (TOWNSHIP_STEPS.includes(c.status) || (c.status === 'pending_approval' && c.level === 'township')),
    );
    const ls = leads.filter((l) => under(l.village, '350302102') && !l.closed);
    expect(todos(wb)).toEqual({
      cases_my_step: mine.length,
      cases_overdue: cases.filter((c) => under(c.village, '350302102') && overdueCase(c)).length,
      leads_due: ls.filter((l) => l.due >= today).length,
      leads_overdue: ls.filter((l) => l.due < today).length,
      reviews_due: 0,
      claims_open: claims.filter((k) => under(k.village, '350302102') && k.status !== 'paid').length,
      claims_overdue: claims.filter((k) => under(k.village, '350302102') && k.status === 'received' && k.dueOn! < today)
        .length,
    });
    expect(wb.todos.find((x: { key: string }) => x.key === 'cases_my_step').link).toBe('/cases?view=inbox');
    expect(wb.figures.recipientHouseholds).toBe(expected('350302102').recipientHouseholds);
    expect(wb.regionName).toBe('灵川镇');
  });

  it('a county officer: verification and county approvals, drafts to submit, returned lines', async () => {
    const wb = (await chengxiang.request('GET', '/api/workbench')).json();
    const t2 = todos(wb);
    expect(t2.cases_my_step).toBe(
      cases.filter(
        (c) =>
          under(c.village, '350302') &&
          (c.status === 'verifying' || (c.status === 'pending_approval' && c.level === 'county')),
      ).length,
    );
    expect(t2.payrolls_to_submit).toBe(payrolls.filter((p) => p.region === '350302' && p.status === 'draft').length);
    expect(t2.bank_returns).toBe(1);
    expect(wb.figures).not.toBeNull();
  });

  it('a finance officer: payrolls to approve and returned lines, no figures', async () => {
    const wb = (await finance.request('GET', '/api/workbench')).json();
    expect(todos(wb)).toEqual({
      payrolls_to_approve: payrolls.filter((p) => p.region === '350302' && p.status === 'submitted').length,
      bank_returns: payrolls
        .flatMap((p) => p.lines)
        .filter((l) => l.failed && under(enrolments[l.enr]!.village, '350302')).length,
    });
    expect(wb.figures).toBeNull();
  });

  it('a grid worker: the village’s leads in time and overdue', async () => {
    const wb = (await grid.request('GET', '/api/workbench')).json();
    const ls = leads.filter((l) => l.village === YUNZHUANG && !l.closed);
    expect(todos(wb)).toMatchObject({
      leads_due: ls.filter((l) => l.due >= today).length,
      leads_overdue: ls.filter((l) => l.due < today).length,
    });
    expect(todos(wb).leads_due).toBe(1);
    expect(wb.figures).toBeNull();
    const overdue = wb.todos.find((x: { key: string }) => x.key === 'leads_overdue');
    expect(overdue.tone).toBe('danger');
  });

  it('the city admin: the overdue work of the whole city', async () => {
    const wb = (await admin.request('GET', '/api/workbench')).json();
    expect(todos(wb)).toEqual({
      cases_overdue: cases.filter(overdueCase).length,
      leads_overdue: leads.filter((l) => !l.closed && l.due < today).length,
      claims_overdue: 1,
    });
  });
});

describe('trace', () => {
  it('a household’s chain: enrolment, payment and the bank’s return, in time order', async () => {
    const e = enrolments[2]!; // paid in February, returned by the bank
    const res = await chengxiang.request('GET', `/api/trace/household/${e.hh}`);
    expect(res.statusCode, res.body).toBe(200);
    const tr = res.json();
    expect(tr.householdId).toBe(e.hh);
    const types = tr.events.map((x: { type: string }) => x.type);
    expect(types).toEqual(expect.arrayContaining(['enrolment', 'payment', 'return']));
    const ats = tr.events.map((x: { at: string }) => x.at);
    expect(ats).toEqual([...ats].sort());
    const payment = tr.events.find((x: { type: string }) => x.type === 'payment');
    expect(payment).toMatchObject({ amountFen: 50_000, month: `${Y}-02` });
    const line = await t.database.db
      .selectFrom('payroll_lines')
      .select('id')
      .where('enrolment_id', '=', e.id!)
      .executeTakeFirstOrThrow();
    const byPayment = (await chengxiang.request('GET', `/api/trace/payment/${line.id}`)).json();
    expect(byPayment.events).toEqual(tr.events);
  });

  it('a case without a household shows its own steps; another region’s household is not found', async () => {
    const c = await t.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_no', '=', 'SQ-DASH-5')
      .executeTakeFirstOrThrow();
    const tr = (await lingchuan.request('GET', `/api/trace/case/${c.id}`)).json();
    expect(tr.events).toEqual([expect.objectContaining({ type: 'case', action: 'approve', ref: 'SQ-DASH-5' })]);
    const away = enrolments[3]!; // 涵江区
    expect((await lingchuan.request('GET', `/api/trace/household/${away.hh}`)).statusCode).toBe(404);
    expect((await grid.request('GET', `/api/trace/household/${away.hh}`)).statusCode).toBe(403);
  });
});

describe('pre-aggregated figures (figures_monthly)', () => {
  const city = async () => {
    const res = await admin.request('GET', `/api/dashboard/figures?from=${FROM}&to=${TO}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** A claim paid in `otherVillage`, written straight to the table (as a job or another process would), and expected. */
  const addPaidClaim = async (claimNo: string, eventDate: string, paidOn: string, fen: number) => {
    const db = t.database.db;
    const scheme = await db.selectFrom('insurance_schemes').select('id').orderBy('year').executeTakeFirstOrThrow();
    claims.push({ village: otherVillage, status: 'paid', paidOn, fen });
    await db
      .insertInto('insurance_claims')
      .values({
        claim_no: claimNo,
        scheme_id: scheme.id,
        region_code: otherVillage,
        id_hash: randomUUID(),
        insured_name: '测试',
        id_masked: '3503**********0000',
        cover_item: 'death_illness',
        event_date: eventDate,
        source: 'staff',
        status: 'paid',
        paid_on: paidOn,
        paid_fen: fen,
      })
      .execute();
  };

  /**
   * The rows of figures_rollup that differ from the sums of figures_monthly per prefix, counted here
   * in one statement straight from the rows (every row in each prefix of its code down to its length).
   */
  const rollupDiff = async () => {
    const db = t.database.db;
    const direct = sql`
      select left(region_code, l.len) as region_code, month, kind,
             sum(recipient_households)::bigint as a, sum(recipient_people)::bigint as b,
             sum(new_enrolments)::bigint as c, sum(paid_fen)::bigint as d, sum(paid_lines)::bigint as e,
             sum(leads_issued)::bigint as f, sum(leads_checked)::bigint as g, sum(overdue_leads)::bigint as h,
             sum(overdue_cases)::bigint as i, sum(cases_decided)::bigint as j,
             sum(decision_working_days)::bigint as k, sum(claims_paid)::bigint as l,
             sum(claims_paid_fen)::bigint as m, sum(province_records)::bigint as n,
             sum(province_accepted)::bigint as o, sum(province_rejected)::bigint as p
        from figures_monthly join (values (2), (4), (6), (9)) l(len) on length(region_code) >= l.len
       group by 1, 2, 3`;
    const stored = sql`
      select region_code, month, kind, recipient_households::bigint, recipient_people::bigint,
             new_enrolments::bigint, paid_fen::bigint, paid_lines::bigint, leads_issued::bigint,
             leads_checked::bigint, overdue_leads::bigint, overdue_cases::bigint, cases_decided::bigint,
             decision_working_days::bigint, claims_paid::bigint, claims_paid_fen::bigint,
             province_records::bigint, province_accepted::bigint, province_rejected::bigint
        from figures_rollup`;
    const rows = await sql<{ region_code: string }>`
      (${direct} except all ${stored}) union all (${stored} except all ${direct})`.execute(db);
    return rows.rows.map((r) => r.region_code);
  };

  it('the rolled-up figures (township and above) are the sums of their rows', async () => {
    await city();
    const n = await t.database.db
      .selectFrom('figures_rollup')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBeGreaterThan(0);
    expect(await rollupDiff()).toEqual([]);
  });

  it('a row written after a read is counted by the next read (its village is recounted)', async () => {
    const db = t.database.db;
    expect(await city()).toMatchObject(expected('3503'));
    // A bank return of a paid line, a new paid claim and an upload accepted by the province.
    const line = await db
      .selectFrom('payroll_lines')
      .select(['id', 'enrolment_id'])
      .where('region_code', '=', DONGZHANG)
      .where('status', '=', 'paid')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('payroll_lines')
      .set({ status: 'failed', fail_code: 'closed_account' })
      .where('id', '=', line.id)
      .execute();
    payrolls.flatMap((p) => p.lines).find((l) => enrolments[l.enr]!.id === line.enrolment_id)!.failed = true;
    await addPaidClaim('LP-DASH-LATE', `${Y}-06-02`, `${Y}-07-01`, 123_400);
    uploads.find((u) => u.status === 'pending')!.status = 'accepted';
    await db
      .updateTable('province_outbox')
      .set({ status: 'accepted' })
      .where('status', '=', 'pending')
      .where('record_id', 'like', 'dash:%')
      .execute();
    for (const region of ['3503', '350302', '350303', '350302102'])
      expect(
        (await admin.request('GET', `/api/dashboard/figures?regionCode=${region}&from=${FROM}&to=${TO}`)).json(),
        region,
      ).toMatchObject(expected(region));
    const dirty = await db.selectFrom('figures_dirty').select('region_code').execute();
    expect(dirty).toEqual([]);
    // Only the changed villages' townships, counties, city and province were rolled up again.
    expect(await rollupDiff()).toEqual([]);
  });

  it('more changed regions than a read recounts: the read answers at once, marked, and the job recounts everything', async () => {
    const db = t.database.db;
    const before = await city();
    expect(before.freshness).toEqual({ recounting: false, asOf: today });
    // A paid claim, then as many other regions marked as a whole payroll's approval marks.
    await addPaidClaim('LP-DASH-BULK', `${Y}-08-20`, `${Y}-09-01`, 56_700);
    const villages = await db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'village')
      .orderBy('code')
      .limit(FULL_AT + 1)
      .execute();
    expect(villages.length).toBe(FULL_AT + 1);
    await db
      .insertInto('figures_dirty')
      .values(villages.map((v) => ({ region_code: v.code })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    const marked = async () =>
      Number((await sql<{ n: number }>`select count(*)::int as n from figures_dirty`.execute(db)).rows[0]!.n);
    const dirty = await marked();
    const claimsPaid = async () =>
      Number(
        (await sql<{ n: string }>`select coalesce(sum(claims_paid_fen), 0)::text as n from figures_monthly`.execute(db))
          .rows[0]!.n,
      );
    const counted = await claimsPaid();

    // Before a read: nothing recounted in the request, the job asked for, the figures marked (as of today).
    let asked = 0;
    const request = async () => void asked++;
    expect(await freshenForRead(db, today, request)).toEqual({ recounting: true, asOf: today });
    expect(asked).toBe(1);
    expect(await marked()).toBe(dirty);
    expect(await claimsPaid()).toBe(counted);
    // A lost or crashed job changes nothing stored: the next read asks again.
    expect(await freshenForRead(db, today, request)).toEqual({ recounting: true, asOf: today });
    expect(asked).toBe(2);

    // Through HTTP: the last counted figures, marked (the job is sent once the rows are read).
    const during = await city();
    expect(during.freshness).toEqual({ recounting: true, asOf: today });
    expect(during.claimsPaidFen).toBe(before.claimsPaidFen);
    await t.idle();
    const after = await city();
    expect(after).toMatchObject(expected('3503'));
    expect(after.claimsPaidFen).toBe(before.claimsPaidFen + 56_700);
    expect(after.freshness).toEqual({ recounting: false, asOf: today });
    expect(await marked()).toBe(0);
    expect(await rollupDiff()).toEqual([]);
  });

  it('a new day recounts every region (the state figures are as of one day)', async () => {
    const db = t.database.db;
    await city();
    // A lead past due, its change mark lost: only the recount of a new day can find it.
    const h = await payrollHousehold(admin, DONGZHANG);
    const { signalId } = await plantLeadSignal(db, { memberId: h.headId, householdId: h.householdId });
    leads.push({ village: DONGZHANG, issued: `${Y}-08-01`, due: `${Y}-08-06`, closed: false });
    await db
      .insertInto('leads')
      .values({
        signal_id: signalId,
        region_code: DONGZHANG,
        member_id: h.headId,
        household_id: h.householdId,
        id_hash: randomUUID(),
        person_name: h.headName,
        id_masked: '3503**********0000',
        status: 'open',
        issued_on: `${Y}-08-01`,
        due_date: `${Y}-08-06`,
      })
      .execute();
    await db.deleteFrom('figures_dirty').execute();
    const stale = await city();
    expect(stale.overdueLeads).toBe(expected('3503').overdueLeads - 1);
    await db
      .updateTable('figures_state')
      .set({ as_of: inDays(-1) })
      .execute();
    // The read does not recount: it answers from yesterday's figures, marked, and sends the job.
    expect((await city()).freshness).toEqual({ recounting: true, asOf: inDays(-1) });
    await t.idle();
    const after = await city();
    expect(after).toMatchObject(expected('3503'));
    expect(after.freshness).toEqual({ recounting: false, asOf: today });
  });
});
