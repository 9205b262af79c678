/**
 * The rules' proposal (认定建议): which kinds of assistance apply and how much, with the
 * step-by-step calculation. The math is the shared policy math (policy.calc.* lines); the
 * decision steps added here are case.calc.* lines. Staff confirm it or override it.
 *
 * Order (POLICY.md): assets over a kind's limits → not that kind; 特困 for a one-person
 * household without work ability whose income is below the 低保 standard; else 低保 when
 * eligible; else 低保边缘 when its test passes; 临时救助 (one-off, the maximum) for an
 * emergency, whatever else applies. Approval by the strictest level of the kinds proposed,
 * always the county for relatives of staff (近亲属备案).
 */
import type { Kysely } from 'kysely';
import {
  assetTest,
  countedIncome,
  dibaoAmount,
  dibaoEdgeTest,
  selfCareTier,
  tekunAmount,
  temporaryMaximum,
  type ApprovalLevel,
  type AssetLimits,
  type AssistanceKind,
  type CalcLine,
  type Determination,
  type DeterminedKind,
  type HouseholdIncome,
  type MemberFacts,
  type PolicyParamsByKind,
  type VerificationReport,
} from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { Conflict } from '../../errors';
import { findEffectiveStandard } from '../policy/service';
import { householdAssets } from './verification';

export type DeterminationMember = { idHash: string; birthDate: string; relation: string };

export type DeterminationInput = {
  /** The case's village; its county's standards apply (else the city's). */
  regionCode: string;
  /** The month the standards are read for (YYYY-MM). */
  month: string;
  members: DeterminationMember[];
  report: VerificationReport;
  /** Daily-living indicators unmet (0–6), for the 特困 care tier. */
  unmetAdl: number;
  emergency: boolean;
  staffRelative: boolean;
};

/** Registry facts of a person (when registered); defaults otherwise. */
type Facts = {
  disabilityType: string | null;
  disabilityGrade: number | null;
  seriousIllness: boolean;
  workAbility: string;
};

