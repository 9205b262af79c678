import { z } from 'zod';
import { IsoMonth, RegionCode, Text } from './common';
import type { Role } from './roles';

/**
 * Policy standards (救助标准): one versioned parameter set per region, kind of assistance and
 * effective month. Money is integer fen; multipliers are integer per-mille (1300 = 1.3×);
 * deadlines are working days. See docs/POLICY-STANDARDS.md.
 */
export const AssistanceKind = z.enum(['dibao', 'tekun', 'dibao_edge', 'temporary']);
export type AssistanceKind = z.infer<typeof AssistanceKind>;
export const ASSISTANCE_KINDS = AssistanceKind.options;

/** Who reads standards: the registry readers plus finance officers (payroll) and auditors. */
export const POLICY_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'finance_officer',
  'auditor',
];
/** Who adds versions: city admins for the city or any county, county officers for their own county. */
export const POLICY_EDITORS: readonly Role[] = ['city_admin', 'county_officer'];

/** A month as YYYY-MM (01–12). */
export const PolicyMonth = IsoMonth;

const Fen = z.number().int().min(0).max(100_000_000);
const WorkingDays = z.number().int().min(1).max(90);
/** A review interval (定期核查) in months. */
const ReviewMonths = z.number().int().min(1).max(36);
export const ApprovalLevel = z.enum(['township', 'county']);
export type ApprovalLevel = z.infer<typeof ApprovalLevel>;

/** Asset limits (家庭财产状况), shared by every kind that tests assets. */
export const AssetLimits = z.strictObject({
  /** Savings, securities and commercial insurance value per household member. */
  savingsPerPersonFen: Fen,
  /** Motor vehicles the household may own, not counting exempt types. */
  vehiclesAllowed: z.number().int().min(0).max(10),
  /** Vehicle types that never count (e.g. motorcycle, disability_vehicle, agricultural). */
  exemptVehicleTypes: z.array(Text.min(1).max(40)).max(20),
  /** Residential properties the household may own. */
  propertiesAllowed: z.number().int().min(0).max(10),
  /** Whether owning a registered business is allowed. */
  businessAllowed: z.boolean(),
});
export type AssetLimits = z.infer<typeof AssetLimits>;

export const DibaoParams = z.strictObject({
  /** Monthly standard per person (低保标准). */
  standardFen: Fen.min(1),
  /** Category supplements (分类施保), per qualifying person per month; a person gets the highest one. */
  supplements: z.strictObject({
    elderlyAge: z.number().int().min(50).max(100),
    elderlyFen: Fen,
    minorFen: Fen,
    /** Disability grade 1–2. */
    severeDisabilityFen: Fen,
    seriousIllnessFen: Fen,
  }),
  /** Minimum benefit per person of an eligible household (保底), or null. */
  floorPerPersonFen: Fen.nullable(),
  /** Whether necessary medical and disability costs are deducted from counted income. */
  deductMedicalCosts: z.boolean(),
  assets: AssetLimits,
  /** Gradual exit (渐退) after a member finds work, in months. */
  gradualExitMonths: z.number().int().min(0).max(6),
  /** Public notice (公示) in days. */
  noticeDays: z.number().int().min(1).max(30),
  approvalLevel: ApprovalLevel,
  deadlines: z.strictObject({
    surveyStart: WorkingDays,
    verificationStart: WorkingDays,
    countyDecision: WorkingDays,
    refusalNotice: WorkingDays,
    total: WorkingDays,
    totalDelegated: WorkingDays,
    totalExtended: WorkingDays,
  }),
  /**
   * Scheduled reviews (定期核查): households whose covered members cannot work (all 60+, under 16,
   * severely disabled or registered unable to work) and the others.
   */
  reviewMonths: z.strictObject({ unableToWork: ReviewMonths, other: ReviewMonths }),
});
export type DibaoParams = z.infer<typeof DibaoParams>;

export const SelfCareTier = z.enum(['self', 'partial', 'complete']);
export type SelfCareTier = z.infer<typeof SelfCareTier>;

export const TekunParams = z.strictObject({
  /** Basic living standard as per-mille of the 低保 standard; at least 1300 (1.3×). */
  basicLivingPerMille: z.number().int().min(1300).max(5000),
  /** Care standard per month by self-care tier (生活自理能力). */
  careFen: z.strictObject({ self: Fen, partial: Fen, complete: Fen }),
  assets: AssetLimits,
  noticeDays: z.number().int().min(1).max(30),
  approvalLevel: ApprovalLevel,
  deadlines: z.strictObject({ survey: WorkingDays, countyDecision: WorkingDays }),
  /** Share of township-surveyed cases the county re-checks at random, in percent. */
  countyRecheckPercent: z.number().int().min(0).max(100),
  /** Scheduled reviews (定期核查), in months. */
  reviewMonths: ReviewMonths,
});
export type TekunParams = z.infer<typeof TekunParams>;

