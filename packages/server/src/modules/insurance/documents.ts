import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { claimsFrom } from './claims';

export { CLAIM_DOCUMENT_MAX_BYTES, sniffDocument } from './document-type';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One document of a claim the caller may see (its region; an insurer: its schemes' claims).
 * Every download is audited: the documents hold personal data (certificates, bank accounts).
 */
export async function getClaimDocument(
  db: Kysely<DB>,
  claimId: string,
  documentId: string,
): Promise<{ contentType: string; fileName: string; bytes: Buffer }> {
  if (!UUID.test(claimId) || !UUID.test(documentId)) throw NotFound('entity.insuranceClaim');
  return db.transaction().execute(async (trx) => {
    const claim = await claimsFrom(trx)
      .select(['c.id', 'c.region_code'])
      .where('c.id', '=', claimId)
      .executeTakeFirst();
    if (!claim) throw NotFound('entity.insuranceClaim');
    const doc = await trx
      .selectFrom('insurance_claim_documents')
      .select(['id', 'kind', 'file_name', 'mime_type', 'content'])
      .where('claim_id', '=', claimId)
      .where('id', '=', documentId)
      .executeTakeFirst();
    if (!doc) throw NotFound('entity.insuranceClaim');
    await recordAudit(trx, {
      action: 'insurance.claim.document.download',
      entity: 'insurance_claim',
      entityId: claimId,
      regionCode: claim.region_code,
      detail: { documentId, kind: doc.kind },
    });
    return { contentType: doc.mime_type, fileName: doc.file_name, bytes: Buffer.from(doc.content) };
  });
}
