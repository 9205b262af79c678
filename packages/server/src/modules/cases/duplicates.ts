import type { Transaction } from 'kysely';
import { OPEN_CASE_STATUSES } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';

/**
 * What an application from the public duplicates, for the staff who see the new case: the open
 * case's number, the number of the case of an active enrolment, or the registry household on
 * assistance. The citizen is told nothing of it (the answer is the same as for any application),
 * so the public form is no oracle of who is on assistance; the township merges or closes it.
 */
export async function markDuplicate(trx: Transaction<DB>, hashes: string[]): Promise<string> {
  const open = await trx
    .selectFrom('case_members as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .select('c.case_no')
    .where('cm.id_hash', 'in', hashes)
    .where('c.status', 'in', [...OPEN_CASE_STATUSES])
    .orderBy('c.created_at')
    .limit(1)
    .executeTakeFirst();
  if (open) return `case:${open.case_no}`;
  const enrolled = await trx
    .selectFrom('enrolments as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('case_members as cm', 'cm.case_id', 'e.case_id')
    .select('c.case_no')
    .where('cm.id_hash', 'in', hashes)
    .where('e.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (enrolled) return `enrolment:${enrolled.case_no}`;
  const registered = await trx
    .selectFrom('members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select('h.household_no')
    .where('m.id_hash', 'in', hashes)
    .limit(1)
    .executeTakeFirst();
  return registered ? `household:${registered.household_no}` : 'unknown';
}
