import type { Kysely } from 'kysely';
import type {
  ApprovalLevel,
  AssistanceKind,
  CaseStatus,
  DibaoParams,
  StepClock,
  TekunParams,
  TemporaryParams,
  WorkingCalendar,
  DibaoEdgeParams,
} from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { AppError } from '../../errors';
import { findEffectiveParams } from '../policy/service';

/**
 * Step deadlines of a case (docs/CASES.md#deadlines). The pure date logic is here, testable
 * without the clock; the standards come from the case's county (findEffectiveParams).
 *
 * Steps the rules do not time are given fixed working days: acceptance or the list of missing
 * documents within 3, the determination within 3 of the verification report, the notice
 * published within 2 of the determination.
 */
export const SUBMITTED_DAYS = 3;
export const VERIFIED_DAYS = 3;
export const DETERMINED_DAYS = 2;

/** The standards a case's clocks and limits are read from. */
export type CaseStandards = {
  dibao: DibaoParams;
  tekun: TekunParams;
  dibaoEdge: DibaoEdgeParams;
  temporary: TemporaryParams;
};

/** The standards in force for a region (any level) in a month; 409 when one is not configured. */
export async function loadStandards(
  db: Kysely<DB>,
  city: string,
  region: string,
  month: string,
): Promise<CaseStandards> {
  const need = async <K extends AssistanceKind>(kind: K) => {
    const p = await findEffectiveParams(db, city, region, kind, month);
    if (!p) throw new AppError(409, 'CONFLICT', 'case.noStandard', { kind: `case.kind.${kind}` });
    return p;
  };
  const [dibao, tekun, dibaoEdge, temporary] = await Promise.all([
    need('dibao'),
    need('tekun'),
    need('dibao_edge'),
    need('temporary'),
  ]);
  return { dibao, tekun, dibaoEdge, temporary };
}

/** `date` plus `days` calendar days (the notice period counts calendar days, not working days). */
export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The month after the one `date` (YYYY-MM-DD) is in, as YYYY-MM: enrolment starts then. */
export function nextMonth(date: string): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The due date of the step a case enters on `startedOn`, or null when the step has no clock
 * (waiting for the family's documents; closed cases). The notice step is due when it ends.
 */
export function stepDueOn(
  calendar: WorkingCalendar,
  status: CaseStatus,
  startedOn: string,
  standards: Pick<CaseStandards, 'dibao' | 'tekun'>,
  opts: { kinds?: readonly AssistanceKind[]; noticeEndsOn?: string } = {},
): string | null {
  const days = (n: number) => calendar.addWorkingDays(startedOn, n);
  switch (status) {
    case 'submitted':
      return days(SUBMITTED_DAYS);
    case 'accepted':
      // 特困's survey deadline is not used: the kind is not known before the survey.
      return days(standards.dibao.deadlines.surveyStart);
    case 'verifying':
      return days(standards.dibao.deadlines.verificationStart);
    case 'verified':
      return days(VERIFIED_DAYS);
    case 'determined':
      return days(DETERMINED_DAYS);
    case 'notice':
      return opts.noticeEndsOn ?? null;
    case 'pending_approval':
      return days(
        opts.kinds?.includes('tekun')
          ? standards.tekun.deadlines.countyDecision
          : standards.dibao.deadlines.countyDecision,
      );
    case 'missing_docs':
    case 'enrolled':
    case 'rejected':
      return null;
  }
}

/** The whole case's due date: total working days from acceptance (fewer where the township approves). */
export function overallDueOn(
  calendar: WorkingCalendar,
  acceptedOn: string,
  level: ApprovalLevel,
  dibao: Pick<DibaoParams, 'deadlines'>,
): string {
  const n = level === 'township' ? dibao.deadlines.totalDelegated : dibao.deadlines.total;
  return calendar.addWorkingDays(acceptedOn, n);
}

/**
 * A clock as of `asOf` (today for an open case; the closing date for a closed one): working
 * days elapsed since the start and left until the due date (negative when overdue).
 */
export function clockOf(calendar: WorkingCalendar, startedOn: string, dueOn: string | null, asOf: string): StepClock {
  const elapsed = Math.max(0, calendar.workingDaysBetween(startedOn, asOf));
  return {
    startedOn,
    dueOn,
    elapsedWorkingDays: elapsed,
    remainingWorkingDays: dueOn === null ? null : calendar.workingDaysBetween(asOf, dueOn),
    overdue: dueOn !== null && asOf > dueOn,
  };
}

/** Whether an action on `on` met the due date of the step it completed (null: the step had none). */
export function metDeadline(dueOn: string | null, on: string): boolean | null {
  return dueOn === null ? null : on <= dueOn;
}

/** Working days after a payment by which the emergency paperwork is due. */
export function paperworkDueOn(calendar: WorkingCalendar, paidOn: string, temporary: TemporaryParams): string {
  return calendar.addWorkingDays(paidOn, temporary.emergencyPaperworkDays);
}
