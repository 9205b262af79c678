import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DibaoParams, TekunParams, TemporaryParams, DibaoEdgeParams } from '../schemas/policy';
import { demoPolicyParams } from './demo';
import {
  assetTest,
  dibaoAmount,
  dibaoEdgeTest,
  selfCareTier,
  tekunAmount,
  tekunBasicLivingFen,
  temporaryMaximum,
  type MemberFacts,
} from './math';

const DEMO = demoPolicyParams(90_000);

const member = fc.record({
  age: fc.integer({ min: 0, max: 105 }),
  severeDisability: fc.boolean(),
  seriousIllness: fc.boolean(),
});
const members = fc.array(member, { minLength: 1, maxLength: 8 });
const fen = (max: number) => fc.integer({ min: 0, max });
const standard = fc.integer({ min: 1, max: 500_000 });
const dibaoParams = fc
  .record({
    standard,
    floor: fc.option(fen(50_000), { nil: null }),
    deduct: fc.boolean(),
    s: fc.tuple(fen(50_000), fen(50_000), fen(50_000), fen(50_000)),
  })
  .map(({ standard, floor, deduct, s }): DibaoParams => ({
    ...DEMO.dibao,
    standardFen: standard,
    floorPerPersonFen: floor,
    deductMedicalCosts: deduct,
    supplements: {
      elderlyAge: 70,
      elderlyFen: s[0],
      minorFen: s[1],
      severeDisabilityFen: s[2],
      seriousIllnessFen: s[3],
    },
  }));
const adult: MemberFacts = { age: 40 };

describe('demo parameter sets', () => {
  it('pass their own schemas', () => {
    expect(DibaoParams.parse(DEMO.dibao)).toEqual(DEMO.dibao);
    expect(TekunParams.parse(DEMO.tekun)).toEqual(DEMO.tekun);
    expect(DibaoEdgeParams.parse(DEMO.dibao_edge)).toEqual(DEMO.dibao_edge);
    expect(TemporaryParams.parse(DEMO.temporary)).toEqual(DEMO.temporary);
  });
});

describe('低保 amount (properties)', () => {
  it('is never negative, and an integer', () => {
    fc.assert(
      fc.property(dibaoParams, members, fen(10_000_000), fen(1_000_000), (p, m, income, medical) => {
        const r = dibaoAmount(p, { members: m, incomeFen: income, medicalCostsFen: medical });
        expect(r.amountFen).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(r.amountFen)).toBe(true);
      }),
    );
  });

  it('is zero (supplements and floor included) once per-capita income reaches the standard', () => {
    fc.assert(
      fc.property(dibaoParams, members, fen(1_000_000), (p, m, extra) => {
        // per-capita counted income ≥ standard ⇔ income ≥ standard × n
        const income = p.standardFen * m.length + extra;
        const r = dibaoAmount({ ...p, deductMedicalCosts: false }, { members: m, incomeFen: income });
        expect(r.eligible).toBe(false);
        expect(r.amountFen).toBe(0);
      }),
    );
  });

  it('never decreases when the standard rises', () => {
    fc.assert(
      fc.property(dibaoParams, fen(100_000), members, fen(5_000_000), fen(500_000), (p, rise, m, income, medical) => {
        const h = { members: m, incomeFen: income, medicalCostsFen: medical };
        const low = dibaoAmount(p, h).amountFen;
        const high = dibaoAmount({ ...p, standardFen: p.standardFen + rise }, h).amountFen;
        expect(high).toBeGreaterThanOrEqual(low);
      }),
    );
  });

  it('never increases when income rises, outside the eligibility cliff', () => {
    fc.assert(
      fc.property(dibaoParams, members, fen(5_000_000), fen(100_000), (p, m, income, more) => {
        const a = dibaoAmount(p, { members: m, incomeFen: income });
        const b = dibaoAmount(p, { members: m, incomeFen: income + more });
        expect(b.amountFen).toBeLessThanOrEqual(a.amountFen);
      }),
    );
  });

  it('equals (standard − per-capita income) × members when the income divides evenly and nothing else applies', () => {
    fc.assert(
      fc.property(standard, fc.integer({ min: 1, max: 8 }), fen(500_000), (s, n, perCapita) => {
        fc.pre(perCapita < s);
        const p = { ...DEMO.dibao, standardFen: s, floorPerPersonFen: null };
        const r = dibaoAmount(p, { members: Array.from({ length: n }, () => adult), incomeFen: perCapita * n });
        expect(r.amountFen).toBe((s - perCapita) * n);
      }),
    );
  });

  it('ends its calculation lines with the amount', () => {
    fc.assert(
      fc.property(dibaoParams, members, fen(5_000_000), (p, m, income) => {
        const r = dibaoAmount(p, { members: m, incomeFen: income });
        expect(r.lines.at(-1)!.amountFen).toBe(r.amountFen);
      }),
    );
  });
});

