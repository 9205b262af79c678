import { z } from 'zod';
import { IsoDate, Text } from './common';

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: Text,
  actorId: Text.nullable(),
  actorUsername: Text,
  /** The actor's display name (null for system jobs and deleted accounts). */
  actorName: Text.nullable(),
  actorRole: Text,
  regionCode: Text,
  regionName: Text.nullable(),
  /** The household the row concerns (its 户编号), for household and member rows. */
  householdNo: Text.nullable(),
  action: Text,
  entity: Text,
  entityId: Text.nullable(),
  /** Non-personal facts about the action (changed field names, counts); never plaintext personal data. */
  detail: z.record(Text, z.unknown()),
  requestId: Text.nullable(),
  prevHash: Text,
  hash: Text,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  /** Part of the action code (`reveal` finds `registry.reveal`). */
  action: Text.max(64).optional(),
  /** Part of the actor's username or display name. */
  actor: Text.max(64).optional(),
  /** A household by its 户编号: its own rows and its members' (who saw what of this family). */
  household: Text.trim().max(64).optional(),
  entity: Text.max(64).optional(),
  entityId: Text.max(64).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditList = z.object({ items: z.array(AuditEntry), total: z.number().int() });
export type AuditList = z.infer<typeof AuditList>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  brokenAt: z.number().int().nullable(),
  reason: Text.nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
