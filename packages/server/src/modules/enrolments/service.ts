import { type Kysely } from 'kysely';
import { entitlementFor, type AssistanceKind, type MonthState } from '@jiuzhu/shared';
import { currentScope } from '../../context';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { Forbidden } from '../../errors';
import { loadChangeLists, loadChangeListsInRegion, toEntitlementChange } from './change-row';
export { toEntitlementChange, loadChangeLists, loadChangeListsInRegion };
export { changeApprovalLevel, getEnrolment, listEnrolments, type EnrolmentDeps } from './read';
// For the scheduled reviews and the signals (modules/reviews): a change written by a decision.
export { applyChange, recordChange, type ChangeKind, type ChangeLinks } from './changes';

export type MonthEntitlementRow = {
  enrolmentId: string;
  kind: AssistanceKind;
  regionCode: string;
  /** The payee household (for 特困: the supported person's household); null for a case applicant not in the registry. */
  householdId: string | null;
  /** 特困: the supported person. */
  personMemberId: string | null;
  caseId: string | null;
  state: MonthState;
  /** Due for the month (monthly amount unless suspended, plus a one-off grant in its month). */
  amountFen: number;
  monthlyAmountFen: number;
  oneOffFen: number;
  /** Registry members covered in the month (those linked to the registry). */
  memberIds: string[];
  coveredMembers: number;
};

/**
 * Per enrolment of the region in force in `month` (started, not yet ended): the month's state
 * and amount by the entitlement math. Payroll pays `amountFen`; suspended enrolments appear with
 * 0. Runs in the caller's scope (jobs enter the system scope). Reads in batches, so a city's
 * rolls do not hold the one PGlite connection for long.
 */
export async function listEntitlements(
  db: Kysely<DB>,
  q: { month: string; regionCode?: string },
): Promise<MonthEntitlementRow[]> {
  const out: MonthEntitlementRow[] = [];
  const BATCH = 5000;
  let after = '';
  for (;;) {
    let query = db
      .selectFrom('enrolments as e')
      .select(['e.id', 'e.kind', 'e.region_code', 'e.household_id', 'e.person_member_id', 'e.case_id'])
      .where(inScope('e.region_code'))
      .where('e.from_month', '<=', q.month)
      .where((eb) => eb.or([eb('e.ends_month', 'is', null), eb('e.ends_month', '>', q.month)]))
      .where('e.id', '>', after === '' ? '00000000-0000-0000-0000-000000000000' : after);
    if (q.regionCode) query = query.where('e.region_code', 'like', `${q.regionCode}%`);
    const rows = await query.orderBy('e.id').limit(BATCH).execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const ids = rows.map((r) => r.id);
    const [byEnrolment, links] = await Promise.all([
      loadChangeLists(db, ids),
      db
        .selectFrom('enrolment_members')
        .select(['enrolment_id', 'id_hash', 'member_id'])
        .where('enrolment_id', 'in', ids)
        .where('member_id', 'is not', null)
        .execute(),
    ]);
    const memberOf = new Map(links.map((l) => [`${l.enrolment_id}/${l.id_hash}`, l.member_id!]));
    for (const r of rows) {
      const e = entitlementFor(byEnrolment.get(r.id) ?? [], q.month);
      if (e.state === 'pending' || e.state === 'ended') continue;
      out.push({
        enrolmentId: r.id,
        kind: r.kind,
        regionCode: r.region_code,
        householdId: r.household_id,
        personMemberId: r.person_member_id,
        caseId: r.case_id,
        state: e.state,
        amountFen: e.amountFen,
        monthlyAmountFen: e.monthlyAmountFen,
        oneOffFen: e.oneOffFen,
        memberIds: e.members.map((h) => memberOf.get(`${r.id}/${h}`)).filter((m): m is string => Boolean(m)),
        coveredMembers: e.members.length,
      });
    }
    if (rows.length < BATCH) break;
    // Lets the API answer between batches on the single PGlite connection.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** A region filter the caller may use (their own region or below). */
export function checkRegionFilter(regionCode: string | undefined): void {
  const scope = currentScope();
  if (!regionCode || scope.kind === 'system') return;
  if (!regionCode.startsWith(scope.regionCode) && !scope.regionCode.startsWith(regionCode))
    throw Forbidden('error.outOfRegion');
}
export { createEnrolmentsFromCase } from './create';

// For the insurance roster (modules/insurance): who each enrolment covers, month by month.
export { listCoverage, type CoverageEnrolment } from './coverage';

// ---- 全市一张图 (dashboard)
export {
  enrolmentTrace,
  newEnrolmentFigures,
  reviewsDueCount,
  rollFigures,
  rollTotals,
  writeEnrolmentFigures,
  type RollRow,
} from './figures';
