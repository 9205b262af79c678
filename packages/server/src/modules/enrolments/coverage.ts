import type { Kysely } from 'kysely';
import type { AssistanceKind, EntitlementChange } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { loadChangeLists } from './change-row';

/** An enrolment with everything needed to say who it covers in any month (for the insurance roster). */
export type CoverageEnrolment = {
  enrolmentId: string;
  kind: AssistanceKind;
  regionCode: string;
  changes: EntitlementChange[];
  /** Every person the enrolment ever covered, by ID blind index. */
  people: { idHash: string; memberId: string | null; name: string; idMasked: string }[];
};

/**
 * The enrolments of the given kinds in the caller's scope that may be in force in some month of
 * `fromMonth`…`toMonth` (started by the end, not ended before the start), with their change logs
 * and covered people. Which months each person is covered is for the caller to derive with the
 * entitlement math. Read in batches so a city's rolls do not hold the one PGlite connection long.
 */
export async function listCoverage(
  db: Kysely<DB>,
  q: {
    kinds: readonly AssistanceKind[];
    fromMonth: string;
    toMonth: string;
    regionCode?: string;
    /** Only enrolments that ever covered this person. */
    idHash?: string;
  },
): Promise<CoverageEnrolment[]> {
  const out: CoverageEnrolment[] = [];
  if (q.kinds.length === 0) return out;
  const BATCH = 5000;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    let query = db
      .selectFrom('enrolments as e')
      .select(['e.id', 'e.kind', 'e.region_code'])
      .where(inScope('e.region_code'))
      .where('e.kind', 'in', [...q.kinds])
      .where('e.from_month', '<=', q.toMonth)
      .where((eb) => eb.or([eb('e.ends_month', 'is', null), eb('e.ends_month', '>', q.fromMonth)]))
      .where('e.id', '>', after);
    if (q.regionCode) query = query.where('e.region_code', 'like', `${q.regionCode}%`);
    if (q.idHash) {
      const idHash = q.idHash;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('enrolment_members as em')
            .select('em.enrolment_id')
            .whereRef('em.enrolment_id', '=', 'e.id')
            .where('em.id_hash', '=', idHash),
        ),
      );
    }
    const rows = await query.orderBy('e.id').limit(BATCH).execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const ids = rows.map((r) => r.id);
    const [changes, people] = await Promise.all([
      loadChangeLists(db, ids),
      db
        .selectFrom('enrolment_members')
        .select(['enrolment_id', 'id_hash', 'member_id', 'name', 'id_masked'])
        .where('enrolment_id', 'in', ids)
        .execute(),
    ]);
    const byId = new Map<string, CoverageEnrolment>(
      rows.map((r) => [
        r.id,
        { enrolmentId: r.id, kind: r.kind, regionCode: r.region_code, changes: changes.get(r.id) ?? [], people: [] },
      ]),
    );
    for (const p of people)
      byId
        .get(p.enrolment_id)!
        .people.push({ idHash: p.id_hash, memberId: p.member_id, name: p.name, idMasked: p.id_masked });
    out.push(...byId.values());
    if (rows.length < BATCH) break;
    // Lets the API answer between batches on the single PGlite connection.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
