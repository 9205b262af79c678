import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { recordAudit } from '../audit/service';

/**
 * The daily job: a claim whose materials are complete but which is still unpaid after its
 * 10-working-day clock (`due_on` before today, not refused) is escalated to its county once
 * (督办). Idempotent: an escalated claim is never escalated again. Returns how many were.
 */
export async function escalateOverdueClaims(db: Kysely<DB>, today: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('insurance_claims')
      .set({ escalated_at: new Date() })
      .where('status', 'in', ['received', 'approved'])
      .where('escalated_at', 'is', null)
      .where('due_on', '<', today)
      .returning(['id', 'claim_no', 'region_code', 'due_on'])
      .execute();
    for (const r of rows)
      await recordAudit(trx, {
        action: 'insurance.claim.escalate',
        entity: 'insurance_claim',
        entityId: r.id,
        regionCode: r.region_code.slice(0, 6),
        detail: { claimNo: r.claim_no, dueOn: r.due_on, today },
      });
    return rows.length;
  });
}
