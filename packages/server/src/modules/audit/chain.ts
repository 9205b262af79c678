import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a hash covers, in a fixed order. */
export type ChainedFields = {
  seq: number;
  at: Date;
  actorId: string | null;
  actorUsername: string;
  actorRole: string;
  regionCode: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
};

/** JSON with object keys sorted at every depth, so jsonb's key reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function chainHash(prevHash: string, f: ChainedFields): string {
  const payload = canonicalJson([
    f.seq,
    f.at.toISOString(),
    f.actorId,
    f.actorUsername,
    f.actorRole,
    f.regionCode,
    f.action,
    f.entity,
    f.entityId,
    f.detail,
    f.requestId,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(payload).digest('hex');
}
