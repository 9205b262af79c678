import { OPEN_CASE_STATUSES } from '@jiuzhu/shared';
import { Conflict } from '../../../errors';
import { paperworkDueOn } from '../deadlines';
import type { StepsOf } from './step';

/** Review (复核) after a rejection, and the emergency payment (先行救助) on an open case. */
export const reviewSteps: StepsOf<'request_review' | 'emergency_payment'> = () => {
  return {
    request_review: (b) => ({
      from: ['rejected'],
      // 复核: the county checks again with the applicant's evidence; the earlier report stays in the timeline.
      run: async () => ({
        to: 'verifying',
        set: { verification: null, determination: null },
        enc: { reason: b.reason },
      }),
    }),
    emergency_payment: (b) => ({
      from: OPEN_CASE_STATUSES,
      guard: (c) => {
        if (!c.emergency) throw Conflict('case.notEmergency');
      },
      run: async ({ trx, c, today, calendar, standards }) => {
        const paid = await trx
          .selectFrom('case_actions')
          .select('id')
          .where('case_id', '=', c.id)
          .where('action', '=', 'emergency_payment')
          .executeTakeFirst();
        if (paid) throw Conflict('case.emergencyPaid');
        const limit = standards.temporary.townshipLimitFen;
        if (b.amountFen > limit) throw Conflict('case.emergencyLimit', { limit: (limit / 100).toFixed(2) });
        return {
          to: c.status,
          data: {
            amountFen: b.amountFen,
            paidOn: today,
            paperworkDueOn: paperworkDueOn(calendar, today, standards.temporary),
          },
          enc: { reason: b.reason },
        };
      },
    }),
  };
};
