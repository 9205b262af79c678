import { Conflict } from '../../../errors';
import { addCalendarDays } from '../deadlines';
import { decidedKinds, note, type StepsOf } from './step';

/** The public notice (公示): published, objected to (back to the survey), closed after its days. */
export const noticeSteps: StepsOf<'publish_notice' | 'record_objection' | 'close_notice'> = () => {
  return {
    publish_notice: (b) => ({
      from: ['determined'],
      run: async ({ trx, c, today, standards }) => {
        const kinds = decidedKinds(c);
        const days = Math.max(
          standards.dibao.noticeDays,
          ...kinds.map((k) =>
            k.kind === 'tekun'
              ? standards.tekun.noticeDays
              : k.kind === 'dibao_edge'
                ? standards.dibaoEdge.noticeDays
                : standards.dibao.noticeDays,
          ),
        );
        const endsOn = addCalendarDays(today, days);
        const members = await trx
          .selectFrom('case_members')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('case_id', '=', c.id)
          .executeTakeFirstOrThrow();
        return {
          to: 'notice',
          noticeEndsOn: endsOn,
          data: { publishedOn: today, endsOn },
          enc: note(b.note),
          after: async (t2) => {
            await t2
              .insertInto('case_notices')
              .values({
                case_id: c.id,
                region_code: c.region_code,
                display_name: c.applicant_name,
                members: Number(members.n),
                kinds: kinds.map((k) => k.kind),
                monthly_amount_fen: kinds.reduce((a, k) => a + k.monthlyAmountFen, 0),
                one_off_amount_fen: kinds.reduce((a, k) => a + k.oneOffAmountFen, 0),
                published_on: today,
                ends_on: endsOn,
              })
              .execute();
          },
        };
      },
    }),
    record_objection: (b) => ({
      from: ['notice'],
      run: async ({ c }) => ({
        to: 'accepted',
        // Re-investigation from the survey: the report and the decision are made again (the timeline keeps them).
        set: { verification: null, determination: null },
        enc: { content: b.content },
        after: async (trx) => {
          await trx
            .updateTable('case_notices')
            .set((eb) => ({ status: 'withdrawn', objections: eb('objections', '+', 1) }))
            .where('case_id', '=', c.id)
            .where('status', '=', 'open')
            .execute();
        },
      }),
    }),
    close_notice: (b) => ({
      from: ['notice'],
      run: async ({ trx, c, today }) => {
        const open = await trx
          .selectFrom('case_notices')
          .select(['id', 'ends_on'])
          .where('case_id', '=', c.id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (open && today < open.ends_on) throw Conflict('case.noticeNotEnded', { endsOn: open.ends_on });
        return {
          to: 'pending_approval',
          data: open ? { endsOn: open.ends_on } : {},
          enc: note(b.note),
          after: async (t2) => {
            if (open)
              await t2.updateTable('case_notices').set({ status: 'closed' }).where('id', '=', open.id).execute();
          },
        };
      },
    }),
  };
};
