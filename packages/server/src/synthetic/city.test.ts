import { beforeAll, describe, expect, it } from 'vitest';
import { HouseholdInput, selfCareOf, validateIdNumber, type AssistanceStatus } from '@jiuzhu/shared';
import { loadCityDivisions, type DivisionRow } from '../modules/regions/divisions';
import {
  CITY_TARGETS,
  DEMO_DIBAO_STANDARD_FEN,
  GENERATOR_AS_OF,
  INCOME_BANDS,
  STATUSES,
  generateAll,
  generateCity,
  targetsFor,
  type GeneratedHousehold,
} from './city';
import { addToSummary, emptySummary, formatSummary, summarize, type CitySummary } from './summary';

const TYPE_DIGIT = { visual: 1, hearing: 2, speech: 3, physical: 4, intellectual: 5, mental: 6, multiple: 7 } as const;
const LINGCHUAN = '350302102'; // 灵川镇
const QILU = '350303105'; // 萩芦镇

function ageOf(idNumber: string): number {
  const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const years = Number(GENERATOR_AS_OF.slice(0, 4)) - Number(birth.slice(0, 4));
  return GENERATOR_AS_OF.slice(5) < birth.slice(5) ? years - 1 : years;
}

function sexOf(idNumber: string): 'male' | 'female' {
  return Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
}

function sumValues(record: Record<string, number | undefined>): number {
  let total = 0;
  for (const v of Object.values(record)) total += v ?? 0;
  return total;
}

/**
 * Checks the invariants every generated household must keep; returns what is wrong
 * (an empty list when all is well). `seen` collects ID numbers, phones and cards
 * across calls so uniqueness is checked over the whole city.
 */
class Checker {
  readonly problems: string[] = [];
  readonly ids = new Set<string>();
  readonly phones = new Set<string>();
  readonly cards = new Set<string>();
  private readonly villages: Map<string, DivisionRow>;
  private readonly byCode: Map<string, DivisionRow>;

  constructor(
    divisions: readonly DivisionRow[],
    private readonly schemaEvery = 1,
  ) {
    this.byCode = new Map(divisions.map((d) => [d.code, d]));
    this.villages = new Map(divisions.filter((d) => d.level === 'village').map((d) => [d.code, d]));
  }

  private fail(h: GeneratedHousehold, message: string): void {
    if (this.problems.length < 50) this.problems.push(`${h.key}: ${message}`);
  }

  check(households: readonly GeneratedHousehold[]): void {
    for (const h of households) this.household(h);
  }

