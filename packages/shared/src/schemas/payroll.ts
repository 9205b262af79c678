import { z } from 'zod';
import { RegionCode } from './common';
import { AssistanceKind } from './policy';
import type { Role } from './roles';

/**
 * Who sees payrolls: the county civil-affairs and finance officers of their region, the city and
 * auditors. Who prepares and who approves is configuration (payroll_settings), checked within
 * these sets: the makers among PAYROLL_MAKERS, the checkers among PAYROLL_CHECKERS.
 */
export const PAYROLL_READERS: readonly Role[] = ['city_admin', 'county_officer', 'finance_officer', 'auditor'];
export const PAYROLL_MAKERS: readonly Role[] = ['county_officer'];
export const PAYROLL_CHECKERS: readonly Role[] = ['finance_officer'];
/** Bank files carry account numbers: the finance role only. */
export const PAYROLL_BANK_FILE_ROLES: readonly Role[] = ['finance_officer'];

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

export const PayrollStatus = z.enum(['draft', 'submitted', 'approved']);
export type PayrollStatus = z.infer<typeof PayrollStatus>;
export const PayrollRunKind = z.enum(['regular', 'supplementary']);
export const PayrollLineType = z.enum(['regular', 'back_pay', 'one_off', 'emergency', 'adjustment', 'reissue']);
export type PayrollLineType = z.infer<typeof PayrollLineType>;
export const PayrollLineStatus = z.enum(['pending', 'paid', 'failed']);
export const PayrollExceptionCode = z.enum([
  'new_line',
  'stopped_line',
  'amount_changed',
  'missing_account',
  'invalid_account',
  'shared_account',
  'payee_dead',
  'payee_over_age',
  'under_review',
  /** A correction the maker recorded on the draft (shown to the checker; decided with the maker's reason). */
  'adjustment',
]);
export type PayrollExceptionCode = z.infer<typeof PayrollExceptionCode>;
export const ReturnCode = z.enum(['account_closed', 'name_mismatch', 'frozen', 'other']);
export type ReturnCode = z.infer<typeof ReturnCode>;

export const CreatePayrollBody = z.strictObject({
  month: Month,
  regionCode: RegionCode,
  runKind: PayrollRunKind.default('regular'),
});
export type CreatePayrollBody = z.infer<typeof CreatePayrollBody>;

