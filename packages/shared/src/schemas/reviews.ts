import { z } from 'zod';
import { Determination, VerificationReport } from './cases';
import { IsoDate, IsoMonth, RegionCode, Text } from './common';
import { EndReason, EnrolmentStatus } from './enrolments';
import { AssistanceKind } from './policy';
import type { Role } from './roles';

/**
 * Scheduled reviews (定期核查): a short case on an enrolment — survey (a village grid worker may
 * record it), verification from the department data, re-determination by the policy math, and a
 * decision at the configured approval level. See docs/ENROLMENTS.md.
 */
export const REVIEW_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
/** Who records the survey visit: the township window or the village's grid worker. */
export const REVIEW_SURVEYORS: readonly Role[] = ['township_officer', 'grid_worker'];
/** Who runs the verification and the re-determination: the township. */
export const REVIEW_WORKERS: readonly Role[] = ['township_officer'];
/** Who decides: the township or the county, at the configured approval level of the kind. */
export const REVIEW_DECIDERS: readonly Role[] = ['township_officer', 'county_officer'];

export const ReviewStatus = z.enum(['open', 'surveyed', 'verified', 'determined', 'decided']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;
export const ReviewDecision = z.enum(['continue', 'change_amount', 'suspend', 'gradual_exit', 'end']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;
export const ReviewAction = z.enum(['survey', 'verify', 'determine', 'decide']);
export type ReviewAction = z.infer<typeof ReviewAction>;
/** unable_to_work: nobody covered can work (the longer interval); single: 特困 / 低保边缘 (one interval). */
export const ReviewCategory = z.enum(['unable_to_work', 'other', 'single']);
export const ReviewSource = z.enum(['schedule', 'signal', 'staff']);

/** The kinds reviewed on a schedule (临时救助 is a one-off grant). */
export const ReviewedKind = z.enum(['dibao', 'tekun', 'dibao_edge']);

export const ReviewListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  kind: ReviewedKind.optional(),
  status: ReviewStatus.optional(),
  /** Open reviews past their due date (true) or not yet (false). */
  overdue: z.enum(['true', 'false']).optional(),
  /** Reviews falling due on or before this date. */
  dueBy: IsoDate.optional(),
  enrolmentId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ReviewListQuery = z.infer<typeof ReviewListQuery>;

export const ReviewSummary = z.object({
  id: z.string(),
  enrolmentId: z.string(),
  kind: AssistanceKind,
  regionCode: z.string(),
  regionName: z.string(),
  householdId: z.string().nullable(),
  householdNo: z.string().nullable(),
  /** The household head (or the supported person). */
  name: z.string(),
  members: z.number().int(),
  monthlyAmountFen: z.number().int(),
  enrolmentStatus: EnrolmentStatus,
  period: z.string(),
  dueOn: z.string(),
  intervalMonths: z.number().int().nullable(),
  category: ReviewCategory,
  source: ReviewSource,
  status: ReviewStatus,
  /** Open and past its due date (counted like an overdue case). */
  overdue: z.boolean(),
  decision: ReviewDecision.nullable(),
  decidedOn: z.string().nullable(),
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;

export const ReviewPage = z.object({
  items: z.array(ReviewSummary),
  total: z.number().int(),
  /** Open reviews and overdue ones within the filters' region. */
  open: z.number().int(),
  overdue: z.number().int(),
});
export type ReviewPage = z.infer<typeof ReviewPage>;

export const ReviewSurveyBody = z.strictObject({
  visitedOn: IsoDate,
  /** The staff who visited (≥ 2 by the rules), as written on the form. */
  visitors: Text.min(1).max(200),
  findings: Text.min(1).max(2000),
  /** Monthly income found beyond the department data. */
  otherIncomeFen: z.number().int().min(0).max(100_000_000).default(0),
  /** Monthly medical and disability costs found beyond the department data. */
  medicalCostsFen: z.number().int().min(0).max(100_000_000).default(0),
  /** 特困: daily-living indicators unmet (0–6), for the care tier. */
  unmetAdl: z.number().int().min(0).max(6).default(0),
});
export type ReviewSurveyBody = z.infer<typeof ReviewSurveyBody>;
export const ReviewNoteBody = z.strictObject({ note: Text.max(500).default('') });
export type ReviewNoteBody = z.infer<typeof ReviewNoteBody>;

export const ReviewDecideBody = z
  .strictObject({
    decision: ReviewDecision,
    /** change_amount: the new monthly amount. */
    amountFen: z.number().int().min(0).max(100_000_000).optional(),
    /** end: why. */
    reason: EndReason.optional(),
    /** The month the change takes effect (default: next month). */
    effectiveMonth: IsoMonth.optional(),
    note: Text.max(500).default(''),
  })
  .refine((b) => b.decision !== 'change_amount' || b.amountFen !== undefined, {
    path: ['amountFen'],
    message: 'required for change_amount',
  })
  .refine((b) => b.decision !== 'end' || b.reason !== undefined, { path: ['reason'], message: 'required for end' });
export type ReviewDecideBody = z.infer<typeof ReviewDecideBody>;

export const ReviewActionEntry = z.object({
  seq: z.number().int(),
  type: z.enum(['opened', 'surveyed', 'verified', 'determined', 'decided']),
  actor: z.string(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const ReviewDetail = ReviewSummary.extend({
  actions: z.array(ReviewActionEntry),
  survey: ReviewSurveyBody.nullable(),
  report: VerificationReport.nullable(),
  determination: Determination.nullable(),
  /** The approval level of the decision (the kind's configured level). */
  approvalLevel: z.enum(['township', 'county']),
  /** What the caller may do now. */
  allowedActions: z.array(ReviewAction),
});
export type ReviewDetail = z.infer<typeof ReviewDetail>;

export const ReviewJobResult = z.object({ townships: z.number().int(), created: z.number().int() });
export type ReviewJobResult = z.infer<typeof ReviewJobResult>;

// ---- Signals act (比对预警 → review / proposal / confirmed end) ----

/** Who acts on a signal for an enrolment: the township or the county (the death end: the township). */
export const SIGNAL_ACTORS: readonly Role[] = ['township_officer', 'county_officer'];

/**
 * What a signal proposes for an enrolment that covers the person: `end` (the death of its only
 * covered member: end from next month, the township confirms in one step) or `review` (everything
 * else: a review, possibly proposing suspension or end).
 */
export const SignalProposal = z.enum(['end', 'review']);

export const SignalEnrolment = z.object({
  enrolmentId: z.string(),
  kind: AssistanceKind,
  status: EnrolmentStatus,
  name: z.string(),
  members: z.number().int(),
  monthlyAmountFen: z.number().int(),
  /** The person the signal is about is the only one covered. */
  onlyMember: z.boolean(),
  proposal: SignalProposal,
  /** `end`: from this month (next month), reason death. */
  effectiveMonth: z.string().nullable(),
  /** The review open on the enrolment, if any. */
  openReviewId: z.string().nullable(),
});
export const SignalEnrolments = z.object({
  signalId: z.string(),
  death: z.boolean(),
  items: z.array(SignalEnrolment),
});
export type SignalEnrolments = z.infer<typeof SignalEnrolments>;

export const SignalActBody = z.strictObject({
  enrolmentId: z.uuid(),
  /** open_review: a review (the proposal, if any, noted on it); confirm_end: the death end, township only. */
  action: z.enum(['open_review', 'confirm_end']),
  /** open_review: the decision the signal proposes, with its evidence attached. */
  propose: z.enum(['suspend', 'end']).optional(),
  note: Text.max(500).default(''),
});
export type SignalActBody = z.infer<typeof SignalActBody>;
export const SignalActResult = z.object({
  reviewId: z.string().nullable(),
  enrolmentStatus: EnrolmentStatus,
  endsMonth: z.string().nullable(),
});
export type SignalActResult = z.infer<typeof SignalActResult>;

// ---- Long-term public notice (长期公示) of current 低保 / 特困 recipients ----

/** A village's (or township's) recipients: a whole city's roll is not handed out in one query. */
export const PublicRecipientQuery = z.strictObject({
  region: Text.regex(/^\d{9}(\d{3})?$/, 'township or village code'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(100),
});
export type PublicRecipientQuery = z.infer<typeof PublicRecipientQuery>;
/** Only what the rules allow: name, number of covered members, kind, amount (no ID number, no address). */
export const PublicRecipient = z.object({
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  name: z.string(),
  members: z.number().int(),
  kind: z.enum(['dibao', 'tekun']),
  monthlyAmountFen: z.number().int(),
});
export const PublicRecipientList = z.object({ items: z.array(PublicRecipient), total: z.number().int() });
export type PublicRecipientList = z.infer<typeof PublicRecipientList>;
