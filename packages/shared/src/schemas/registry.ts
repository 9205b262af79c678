import { z } from 'zod';
import { IsoDate, RegionCode } from './common';

export const Relation = z.enum([
  'head',
  'spouse',
  'child',
  'parent',
  'grandchild',
  'grandparent',
  'sibling',
  'daughter_in_law',
  'son_in_law',
  'other',
]);
export type Relation = z.infer<typeof Relation>;
export const HukouType = z.enum(['urban', 'rural']);
export const DisabilityType = z.enum(['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']);
export const WorkAbility = z.enum(['full', 'partial', 'none']);
export const SelfCare = z.enum(['self', 'partial', 'complete']);
export type SelfCare = z.infer<typeof SelfCare>;
export const SchoolStatus = z.enum([
  'none',
  'preschool',
  'primary',
  'junior',
  'senior',
  'vocational',
  'college',
  'graduate',
]);
export const AssistanceStatus = z.enum(['none', 'applicant', 'dibao', 'tekun', 'dibao_edge', 'low_income']);
export type AssistanceStatus = z.infer<typeof AssistanceStatus>;

/** Six daily-living indicators; true = the person manages it alone. */
export const Adl = z.strictObject({
  eating: z.boolean(),
  dressing: z.boolean(),
  transfer: z.boolean(),
  toileting: z.boolean(),
  walking: z.boolean(),
  bathing: z.boolean(),
});
export type Adl = z.infer<typeof Adl>;

/** All met = self-care; 1–3 unmet = partial; 4 or more unmet = complete loss (特困人员认定办法). */
export function selfCareOf(adl: Adl | undefined): SelfCare {
  if (!adl) return 'self';
  const unmet = Object.values(adl).filter((v) => !v).length;
  return unmet === 0 ? 'self' : unmet <= 3 ? 'partial' : 'complete';
}

const Fen = z.number().int().min(0, '金额不能为负数').max(100_000_000_00);

export const IncomeTypes = ['wage', 'business', 'property', 'transfer', 'pension', 'other'] as const;
export const Income = z.strictObject(
  Object.fromEntries(IncomeTypes.map((k) => [k, Fen.optional()])) as Record<
    (typeof IncomeTypes)[number],
    z.ZodOptional<typeof Fen>
  >,
);
export type Income = z.infer<typeof Income>;

export const AssetTypes = ['deposits', 'securities', 'vehicles', 'property', 'business'] as const;
export const Assets = z.strictObject(
  Object.fromEntries(AssetTypes.map((k) => [k, Fen.optional()])) as Record<
    (typeof AssetTypes)[number],
    z.ZodOptional<typeof Fen>
  >,
);
export type Assets = z.infer<typeof Assets>;

const Phone = z.string().regex(/^1\d{10}$/, '手机号应为11位数字');
const BankAccount = z.string().regex(/^\d{12,19}$/, '银行账号应为12–19位数字');
const Disability = z.strictObject({
  type: DisabilityType,
  grade: z.number().int().min(1).max(4),
  certificateNo: z.string().min(1).max(30),
});

export const MemberInput = z.strictObject({
  name: z.string().trim().min(1).max(50),
  idNumber: z.string().min(1).max(30),
  relation: Relation,
  hukouType: HukouType,
  phone: Phone.optional(),
  bankAccount: BankAccount.optional(),
  bankName: z.string().max(50).optional(),
  disability: Disability.optional(),
  seriousIllness: z.string().max(100).optional(),
  workAbility: WorkAbility.default('full'),
  adl: Adl.optional(),
  schoolStatus: SchoolStatus.default('none'),
  income: Income.default({}),
  assets: Assets.default({}),
});
export type MemberInput = z.infer<typeof MemberInput>;

export const HouseholdInput = z.strictObject({
  regionCode: RegionCode,
  address: z.string().trim().min(1).max(200),
  assistanceStatus: AssistanceStatus.default('none'),
  members: z.array(MemberInput).min(1).max(30),
});
export type HouseholdInput = z.infer<typeof HouseholdInput>;

/** A member in an edit: an existing one is named by `id` (its ID number stays as registered), a new one by `idNumber`. */
export const MemberUpdateInput = MemberInput.extend({
  id: z.uuid().optional(),
  idNumber: z.string().min(1).max(30).optional(),
  // For an existing member the edit form only has masked values: omitted keeps the stored one, null removes it.
  phone: Phone.nullable().optional(),
  bankAccount: BankAccount.nullable().optional(),
  disability: Disability.extend({ certificateNo: z.string().min(1).max(30).optional() }).optional(),
});
export type MemberUpdateInput = z.infer<typeof MemberUpdateInput>;