describe('特困 (properties)', () => {
  it('basic living is at least 1.3 × the 低保 standard with the demo config, and whole yuan', () => {
    fc.assert(
      fc.property(standard, (s) => {
        const basic = tekunBasicLivingFen(s, DEMO.tekun.basicLivingPerMille);
        expect(basic * 10).toBeGreaterThanOrEqual(s * 13);
        expect(basic % 100).toBe(0);
        // rounded up by less than one yuan
        expect(basic * 10 - s * 13).toBeLessThan(1000);
      }),
    );
  });

  it('the amount is basic + care, never negative, and the 特困 amount ≥ 1.3 × the 低保 standard', () => {
    fc.assert(
      fc.property(standard, fc.constantFrom('self', 'partial', 'complete' as const), (s, tier) => {
        const r = tekunAmount(DEMO.tekun, s, { incomeFen: 0, tier });
        expect(r.amountFen).toBe(r.basicFen + DEMO.tekun.careFen[tier]);
        expect(r.amountFen * 10).toBeGreaterThanOrEqual(s * 13);
      }),
    );
  });

  it('never decreases when the 低保 standard rises', () => {
    fc.assert(
      fc.property(standard, fen(100_000), fen(600_000), (s, rise, income) => {
        const a = tekunAmount(DEMO.tekun, s, { incomeFen: income, tier: 'partial' }).amountFen;
        const b = tekunAmount(DEMO.tekun, s + rise, { incomeFen: income, tier: 'partial' }).amountFen;
        expect(b).toBeGreaterThanOrEqual(a);
      }),
    );
  });
});