  private household(h: GeneratedHousehold): void {
    const n = Number(h.key.split('-')[1]);
    if (n % this.schemaEvery === 0) {
      const { key: _key, ...input } = h;
      const parsed = HouseholdInput.safeParse(input);
      if (!parsed.success) this.fail(h, `schema: ${parsed.error.message}`);
    }
    const village = this.villages.get(h.regionCode);
    if (!village) return this.fail(h, `not a village: ${h.regionCode}`);
    const township = this.byCode.get(village.parentCode!)!;
    const county = this.byCode.get(township.parentCode!)!;
    if (!h.address.startsWith(`莆田市${county.name}${township.name}`)) this.fail(h, `address ${h.address}`);

    const heads = h.members.filter((m) => m.relation === 'head');
    if (heads.length !== 1 || h.members[0]!.relation !== 'head') this.fail(h, `${heads.length} heads`);
    const head = h.members[0]!;
    const headAge = ageOf(head.idNumber);

    let income = 0;
    let incomeWithoutPension = 0;
    for (const m of h.members) {
      const v = validateIdNumber(m.idNumber, { today: GENERATOR_AS_OF });
      if (!v.ok || v.idNumber !== m.idNumber) this.fail(h, `invalid ID ${m.idNumber}`);
      if (this.ids.has(m.idNumber)) this.fail(h, `duplicate ID ${m.idNumber}`);
      this.ids.add(m.idNumber);
      if (m.phone) {
        if (this.phones.has(m.phone)) this.fail(h, `duplicate phone ${m.phone}`);
        this.phones.add(m.phone);
        if (!/^1[3589]\d{9}$/.test(m.phone)) this.fail(h, `phone ${m.phone}`);
      }
      if (m.bankAccount) {
        if (this.cards.has(m.bankAccount)) this.fail(h, `duplicate card ${m.bankAccount}`);
        this.cards.add(m.bankAccount);
        if (!m.bankName) this.fail(h, 'card without bank');
      }

      const age = ageOf(m.idNumber);
      if (age < 0 || age > 100) this.fail(h, `age ${age}`);
      const sex = sexOf(m.idNumber);
      if (m.relation === 'spouse' && (sex === sexOf(head.idNumber) || Math.abs(age - headAge) > 20)) {
        this.fail(h, `spouse ${sex} ${age} of head ${sexOf(head.idNumber)} ${headAge}`);
      }
      if (m.relation === 'child' && (headAge - age < 18 || headAge - age > 45))
        this.fail(h, `child ${age}, head ${headAge}`);
      if (m.relation === 'parent' && (age - headAge < 18 || age - headAge > 45))
        this.fail(h, `parent ${age}, head ${headAge}`);
      if (m.relation === 'grandchild' && (headAge - age < 36 || age >= 18))
        this.fail(h, `grandchild ${age}, head ${headAge}`);
      if (m.relation === 'head' && age < 18 && h.assistanceStatus !== 'tekun') this.fail(h, `head aged ${age}`);

      if (m.disability) {
        const expected = `${m.idNumber}${TYPE_DIGIT[m.disability.type]}${m.disability.grade}`;
        if (m.disability.certificateNo !== expected) this.fail(h, `certificate ${m.disability.certificateNo}`);
      }
      if (age < 16 && m.workAbility !== 'none') this.fail(h, `work ability at ${age}`);
      if (m.disability && m.disability.grade <= 2 && m.workAbility !== 'none')
        this.fail(h, 'grade 1–2 disability but able to work');
      if (age < 6 && !['none', 'preschool'].includes(m.schoolStatus))
        this.fail(h, `school ${m.schoolStatus} at ${age}`);
      if (age >= 6 && age <= 14 && !['primary', 'junior', 'none'].includes(m.schoolStatus))
        this.fail(h, `school ${m.schoolStatus} at ${age}`);
      if (age > 25 && m.schoolStatus !== 'none') this.fail(h, `school ${m.schoolStatus} at ${age}`);
      if (age >= 18 && m.schoolStatus !== 'none' && !['child', 'grandchild'].includes(m.relation))
        this.fail(h, 'adult student not a child');

      if (h.assistanceStatus === 'tekun') {
        const severe =
          m.disability &&
          (((m.disability.type === 'intellectual' || m.disability.type === 'mental') && m.disability.grade <= 3) ||
            m.disability.grade <= 2);
        if (!(age >= 60 || age < 16 || severe)) this.fail(h, `特困 member aged ${age} without severe disability`);
        if (m.workAbility !== 'none') this.fail(h, '特困 member able to work');
        if (!m.adl) this.fail(h, '特困 member without ADL');
      }

      for (const [k, v] of [...Object.entries(m.income), ...Object.entries(m.assets)]) {
        if (v === undefined || !Number.isInteger(v) || v < 0) this.fail(h, `amount ${k}=${v}`);
      }
      const all = sumValues(m.income);
      income += all;
      incomeWithoutPension += all - (m.income.pension ?? 0);
    }

    if (h.assistanceStatus !== 'applicant') {
      const [lo, hi] = INCOME_BANDS[h.assistanceStatus];
      const size = h.members.length;
      for (const [label, amount] of [
        ['income', income],
        ['income without pensions', incomeWithoutPension],
      ] as const) {
        const ratio = amount / size / DEMO_DIBAO_STANDARD_FEN;
        if (ratio < lo || ratio >= hi)
          this.fail(h, `${h.assistanceStatus} per-capita ${label} ${ratio.toFixed(3)}× the standard`);
      }
    }
  }
}

let divisions: DivisionRow[];
beforeAll(async () => {
  divisions = await loadCityDivisions('3503');
});

