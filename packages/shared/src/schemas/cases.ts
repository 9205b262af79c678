import { z } from 'zod';
import { IsoDate, RegionCode, Text } from './common';
import { ApprovalLevel, AssistanceKind } from './policy';
import { GpsPosition } from './leads';
import type { Role } from './roles';

/**
 * Applications and cases (一窗受理 and the case workflow). One application covers the four kinds
 * of assistance; the case is an append-only action log, and its status is derived from it.
 * See docs/CASES.md for the steps, who acts, and the deadlines.
 */

/** Where an application came from. */
export const CaseChannel = z.enum(['window', 'grid', 'citizen']);
export type CaseChannel = z.infer<typeof CaseChannel>;

/**
 * The case's status (the step it waits at):
 * submitted → (missing_docs →) accepted → verifying → verified → determined → notice →
 * pending_approval → enrolled | rejected; an objection sends notice → accepted; a review
 * (复核) sends rejected → verifying.
 */
export const CaseStatus = z.enum([
  'submitted',
  'missing_docs',
  'accepted',
  'verifying',
  'verified',
  'determined',
  'notice',
  'pending_approval',
  'enrolled',
  'rejected',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const CASE_STATUSES = CaseStatus.options;
/** Statuses in which a case is still open (blocks a new application for the same people). */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter(
  (s) => s !== 'enrolled' && s !== 'rejected',
);

/** Everything that can happen to a case; each is one row of its action log. */
export const CaseActionType = z.enum([
  'submit',
  'request_documents',
  'accept',
  'record_survey',
  'record_verification',
  'determine',
  'publish_notice',
  'record_objection',
  'close_notice',
  'approve',
  'reject',
  'request_review',
  'emergency_payment',
]);
export type CaseActionType = z.infer<typeof CaseActionType>;

/** Who reads cases: the staff who handle assistance (in their region) and auditors. */
export const CASE_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
/** Who enters applications for families: the township window and village grid workers. */
export const CASE_INTAKE: readonly Role[] = ['township_officer', 'grid_worker'];
/** Township steps: acceptance, survey, determination, notice, delegated approval, review requests. */
export const CASE_TOWNSHIP: readonly Role[] = ['township_officer'];
/** County steps: verification and county approval. */
export const CASE_COUNTY: readonly Role[] = ['county_officer'];

const Name = Text.trim().min(1).max(40);
const Line = (max: number) => Text.trim().min(1).max(max);
const Fen = z.number().int().min(0).max(100_000_000);

/** A family member on the application; the ID number is checked (GB 11643) with a precise reason. */
export const ApplicationMember = z.strictObject({
  name: Name,
  idNumber: Text.trim().min(1).max(30),
  /** Relation to the applicant (the applicant is 'self'). */
  relation: z.enum(['self', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other']),
});
export type ApplicationMember = z.infer<typeof ApplicationMember>;

/** The minimal application form (the same for every channel). */
export const ApplicationInput = z.strictObject({
  /** The applicant is members[0] with relation 'self'. */
  members: z.array(ApplicationMember).min(1).max(20),
  /** The village (12-digit code) of the registered address; the case is dispatched by it. */
  villageCode: RegionCode,
  /** Street and house number inside the village (kept encrypted, shown masked). */
  address: Line(200),
  phone: Text.trim().regex(/^1\d{10}$/, 'mobile'),
  reason: Line(1000),
  /** 急难型: an emergency (accident, fire, sudden illness) that may need 先行救助. */
  emergency: z.boolean().default(false),
  /** The household's signed authorisation to verify its economic status; must be true. */
  consent: z.literal(true),
});
export type ApplicationInput = z.infer<typeof ApplicationInput>;

/** Staff entry (window or grid worker): the form plus an optional lead it came from. */
export const CreateCaseBody = ApplicationInput.extend({ leadId: Text.uuid().optional() });
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

/** Bodies of the step actions. Every action also takes an Idempotency-Key header (optional). */
export const RequestDocumentsBody = z.strictObject({ documents: z.array(Line(100)).min(1).max(20) });
export const AcceptBody = z.strictObject({ note: Text.trim().max(500).default('') });
export const SurveyBody = z.strictObject({
  surveyedOn: IsoDate,
  /** At least two staff names (入户调查 by ≥ 2 people). */
  staff: z.array(Name).min(2).max(6),
  findings: Line(2000),
  /** Monthly income the survey found that the department data does not show (e.g. casual work), fen. */
  otherIncomeFen: Fen.default(0),
  /** Necessary monthly medical and disability costs found, fen. */
  medicalCostsFen: Fen.default(0),
  /** Members unable to work, with their six daily-living indicators unmet (for 特困 tiers). */
  unmetAdl: z.number().int().min(0).max(6).default(0),
  location: GpsPosition.nullable().default(null),
  /** Up to 4 photos, base64 JPEG/PNG (each ≤ 2 MB decoded). */
  photos: z.array(Text.max(3_000_000)).max(4).default([]),
});
export type SurveyBody = z.infer<typeof SurveyBody>;
export const VerificationBody = z.strictObject({ note: Text.trim().max(1000).default('') });
export const DeterminedKind = z.strictObject({
  kind: AssistanceKind,
  monthlyAmountFen: Fen,
  oneOffAmountFen: Fen.default(0),
});
export type DeterminedKind = z.infer<typeof DeterminedKind>;
export const DetermineBody = z.strictObject({
  /** Accept the rules' proposal as it is. */
  acceptProposal: z.boolean(),
  /** When not accepting the proposal: the kinds and amounts staff decide, and why (required). */
  kinds: z.array(DeterminedKind).max(4).default([]),
  overrideReason: Text.trim().max(1000).default(''),
  opinion: Text.trim().max(1000).default(''),
});
export type DetermineBody = z.infer<typeof DetermineBody>;
export const PublishNoticeBody = z.strictObject({ note: Text.trim().max(500).default('') });
export const ObjectionBody = z.strictObject({ content: Line(2000) });
export const CloseNoticeBody = z.strictObject({ note: Text.trim().max(500).default('') });
export const ApproveBody = z.strictObject({ opinion: Text.trim().max(1000).default('') });
export const RejectBody = z.strictObject({ reasons: Line(2000) });
export const ReviewBody = z.strictObject({ reason: Line(2000) });
export const EmergencyPaymentBody = z.strictObject({ amountFen: Fen.min(1), reason: Line(500) });

/** A step's clock: working days elapsed and left (negative = overdue by that many). */
export const StepClock = z.object({
  startedOn: IsoDate,
  dueOn: IsoDate.nullable(),
  elapsedWorkingDays: z.number().int(),
  remainingWorkingDays: z.number().int().nullable(),
  overdue: z.boolean(),
});
export type StepClock = z.infer<typeof StepClock>;

export const CaseAction = z.object({
  seq: z.number().int(),
  action: CaseActionType,
  fromStatus: CaseStatus.nullable(),
  toStatus: CaseStatus,
  actor: Text,
  actorRole: Text.nullable(),
  at: Text,
  /** The due date of the step the action completed, and whether it was met. */
  stepDueOn: IsoDate.nullable(),
  onTime: z.boolean().nullable(),
  /** The action's content for display (no ID numbers, phones or addresses). */
  data: z.record(Text, z.unknown()),
});
export type CaseAction = z.infer<typeof CaseAction>;

export const CaseMember = z.object({
  name: Text,
  idMasked: Text,
  relation: Text,
  sex: z.enum(['male', 'female']),
  age: z.number().int(),
});

/** One line of the verification report, linked to the department record it came from. */
export const VerificationLine = z.object({
  memberName: Text,
  idMasked: Text,
  category: z.enum(['income', 'asset', 'medical', 'status']),
  /** e.g. wage, pension, business_income, vehicle, property, business, deposits, self_paid, death, prison */
  type: Text,
  /**
   * The record's own class where it matters: vehicle class (motorcycle, disability_vehicle, …
   * for the asset test's exempt types), pension type, property usage, account type, custody type.
   */
  subtype: Text.optional(),
  /** Monthly fen for income, value/amount fen for assets and medical, null when not money. */
  amountFen: z.number().int().nullable(),
  eventDate: IsoDate,
  kindCode: Text,
  kindName: Text,
  recordId: Text,
  batchId: Text,
});
export type VerificationLine = z.infer<typeof VerificationLine>;

export const VerificationReport = z.object({
  generatedAt: Text,
  /** The 12 months the report covers, ending at its date. */
  from: IsoDate,
  to: IsoDate,
  lines: z.array(VerificationLine),
  members: z.number().int(),
  /** Monthly household income from department data plus the survey's other income, fen. */
  monthlyIncomeFen: z.number().int(),
  perCapitaIncomeFen: z.number().int(),
  medicalCostsFen: z.number().int(),
  assets: z.object({
    passed: z.boolean(),
    lines: z.array(
      z.object({
        key: Text,
        values: z.record(Text, z.union([z.number(), Text])),
        /** Whether this limit holds (the asset test's own line result). */
        passed: z.boolean().optional(),
      }),
    ),
  }),
  note: Text,
});
export type VerificationReport = z.infer<typeof VerificationReport>;

/** The rules' proposal (and the decision): kinds, amounts, the step-by-step calculation. */
export const CalcLineSchema = z.object({
  key: Text,
  values: z.record(Text, z.union([z.number(), Text])),
  amountFen: z.number().int().optional(),
});
export const Determination = z.object({
  kinds: z.array(DeterminedKind),
  lines: z.array(CalcLineSchema),
  approvalLevel: ApprovalLevel,
  /** The standards used (ids and versions), for the record. */
  standards: z.array(z.object({ kind: AssistanceKind, id: Text, version: z.number().int(), regionCode: Text })),
});
export type Determination = z.infer<typeof Determination>;

export const CaseSummary = z.object({
  id: Text,
  caseNo: Text,
  channel: CaseChannel,
  status: CaseStatus,
  applicantName: Text,
  idMasked: Text,
  members: z.number().int(),
  regionCode: Text,
  regionName: Text,
  emergency: z.boolean(),
  /** 近亲属备案: a member is a relative of staff; approval always by the county. */
  staffRelative: z.boolean(),
  approvalLevel: ApprovalLevel,
  /** The kinds the determination grants (empty before it). */
  kinds: z.array(AssistanceKind),
  /** The township (乡镇街道) the case's village belongs to. */
  townshipName: Text,
  step: StepClock,
  overall: StepClock.nullable(),
  createdAt: Text,
  updatedAt: Text,
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseDetail = CaseSummary.extend({
  phoneMasked: Text,
  addressMasked: Text,
  reason: Text,
  leadId: Text.nullable(),
  householdId: Text.nullable(),
  memberList: z.array(CaseMember),
  actions: z.array(CaseAction),
  /** Actions the caller may take now. */
  allowedActions: z.array(CaseActionType),
  missingDocuments: z.array(Text),
  verification: VerificationReport.nullable(),
  /** While verified: the rules' proposal; after: the decision. */
  proposal: Determination.nullable(),
  determination: Determination.extend({ overridden: z.boolean(), overrideReason: Text }).nullable(),
  notice: z
    .object({
      publishedOn: IsoDate,
      endsOn: IsoDate,
      objections: z.number().int(),
      status: z.enum(['open', 'closed', 'withdrawn']),
    })
    .nullable(),
  emergencyPayment: z
    .object({ amountFen: z.number().int(), paidOn: IsoDate, paperworkDueOn: IsoDate, paperworkDone: z.boolean() })
    .nullable(),
  enrolledFrom: Text.nullable(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseListQuery = z.strictObject({
  status: CaseStatus.optional(),
  /** Cases waiting on the caller's role in the caller's region (the staff inbox). */
  inbox: z.enum(['true', 'false']).optional(),
  /** `true`: an open case with its step or its whole time limit passed; `step` / `overall`: that one (逾期统计's columns). */
  overdue: z.enum(['true', 'false', 'step', 'overall']).optional(),
  /** `true`: cases still in progress (逾期统计's 在办). */
  open: z.enum(['true']).optional(),
  /** Cases that came in by this channel. */
  channel: CaseChannel.optional(),
  /** `true`: not yet accepted (受理) by the township (submitted, or waiting for documents). */
  unaccepted: z.enum(['true']).optional(),
  /** A name, a 申请编号 (substring) or a whole ID number of any member (exact, by the blind index). */
  q: Text.trim().max(40).optional(),
  /** Cases whose determination grants this kind. */
  kind: AssistanceKind.optional(),
  /** Cases in this region (a township or village) inside the caller's own. */
  region: RegionCode.optional(),
  /** Entered on or after / on or before (China dates). */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  sort: z.enum(['createdAt', 'caseNo', 'applicantName', 'stepDue', 'region']).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;
export const CasePage = z.object({ items: z.array(CaseSummary), total: z.number().int() });
export type CasePage = z.infer<typeof CasePage>;

/** Overdue steps per child region of the caller's region (supervisors). */
export const CaseOverdueRow = z.object({
  regionCode: Text,
  regionName: Text,
  open: z.number().int(),
  overdueSteps: z.number().int(),
  overdueOverall: z.number().int(),
});
export const CaseOverdueStats = z.object({ rows: z.array(CaseOverdueRow), total: CaseOverdueRow });
export type CaseOverdueStats = z.infer<typeof CaseOverdueStats>;

/** 409 details when an open application or active enrolment already covers a person. */
export const DuplicateApplicationDetails = z.object({
  caseId: Text.nullable(),
  caseNo: Text.nullable(),
  householdId: Text.nullable(),
});

// ---- public (no login) ----

export const PublicApplicationResult = z.object({ caseNo: Text, status: CaseStatus });
export const ProgressCodeBody = z.strictObject({
  caseNo: Line(30),
  phone: Text.trim().regex(/^1\d{10}$/, 'mobile'),
});
export const ProgressQueryBody = z.strictObject({ caseNo: Line(30), code: Text.regex(/^\d{6}$/, '6 digits') });
/** What a citizen sees: the step and the dated steps passed (no staff names, no personal data). */
export const PublicProgress = z.object({
  caseNo: Text,
  status: CaseStatus,
  submittedOn: IsoDate,
  steps: z.array(z.object({ action: CaseActionType, toStatus: CaseStatus, on: IsoDate })),
  missingDocuments: z.array(Text),
  enrolledFrom: Text.nullable(),
});
export type PublicProgress = z.infer<typeof PublicProgress>;

/** A public notice (公示): only the name, number of members and amount (POLICY.md). */
export const PublicNotice = z.object({
  villageCode: Text,
  villageName: Text,
  townshipName: Text,
  name: Text,
  members: z.number().int(),
  kinds: z.array(AssistanceKind),
  monthlyAmountFen: z.number().int(),
  /** Temporary assistance: the one-off amount. */
  oneOffAmountFen: z.number().int(),
  publishedOn: IsoDate,
  endsOn: IsoDate,
});
export type PublicNotice = z.infer<typeof PublicNotice>;
/** The board is read in pages, so an anonymous caller cannot pull every open notice in one answer. */
export const PublicNoticeQuery = z.strictObject({
  region: RegionCode.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(100),
});
export type PublicNoticeQuery = z.infer<typeof PublicNoticeQuery>;
export const PublicNoticeList = z.object({ items: z.array(PublicNotice), total: z.number().int() });
export type PublicNoticeList = z.infer<typeof PublicNoticeList>;
