/**
 * The verification report and the rules' proposal on department records imported through
 * the real ingest: known ID numbers, one small file per kind, every line checked against its
 * record; proposals for a 低保 household, a 特困 single elderly person, a 低保边缘 household,
 * an asset failure and an emergency, never a negative amount.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoPolicyParams,
  makeIdNumber,
  maskIdNumber,
  type Determination,
  type VerificationReport,
} from '@jiuzhu/shared';
import { createTestApp, type TestApp } from '../../../test/harness';
import { FEED_KINDS } from '../exchange/catalogue';
import { importFeed } from '../exchange/ingest';
import { DEMO_DIBAO_STANDARD_FEN } from '../policy/demo-values';
import { ageAt, proposeDetermination, withoutWorkAbility } from './determination';
import { buildVerificationReport, householdAssets, ruleForKind, vehicleClass, yearBefore } from './verification';

const AS_OF = '2026-10-31';
const MONTH = '2026-11';
const VILLAGE = '350302102201';
const STD = DEMO_DIBAO_STANDARD_FEN;
const LIMITS = demoPolicyParams(STD).dibao.assets;

let t: TestApp;
let seq = 0;
type Person = { name: string; id: string; birthDate: string; relation: string };
const person = (name: string, birthDate: string, relation = 'self'): Person => ({
  name,
  id: makeIdNumber('350302', birthDate, 100 + ++seq),
  birthDate,
  relation,
});

// Household A (低保, three people), B (特困: one elderly person), C (低保边缘, two people),
// D (assets over the limits), E (an emergency).
const A1 = person('林建国', '1980-05-10');
const A2 = person('陈秀英', '1982-07-01', 'spouse');
const A3 = person('林小明', '2015-03-20', 'child');
const B1 = person('黄阿婆', '1950-02-01');
const C1 = person('郑志强', '1975-01-15');
const C2 = person('郑文', '1990-09-09', 'sibling');
const D1 = person('吴海', '1981-04-04');
const E1 = person('许梅', '1985-12-12');

type Row = { p: Person } & Record<string, string | number | Person>;
const rows: Record<string, Row[]> = {
  'hrss.wages': [
    // A1: the latest month counts (2026-10), not the earlier one nor one outside the 12 months.
    {
      record_id: 'W1',
      p: A1,
      pay_date: '2026-09-10',
      wage_month: '2026-09',
      employer_name: '甲公司',
      employer_credit_code: '91350300MA0000001X',
      monthly_wage_fen: 100_000,
    },
    {
      record_id: 'W2',
      p: A1,
      pay_date: '2026-10-10',
      wage_month: '2026-10',
      employer_name: '甲公司',
      employer_credit_code: '91350300MA0000001X',
      monthly_wage_fen: 120_000,
    },
    {
      record_id: 'W3',
      p: A1,
      pay_date: '2025-06-10',
      wage_month: '2025-06',
      employer_name: '甲公司',
      employer_credit_code: '91350300MA0000001X',
      monthly_wage_fen: 500_000,
    },
    {
      record_id: 'W4',
      p: C1,
      pay_date: '2026-10-12',
      wage_month: '2026-10',
      employer_name: '乙公司',
      employer_credit_code: '91350300MA0000002X',
      monthly_wage_fen: 200_000,
    },
    {
      record_id: 'W5',
      p: D1,
      pay_date: '2026-10-12',
      wage_month: '2026-10',
      employer_name: '乙公司',
      employer_credit_code: '91350300MA0000002X',
      monthly_wage_fen: 30_000,
    },
  ],
  'hrss.pensions': [
    // The residents' pension is not counted; the enterprise pension is.
    {
      record_id: 'P1',
      p: B1,
      pay_date: '2026-10-05',
      pay_month: '2026-10',
      pension_type: 'urban_rural_resident',
      monthly_pension_fen: 20_000,
    },
    {
      record_id: 'P2',
      p: B1,
      pay_date: '2026-10-05',
      pay_month: '2026-10',
      pension_type: 'enterprise',
      monthly_pension_fen: 50_000,
    },
  ],
  'hrss.unemployment': [
    { record_id: 'U1', p: A2, registration_date: '2026-06-01', status: 'benefit', monthly_benefit_fen: 50_000 },
    // C2's benefit ended: the later registration leaves nothing.
    { record_id: 'U2', p: C2, registration_date: '2026-02-01', status: 'benefit', monthly_benefit_fen: 40_000 },
    { record_id: 'U3', p: C2, registration_date: '2026-08-01', status: 'ended', monthly_benefit_fen: '' },
  ],
  'vehicles.registrations': [
    {
      record_id: 'V1',
      p: A1,
      register_date: '2019-05-01',
      plate_no: '闽B12345',
      vehicle_type: 'M11',
      vehicle_type_name: '普通正三轮摩托车',
      brand_model: '宗申',
      purchase_price_fen: 800_000,
    },
    {
      record_id: 'V2',
      p: D1,
      register_date: '2024-03-01',
      plate_no: '闽B88888',
      vehicle_type: 'K33',
      vehicle_type_name: '小型轿车',
      brand_model: '大众 朗逸',
      purchase_price_fen: 12_000_000,
    },
  ],
  'real_estate.registrations': [
    {
      record_id: 'R1',
      p: A1,
      register_date: '2010-08-08',
      certificate_no: '闽(2010)莆田市不动产权第0000001号',
      address: '灵川镇云庄村1号',
      building_area_m2: '90.5',
      usage: 'residential',
      acquisition: 'self_built',
      price_fen: 20_000_000,
    },
    {
      record_id: 'R2',
      p: A1,
      register_date: '2012-08-08',
      certificate_no: '闽(2012)莆田市不动产权第0000002号',
      address: '灵川镇云庄村车位',
      building_area_m2: '12',
      usage: 'parking',
      acquisition: 'purchase',
      price_fen: 5_000_000,
    },
  ],
  'market.business_registrations': [
    {
      record_id: 'M1',
      p: D1,
      register_date: '2022-01-01',
      credit_code: '92350300MA0000003X',
      business_name: '吴海小吃店',
      business_type: 'individual',
      role: 'operator',
      registered_capital_fen: 1_000_000,
    },
  ],
  'public_security.detentions': [
    {
      record_id: 'K1',
      p: C2,
      start_date: '2024-01-01',
      custody_type: 'prison',
      expected_end_date: '2027-01-01',
      institution: '某监狱',
    },
    {
      record_id: 'K2',
      p: C1,
      start_date: '2023-01-01',
      custody_type: 'admin_detention',
      expected_end_date: '2023-01-15',
      institution: '某拘留所',
    },
  ],
};
const jsonlRows: Row[] = [
  {
    record_id: 'H1',
    p: A3,
    settlement_date: '2026-02-10',
    hospital: '莆田市第一医院',
    visit_type: 'inpatient',
    diagnosis: '肺炎',
    total_fen: 400_000,
    insurance_paid_fen: 280_000,
    self_paid_fen: 120_000,
  },
  {
    record_id: 'H2',
    p: A3,
    settlement_date: '2026-07-10',
    hospital: '莆田市第一医院',
    visit_type: 'outpatient',
    diagnosis: '复查',
    total_fen: 100_000,
    insurance_paid_fen: 40_000,
    self_paid_fen: 60_000,
  },
  {
    record_id: 'H3',
    p: A3,
    settlement_date: '2025-09-10',
    hospital: '莆田市第一医院',
    visit_type: 'outpatient',
    diagnosis: '感冒',
    total_fen: 10_000,
    insurance_paid_fen: 0,
    self_paid_fen: 10_000,
  },
];
const xlsxRows: Record<string, Row[]> = {
  'banks.deposits': [
    // Bank 甲: the latest enquiry (two accounts) replaces the earlier one; bank 乙 adds its own.
    {
      record_id: 'B1',
      p: A1,
      query_date: '2026-05-01',
      bank_name: '甲银行',
      account_no: '6222000000000001',
      account_type: 'current',
      balance_fen: 300_000,
    },
    {
      record_id: 'B2',
      p: A1,
      query_date: '2026-09-01',
      bank_name: '甲银行',
      account_no: '6222000000000001',
      account_type: 'current',
      balance_fen: 200_000,
    },
    {
      record_id: 'B3',
      p: A1,
      query_date: '2026-09-01',
      bank_name: '甲银行',
      account_no: '6222000000000002',
      account_type: 'time',
      balance_fen: 50_000,
    },
    {
      record_id: 'B4',
      p: A2,
      query_date: '2026-04-01',
      bank_name: '乙银行',
      account_no: '6228000000000003',
      account_type: 'current',
      balance_fen: 100_000,
    },
  ],
  'tax.income': [
    // The same wage seen by tax, net 118,000 < 120,000 from social insurance: not counted twice.
    {
      record_id: 'T1',
      p: A1,
      declare_date: '2026-10-20',
      tax_month: '2026-10',
      income_type: 'wage',
      payer_name: '甲公司',
      income_fen: 120_000,
      tax_fen: 2_000,
    },
  ],
};
/** A kind an admin added under another record type, with the columns of hrss.wages. */
const COPY_KIND = 'hrss.wages_county';
const copyRows: Row[] = [
  {
    record_id: 'CW1',
    p: A2,
    pay_date: '2026-10-15',
    wage_month: '2026-10',
    employer_name: '丙厂',
    employer_credit_code: '91350300MA0000004X',
    monthly_wage_fen: 30_000,
  },
];

