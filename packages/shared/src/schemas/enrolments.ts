import { z } from 'zod';
import { RegionCode } from './common';
import { AssistanceKind, SelfCareTier } from './policy';
import type { Role } from './roles';

/** Who reads enrolments: the staff who handle assistance (in their region) and auditors. */
export const ENROLMENT_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
/**
 * Who records a change: the township or the county; the configured approval level of the kind
 * decides which one (a county-level change from a township account is refused).
 */
export const ENROLMENT_CHANGERS: readonly Role[] = ['township_officer', 'county_officer'];

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const Fen = z.number().int().min(0).max(100_000_000);

export const EnrolmentStatus = z.enum(['active', 'suspended', 'gradual_exit', 'ended']);
export type EnrolmentStatus = z.infer<typeof EnrolmentStatus>;
export const EnrolmentSource = z.enum(['case', 'import', 'seed', 'review']);
export type EnrolmentSource = z.infer<typeof EnrolmentSource>;
export const EnrolmentChangeType = z.enum([
  'enrolled',
  'amount_changed',
  'members_changed',
  'suspended',
  'resumed',
  'gradual_exit_started',
  'ended',
]);
export const EndReason = z.enum(['death', 'income_above_line', 'moved_away', 'refused_review', 'request', 'other']);
export type EndReason = z.infer<typeof EndReason>;
/** Why a change was made: an end reason, or where the change came from. */
export const ChangeReason = z.union([
  EndReason,
  z.enum(['case_approved', 'import', 'seed', 'staff', 'review', 'signal', 'member_change']),
]);
export type ChangeReason = z.infer<typeof ChangeReason>;
export const EntitlementState = z.enum(['pending', 'active', 'suspended', 'gradual_exit', 'ended']);

export const EnrolmentListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  kind: AssistanceKind.optional(),
  status: EnrolmentStatus.optional(),
  /** Open (not ended) enrolments whose review falls due on or before this date. */
  reviewDueBy: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** A covered member's name, or the household number. */
  q: z.string().trim().max(40).optional(),
  householdId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type EnrolmentListQuery = z.infer<typeof EnrolmentListQuery>;

export const EnrolmentSummary = z.object({
  id: z.string(),
  kind: AssistanceKind,
  status: EnrolmentStatus,
  source: EnrolmentSource,
  regionCode: z.string(),
  regionName: z.string(),
  householdId: z.string().nullable(),
  householdNo: z.string().nullable(),
  caseId: z.string().nullable(),
  /** The head of the household, or the supported person (特困). */
  name: z.string(),
  members: z.number().int(),
  monthlyAmountFen: z.number().int(),
  fromMonth: z.string(),
  endsMonth: z.string().nullable(),
  careTier: SelfCareTier.nullable(),
  reviewDueOn: z.string().nullable(),
  version: z.number().int(),
});
export type EnrolmentSummary = z.infer<typeof EnrolmentSummary>;

export const EnrolmentPage = z.object({
  items: z.array(EnrolmentSummary),
  total: z.number().int(),
  /** Open enrolments per kind within the filters other than kind and status. */
  counts: z.record(z.string(), z.number().int()),
});
export type EnrolmentPage = z.infer<typeof EnrolmentPage>;

export const EnrolmentMember = z.object({
  name: z.string(),
  idMasked: z.string(),
  relation: z.string(),
  memberId: z.string().nullable(),
  /** Covered in the current month. */
  covered: z.boolean(),
});
export const EnrolmentChange = z.object({
  seq: z.number().int(),
  type: EnrolmentChangeType,
  effectiveMonth: z.string(),
  amountFen: z.number().int().nullable(),
  oneOffFen: z.number().int().nullable(),
  members: z.number().int().nullable(),
  months: z.number().int().nullable(),
  reason: ChangeReason,
  note: z.string().nullable(),
  approvalLevel: z.enum(['township', 'county', 'system']),
  actor: z.string(),
  at: z.string(),
  caseId: z.string().nullable(),
  reviewId: z.string().nullable(),
  signalId: z.string().nullable(),
});
export type EnrolmentChange = z.infer<typeof EnrolmentChange>;
export const EnrolmentMonth = z.object({
  month: z.string(),
  state: EntitlementState,
  amountFen: z.number().int(),
  members: z.number().int(),
});
export const EnrolmentDetail = EnrolmentSummary.extend({
  approvalDocNo: z.string().nullable(),
  approvalDate: z.string().nullable(),
  coveredMembers: z.array(EnrolmentMember),
  changes: z.array(EnrolmentChange),
  /** From the first month to the latest of this month, the end and the last change's month, oldest first. */
  months: z.array(EnrolmentMonth),
  /** The level that approves changes to this enrolment (configured standard). */
  approvalLevel: z.enum(['township', 'county']),
  /** The changes the caller may record now. */
  allowedChanges: z.array(EnrolmentChangeType),
});
export type EnrolmentDetail = z.infer<typeof EnrolmentDetail>;

const Note = z.string().trim().min(1).max(500);
/** Changes take effect from a month; omitted: the month after today (China time). */
export const AmountChangeBody = z.strictObject({
  amountFen: Fen,
  effectiveMonth: Month.optional(),
  note: Note,
});
export type AmountChangeBody = z.infer<typeof AmountChangeBody>;
export const MembersChangeBody = z.strictObject({
  /** The registry members covered from the effective month. */
  memberIds: z.array(z.uuid()).min(1).max(30),
  amountFen: Fen,
  effectiveMonth: Month.optional(),
  note: Note,
});
export type MembersChangeBody = z.infer<typeof MembersChangeBody>;
export const SuspendBody = z.strictObject({ effectiveMonth: Month.optional(), note: Note });
export type SuspendBody = z.infer<typeof SuspendBody>;
export const ResumeBody = SuspendBody;
export type ResumeBody = SuspendBody;
export const GradualExitBody = SuspendBody;
export type GradualExitBody = SuspendBody;
export const EndBody = z.strictObject({ reason: EndReason, effectiveMonth: Month.optional(), note: Note });
export type EndBody = z.infer<typeof EndBody>;

export const EntitlementsQuery = z.strictObject({ month: Month, regionCode: RegionCode.optional() });

/** Who loads the existing caseload (存量对象导入): the register managers of a region. */
export const ENROLMENT_IMPORTERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
export const EnrolmentImportIssue = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
export type EnrolmentImportIssue = z.infer<typeof EnrolmentImportIssue>;
export const EnrolmentImportReport = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  /** Enrolments in the file (one per household key). */
  enrolments: z.number().int(),
  /** Created (or, in a dry run, that would be created). */
  created: z.number().int(),
  /** Already loaded by an earlier import: nothing added. */
  unchanged: z.number().int(),
  /** People not yet in the registry, registered with the import. */
  newPeople: z.number().int(),
  errors: z.array(EnrolmentImportIssue),
  /** Not errors: e.g. an amount that differs from the configured standard (the city's historical figure rules). */
  warnings: z.array(EnrolmentImportIssue),
});
export type EnrolmentImportReport = z.infer<typeof EnrolmentImportReport>;
