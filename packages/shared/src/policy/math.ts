import type {
  ApprovalLevel,
  AssetLimits,
  DibaoEdgeParams,
  DibaoParams,
  SelfCareTier,
  TekunParams,
  TemporaryParams,
} from '../schemas/policy';

/**
 * The policy math (POLICY.md): pure functions on integer fen. Each returns its result and
 * the calculation lines the determination form shows, one per step: a message key (in the
 * web locale files under `policy.calc.*`), its numbers, and the step's amount.
 *
 * Rounding: the 低保 gap is computed on household totals, (standard × members − income),
 * which equals (standard − per-capita income) × members exactly, so no per-capita income
 * is ever rounded. The 特困 basic living standard is rounded UP to the whole yuan, so it
 * is never below multiplier × standard.
 */
export type CalcLine = { key: string; values: Record<string, number | string>; amountFen?: number };

export type MemberFacts = {
  age: number;
  /** Disability grade 1–2. */
  severeDisability?: boolean;
  seriousIllness?: boolean;
};

export type HouseholdIncome = {
  /** Members counted in the household (共同生活家庭成员). */
  members: MemberFacts[];
  /** Counted monthly household income (wages net of job costs, net business, property, transfers). */
  incomeFen: number;
  /** Necessary monthly medical and disability costs; deducted only where the standard allows. */
  medicalCostsFen?: number;
};

export type DibaoResult = {
  eligible: boolean;
  /** Household monthly amount in fen. */
  amountFen: number;
  /** Income after the allowed deductions. */
  countedIncomeFen: number;
  lines: CalcLine[];
};

export type SupplementKind = 'elderly' | 'minor' | 'severeDisability' | 'seriousIllness';