const fieldsOf = (kind: string) =>
  (FEED_KINDS.find((k) => k.code === kind) ?? FEED_KINDS.find((k) => k.code === 'hrss.wages'))!.columns.map(
    (c) => c.name,
  );
const valuesOf = (kind: string, r: Row) =>
  fieldsOf(kind).map((c) => (c === 'id_number' ? r.p.id : c === 'name' ? r.p.name : String(r[c] ?? '')));
const csv = (kind: string, rs: Row[]) =>
  Buffer.from([fieldsOf(kind).join(','), ...rs.map((r) => valuesOf(kind, r).join(','))].join('\n') + '\n');

async function load(kind: string, bytes: Buffer, ext: string) {
  const res = await importFeed(
    { ...t.app.deps, log: t.app.log },
    { bytes, fileName: `${kind}.${ext}` },
    { kindCode: kind, channel: 'cli', actor: 'test', asOf: AS_OF },
  );
  expect(res, kind).toMatchObject({ status: 'loaded', rowsRejected: 0 });
}

/** feed_records id and batch id by the department's record id. */
let records: Map<string, { id: string; batchId: string }>;

beforeAll(async () => {
  t = await createTestApp();
  await t.database.db
    .insertInto('feed_kinds')
    .values({
      code: COPY_KIND,
      source_code: 'hrss',
      name_zh: '区县社保缴费工资',
      name_en: 'County wages',
      record_type: 'county_wage',
      format: 'csv',
      columns: JSON.stringify(FEED_KINDS.find((k) => k.code === 'hrss.wages')!.columns),
      event_date_column: 'pay_date',
      builtin: false,
      created_by: 'test',
    })
    .execute();
  for (const [kind, rs] of Object.entries(rows)) await load(kind, csv(kind, rs), 'csv');
  await load(COPY_KIND, csv(COPY_KIND, copyRows), 'csv');
  const jsonl = jsonlRows.map((r) => {
    const names = fieldsOf('medical_insurance.expenses');
    const vals = valuesOf('medical_insurance.expenses', r);
    return JSON.stringify(Object.fromEntries(names.map((n, i) => [n, vals[i]])));
  });
  await load('medical_insurance.expenses', Buffer.from(jsonl.join('\n') + '\n'), 'jsonl');
  for (const [kind, rs] of Object.entries(xlsxRows)) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('data');
    ws.addRow(fieldsOf(kind));
    for (const r of rs) ws.addRow(valuesOf(kind, r).map(String));
    await load(kind, Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
  }
  const all = await t.database.db.selectFrom('feed_records').select(['id', 'batch_id', 'record_key']).execute();
  records = new Map(all.map((r) => [r.record_key, { id: String(r.id), batchId: r.batch_id }]));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const idHash = (p: Person) => t.app.deps.protector.idHash(p.id);
const members = (...ps: Person[]) => ps.map((p) => ({ name: p.name, idHash: idHash(p), idMasked: maskIdNumber(p.id) }));
const report = (ps: Person[], extra: { otherIncomeFen?: number; medicalCostsFen?: number } = {}) =>
  buildVerificationReport(t.database.db, {
    members: members(...ps),
    asOf: AS_OF,
    otherIncomeFen: extra.otherIncomeFen ?? 0,
    medicalCostsFen: extra.medicalCostsFen ?? 0,
    assets: LIMITS,
    note: 'test',
  });
const propose = (
  ps: Person[],
  r: VerificationReport,
  opts: Partial<{ unmetAdl: number; emergency: boolean; staffRelative: boolean }> = {},
) =>
  proposeDetermination(t.database.db, {
    regionCode: VILLAGE,
    month: MONTH,
    members: ps.map((p) => ({ idHash: idHash(p), birthDate: p.birthDate, relation: p.relation })),
    report: r,
    unmetAdl: opts.unmetAdl ?? 0,
    emergency: opts.emergency ?? false,
    staffRelative: opts.staffRelative ?? false,
  });

/** The lines as [record, member, category, type, subtype, amount], in report order. */
function shape(r: VerificationReport) {
  return r.lines.map((l) => {
    const key = [...records].find(([, v]) => v.id === l.recordId)?.[0];
    expect(records.get(key!)?.batchId, `${key}: batch`).toBe(l.batchId);
    return [key, l.memberName, l.category, l.type, l.subtype ?? null, l.amountFen];
  });
}

function expectNoNegative(d: Determination) {
  for (const k of d.kinds) {
    expect(k.monthlyAmountFen).toBeGreaterThanOrEqual(0);
    expect(k.oneOffAmountFen).toBeGreaterThanOrEqual(0);
  }
  for (const l of d.lines) if (l.amountFen !== undefined) expect(l.amountFen, l.key).toBeGreaterThanOrEqual(0);
}

describe('verification report', () => {
  it('lists income, assets, medical spending and status, each linked to its record and batch', async () => {
    const r = await report([A1, A2, A3], { otherIncomeFen: 10_000, medicalCostsFen: 5_000 });
    expect(r).toMatchObject({ from: '2025-11-01', to: AS_OF, members: 3, note: 'test' });
    expect(shape(r)).toEqual([
      ['W2', A1.name, 'income', 'wage', null, 120_000],
      ['B2', A1.name, 'asset', 'deposits', 'current', 200_000],
      ['B3', A1.name, 'asset', 'deposits', 'time', 50_000],
      ['R1', A1.name, 'asset', 'property', 'residential', 20_000_000],
      ['R2', A1.name, 'asset', 'property', 'parking', 5_000_000],
      ['V1', A1.name, 'asset', 'vehicle', 'motorcycle', 800_000],
      ['U1', A2.name, 'income', 'unemployment_benefit', null, 50_000],
      ['CW1', A2.name, 'income', 'wage', null, 30_000],
      ['B4', A2.name, 'asset', 'deposits', 'current', 100_000],
      ['H1', A3.name, 'medical', 'self_paid', null, 120_000],
      ['H2', A3.name, 'medical', 'self_paid', null, 60_000],
    ]);
    for (const l of r.lines) {
      expect(l.idMasked).toBe(maskIdNumber([A1, A2, A3].find((p) => p.name === l.memberName)!.id));
      expect(l.kindName).toBeTruthy();
    }
    const w2 = r.lines.find((l) => l.recordId === records.get('W2')!.id)!;
    expect(w2).toMatchObject({ kindCode: 'hrss.wages', kindName: '社保缴费工资', eventDate: '2026-10-10' });
    // 120,000 + 50,000 + 30,000 + 10,000 (survey) = 210,000; per capita 70,000.
    expect(r.monthlyIncomeFen).toBe(210_000);
    expect(r.perCapitaIncomeFen).toBe(70_000);
    // (120,000 + 60,000) / 12 + 5,000.
    expect(r.medicalCostsFen).toBe(20_000);
    expect(householdAssets(r.lines, 3)).toEqual({
      members: 3,
      savingsFen: 350_000,
      vehicleTypes: ['motorcycle'],
      properties: 1,
      hasBusiness: false,
    });
    expect(r.assets.passed).toBe(true);
    expect(r.assets.lines.map((l) => [l.key, l.passed])).toEqual([
      ['policy.calc.assets.savings', true],
      ['policy.calc.assets.vehicles', true],
      ['policy.calc.assets.properties', true],
      ['policy.calc.assets.business', true],
    ]);
    expect(r.assets.lines[0]!.values).toMatchObject({ savingsFen: 350_000, limitFen: LIMITS.savingsPerPersonFen * 3 });
    expect(JSON.stringify(r)).not.toContain(A1.id);
  });

  it('leaves out the residents’ pension, ended benefits and custody that ended; keeps custody under way', async () => {
    const b = await report([B1]);
    expect(shape(b)).toEqual([['P2', B1.name, 'income', 'pension', 'enterprise', 50_000]]);
    expect(b.monthlyIncomeFen).toBe(50_000);
    const c = await report([C1, C2]);
    expect(shape(c)).toEqual([
      ['W4', C1.name, 'income', 'wage', null, 200_000],
      ['K1', C2.name, 'status', 'prison', 'prison', null],
    ]);
    expect(c.perCapitaIncomeFen).toBe(100_000);
  });

  it('fails the asset test on a car and a business', async () => {
    const d = await report([D1]);
    expect(shape(d)).toEqual([
      ['W5', D1.name, 'income', 'wage', null, 30_000],
      ['M1', D1.name, 'asset', 'business', 'individual', 1_000_000],
      ['V2', D1.name, 'asset', 'vehicle', 'passenger_car', 12_000_000],
    ]);
    expect(d.assets.passed).toBe(false);
    expect(d.assets.lines.filter((l) => !l.passed).map((l) => l.key)).toEqual([
      'policy.calc.assets.vehicles',
      'policy.calc.assets.business',
    ]);
  });

  it('maps kinds by record type and columns, or by a built-in kind’s exact shape', () => {
    const wages = FEED_KINDS.find((k) => k.code === 'hrss.wages')!;
    expect(ruleForKind({ record_type: 'wage', columns: wages.columns })?.builtin).toBe('hrss.wages');
    expect(ruleForKind({ record_type: 'other', columns: wages.columns })?.builtin).toBe('hrss.wages');
    expect(ruleForKind({ record_type: 'other', columns: wages.columns.slice(0, 5) })).toBeUndefined();
    expect(
      ruleForKind({
        record_type: 'student',
        columns: FEED_KINDS.find((k) => k.code === 'education.students')!.columns,
      }),
    ).toBeUndefined();
    expect(['M11', 'X99', 'K33', 'H31', 'T11'].map(vehicleClass)).toEqual([
      'motorcycle',
      'disability_vehicle',
      'passenger_car',
      'truck',
      'agricultural',
    ]);
    expect(yearBefore('2026-10-31')).toBe('2025-11-01');
    expect(yearBefore('2028-02-29')).toBe('2027-03-01');
  });
});

describe('proposed determination', () => {
  it('proposes 低保 for household A: (standard × 3 − income + medical costs) + the child’s supplement', async () => {
    const r = await report([A1, A2, A3], { otherIncomeFen: 10_000, medicalCostsFen: 5_000 });
    const d = await propose([A1, A2, A3], r);
    const params = demoPolicyParams(STD).dibao;
    // Counted income 210,000 − 20,000 medical = 190,000; line 270,000; gap 80,000; minor supplement.
    const expected = STD * 3 - (210_000 - 20_000) + params.supplements.minorFen;
    expect(d.kinds).toEqual([{ kind: 'dibao', monthlyAmountFen: expected, oneOffAmountFen: 0 }]);
    expect(d.approvalLevel).toBe('county');
    expect(d.lines.map((l) => l.key)).toEqual([
      'case.calc.household',
      'case.calc.kind',
      'policy.calc.income',
      'policy.calc.medicalDeduction',
      'policy.calc.dibao.standardTotal',
      'policy.calc.dibao.gap',
      'policy.calc.dibao.supplement.minor',
      'policy.calc.total',
      'case.calc.approval',
    ]);
    expect(d.lines.at(-2)!.amountFen).toBe(expected);
    expect(d.standards).toHaveLength(1);
    expect(d.standards[0]).toMatchObject({ kind: 'dibao', version: 1, regionCode: '3503' });
    expectNoNegative(d);
  });

  it('proposes 特困 for a single elderly person, with the care tier from the daily-living indicators', async () => {
    const r = await report([B1]);
    const d = await propose([B1], r, { unmetAdl: 4 });
    const tekun = demoPolicyParams(STD).tekun;
    const basic = Math.ceil((STD * tekun.basicLivingPerMille) / 100_000) * 100;
    expect(d.kinds).toEqual([{ kind: 'tekun', monthlyAmountFen: basic + tekun.careFen.complete, oneOffAmountFen: 0 }]);
    expect(d.lines.find((l) => l.key === 'case.calc.tekun.tier')!.values).toEqual({ unmetAdl: 4, tier: 'complete' });
    expect(d.standards.map((s) => s.kind).sort()).toEqual(['dibao', 'tekun']);
    expectNoNegative(d);
    // Someone of working age alone is not 特困: 低保 is tested instead.
    const e = await propose([E1], await report([E1]));
    expect(e.kinds.map((k) => k.kind)).toEqual(['dibao']);
    expect(e.lines.map((l) => l.key)).toContain('case.calc.tekun.workAbility');
  });

  it('proposes 低保边缘 (no monthly cash by default) for household C', async () => {
    const d = await propose([C1, C2], await report([C1, C2]));
    expect(d.kinds).toEqual([{ kind: 'dibao_edge', monthlyAmountFen: 0, oneOffAmountFen: 0 }]);
    expect(d.lines.map((l) => l.key)).toEqual(
      expect.arrayContaining(['policy.calc.dibao.notEligible', 'policy.calc.edge.line', 'policy.calc.edge.eligible']),
    );
    expectNoNegative(d);
  });

  it('proposes nothing regular when the assets fail, and temporary assistance in an emergency', async () => {
    const r = await report([D1]);
    const d = await propose([D1], r);
    expect(d.kinds).toEqual([]);
    expect(d.lines.map((l) => l.key)).toEqual([
      'case.calc.household',
      'case.calc.tekun.workAbility',
      'case.calc.kind',
      'case.calc.assetsFailed',
      'policy.calc.assets.vehicles',
      'policy.calc.assets.business',
      'case.calc.none',
      'case.calc.approval',
    ]);
    const urgent = await propose([D1], r, { emergency: true });
    const temp = demoPolicyParams(STD).temporary;
    expect(urgent.kinds).toEqual([{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: temp.maxMultiple * STD }]);
    // 6 × 900 yuan is above the township limit (3 ×): the county approves.
    expect(urgent.approvalLevel).toBe('county');
    expectNoNegative(d);
    expectNoNegative(urgent);
  });

  it('adds the one-off to 低保 in an emergency; relatives of staff always go to the county', async () => {
    const r = await report([E1]);
    const d = await propose([E1], r, { emergency: true, staffRelative: true });
    expect(d.kinds.map((k) => k.kind)).toEqual(['dibao', 'temporary']);
    expect(d.kinds[0]!.monthlyAmountFen).toBe(STD);
    expect(d.approvalLevel).toBe('county');
    expect(d.lines.map((l) => l.key)).toContain('case.calc.staffRelative');
    expect(d.standards.map((s) => s.kind)).toEqual(['dibao', 'temporary']);
  });

  it('reads disability and illness from the registry: 特困 for a severely disabled person of working age', async () => {
    const F1 = person('方残', '1981-06-06');
    const db = t.database.db;
    const h = await db
      .insertInto('households')
      .values({ household_no: 'T-F1', region_code: VILLAGE, address_enc: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('members')
      .values({
        household_id: h.id,
        region_code: VILLAGE,
        name: F1.name,
        id_number_enc: 'x',
        id_hash: idHash(F1),
        id_masked: maskIdNumber(F1.id),
        sex: 'male',
        birth_date: F1.birthDate,
        relation: 'head',
        hukou_type: 'rural',
        disability_type: 'physical',
        disability_grade: 2,
        serious_illness: '尿毒症',
        work_ability: 'full',
        adl: '{}',
        self_care: 'self',
        school_status: 'none',
        income: '{}',
        assets: '{}',
      })
      .execute();
    const d = await propose([F1], await report([F1]), { unmetAdl: 2 });
    const tekun = demoPolicyParams(STD).tekun;
    expect(d.kinds).toEqual([
      {
        kind: 'tekun',
        monthlyAmountFen: Math.ceil((STD * tekun.basicLivingPerMille) / 100_000) * 100 + tekun.careFen.partial,
        oneOffAmountFen: 0,
      },
    ]);
    // With someone able to work beside him: 低保 with his severe-disability supplement.
    const d2 = await propose([F1, E1], await report([F1, E1]));
    expect(d2.kinds.map((k) => k.kind)).toEqual(['dibao']);
    expect(d2.lines.map((l) => l.key)).toContain('policy.calc.dibao.supplement.severeDisability');
  });

  it('never proposes a negative amount (any income, medical costs, household and emergency)', async () => {
    const base = await report([E1]);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 500_000 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        async (n, income, medical, unmetAdl, emergency) => {
          const ps = [E1, A1, A2, A3].slice(0, n);
          const r: VerificationReport = {
            ...base,
            members: n,
            monthlyIncomeFen: income,
            perCapitaIncomeFen: Math.floor(income / n),
            medicalCostsFen: medical,
          };
          const d = await propose(ps, r, { unmetAdl, emergency });
          expectNoNegative(d);
          if (income - medical >= STD * n) expect(d.kinds.find((k) => k.kind === 'dibao')).toBeUndefined();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts age on the first day of the month, and work ability as POLICY.md says', () => {
    expect(ageAt('1966-11-15', '2026-11')).toBe(59);
    expect(ageAt('1966-11-01', '2026-11')).toBe(60);
    const facts = (type: string | null, grade: number | null, workAbility = 'full') => ({
      disabilityType: type,
      disabilityGrade: grade,
      seriousIllness: false,
      workAbility,
    });
    expect(withoutWorkAbility(40, facts(null, null))).toBe(false);
    expect(withoutWorkAbility(15, facts(null, null))).toBe(true);
    expect(withoutWorkAbility(40, facts(null, null, 'none'))).toBe(true);
    expect(withoutWorkAbility(40, facts('mental', 3))).toBe(true);
    expect(withoutWorkAbility(40, facts('physical', 3))).toBe(false);
    expect(withoutWorkAbility(40, facts('physical', 2))).toBe(true);
    expect(withoutWorkAbility(40, facts('visual', 2))).toBe(false);
  });
});