/** Age in whole years on the first day of `month`. */
export function ageAt(birthDate: string, month: string): number {
  const years = Number(month.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return `${month.slice(5, 7)}-01` < birthDate.slice(5, 10) ? years - 1 : years;
}

/**
 * No work ability (POLICY.md 特困): 60 or older, under 16, registered as unable to work, or
 * disabled: intellectual or mental grade 1–3, visual grade 1, physical (or multiple) grade 1–2.
 */
export function withoutWorkAbility(age: number, f: Facts): boolean {
  if (age >= 60 || age < 16 || f.workAbility === 'none') return true;
  const g = f.disabilityGrade;
  if (g === null || !f.disabilityType) return false;
  switch (f.disabilityType) {
    case 'intellectual':
    case 'mental':
      return g <= 3;
    case 'visual':
      return g === 1;
    case 'physical':
    case 'multiple':
      return g <= 2;
    default:
      return false;
  }
}

type Found<K extends AssistanceKind> = {
  id: string;
  version: number;
  regionCode: string;
  params: PolicyParamsByKind[K];
};

async function standardOf<K extends AssistanceKind>(
  db: Kysely<DB>,
  regionCode: string,
  kind: K,
  month: string,
): Promise<Found<K> | undefined> {
  const found = await findEffectiveStandard(db, regionCode.slice(0, 4), regionCode, kind, month);
  if (!found) return undefined;
  const s = found.standard;
  return { id: s.id, version: s.version, regionCode: s.regionCode, params: s.params as PolicyParamsByKind[K] };
}

/** Proposes the kinds and amounts for a verified case (read-only). */
export async function proposeDetermination(db: Kysely<DB>, input: DeterminationInput): Promise<Determination> {
  const { regionCode, month, report } = input;
  const n = input.members.length;
  if (n < 1) throw new RangeError('a household has at least one member');
  const [dibao, tekun, edge, temporary] = await Promise.all([
    standardOf(db, regionCode, 'dibao', month),
    standardOf(db, regionCode, 'tekun', month),
    standardOf(db, regionCode, 'dibao_edge', month),
    standardOf(db, regionCode, 'temporary', month),
  ]);
  // Every kind's test is measured against the 低保 standard: without it nothing can be proposed.
  if (!dibao) throw Conflict('case.noStandard', { kind: 'case.kind.dibao' });

  const facts = await registryFacts(
    db,
    input.members.map((m) => m.idHash),
  );
  const people = input.members.map((m) => {
    const f = facts.get(m.idHash) ?? {
      disabilityType: null,
      disabilityGrade: null,
      seriousIllness: false,
      workAbility: 'full',
    };
    const age = ageAt(m.birthDate, month);
    const member: MemberFacts = {
      age,
      severeDisability: f.disabilityGrade !== null && f.disabilityGrade <= 2,
      seriousIllness: f.seriousIllness,
    };
    return { member, noWorkAbility: withoutWorkAbility(age, f) };
  });
  const household: HouseholdIncome = {
    members: people.map((p) => p.member),
    incomeFen: report.monthlyIncomeFen,
    medicalCostsFen: report.medicalCostsFen,
  };
  const assets = householdAssets(report.lines, n);
  const lines: CalcLine[] = [
    {
      key: 'case.calc.household',
      values: { month, members: n, incomeFen: report.monthlyIncomeFen, perCapitaIncomeFen: report.perCapitaIncomeFen },
      amountFen: report.monthlyIncomeFen,
    },
  ];
  const kinds: DeterminedKind[] = [];
  const levels: ApprovalLevel[] = [];
  const used = new Set<AssistanceKind>(['dibao']);

  /** The asset test of a kind's limits; a failure adds its failing lines and ends that kind. */
  const assetsPass = (kind: AssistanceKind, limits: AssetLimits): boolean => {
    const test = assetTest(limits, assets);
    if (test.passed) return true;
    lines.push({ key: 'case.calc.assetsFailed', values: { kind }, amountFen: 0 });
    for (const l of test.lines) if (!l.passed) lines.push({ key: l.key, values: l.values });
    return false;
  };
  const notConfigured = (kind: AssistanceKind) =>
    lines.push({ key: 'case.calc.notConfigured', values: { kind }, amountFen: 0 });

  // 特困: one person without work ability.
  let regular = false;
  if (n === 1 && people[0]!.noWorkAbility) {
    lines.push({ key: 'case.calc.kind', values: { kind: 'tekun' } });
    if (!tekun) notConfigured('tekun');
    else if (assetsPass('tekun', tekun.params.assets)) {
      const tier = selfCareTier(input.unmetAdl);
      lines.push({ key: 'case.calc.tekun.tier', values: { unmetAdl: input.unmetAdl, tier } });
      const r = tekunAmount(tekun.params, dibao.params.standardFen, {
        incomeFen: countedIncome(dibao.params, household),
        tier,
      });
      lines.push(...r.lines);
      if (r.eligible) {
        kinds.push({ kind: 'tekun', monthlyAmountFen: r.amountFen, oneOffAmountFen: 0 });
        levels.push(tekun.params.approvalLevel);
        used.add('tekun');
        regular = true;
      }
    }
  } else if (n === 1) {
    lines.push({ key: 'case.calc.tekun.workAbility', values: { age: people[0]!.member.age }, amountFen: 0 });
  }

  // 低保.
  let dibaoIncomeFailed = false;
  if (!regular) {
    lines.push({ key: 'case.calc.kind', values: { kind: 'dibao' } });
    if (assetsPass('dibao', dibao.params.assets)) {
      const r = dibaoAmount(dibao.params, household);
      lines.push(...r.lines);
      if (r.eligible) {
        kinds.push({ kind: 'dibao', monthlyAmountFen: r.amountFen, oneOffAmountFen: 0 });
        levels.push(dibao.params.approvalLevel);
        regular = true;
      } else dibaoIncomeFailed = true;
    }
  }

  // 低保边缘: only for a household the 低保 income test turned down.
  if (!regular && dibaoIncomeFailed) {
    lines.push({ key: 'case.calc.kind', values: { kind: 'dibao_edge' } });
    if (!edge) notConfigured('dibao_edge');
    else if (assetsPass('dibao_edge', edge.params.assets)) {
      const r = dibaoEdgeTest(edge.params, dibao.params, household);
      lines.push(...r.lines);
      if (r.eligible) {
        kinds.push({ kind: 'dibao_edge', monthlyAmountFen: r.amountFen, oneOffAmountFen: 0 });
        levels.push(edge.params.approvalLevel);
        used.add('dibao_edge');
      }
    }
  }

  // 临时救助 (急难型): a one-off amount, the standard's maximum.
  if (input.emergency) {
    lines.push({ key: 'case.calc.kind', values: { kind: 'temporary' } });
    if (!temporary) notConfigured('temporary');
    else {
      const r = temporaryMaximum(temporary.params, dibao.params.standardFen);
      lines.push(...r.lines);
      kinds.push({ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: r.maxFen });
      levels.push(r.approvalLevel);
      used.add('temporary');
    }
  }

  if (kinds.length === 0) lines.push({ key: 'case.calc.none', values: {}, amountFen: 0 });
  let approvalLevel: ApprovalLevel;
  if (input.staffRelative) {
    approvalLevel = 'county';
    lines.push({ key: 'case.calc.staffRelative', values: {} });
  } else {
    // A refusal is decided at the level a 低保 approval would be.
    const all = levels.length > 0 ? levels : [dibao.params.approvalLevel];
    approvalLevel = all.includes('county') ? 'county' : 'township';
  }
  lines.push({ key: 'case.calc.approval', values: { level: approvalLevel } });

  const found = { dibao, tekun, dibao_edge: edge, temporary } as const;
  return {
    kinds,
    lines,
    approvalLevel,
    standards: [...used].map((kind) => {
      const s = found[kind]!;
      return { kind, id: s.id, version: s.version, regionCode: s.regionCode };
    }),
  };
}

/** Disability, illness and work ability of registered people (no scope: the caller's own case's members). */
async function registryFacts(db: Kysely<DB>, hashes: string[]): Promise<Map<string, Facts>> {
  const rows = await db
    .selectFrom('members')
    .select(['id_hash', 'disability_type', 'disability_grade', 'serious_illness', 'work_ability'])
    .where('id_hash', 'in', hashes)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id_hash,
      {
        disabilityType: r.disability_type,
        disabilityGrade: r.disability_grade,
        seriousIllness: r.serious_illness !== null && r.serious_illness !== '',
        workAbility: r.work_ability,
      },
    ]),
  );
}
