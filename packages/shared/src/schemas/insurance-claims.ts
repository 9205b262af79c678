import { z } from 'zod';
import { IsoDate, RegionCode, Text } from './common';
import type { Role } from './roles';
import { CoverItemCode, DocumentKind } from './insurance';

export const ClaimStatus = z.enum(['reported', 'guided', 'received', 'approved', 'refused', 'paid']);
export type ClaimStatus = z.infer<typeof ClaimStatus>;
export const ClaimStep = z.enum(['guide', 'receive', 'review', 'pay']);
export type ClaimStep = z.infer<typeof ClaimStep>;

/** 报案: the insured person (by ID number), what happened and when. */
export const CreateClaimBody = z.strictObject({
  idNumber: z.string().trim().min(15).max(18),
  coverItem: CoverItemCode,
  eventDate: IsoDate,
  eventNote: z.string().trim().max(500).nullable().default(null),
});
export type CreateClaimBody = z.infer<typeof CreateClaimBody>;

/** 指导: the family was told what to bring (the checklist of the cover item is recorded with it). */
export const ClaimGuideBody = z.strictObject({ note: z.string().trim().max(500).nullable().default(null) });
export type ClaimGuideBody = z.infer<typeof ClaimGuideBody>;

export const UploadedDocument = z.strictObject({
  kind: DocumentKind,
  fileName: z.string().trim().min(1).max(200),
  mimeType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  /** The file, base64 (at most 4 MB). */
  contentBase64: z.string().min(4).max(5_600_000),
});
/** 收件: documents received; when the checklist is complete, the date it became complete starts the clock. */
export const ClaimReceiveBody = z.strictObject({
  documents: z.array(UploadedDocument).min(1).max(10),
  /** The date the materials became complete (default today); not in the future. */
  completeOn: IsoDate.optional(),
});
export type ClaimReceiveBody = z.infer<typeof ClaimReceiveBody>;

/** 审核 by the insurer: the cover item, the disability grade if any, approve or refuse with reasons. */
export const ClaimReviewBody = z.strictObject({
  decision: z.enum(['approve', 'refuse']),
  coverItem: CoverItemCode.optional(),
  disabilityGrade: z.number().int().min(1).max(10).optional(),
  /** Defaults to what the scheme pays for the item (and grade); never more. */
  amountFen: z.number().int().min(0).max(100_000_000).optional(),
  reasons: z.string().trim().min(2).max(1000),
});
export type ClaimReviewBody = z.infer<typeof ClaimReviewBody>;

/** 赔付: paid date, amount, the payment's reference. */
export const ClaimPayBody = z.strictObject({
  paidOn: IsoDate,
  amountFen: z.number().int().min(1).max(100_000_000),
  reference: z.string().trim().min(1).max(80),
});
export type ClaimPayBody = z.infer<typeof ClaimPayBody>;

export const ClaimListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  status: ClaimStatus.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

export const ClaimClock = z.object({
  /** The date the materials became complete; null before. */
  completeOn: IsoDate.nullable(),
  /** 10 working days after complete materials. */
  dueOn: IsoDate.nullable(),
  /** Working days from complete materials to payout (or to today while open). */
  workingDays: z.number().int().nullable(),
  overdue: z.boolean(),
});