describe('demo size', () => {
  let demo: GeneratedHousehold[];
  let demoMs = 0;
  beforeAll(() => {
    const t0 = performance.now();
    demo = generateAll({ city: '3503', divisions, size: 'demo', seed: 7 });
    demoMs = performance.now() - t0;
  });

  it('is about 300 households and 800 people, generated in well under a second', () => {
    const s = summarize(demo);
    console.info(`demo: ${s.households} households, ${s.people} people in ${demoMs.toFixed(0)} ms`);
    expect(s.households).toBeGreaterThan(250);
    expect(s.households).toBeLessThan(350);
    expect(s.people).toBeGreaterThan(750);
    expect(s.people).toBeLessThan(850);
    for (const status of STATUSES) expect(s.byStatus[status].households).toBeGreaterThan(0);
    expect(demoMs).toBeLessThan(2000);
  });

  it('is the same for the same seed and different for another', () => {
    expect(generateAll({ city: '3503', divisions, size: 'demo', seed: 7 })).toEqual(demo);
    const other = generateAll({ city: '3503', divisions, size: 'demo', seed: 8 });
    expect(other.slice(0, 20)).not.toEqual(demo.slice(0, 20));
    expect(other[0]!.key).toBe('G8-000001');
  });

  it('keeps every invariant and passes the registry schema', () => {
    const checker = new Checker(divisions);
    checker.check(demo);
    expect(checker.problems).toEqual([]);
  });

  it('gathers several dozen households, recipients among them, in 灵川镇 and 萩芦镇', () => {
    for (const township of [LINGCHUAN, QILU]) {
      const here = demo.filter((h) => h.regionCode.startsWith(township));
      const recipients = here.filter((h) => h.assistanceStatus === 'dibao' || h.assistanceStatus === 'tekun');
      expect(here.length).toBeGreaterThanOrEqual(36);
      expect(recipients.length).toBeGreaterThanOrEqual(15);
      expect(new Set(recipients.map((h) => h.assistanceStatus))).toEqual(new Set(['dibao', 'tekun']));
    }
    expect(demo.some((h) => h.address.startsWith('莆田市城厢区灵川镇云庄村'))).toBe(true);
  });

  it('streams in batches of the requested size with consecutive keys', () => {
    const batches = [...generateCity({ city: '3503', divisions, size: 'demo', seed: 7, batchSize: 40 })];
    expect(batches.slice(0, -1).every((b) => b.length === 40)).toBe(true);
    expect(batches.at(-1)!.length).toBeLessThanOrEqual(40);
    const keys = batches.flat().map((h) => h.key);
    expect(keys).toEqual(demo.map((h) => h.key));
    expect(keys.slice(0, 2)).toEqual(['G7-000001', 'G7-000002']);
    expect(batches.flat()).toEqual(demo);
  });

  it('summarises by status and county, printable for the CLI', () => {
    const text = formatSummary(summarize(demo), divisions);
    expect(text).toContain('350302 城厢区');
    expect(text).toContain('dibao 低保');
  });
});

