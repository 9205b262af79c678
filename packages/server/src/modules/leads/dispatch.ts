import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { chinaToday } from '@jiuzhu/shared';

export type LeadJobDeps = { db: Kysely<DB>; config: Config };

/**
 * Creates one lead per `signals` row with outcome 'lead' that has none yet, in the village of the
 * signal (the person's household), due `config.leadDueDays` working days after `today`. The village's
 * grid workers see it through their region scope. Set-based and idempotent: a second call (or a
 * concurrent one) adds nothing. Returns the number of leads created.
 */
export async function dispatchNewLeads(deps: LeadJobDeps, today: string = chinaToday()): Promise<number> {
  const { db, config } = deps;
  const calendar = await getCalendar(db);
  const dueDate = calendar.addWorkingDays(today, config.leadDueDays);
  return db.transaction().execute(async (trx) => {
    // The person as the registry knows them, else as the newest source record names them.
    const created = await sql<{ n: number; first: number | null; last: number | null }>`
      with created as (
      insert into leads (signal_id, region_code, member_id, household_id, id_hash, person_name, id_masked, issued_on, due_date)
      select s.id, s.region_code, s.member_id, s.household_id, s.id_hash,
             coalesce(m.name, fr.name, ''), coalesce(m.id_masked, fr.id_masked, ''), ${today}, ${dueDate}
        from signals s
        left join members m on m.id = s.member_id
        left join lateral (
          select r.name, r.id_masked from signal_records sr join feed_records r on r.id = sr.record_id
           where sr.signal_id = s.id order by r.event_date desc, r.id desc limit 1
        ) fr on true
       where s.outcome = 'lead'
         and not exists (select 1 from leads l where l.signal_id = s.id)
       order by s.signal_no
      on conflict (signal_id) do nothing
      returning lead_no)
      select count(*)::int as n, min(lead_no) as first, max(lead_no) as last from created`.execute(trx);
    const { n, first, last } = created.rows[0]!;
    if (n > 0) {
      await recordAudit(trx, {
        action: 'lead.dispatch',
        entity: 'lead',
        regionCode: config.city,
        detail: { created: n, firstLeadNo: Number(first), lastLeadNo: Number(last), dueDate },
      });
    }
    return n;
  });
}

/**
 * Escalates open leads whose due date is before `today` (YYYY-MM-DD) to their township (the
 * village code's first 9 digits): they show flagged in the township's list. A lead escalates
 * once; running again the same day (or later) changes nothing. One audit row per escalated lead,
 * in the township's region. Returns the number escalated.
 */
export async function escalateOverdueLeads(deps: LeadJobDeps, today: string): Promise<number> {
  const { db } = deps;
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('leads')
      .set({ escalated_at: new Date(), escalated_to: sql<string>`left(region_code, 9)` })
      .where('status', '=', 'open')
      .where('escalated_at', 'is', null)
      .where('due_date', '<', today)
      .returning(['id', 'lead_no', 'escalated_to', 'due_date'])
      .execute();
    for (const r of rows) {
      await recordAudit(trx, {
        action: 'lead.escalate',
        entity: 'lead',
        entityId: r.id,
        regionCode: r.escalated_to!,
        detail: { leadNo: Number(r.lead_no), dueDate: r.due_date },
      });
    }
    return rows.length;
  });
}