export const ClaimSummary = z.object({
  id: z.string(),
  claimNo: z.string(),
  status: ClaimStatus,
  source: z.enum(['staff', 'exchange', 'citizen']),
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  coverItem: z.string(),
  eventDate: IsoDate,
  approvedFen: z.number().int().nullable(),
  paidFen: z.number().int().nullable(),
  paidOn: IsoDate.nullable(),
  clock: ClaimClock,
  /** When the daily job escalated the claim to its county for being past its clock (once). */
  escalatedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ClaimSummary = z.infer<typeof ClaimSummary>;
export const ClaimPage = z.object({ items: z.array(ClaimSummary), total: z.number().int() });
export type ClaimPage = z.infer<typeof ClaimPage>;

export const ClaimDetail = ClaimSummary.extend({
  schemeId: z.string(),
  eventNote: z.string().nullable(),
  disabilityGrade: z.number().int().nullable(),
  paidRef: z.string().nullable(),
  feedRecordId: z.string().nullable(),
  checklist: z.array(z.object({ kind: DocumentKind, received: z.boolean() })),
  documents: z.array(
    z.object({
      id: z.string(),
      kind: DocumentKind,
      fileName: z.string(),
      sizeBytes: z.number().int(),
      uploadedAt: z.string(),
    }),
  ),
  actions: z.array(
    z.object({
      seq: z.number().int(),
      type: ClaimStatus,
      detail: z.record(z.string(), z.unknown()),
      actor: z.string(),
      actorRole: z.string().nullable(),
      at: z.string(),
    }),
  ),
  allowedSteps: z.array(ClaimStep),
  version: z.number().int(),
});
export type ClaimDetail = z.infer<typeof ClaimDetail>;

/** Statistics of a policy year (issue 12): claims by status, cover item and county; money paid; the clock. */
export const InsuranceStatsQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
  regionCode: RegionCode.optional(),
});
export type InsuranceStatsQuery = z.infer<typeof InsuranceStatsQuery>;
const StatsCount = z.object({ count: z.number().int(), paidFen: z.number().int() });
export const InsuranceStats = z.object({
  year: z.number().int(),
  /** The claims whose event date falls in the year. */
  claims: z.number().int(),
  byStatus: z.array(z.object({ status: ClaimStatus, count: z.number().int() })),
  byCoverItem: z.array(StatsCount.extend({ coverItem: z.string() })),
  byCounty: z.array(StatsCount.extend({ regionCode: z.string(), regionName: z.string() })),
  /** Paid in the year up to today (by paid date), in fen. */
  paidYtdFen: z.number().int(),
  /** Claims paid in the year whose materials were complete, and their mean working days complete → paid. */
  paidWithClock: z.number().int(),
  avgWorkingDaysToPayout: z.number().nullable(),
  /** Claims open past their due date now. */
  overdueOpen: z.number().int(),
  /** The premium bill of the year through the current month (null when no scheme covers the year). */
  premiumsBilledFen: z.number().int().nullable(),
  personMonths: z.number().int().nullable(),
});
export type InsuranceStats = z.infer<typeof InsuranceStats>;

/** 吊唁走访 (issue 12): who reads the condolence-visit tasks (not the insurer) and who records the visit. */
export const CONDOLENCE_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
export const CONDOLENCE_VISITORS: readonly Role[] = ['grid_worker', 'township_officer'];

export const CondolenceListQuery = z.strictObject({
  status: z.enum(['open', 'done']).optional(),
  claimId: z.string().uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type CondolenceListQuery = z.infer<typeof CondolenceListQuery>;

export const CondolenceTask = z.object({
  id: z.string(),
  claimId: z.string(),
  claimNo: z.string(),
  /** The deceased (masked ID), the village, the cover item of the claim. */
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  coverItem: z.string(),
  eventDate: IsoDate,
  assignedTo: z.string().nullable(),
  issuedOn: IsoDate,
  dueOn: IsoDate,
  status: z.enum(['open', 'done']),
  overdue: z.boolean(),
  visitedOn: IsoDate.nullable(),
  familyInformed: z.boolean().nullable(),
  beneficiaryName: z.string().nullable(),
  beneficiaryRelation: z.string().nullable(),
  beneficiaryIdMasked: z.string().nullable(),
  beneficiaryPhoneMasked: z.string().nullable(),
  note: z.string().nullable(),
  doneBy: z.string().nullable(),
});
export type CondolenceTask = z.infer<typeof CondolenceTask>;
export const CondolencePage = z.object({ items: z.array(CondolenceTask), total: z.number().int() });
export type CondolencePage = z.infer<typeof CondolencePage>;

/** The visit: the family was told about the claim; the beneficiary's details for the payout. */
export const CompleteCondolenceBody = z.strictObject({
  visitedOn: IsoDate,
  familyInformed: z.literal(true),
  beneficiaryName: Text.trim().min(1).max(40),
  beneficiaryRelation: Text.trim().min(1).max(20),
  beneficiaryIdNumber: Text.trim().min(15).max(18),
  beneficiaryPhone: Text.trim()
    .regex(/^1\d{10}$/, 'mobile')
    .nullable()
    .default(null),
  note: Text.trim().max(500).nullable().default(null),
});
export type CompleteCondolenceBody = z.infer<typeof CompleteCondolenceBody>;
