import type { Kysely } from 'kysely';
import type { EntitlementChange, EntitlementChangeType } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';

/** A stored enrolment_changes row as the pure entitlement math reads it. */
export type ChangeRow = {
  seq: number;
  type: EntitlementChangeType;
  effective_month: string;
  amount_fen: number | null;
  one_off_fen?: number | null;
  members: string[] | null;
  months: number | null;
};

export function toEntitlementChange(c: ChangeRow): EntitlementChange {
  return {
    seq: c.seq,
    type: c.type,
    effectiveMonth: c.effective_month,
    amountFen: c.amount_fen,
    oneOffFen: c.one_off_fen,
    members: c.members,
    months: c.months,
  };
}

/** The change lists of a batch of enrolments, in seq order, keyed by enrolment id (for the month math). */
export async function loadChangeLists(db: Kysely<DB>, ids: string[]): Promise<Map<string, EntitlementChange[]>> {
  const rows = await db
    .selectFrom('enrolment_changes')
    .select(['enrolment_id', 'seq', 'type', 'effective_month', 'amount_fen', 'one_off_fen', 'members', 'months'])
    .where('enrolment_id', 'in', ids)
    .orderBy('enrolment_id')
    .orderBy('seq')
    .execute();
  const byEnrolment = new Map<string, EntitlementChange[]>();
  for (const c of rows) {
    const list = byEnrolment.get(c.enrolment_id) ?? [];
    list.push(toEntitlementChange(c));
    byEnrolment.set(c.enrolment_id, list);
  }
  return byEnrolment;
}