function assertFen(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer (fen)`);
}

function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** Income the tests use: counted income minus medical costs when the standard allows it (never below 0). */
export function countedIncome(params: Pick<DibaoParams, 'deductMedicalCosts'>, h: HouseholdIncome): number {
  assertFen('incomeFen', h.incomeFen);
  const medical = h.medicalCostsFen ?? 0;
  assertFen('medicalCostsFen', medical);
  return params.deductMedicalCosts ? Math.max(0, h.incomeFen - medical) : h.incomeFen;
}

/** The category supplement of one person: the highest that applies (they do not add up). */
export function memberSupplement(
  s: DibaoParams['supplements'],
  m: MemberFacts,
): { kind: SupplementKind; fen: number } | null {
  const applies: [SupplementKind, number][] = [];
  if (m.age >= s.elderlyAge) applies.push(['elderly', s.elderlyFen]);
  if (m.age < 18) applies.push(['minor', s.minorFen]);
  if (m.severeDisability) applies.push(['severeDisability', s.severeDisabilityFen]);
  if (m.seriousIllness) applies.push(['seriousIllness', s.seriousIllnessFen]);
  let best: { kind: SupplementKind; fen: number } | null = null;
  for (const [kind, fen] of applies) if (fen > 0 && (!best || fen > best.fen)) best = { kind, fen };
  return best;
}

/**
 * 低保 monthly amount: eligible when per-capita income < standard (income < standard × n);
 * then max(gap, floor × n) + the members' category supplements. Not eligible: 0, with no
 * supplements (they are paid to enrolled households only).
 */
export function dibaoAmount(params: DibaoParams, h: HouseholdIncome): DibaoResult {
  const n = h.members.length;
  if (n < 1) throw new RangeError('a household has at least one member');
  const lines: CalcLine[] = [];
  const income = countedIncome(params, h);
  lines.push({ key: 'policy.calc.income', values: { incomeFen: h.incomeFen }, amountFen: h.incomeFen });
  if (params.deductMedicalCosts && (h.medicalCostsFen ?? 0) > 0)
    lines.push({
      key: 'policy.calc.medicalDeduction',
      values: { medicalCostsFen: h.medicalCostsFen ?? 0 },
      amountFen: income,
    });
  const line = params.standardFen * n;
  lines.push({
    key: 'policy.calc.dibao.standardTotal',
    values: { standardFen: params.standardFen, members: n },
    amountFen: line,
  });
  if (income >= line) {
    lines.push({ key: 'policy.calc.dibao.notEligible', values: { incomeFen: income, lineFen: line }, amountFen: 0 });
    return { eligible: false, amountFen: 0, countedIncomeFen: income, lines };
  }
  const gap = line - income;
  lines.push({ key: 'policy.calc.dibao.gap', values: { lineFen: line, incomeFen: income }, amountFen: gap });
  let base = gap;
  if (params.floorPerPersonFen !== null && params.floorPerPersonFen * n > gap) {
    base = params.floorPerPersonFen * n;
    lines.push({
      key: 'policy.calc.dibao.floor',
      values: { floorPerPersonFen: params.floorPerPersonFen, members: n },
      amountFen: base,
    });
  }
  let supplements = 0;
  h.members.forEach((m, i) => {
    const s = memberSupplement(params.supplements, m);
    if (!s) return;
    supplements += s.fen;
    lines.push({ key: `policy.calc.dibao.supplement.${s.kind}`, values: { member: i + 1 }, amountFen: s.fen });
  });
  const amount = base + supplements;
  lines.push({ key: 'policy.calc.total', values: { baseFen: base, supplementsFen: supplements }, amountFen: amount });
  return { eligible: true, amountFen: amount, countedIncomeFen: income, lines };
}

export type TierResult = { tier: SelfCareTier; lines: CalcLine[] };

/** Self-care tier from the six daily-living indicators: all met = self, ≤ 3 unmet = partial, ≥ 4 = complete. */
export function selfCareTier(unmetIndicators: number): SelfCareTier {
  if (!Number.isInteger(unmetIndicators) || unmetIndicators < 0 || unmetIndicators > 6)
    throw new RangeError('unmet indicators: 0–6');
  return unmetIndicators === 0 ? 'self' : unmetIndicators <= 3 ? 'partial' : 'complete';
}

/** 特困 basic living standard: per-mille × 低保 standard, rounded up to the whole yuan. */
export function tekunBasicLivingFen(dibaoStandardFen: number, basicLivingPerMille: number): number {
  assertFen('dibaoStandardFen', dibaoStandardFen);
  return ceilDiv(dibaoStandardFen * basicLivingPerMille, 100_000) * 100;
}

export type TekunResult = {
  eligible: boolean;
  basicFen: number;
  careFen: number;
  amountFen: number;
  lines: CalcLine[];
};

/**
 * 特困 monthly amount for one supported person: basic living + care by tier. Eligible
 * (means test only; work ability and supporters are checked by staff) when the person's
 * monthly income is below the 低保 standard.
 */
export function tekunAmount(
  params: TekunParams,
  dibaoStandardFen: number,
  person: { incomeFen: number; tier: SelfCareTier },
): TekunResult {
  assertFen('incomeFen', person.incomeFen);
  const lines: CalcLine[] = [];
  const basic = tekunBasicLivingFen(dibaoStandardFen, params.basicLivingPerMille);
  if (person.incomeFen >= dibaoStandardFen) {
    lines.push({
      key: 'policy.calc.tekun.notEligible',
      values: { incomeFen: person.incomeFen, standardFen: dibaoStandardFen },
      amountFen: 0,
    });
    return { eligible: false, basicFen: basic, careFen: 0, amountFen: 0, lines };
  }
  lines.push({
    key: 'policy.calc.tekun.basic',
    values: { standardFen: dibaoStandardFen, perMille: params.basicLivingPerMille },
    amountFen: basic,
  });
  const care = params.careFen[person.tier];
  lines.push({ key: `policy.calc.tekun.care.${person.tier}`, values: {}, amountFen: care });
  lines.push({ key: 'policy.calc.total', values: { baseFen: basic, supplementsFen: care }, amountFen: basic + care });
  return { eligible: true, basicFen: basic, careFen: care, amountFen: basic + care, lines };
}

export type EdgeResult = { eligible: boolean; amountFen: number; lines: CalcLine[] };

/**
 * 低保边缘: not eligible for 低保 (income ≥ standard × n) and income < per-mille × standard × n.
 * Amount: the configured monthly cash (0 by default: special assistance only).
 */
export function dibaoEdgeTest(
  params: DibaoEdgeParams,
  dibao: Pick<DibaoParams, 'standardFen' | 'deductMedicalCosts'>,
  h: HouseholdIncome,
): EdgeResult {
  const n = h.members.length;
  if (n < 1) throw new RangeError('a household has at least one member');
  const income = countedIncome(dibao, h);
  const dibaoLine = dibao.standardFen * n;
  // income < perMille/1000 × standard × n, compared in integers.
  const below = income * 1000 < params.incomePerMille * dibao.standardFen * n;
  const eligible = income >= dibaoLine && below;
  const lines: CalcLine[] = [
    {
      key: 'policy.calc.edge.line',
      values: { standardFen: dibao.standardFen, perMille: params.incomePerMille, members: n, incomeFen: income },
      amountFen: ceilDiv(params.incomePerMille * dibao.standardFen * n, 1000),
    },
    {
      key: eligible ? 'policy.calc.edge.eligible' : 'policy.calc.edge.notEligible',
      values: {},
      amountFen: eligible ? params.monthlyCashFen : 0,
    },
  ];
  return { eligible, amountFen: eligible ? params.monthlyCashFen : 0, lines };
}

export type TemporaryResult = { maxFen: number; approvalLevel: ApprovalLevel; lines: CalcLine[] };

/** 临时救助 maximum (multiple × 低保 standard) and who approves a requested amount. */
export function temporaryMaximum(
  params: TemporaryParams,
  dibaoStandardFen: number,
  opts: { specialHardship?: boolean; requestedFen?: number } = {},
): TemporaryResult {
  assertFen('dibaoStandardFen', dibaoStandardFen);
  const multiple = opts.specialHardship ? params.specialHardshipMultiple : params.maxMultiple;
  const maxFen = multiple * dibaoStandardFen;
  const requested = opts.requestedFen ?? maxFen;
  assertFen('requestedFen', requested);
  const amount = Math.min(requested, maxFen);
  const approvalLevel: ApprovalLevel = amount <= params.townshipLimitFen ? 'township' : 'county';
  return {
    maxFen,
    approvalLevel,
    lines: [
      {
        key: opts.specialHardship ? 'policy.calc.temporary.maxSpecial' : 'policy.calc.temporary.max',
        values: { multiple, standardFen: dibaoStandardFen },
        amountFen: maxFen,
      },
      {
        key: `policy.calc.temporary.approval.${approvalLevel}`,
        values: { townshipLimitFen: params.townshipLimitFen },
        amountFen: amount,
      },
    ],
  };
}

export type HouseholdAssets = {
  members: number;
  savingsFen: number;
  vehicleTypes: string[];
  properties: number;
  hasBusiness: boolean;
};

export type AssetTestResult = {
  passed: boolean;
  lines: (CalcLine & { passed: boolean })[];
};

/** The asset tests, one line per limit; passes when every limit holds. */
export function assetTest(limits: AssetLimits, a: HouseholdAssets): AssetTestResult {
  assertFen('savingsFen', a.savingsFen);
  const savingsLimit = limits.savingsPerPersonFen * a.members;
  const counted = a.vehicleTypes.filter((t) => !limits.exemptVehicleTypes.includes(t)).length;
  const lines: AssetTestResult['lines'] = [
    {
      key: 'policy.calc.assets.savings',
      values: { savingsFen: a.savingsFen, limitFen: savingsLimit },
      passed: a.savingsFen <= savingsLimit,
    },
    {
      key: 'policy.calc.assets.vehicles',
      values: { counted, allowed: limits.vehiclesAllowed },
      passed: counted <= limits.vehiclesAllowed,
    },
    {
      key: 'policy.calc.assets.properties',
      values: { properties: a.properties, allowed: limits.propertiesAllowed },
      passed: a.properties <= limits.propertiesAllowed,
    },
    {
      key: 'policy.calc.assets.business',
      values: { hasBusiness: a.hasBusiness ? 1 : 0 },
      passed: limits.businessAllowed || !a.hasBusiness,
    },
  ];
  return { passed: lines.every((l) => l.passed), lines };
}