export const PayrollListQuery = z.strictObject({
  month: Month.optional(),
  regionCode: RegionCode.optional(),
  status: PayrollStatus.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type PayrollListQuery = z.infer<typeof PayrollListQuery>;

export const ReasonBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type ReasonBody = z.infer<typeof ReasonBody>;
export const EmptyBody = z.strictObject({}).optional();

export const FundSplit = z.object({
  centralFen: z.number().int(),
  provincialFen: z.number().int(),
  cityFen: z.number().int(),
  countyFen: z.number().int(),
});

export const PayrollSummary = z.object({
  id: z.string(),
  payrollNo: z.number().int(),
  month: Month,
  regionCode: z.string(),
  regionName: z.string(),
  runKind: PayrollRunKind,
  status: PayrollStatus,
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  openExceptions: z.number().int(),
  returnReason: z.string().nullable(),
  createdBy: z.string(),
  builtAt: z.string().nullable(),
  version: z.number().int(),
});
export type PayrollSummary = z.infer<typeof PayrollSummary>;

export const PayrollPage = z.object({ items: z.array(PayrollSummary), total: z.number().int() });
export type PayrollPage = z.infer<typeof PayrollPage>;

export const PayrollAction = z.object({
  action: z.string(),
  actor: z.string(),
  role: z.string().nullable(),
  reason: z.string().nullable(),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  at: z.string(),
});

export const PayrollDetail = PayrollSummary.extend({
  byKind: z.array(z.object({ kind: AssistanceKind, lines: z.number().int(), amountFen: z.number().int() })),
  byLineType: z.array(z.object({ lineType: PayrollLineType, lines: z.number().int(), amountFen: z.number().int() })),
  byFund: FundSplit,
  failed: z.object({ lines: z.number().int(), amountFen: z.number().int() }),
  banks: z.array(
    z.object({
      bankCode: z.string(),
      name: z.string(),
      format: z.string(),
      lines: z.number().int(),
      amountFen: z.number().int(),
      files: z.array(
        z.object({
          lineCount: z.number().int(),
          totalFen: z.number().int(),
          sha256: z.string(),
          madeBy: z.string(),
          madeAt: z.string(),
        }),
      ),
    }),
  ),
  actions: z.array(PayrollAction),
  /** What the caller may do now. */
  allowed: z.array(
    z.enum(['rebuild', 'submit', 'approve', 'return', 'accept_exception', 'adjust', 'bank_file', 'returns']),
  ),
});
export type PayrollDetail = z.infer<typeof PayrollDetail>;

export const PayrollLinesQuery = z.strictObject({
  lineType: PayrollLineType.optional(),
  status: PayrollLineStatus.optional(),
  kind: AssistanceKind.optional(),
  /** Payee name or household number. */
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type PayrollLinesQuery = z.infer<typeof PayrollLinesQuery>;

export const PayrollLine = FundSplit.extend({
  id: z.number().int(),
  reference: z.string(),
  enrolmentId: z.string(),
  householdId: z.string().nullable(),
  householdNo: z.string().nullable(),
  month: Month,
  lineType: PayrollLineType,
  kind: AssistanceKind,
  regionCode: z.string(),
  payeeName: z.string().nullable(),
  bankName: z.string().nullable(),
  hasAccount: z.boolean(),
  amountFen: z.number().int(),
  status: PayrollLineStatus,
  failCode: z.string().nullable(),
  /** An adjustment's reason and who recorded it. */
  reason: z.string().nullable(),
  createdBy: z.string().nullable(),
});
export type PayrollLine = z.infer<typeof PayrollLine>;

/**
 * A correction (调整) on a draft payroll: an enrolment of the payroll's region, the month it
 * corrects and a signed amount in fen (under-payment made good > 0, over-payment recovered < 0).
 */
export const AdjustmentBody = z.strictObject({
  enrolmentId: z.uuid(),
  month: Month,
  amountFen: z
    .number()
    .int()
    .min(-10_000_000)
    .max(10_000_000)
    .refine((v) => v !== 0, 'not zero'),
  reason: z.string().trim().min(2).max(500),
});
export type AdjustmentBody = z.infer<typeof AdjustmentBody>;
export const AdjustmentResult = z.object({ lineId: z.number().int(), payroll: PayrollDetail });
export type AdjustmentResult = z.infer<typeof AdjustmentResult>;
export const PayrollLinePage = z.object({ items: z.array(PayrollLine), total: z.number().int() });

export const PayrollException = z.object({
  id: z.number().int(),
  code: PayrollExceptionCode,
  enrolmentId: z.string(),
  householdNo: z.string().nullable(),
  payeeName: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'accepted']),
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export type PayrollException = z.infer<typeof PayrollException>;
export const PayrollExceptionList = z.object({
  items: z.array(PayrollException),
  open: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
});

export const ReturnsBody = z.strictObject({
  /** The bank's return file as text: one line per failed payment, `reference,code[,message]`. */
  content: z.string().min(1).max(5_000_000),
});
export const ReturnsResult = z.object({
  failed: z.number().int(),
  amountFen: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});

/** Who reads a household's payment history: the payroll readers and the staff who read enrolments. */
export const PAYMENT_HISTORY_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'finance_officer',
  'auditor',
];

export const HouseholdPayments = z.object({
  items: z.array(
    z.object({
      payrollId: z.string(),
      payrollNo: z.number().int(),
      payrollStatus: PayrollStatus,
      month: Month,
      lineType: PayrollLineType,
      kind: AssistanceKind,
      amountFen: z.number().int(),
      status: PayrollLineStatus,
      failCode: z.string().nullable(),
    }),
  ),
  /** Paid (approved, not failed) per year. */
  paidByYear: z.array(z.object({ year: z.string(), amountFen: z.number().int(), lines: z.number().int() })),
});
export type HouseholdPayments = z.infer<typeof HouseholdPayments>;

// ---- Fund ledger and reports (issue 10) ----

/**
 * The fund ledger of a month: what approved payrolls paid (lines not returned by the bank), by
 * county, kind and fund source, for the month and the year to date. A person-time (人次) is one
 * paid line: one payee paid once for a month and line type. Money is counted in the month of the
 * payroll that paid it (a back-pay or reissue line counts when it is paid).
 */
export const PayrollReportQuery = z.strictObject({
  month: Month,
  /** A county (6 digits) or the city (4) inside the caller's region; default the caller's region. */
  regionCode: RegionCode.optional(),
});
export type PayrollReportQuery = z.infer<typeof PayrollReportQuery>;

export const LedgerFigures = FundSplit.extend({
  personTimes: z.number().int(),
  amountFen: z.number().int(),
});
export type LedgerFigures = z.infer<typeof LedgerFigures>;

export const PayrollReport = z.object({
  month: Month,
  /** First month of the year to date (January of `month`'s year). */
  fromMonth: Month,
  rows: z.array(
    z.object({
      countyCode: z.string(),
      countyName: z.string(),
      kind: AssistanceKind,
      month: LedgerFigures,
      yearToDate: LedgerFigures,
    }),
  ),
  totals: z.object({ month: LedgerFigures, yearToDate: LedgerFigures }),
  /**
   * 先行救助 paid at a township window on cases that were then rejected: cash that left without a
   * payroll line (no enrolment to carry it), listed for recovery or write-off. Paid from January to `month`.
   */
  unrecoveredEmergency: z.object({
    items: z.array(
      z.object({
        caseId: z.string(),
        caseNo: z.string(),
        regionCode: z.string(),
        regionName: z.string(),
        applicantName: z.string(),
        paidOn: z.string(),
        amountFen: z.number().int(),
      }),
    ),
    totalFen: z.number().int(),
  }),
  /** The configured split per kind, in basis points; `demo` marks demonstration values. */
  fundShares: z.array(
    z.object({
      kind: AssistanceKind,
      centralBp: z.number().int(),
      provincialBp: z.number().int(),
      cityBp: z.number().int(),
      countyBp: z.number().int(),
      demo: z.boolean(),
    }),
  ),
});
export type PayrollReport = z.infer<typeof PayrollReport>;
