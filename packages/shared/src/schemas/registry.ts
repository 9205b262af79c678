import { z } from 'zod';
import { IsoDate, RegionCode, Text } from './common';

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

const Phone = Text.regex(/^1\d{10}$/, '手机号应为11位数字');
const BankAccount = Text.regex(/^\d{12,19}$/, '银行账号应为12–19位数字');
const Disability = z.strictObject({
  type: DisabilityType,
  grade: z.number().int().min(1).max(4),
  certificateNo: Text.min(1).max(30),
});

export const MemberInput = z.strictObject({
  name: Text.trim().min(1).max(50),
  idNumber: Text.min(1).max(30),
  relation: Relation,
  hukouType: HukouType,
  phone: Phone.optional(),
  bankAccount: BankAccount.optional(),
  bankName: Text.max(50).optional(),
  disability: Disability.optional(),
  seriousIllness: Text.max(100).optional(),
  workAbility: WorkAbility.default('full'),
  adl: Adl.optional(),
  schoolStatus: SchoolStatus.default('none'),
  income: Income.default({}),
  assets: Assets.default({}),
});
export type MemberInput = z.infer<typeof MemberInput>;

export const HouseholdInput = z.strictObject({
  regionCode: RegionCode,
  address: Text.trim().min(1).max(200),
  assistanceStatus: AssistanceStatus.default('none'),
  members: z.array(MemberInput).min(1).max(30),
});
export type HouseholdInput = z.infer<typeof HouseholdInput>;

/** A member in an edit: an existing one is named by `id` (its ID number stays as registered), a new one by `idNumber`. */
export const MemberUpdateInput = MemberInput.extend({
  id: z.uuid().optional(),
  idNumber: Text.min(1).max(30).optional(),
  // For an existing member the edit form only has masked values: omitted keeps the stored one, null removes it.
  phone: Phone.nullable().optional(),
  bankAccount: BankAccount.nullable().optional(),
  disability: Disability.extend({ certificateNo: Text.min(1).max(30).optional() }).optional(),
});
export type MemberUpdateInput = z.infer<typeof MemberUpdateInput>;

export const HouseholdUpdateInput = z.strictObject({
  /** The version the editor started from; a newer one in the database is a conflict. */
  version: z.number().int().min(1),
  regionCode: RegionCode,
  /** Omitted: the address stays as it is. */
  address: Text.trim().min(1).max(200).optional(),
  assistanceStatus: AssistanceStatus,
  members: z.array(MemberUpdateInput).min(1).max(30),
});
export type HouseholdUpdateInput = z.infer<typeof HouseholdUpdateInput>;

/** A member as lists and details show it: personal numbers masked. */
export const Member = z.object({
  id: Text,
  name: Text,
  idMasked: Text,
  sex: z.enum(['male', 'female']),
  birthDate: IsoDate,
  age: z.number().int(),
  relation: Relation,
  hukouType: HukouType,
  phoneMasked: Text.nullable(),
  bankAccountMasked: Text.nullable(),
  bankName: Text.nullable(),
  disability: z.object({ type: DisabilityType, grade: z.number().int() }).nullable(),
  seriousIllness: Text.nullable(),
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
  id: Text,
  householdNo: Text,
  regionCode: Text,
  regionName: Text,
  headName: Text,
  headIdMasked: Text,
  memberCount: z.number().int(),
  assistanceStatus: AssistanceStatus,
  flags: z.array(z.enum(['staff_relative', 'disability', 'serious_illness', 'elderly', 'minor'])),
  updatedAt: Text,
});
export type HouseholdSummary = z.infer<typeof HouseholdSummary>;

export const HistoryEntry = z.object({
  id: z.number().int(),
  at: Text,
  actorUsername: Text,
  action: Text,
  memberId: Text.nullable(),
  changes: z.array(z.object({ field: Text, old: z.unknown(), new: z.unknown() })),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Household = HouseholdSummary.extend({
  addressMasked: Text,
  version: z.number().int(),
  members: z.array(Member),
  history: z.array(HistoryEntry),
});
export type Household = z.infer<typeof Household>;

export const HouseholdSearchQuery = z.strictObject({
  name: Text.max(50).optional(),
  idNumber: Text.max(30).optional(),
  regionCode: RegionCode.optional(),
  status: AssistanceStatus.optional(),
  flag: z.enum(['staff_relative', 'disability', 'serious_illness', 'elderly', 'minor']).optional(),
  /** Part of a 户编号. */
  householdNo: Text.trim().max(40).optional(),
  sort: z.enum(['householdNo', 'headName', 'memberCount', 'region', 'updatedAt']).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type HouseholdSearchQuery = z.infer<typeof HouseholdSearchQuery>;

export const HouseholdPage = z.object({ items: z.array(HouseholdSummary), total: z.number().int() });
export type HouseholdPage = z.infer<typeof HouseholdPage>;

export const RevealField = z.enum(['idNumber', 'phone', 'bankAccount', 'address', 'disabilityCertificate']);
export const RevealBody = z.strictObject({ field: RevealField, reason: Text.trim().min(4).max(200) });
export type RevealBody = z.infer<typeof RevealBody>;
export const RevealResult = z.object({ field: RevealField, value: Text.nullable() });

export const StaffRelativeInput = z.strictObject({
  regionCode: RegionCode,
  staffName: Text.trim().min(1).max(50),
  staffPosition: Text.trim().min(1).max(50),
  relativeName: Text.trim().min(1).max(50),
  relativeIdNumber: Text.min(1).max(30),
  relation: Text.trim().min(1).max(20),
});
export type StaffRelativeInput = z.infer<typeof StaffRelativeInput>;
export const StaffRelative = z.object({
  id: Text,
  regionCode: Text,
  staffName: Text,
  staffPosition: Text,
  relativeName: Text,
  relativeIdMasked: Text,
  relation: Text,
  createdBy: Text,
  createdAt: Text,
});
export type StaffRelative = z.infer<typeof StaffRelative>;

export const ImportError = z.object({ row: z.number().int(), column: Text, reason: Text });
export type ImportError = z.infer<typeof ImportError>;
export const ImportReport = z.object({
  importId: Text,
  dryRun: z.boolean(),
  rows: z.number().int(),
  households: z.number().int(),
  validHouseholds: z.number().int(),
  importedHouseholds: z.number().int(),
  unchangedHouseholds: z.number().int(),
  errors: z.array(ImportError),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** A register import running in the background (or finished): what the page polls. */
export const ImportProgress = z.object({
  importId: Text,
  status: z.enum(['running', 'done', 'failed']),
  dryRun: z.boolean(),
  /** Bytes of the file read so far, and its size: the progress bar. */
  bytesDone: z.number().int(),
  bytesTotal: z.number().int(),
  /** Rows read so far. */
  rows: z.number().int(),
  /** Why a failed import stopped. */
  failure: Text.nullable(),
  /** The report, once done. */
  report: ImportReport.nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;
