import type { Role } from '@jiuzhu/shared';
import { AppError, Conflict } from '../../../errors';
import { createEnrolmentsFromCase } from '../../enrolments/service';
import type { CaseRow } from '../case-data';
import { nextMonth } from '../deadlines';
import { decidedKinds, note, type StepsOf } from './step';

function levelGuard(c: CaseRow, role: Role | undefined): void {
  const needed: Role = c.approval_level === 'township' ? 'township_officer' : 'county_officer';
  if (role !== needed)
    throw new AppError(403, 'FORBIDDEN', 'case.approvalLevel', { level: `levels.${c.approval_level}` });
}

/** Approval by the configured level: enrolment (and the household status) or rejection. */
export const approvalSteps: StepsOf<'approve' | 'reject'> = () => {
  return {
    approve: (b) => ({
      from: ['pending_approval'],
      guard: levelGuard,
      run: async ({ c, today }) => {
        const kinds = decidedKinds(c);
        if (kinds.length === 0) throw Conflict('case.nothingToApprove');
        const from = nextMonth(today);
        return {
          to: 'enrolled',
          set: { enrolled_from: from },
          data: { enrolledFrom: from, kinds: kinds.map((k) => k.kind) },
          enc: note(b.opinion, 'opinion'),
          after: async (trx) => {
            await createEnrolmentsFromCase(trx, c, kinds, from);
          },
        };
      },
    }),
    reject: (b) => ({
      from: ['pending_approval'],
      guard: levelGuard,
      run: async () => ({ to: 'rejected', enc: { reasons: b.reasons } }),
    }),
  };
};
