import { z } from 'zod';
import { IsoDate } from './common';

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorUsername: z.string(),
  actorRole: z.string(),
  regionCode: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  /** Non-personal facts about the action (changed field names, counts); never plaintext personal data. */
  detail: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  entity: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
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
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
