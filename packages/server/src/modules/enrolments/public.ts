import { sql, type Kysely } from 'kysely';
import type { PublicRecipientList, PublicRecipientQuery } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { chinaMonth } from '../policy/service';

/**
 * The long-term public notice (长期公示): the 低保 and 特困 recipients of a village (or township) for
 * as long as they receive — in force this month and paid in it (not suspended in it), even when an
 * end or a suspension is decided for a later month — with only the name (as the application notices show it), the number of covered members, the kind and the
 * monthly amount (POLICY.md). Runs in the city scope of the public routes.
 */
export async function listPublicRecipients(
  db: Kysely<DB>,
  { region, page, pageSize }: PublicRecipientQuery,
): Promise<PublicRecipientList> {
  const month = chinaMonth();
  const q = db
    .selectFrom('enrolments as e')
    .innerJoin('regions as v', 'v.code', 'e.region_code')
    .leftJoin('regions as tw', 'tw.code', 'v.parent_code')
    .where(inScope('e.region_code'))
    .where('e.region_code', 'like', `${region}%`)
    .where('e.kind', 'in', ['dibao', 'tekun'])
    // Paid this month, whatever is decided for later: the cached status and end follow the whole
    // change log (an end or a suspension from next month is already there), so the month decides.
    .where('e.from_month', '<=', month)
    .where((eb) => eb.or([eb('e.ends_month', 'is', null), eb('e.ends_month', '>', month)]))
    .where(
      sql<boolean>`coalesce((select c.type from enrolment_changes c where c.enrolment_id = e.id
        and c.type in ('suspended', 'resumed') and c.effective_month <= ${month}
        order by c.seq desc limit 1), 'resumed') <> 'suspended'`,
    );
  const { total } = await q.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'e.id',
      'e.region_code',
      'v.name as village_name',
      'tw.name as township_name',
      'e.kind',
      'e.covered_members',
      'e.monthly_amount_fen',
    ])
    .select(
      sql<string>`coalesce((select em.name from enrolment_members em where em.enrolment_id = e.id
        order by (em.relation in ('head', 'self')) desc, em.name limit 1), '')`.as('name'),
    )
    .orderBy('e.region_code')
    .orderBy('e.kind')
    .orderBy('name')
    .orderBy('e.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      villageCode: r.region_code,
      villageName: r.village_name,
      townshipName: r.township_name ?? '',
      name: r.name,
      members: r.covered_members,
      kind: r.kind as 'dibao' | 'tekun',
      monthlyAmountFen: r.monthly_amount_fen,
    })),
  };
}