describe('examples', () => {
  const three = [{ age: 45 }, { age: 43 }, { age: 12 }];

  it('低保: a family of three with 1,500 yuan income under a 900 yuan standard', () => {
    // 900 × 3 − 1500 = 1200 yuan; the child adds the minor supplement (90 yuan).
    const r = dibaoAmount(DEMO.dibao, { members: three, incomeFen: 150_000 });
    expect(r).toMatchObject({ eligible: true, amountFen: 120_000 + 9_000, countedIncomeFen: 150_000 });
    expect(r.lines.map((l) => l.key)).toEqual([
      'policy.calc.income',
      'policy.calc.dibao.standardTotal',
      'policy.calc.dibao.gap',
      'policy.calc.dibao.supplement.minor',
      'policy.calc.total',
    ]);
  });

  it('低保: medical costs are deducted when allowed, and not otherwise', () => {
    const h = { members: three, incomeFen: 300_000, medicalCostsFen: 60_000 };
    // 3000 − 600 = 2400 counted; 2700 − 2400 = 300 yuan (above the 270 yuan floor) + 90 for the child
    expect(dibaoAmount(DEMO.dibao, h).amountFen).toBe(30_000 + 9_000);
    expect(dibaoAmount({ ...DEMO.dibao, deductMedicalCosts: false }, h)).toMatchObject({
      eligible: false,
      amountFen: 0,
    });
  });

  it('低保: the floor per person lifts a small gap; a person gets the highest supplement only', () => {
    // gap 10 yuan for one person; floor 90 yuan; 75-year-old with severe disability: 135 (not 90 + 135)
    const r = dibaoAmount(DEMO.dibao, { members: [{ age: 75, severeDisability: true }], incomeFen: 89_000 });
    expect(r.amountFen).toBe(9_000 + 13_500);
    expect(r.lines.map((l) => l.key)).toContain('policy.calc.dibao.floor');
    expect(r.lines.map((l) => l.key)).toContain('policy.calc.dibao.supplement.severeDisability');
  });

  it('特困: 1.3 × 900 = 1170 yuan basic, plus care by tier', () => {
    expect(tekunBasicLivingFen(90_000, 1300)).toBe(117_000);
    expect(tekunBasicLivingFen(90_050, 1300)).toBe(117_100); // 1170.65 → 1171
    expect(tekunAmount(DEMO.tekun, 90_000, { incomeFen: 0, tier: 'complete' }).amountFen).toBe(117_000 + 54_000);
    expect(tekunAmount(DEMO.tekun, 90_000, { incomeFen: 90_000, tier: 'self' })).toMatchObject({
      eligible: false,
      amountFen: 0,
    });
    expect([0, 1, 3, 4, 6].map(selfCareTier)).toEqual(['self', 'partial', 'partial', 'complete', 'complete']);
  });

  it('低保边缘: between 1× and 1.5× the standard per person', () => {
    const two = [{ age: 50 }, { age: 50 }];
    expect(dibaoEdgeTest(DEMO.dibao_edge, DEMO.dibao, { members: two, incomeFen: 179_999 }).eligible).toBe(false);
    expect(dibaoEdgeTest(DEMO.dibao_edge, DEMO.dibao, { members: two, incomeFen: 180_000 }).eligible).toBe(true);
    expect(dibaoEdgeTest(DEMO.dibao_edge, DEMO.dibao, { members: two, incomeFen: 269_999 }).eligible).toBe(true);
    expect(dibaoEdgeTest(DEMO.dibao_edge, DEMO.dibao, { members: two, incomeFen: 270_000 }).eligible).toBe(false);
  });

  it('临时救助: 6× / 12× the standard; the township approves up to its limit', () => {
    expect(temporaryMaximum(DEMO.temporary, 90_000)).toMatchObject({ maxFen: 540_000, approvalLevel: 'county' });
    expect(temporaryMaximum(DEMO.temporary, 90_000, { specialHardship: true }).maxFen).toBe(1_080_000);
    expect(temporaryMaximum(DEMO.temporary, 90_000, { requestedFen: 270_000 }).approvalLevel).toBe('township');
    expect(temporaryMaximum(DEMO.temporary, 90_000, { requestedFen: 270_001 }).approvalLevel).toBe('county');
  });

  it('assets: savings per person, exempt vehicle types, properties, business', () => {
    const ok = { members: 2, savingsFen: 90_000 * 48, vehicleTypes: ['motorcycle'], properties: 1, hasBusiness: false };
    expect(assetTest(DEMO.dibao.assets, ok).passed).toBe(true);
    expect(assetTest(DEMO.dibao.assets, { ...ok, savingsFen: 90_000 * 48 + 1 }).passed).toBe(false);
    expect(assetTest(DEMO.dibao.assets, { ...ok, vehicleTypes: ['car'] }).passed).toBe(false);
    expect(assetTest(DEMO.dibao.assets, { ...ok, hasBusiness: true }).lines.map((l) => l.passed)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('rejects money that is not integer fen', () => {
    expect(() => dibaoAmount(DEMO.dibao, { members: three, incomeFen: 1.5 })).toThrow(RangeError);
    expect(() => dibaoAmount(DEMO.dibao, { members: [], incomeFen: 0 })).toThrow(RangeError);
  });
});
