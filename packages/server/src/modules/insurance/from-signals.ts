import { sql, type Kysely } from 'kysely';
import { currentScope } from '../../context';
import type { DB } from '../../db/schema';
import { openClaim } from './claims';
import { issueCondolenceTask } from './condolence';

/**
 * 免申即享: every `claim_prompt` signal (a death or cremation record of a recipient) whose person
 * has no death claim yet opens one at the report step, with the record attached: death from
 * illness, or accidental death where the death record's cause says accident. A person not insured
 * on the date of death gets none. Idempotent: re-running finds the claim (one death claim per
 * person, by a unique index). Runs in the system scope, after a collision run.
 */
export async function openClaimsFromSignals(db: Kysely<DB>, city: string): Promise<{ opened: number }> {
  if (currentScope().kind !== 'system') throw new Error('openClaimsFromSignals runs with the system scope');
  const rows = await db
    .selectFrom('signals as s')
    .innerJoin('signal_records as sr', 'sr.signal_id', 's.id')
    .innerJoin('feed_records as r', 'r.id', 'sr.record_id')
    .select(['s.id as signal_id', 's.id_hash', 'r.id as record_id', 'r.record_type', 'r.event_date', 'r.data'])
    .where('s.outcome', '=', 'claim_prompt')
    // Only someone an enrolment ever covered can be insured (findInsured reads the enrolments'
    // coverage): the signals of everyone else would each cost a transaction, every run, to open nothing.
    .where((eb) =>
      eb.exists(
        eb.selectFrom('enrolment_members as em').select('em.enrolment_id').whereRef('em.id_hash', '=', 's.id_hash'),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('insurance_claims as c')
            .select('c.id')
            .whereRef('c.id_hash', '=', 's.id_hash')
            .where('c.cover_item', 'in', ['death_illness', 'death_accident']),
        ),
      ),
    )
    // The death record first (it has the cause), else the cremation.
    .orderBy('s.id')
    .orderBy(sql`r.record_type = 'death'`, 'desc')
    .orderBy('r.id')
    .execute();
  let opened = 0;
  const done = new Set<string>();
  for (const r of rows) {
    if (done.has(r.signal_id)) continue;
    done.add(r.signal_id);
    const data = (r.data ?? {}) as Record<string, unknown>;
    const deathDate = r.record_type === 'death' ? String(r.event_date) : String(data.death_date ?? r.event_date);
    const coverItem = data.cause_category === 'accident' ? 'death_accident' : 'death_illness';
    const res = await db.transaction().execute(async (trx) => {
      const opened = await openClaim(trx, city, {
        idHash: r.id_hash,
        coverItem,
        eventDate: deathDate,
        eventNote: null,
        source: 'exchange',
        feedRecordId: Number(r.record_id),
        signalId: r.signal_id,
      });
      // The village's grid worker visits the family: tells them about the claim, collects the beneficiary.
      if (opened?.created) {
        const claim = await trx
          .selectFrom('insurance_claims')
          .select('region_code')
          .where('id', '=', opened.id)
          .executeTakeFirstOrThrow();
        await issueCondolenceTask(trx, { id: opened.id, regionCode: claim.region_code });
      }
      return opened;
    });
    if (res?.created) opened++;
  }
  return { opened };
}
