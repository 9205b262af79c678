import { sql, type Kysely } from 'kysely';
import type { EntitlementChange, EntitlementChangeType } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';

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

/**
 * The change lists of every enrolment of a region (code prefix, in the caller's scope) started by
 * `fromMonthUpTo` and not ended before `endsAfter`, in one query (a payroll of the whole city reads
 * ~40,000 lists). `members: false` leaves the covered members out (the amounts do not depend on them).
 */
export async function loadChangeListsInRegion(
  db: Kysely<DB>,
  q: { regionCode: string; fromMonthUpTo: string; endsAfter: string; members?: boolean },
): Promise<Map<string, EntitlementChange[]>> {
  const rows = await db
    .selectFrom('enrolment_changes as c')
    .innerJoin('enrolments as e', 'e.id', 'c.enrolment_id')
    .select(['c.enrolment_id', 'c.seq', 'c.type', 'c.effective_month', 'c.amount_fen', 'c.one_off_fen', 'c.months'])
    .select(q.members === false ? sql<null>`null`.as('members') : 'c.members')
    .where(inScope('e.region_code'))
    .where('e.region_code', 'like', `${q.regionCode}%`)
    .where('e.from_month', '<=', q.fromMonthUpTo)
    .where((eb) => eb.or([eb('e.ends_month', 'is', null), eb('e.ends_month', '>', q.endsAfter)]))
    .orderBy('c.enrolment_id')
    .orderBy('c.seq')
    .execute();
  const byEnrolment = new Map<string, EntitlementChange[]>();
  let list: EntitlementChange[] = [];
  let current = '';
  for (const c of rows) {
    if (c.enrolment_id !== current) {
      current = c.enrolment_id;
      list = [];
      byEnrolment.set(current, list);
    }
    list.push(toEntitlementChange(c));
  }
  return byEnrolment;
}