export const DibaoEdgeParams = z.strictObject({
  /** Income line as per-mille of the 低保 standard (1500 = 1.5×). */
  incomePerMille: z.number().int().min(1000).max(5000),
  /** Monthly cash per household; 0 = special assistance only (the default). */
  monthlyCashFen: Fen,
  assets: AssetLimits,
  noticeDays: z.number().int().min(1).max(30),
  approvalLevel: ApprovalLevel,
  /** Scheduled reviews (定期核查), in months. */
  reviewMonths: ReviewMonths,
});
export type DibaoEdgeParams = z.infer<typeof DibaoEdgeParams>;

export const TemporaryParams = z
  .strictObject({
    /** Maximum in months of the 低保 standard. */
    maxMultiple: z.number().int().min(1).max(36),
    /** Maximum in special hardship (特别困难). */
    specialHardshipMultiple: z.number().int().min(1).max(60),
    /** The township approves up to this amount; the county above it. */
    townshipLimitFen: Fen,
    /** 急难型: paperwork after payment (先行救助) within this many working days. */
    emergencyPaperworkDays: WorkingDays,
    /** 支出型: annual per-capita income line (last year's local per-capita disposable income). */
    spendingIncomeLinePerCapitaYearFen: Fen,
  })
  .refine((p) => p.specialHardshipMultiple >= p.maxMultiple, {
    path: ['specialHardshipMultiple'],
    message: 'must be at least maxMultiple',
  });
export type TemporaryParams = z.infer<typeof TemporaryParams>;

export type PolicyParamsByKind = {
  dibao: DibaoParams;
  tekun: TekunParams;
  dibao_edge: DibaoEdgeParams;
  temporary: TemporaryParams;
};
export const POLICY_PARAMS_SCHEMA = {
  dibao: DibaoParams,
  tekun: TekunParams,
  dibao_edge: DibaoEdgeParams,
  temporary: TemporaryParams,
} as const;

const versionFields = { regionCode: RegionCode, effectiveMonth: PolicyMonth, note: Text.max(500).default('') };

/** A new version: the kind decides the shape of `params`. */
export const CreatePolicyStandardBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dibao'), params: DibaoParams, ...versionFields }),
  z.strictObject({ kind: z.literal('tekun'), params: TekunParams, ...versionFields }),
  z.strictObject({ kind: z.literal('dibao_edge'), params: DibaoEdgeParams, ...versionFields }),
  z.strictObject({ kind: z.literal('temporary'), params: TemporaryParams, ...versionFields }),
]);
export type CreatePolicyStandardBody = z.infer<typeof CreatePolicyStandardBody>;

/** current: in force this month; scheduled: from a later month; superseded: replaced by a newer one. */
export const PolicyStandardStatus = z.enum(['current', 'scheduled', 'superseded']);
export type PolicyStandardStatus = z.infer<typeof PolicyStandardStatus>;

export const PolicyStandard = z.object({
  id: Text,
  regionCode: Text,
  regionName: Text,
  kind: AssistanceKind,
  effectiveMonth: Text,
  /** 1, 2, … per region and kind, in creation order. */
  version: z.number().int(),
  params: z.record(Text, z.unknown()),
  /** Demo values seeded at boot: not the city's real figures. */
  isDemo: z.boolean(),
  note: Text,
  status: PolicyStandardStatus,
  createdBy: Text,
  createdAt: Text,
});
export type PolicyStandard = z.infer<typeof PolicyStandard>;

export const PolicyStandardListQuery = z.strictObject({
  kind: AssistanceKind.optional(),
  region: RegionCode.optional(),
});
export type PolicyStandardListQuery = z.infer<typeof PolicyStandardListQuery>;
export const PolicyStandardList = z.object({ month: Text, items: z.array(PolicyStandard) });
export type PolicyStandardList = z.infer<typeof PolicyStandardList>;

export const EffectiveStandardQuery = z.strictObject({
  region: RegionCode,
  kind: AssistanceKind,
  /** Default: the current China month. */
  month: PolicyMonth.optional(),
});
export type EffectiveStandardQuery = z.infer<typeof EffectiveStandardQuery>;

export const EffectiveStandard = z.object({
  /** What was asked. */
  region: Text,
  kind: AssistanceKind,
  month: Text,
  /** Where the version came from: the county's own, or the city default. */
  source: z.enum(['county', 'city']),
  standard: PolicyStandard,
});
export type EffectiveStandard = z.infer<typeof EffectiveStandard>;