describe('city size (Putian scale)', () => {
  let summary: CitySummary;
  let checker: Checker;
  let generationMs = 0;
  let checkMs = 0;
  let first: GeneratedHousehold[] = [];
  const tekunSizes: number[] = [];
  const recipientSelfCare = { self: 0, partial: 0, complete: 0 };

  beforeAll(() => {
    summary = emptySummary();
    checker = new Checker(divisions, 25);
    const batches = generateCity({ city: '3503', divisions, size: 'city', seed: 1 });
    for (;;) {
      const t0 = performance.now();
      const next = batches.next();
      generationMs += performance.now() - t0;
      if (next.done) break;
      const batch = next.value;
      if (first.length === 0) first = batch.slice(0, 50);
      const t1 = performance.now();
      addToSummary(summary, batch);
      checker.check(batch);
      checkMs += performance.now() - t1;
      for (const h of batch) {
        if (h.assistanceStatus === 'tekun') tekunSizes.push(h.members.length);
        if (h.assistanceStatus === 'tekun' || h.assistanceStatus === 'dibao') {
          for (const m of h.members) recipientSelfCare[selfCareOf(m.adl)] += 1;
        }
      }
    }
    console.info(
      `city: generated ${summary.households} households, ${summary.people} people in ${generationMs.toFixed(0)} ms (checks ${checkMs.toFixed(0)} ms)`,
    );
    console.info(formatSummary(summary, divisions));
  });

  it('generates in a few seconds', () => {
    // Typically 1.5–3 s; the bound leaves room for a loaded CI machine.
    expect(generationMs).toBeLessThan(15_000);
  });

  it('is deterministic: the same first households for the same seed, others for another seed', () => {
    const again = generateCity({ city: '3503', divisions, size: 'city', seed: 1, batchSize: 50 }).next();
    expect(again.value).toEqual(first);
    const other = generateCity({ city: '3503', divisions, size: 'city', seed: 2, batchSize: 50 }).next();
    expect(other.value).not.toEqual(first);
  });

  it('keeps every invariant: valid unique IDs, phones and cards, one head, certificates, amounts, ages', () => {
    expect(checker.problems).toEqual([]);
    expect(checker.ids.size).toBe(summary.people);
  });

  it('has about 58,000 recipients, 特困 about a tenth of them, among about 150,000 people', () => {
    const recipients = summary.byStatus.dibao.people + summary.byStatus.tekun.people;
    expect(recipients).toBeGreaterThanOrEqual(55_000);
    expect(recipients).toBeLessThanOrEqual(61_000);
    const tekunShare = summary.byStatus.tekun.people / recipients;
    expect(tekunShare).toBeGreaterThan(0.09);
    expect(tekunShare).toBeLessThan(0.13);
    expect(summary.people).toBeGreaterThan(140_000);
    expect(summary.people).toBeLessThan(160_000);
    for (const status of STATUSES) {
      expect(Math.abs(summary.byStatus[status].people - CITY_TARGETS[status])).toBeLessThan(20);
    }
  });

  it('has realistic household sizes: 低保 about 2.2, 特困 mostly alone', () => {
    const dibao = summary.byStatus.dibao;
    expect(dibao.people / dibao.households).toBeGreaterThan(2.0);
    expect(dibao.people / dibao.households).toBeLessThan(2.4);
    expect(tekunSizes.filter((n) => n === 1).length / tekunSizes.length).toBeGreaterThan(0.9);
    const low = summary.byStatus.low_income;
    expect(low.people / low.households).toBeGreaterThan(2.8);
  });

  it('spreads people over the counties by population share', () => {
    const shares: Record<string, number> = {
      '350322': 0.27,
      '350303': 0.23,
      '350304': 0.18,
      '350305': 0.18,
      '350302': 0.14,
    };
    expect(Object.keys(summary.byCounty).sort()).toEqual(Object.keys(shares).sort());
    for (const [county, share] of Object.entries(shares)) {
      expect(Math.abs(summary.byCounty[county]!.people / summary.people - share)).toBeLessThan(0.015);
    }
  });

  it('has recipients who are often elderly, disabled or seriously ill, and some who cannot look after themselves', () => {
    const r = summary.recipients;
    expect(r.disabled / r.people).toBeGreaterThanOrEqual(0.15);
    expect(r.disabled / r.people).toBeLessThanOrEqual(0.2);
    expect(r.seriouslyIll / r.people).toBeGreaterThan(0.06);
    expect(r.seriouslyIll / r.people).toBeLessThan(0.1);
    expect(r.elderly / r.people).toBeGreaterThan(0.35);
    expect(r.elderly / r.people).toBeLessThan(0.55);
    expect(r.minors / r.people).toBeGreaterThan(0.1);
    const total = recipientSelfCare.self + recipientSelfCare.partial + recipientSelfCare.complete;
    expect(recipientSelfCare.partial / total).toBeGreaterThan(0.03);
    expect(recipientSelfCare.complete / total).toBeGreaterThan(0.01);
    expect(recipientSelfCare.self / total).toBeGreaterThan(0.8);
  });
});

describe('options', () => {
  it('scales: province is ten times the city by default, or as asked', () => {
    const province = targetsFor('province');
    for (const s of STATUSES) expect(province[s]).toBe(CITY_TARGETS[s] * 10);
    expect(targetsFor('province', 3).dibao).toBe(CITY_TARGETS.dibao * 3);
  });

  it('takes explicit targets and another reference date', () => {
    const targets: Partial<Record<AssistanceStatus, number>> = { dibao: 100, tekun: 10 };
    const zero = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    const households = generateAll({
      city: '3503',
      divisions,
      size: 'province',
      seed: 3,
      targets: { ...zero, ...targets },
      asOf: '2025-06-30',
    });
    const s = summarize(households);
    expect(s.byStatus.dibao.people).toBeGreaterThanOrEqual(100);
    expect(s.byStatus.tekun.people).toBeGreaterThanOrEqual(10);
    expect(s.byStatus.low_income.people).toBe(0);
    for (const h of households)
      for (const m of h.members) expect(validateIdNumber(m.idNumber, { today: '2025-06-30' }).ok).toBe(true);
  });

  it('refuses divisions without the city', () => {
    expect(() => generateAll({ city: '3502', divisions, size: 'demo', seed: 1 })).toThrow(/3502/);
  });
});
