/**
 * The lead → application hand-off (协助申请). The application form starts from the registry
 * household of the lead: its members with their ID numbers (revealed for the form, audited like
 * any reveal), the address and a phone. The lead then shows its application and stays open until
 * the application is decided; "helped to apply" cannot close a lead with no application behind it.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  OPEN_CASE_STATUSES,
  type ApplicationMember,
  type CaseStatus,
  type LeadApplication,
  type LeadPrefill,
} from '@jiuzhu/shared';
import type { Protector } from '../../crypto/index';
import { inScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { NotFound } from '../../errors';
import { recordAudit } from '../audit/service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registry relations (to the household head) as application relations (to the applicant = head). */
const RELATION: Record<string, ApplicationMember['relation']> = {
  head: 'self',
  spouse: 'spouse',
  child: 'child',
  parent: 'parent',
  grandchild: 'grandchild',
  grandparent: 'grandparent',
  sibling: 'sibling',
};

/**
 * The form's starting values for an application from a lead: the lead's person first (the
 * applicant), then the other members of the registry household. Without a household, only the
 * person's name and the village. The reveal is audited in one row naming the fields.
 */
export async function applicationPrefill(db: Kysely<DB>, protector: Protector, leadId: string): Promise<LeadPrefill> {
  if (!UUID.test(leadId)) throw NotFound('entity.lead');
  const lead = await db
    .selectFrom('leads')
    .select(['id', 'lead_no', 'region_code', 'household_id', 'member_id', 'person_name'])
    .where('id', '=', leadId)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!lead) throw NotFound('entity.lead');
  const household = lead.household_id
    ? await db
        .selectFrom('households')
        .select(['id', 'region_code', 'address_enc'])
        .where('id', '=', lead.household_id)
        .executeTakeFirst()
    : undefined;
  const members = household
    ? await db
        .selectFrom('members')
        .select(['id', 'name', 'id_number_enc', 'relation', 'phone_enc'])
        .where('household_id', '=', household.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : [];
  // The lead's person is the applicant; the others keep their relation when the applicant heads the household.
  const applicant = members.find((m) => m.id === lead.member_id) ?? members.find((m) => m.relation === 'head');
  const applicantIsHead = applicant?.relation === 'head';
  const ordered = applicant ? [applicant, ...members.filter((m) => m !== applicant)] : [];
  const phoneOwner = ordered.find((m) => m.phone_enc);
  const prefill: LeadPrefill = {
    leadId: lead.id,
    villageCode: household?.region_code ?? lead.region_code,
    address: household ? protector.decrypt(household.address_enc, 'household.address') : '',
    phone: phoneOwner?.phone_enc ? protector.decrypt(phoneOwner.phone_enc, 'member.phone') : '',
    members:
      ordered.length > 0
        ? ordered.map((m, i) => ({
            name: m.name,
            idNumber: protector.decrypt(m.id_number_enc, 'member.id_number'),
            relation: i === 0 ? 'self' : applicantIsHead ? (RELATION[m.relation] ?? 'other') : 'other',
          }))
        : [{ name: lead.person_name, idNumber: '', relation: 'self' }],
  };
  // Audited even without a household (the form was opened from the lead), so every opening shows.
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      action: 'registry.reveal',
      entity: household ? 'household' : 'lead',
      entityId: household?.id ?? lead.id,
      regionCode: household?.region_code ?? lead.region_code,
      detail: {
        reason: 'lead.application',
        leadNo: Number(lead.lead_no),
        fields: ['idNumber', 'address', ...(phoneOwner ? ['phone'] : [])],
        members: ordered.length,
      },
    }),
  );
  return prefill;
}

/** The latest application filed from a lead (in the caller's scope), or null. */
export async function findLeadApplication(
  db: Kysely<DB> | Transaction<DB>,
  leadId: string,
): Promise<LeadApplication | null> {
  const row = await db
    .selectFrom('cases')
    .select(['id', 'case_no', 'status'])
    .where('lead_id', '=', leadId)
    .where(inScope('region_code'))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { caseId: row.id, caseNo: row.case_no, status: row.status } : null;
}

export const isDecided = (status: CaseStatus) => !OPEN_CASE_STATUSES.includes(status);

/**
 * A decided application closes its lead ("helped to apply"), when a visit said so and the lead is
 * still open. Called by the case workflow in the transaction of the deciding step.
 */
export async function closeLeadOfDecidedCase(trx: Transaction<DB>, leadId: string, actor: string): Promise<void> {
  const lead = await trx
    .selectFrom('leads')
    .select(['id', 'signal_id', 'region_code', 'lead_no'])
    .where('id', '=', leadId)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst();
  if (!lead) return;
  const helped = await trx
    .selectFrom('lead_visits')
    .select('id')
    .where('lead_id', '=', leadId)
    .where('outcome', '=', 'helped_to_apply')
    .executeTakeFirst();
  if (!helped) return;
  await trx
    .updateTable('leads')
    .set({ status: 'closed', outcome: 'helped_to_apply', closed_at: new Date(), closed_by: actor })
    .where('id', '=', leadId)
    .execute();
  await trx
    .updateTable('signals')
    .set({ status: 'resolved', updated_at: new Date() })
    .where('id', '=', lead.signal_id)
    .where('status', 'in', ['open', 'in_progress'])
    .execute();
  await recordAudit(trx, {
    action: 'lead.closed',
    entity: 'lead',
    entityId: leadId,
    regionCode: lead.region_code,
    detail: { leadNo: Number(lead.lead_no), outcome: 'helped_to_apply', by: 'application decided' },
  });
}