export const HouseholdUpdateInput = z.strictObject({
  /** The version the editor started from; a newer one in the database is a conflict. */
  version: z.number().int().min(1),
  regionCode: RegionCode,
  /** Omitted: the address stays as it is. */
  address: z.string().trim().min(1).max(200).optional(),
  assistanceStatus: AssistanceStatus,
  members: z.array(MemberUpdateInput).min(1).max(30),
});
export type HouseholdUpdateInput = z.infer<typeof HouseholdUpdateInput>;

/** A member as lists and details show it: personal numbers masked. */
export const Member = z.object({
  id: z.string(),
  name: z.string(),
  idMasked: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: IsoDate,
  age: z.number().int(),
  relation: Relation,
  hukouType: HukouType,
  phoneMasked: z.string().nullable(),
  bankAccountMasked: z.string().nullable(),
  bankName: z.string().nullable(),
  disability: z.object({ type: DisabilityType, grade: z.number().int() }).nullable(),
  seriousIllness: z.string().nullable(),
  workAbility: WorkAbility,
  adl: Adl.nullable(),
  selfCare: SelfCare,
  schoolStatus: SchoolStatus,
  income: Income,
  assets: Assets,
  staffRelative: z.boolean(),
});
export type Member = z.infer<typeof Member>;

export const HouseholdSummary = z.object({
  id: z.string(),
  householdNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  headName: z.string(),
  headIdMasked: z.string(),
  memberCount: z.number().int(),
  assistanceStatus: AssistanceStatus,
  flags: z.array(z.enum(['staff_relative', 'disability', 'serious_illness', 'elderly', 'minor'])),
  updatedAt: z.string(),
});
export type HouseholdSummary = z.infer<typeof HouseholdSummary>;

export const HistoryEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorUsername: z.string(),
  action: z.string(),
  memberId: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Household = HouseholdSummary.extend({
  addressMasked: z.string(),
  version: z.number().int(),
  members: z.array(Member),
  history: z.array(HistoryEntry),
});
export type Household = z.infer<typeof Household>;

export const HouseholdSearchQuery = z.strictObject({
  name: z.string().max(50).optional(),
  idNumber: z.string().max(30).optional(),
  regionCode: RegionCode.optional(),
  status: AssistanceStatus.optional(),
  flag: z.enum(['staff_relative', 'disability', 'serious_illness', 'elderly', 'minor']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type HouseholdSearchQuery = z.infer<typeof HouseholdSearchQuery>;

export const HouseholdPage = z.object({ items: z.array(HouseholdSummary), total: z.number().int() });
export type HouseholdPage = z.infer<typeof HouseholdPage>;

export const RevealField = z.enum(['idNumber', 'phone', 'bankAccount', 'address', 'disabilityCertificate']);
export const RevealBody = z.strictObject({ field: RevealField, reason: z.string().trim().min(4).max(200) });
export type RevealBody = z.infer<typeof RevealBody>;
export const RevealResult = z.object({ field: RevealField, value: z.string().nullable() });

export const StaffRelativeInput = z.strictObject({
  regionCode: RegionCode,
  staffName: z.string().trim().min(1).max(50),
  staffPosition: z.string().trim().min(1).max(50),
  relativeName: z.string().trim().min(1).max(50),
  relativeIdNumber: z.string().min(1).max(30),
  relation: z.string().trim().min(1).max(20),
});
export type StaffRelativeInput = z.infer<typeof StaffRelativeInput>;
export const StaffRelative = z.object({
  id: z.string(),
  regionCode: z.string(),
  staffName: z.string(),
  staffPosition: z.string(),
  relativeName: z.string(),
  relativeIdMasked: z.string(),
  relation: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type StaffRelative = z.infer<typeof StaffRelative>;

export const ImportError = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
export type ImportError = z.infer<typeof ImportError>;
export const ImportReport = z.object({
  importId: z.string(),
  dryRun: z.boolean(),
  rows: z.number().int(),
  households: z.number().int(),
  validHouseholds: z.number().int(),
  importedHouseholds: z.number().int(),
  unchangedHouseholds: z.number().int(),
  errors: z.array(ImportError),
});
export type ImportReport = z.infer<typeof ImportReport>;
