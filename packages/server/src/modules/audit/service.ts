import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEntry, AuditQuery, AuditVerifyResult } from '@jiuzhu/shared';
import { findContext } from '../../context';
import { inScope } from '../../db/scope';
import type { AuditRow, DB } from '../../db/schema';
import { chainHash, GENESIS_HASH } from './chain';

// Serialises appends so the chain has exactly one successor per row (held until the transaction ends).
const AUDIT_APPEND_LOCK = 35030001;

export type AuditInput = {
  action: string;
  entity: string;
  entityId?: string | null;
  /** The region the action concerns; defaults to the actor's region. */
  regionCode?: string;
  /** Non-personal facts only: field names, counts, codes. Never plaintext personal data. */
  detail?: Record<string, unknown>;
  /** Who acted, when there is no signed-in actor in the context (e.g. a failed login). */
  actor?: { id: string | null; username: string; role: string; regionCode: string };
};

/**
 * Appends one row to the hash-chained trail inside the caller's transaction, so the
 * audit row commits or rolls back with the change it describes.
 */
export async function recordAudit(trx: Transaction<DB>, input: AuditInput): Promise<void> {
  const ctx = findContext();
  const actor =
    input.actor ??
    (ctx?.actor
      ? { id: ctx.actor.id, username: ctx.actor.username, role: ctx.actor.role, regionCode: ctx.actor.regionCode }
      : { id: null, username: 'system', role: 'system', regionCode: '' });
  await sql`select pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    actorId: actor.id,
    actorUsername: actor.username,
    actorRole: actor.role,
    regionCode: input.regionCode ?? actor.regionCode,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ?? null,
    detail: input.detail ?? {},
    requestId: ctx?.requestId ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await trx
    .insertInto('audit_log')
    .values({
      seq: fields.seq,
      at: fields.at,
      actor_id: fields.actorId,
      actor_username: fields.actorUsername,
      actor_role: fields.actorRole,
      region_code: fields.regionCode,
      action: fields.action,
      entity: fields.entity,
      entity_id: fields.entityId,
      detail: JSON.stringify(fields.detail),
      request_id: fields.requestId,
      prev_hash: prevHash,
      hash: chainHash(prevHash, fields),
    })
    .execute();
}

type ListedRow = AuditRow & { actor_name?: string | null; region_name?: string | null; household_no?: string | null };

function toEntry(r: ListedRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    actorName: r.actor_name ?? null,
    actorRole: r.actor_role,
    regionCode: r.region_code,
    regionName: r.region_name ?? null,
    householdNo: r.household_no ?? null,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    detail: r.detail,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * Lists the trail in the caller's region (city-level callers see all of it), newest first, with
 * the names an auditor reads (actor, region, household number) beside the codes.
 */
export async function listAudit(db: Kysely<DB>, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.username', 'a.actor_username')
    .leftJoin('regions as rg', 'rg.code', 'a.region_code')
    .leftJoin('members as m', (j) => j.on(sql<boolean>`a.entity = 'member' and m.id::text = a.entity_id`))
    .leftJoin('households as h', (j) =>
      j.on(
        sql<boolean>`(a.entity = 'household' and h.id::text = a.entity_id) or (a.entity = 'member' and h.id = m.household_id)`,
      ),
    )
    .where(inScope('a.region_code'));
  if (q.action) query = query.where('a.action', 'like', like(q.action));
  if (q.actor)
    query = query.where((eb) =>
      eb.or([eb('a.actor_username', 'like', like(q.actor!)), eb('u.display_name', 'like', like(q.actor!))]),
    );
  if (q.household) query = query.where('h.household_no', '=', q.household);
  if (q.entity) query = query.where('a.entity', '=', q.entity);
  if (q.entityId) query = query.where('a.entity_id', '=', q.entityId);
  if (q.from) query = query.where('a.at', '>=', new Date(`${q.from}T00:00:00+08:00`));
  if (q.to) query = query.where('a.at', '<', new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000));
  const [rows, count] = await Promise.all([
    query
      .selectAll('a')
      .select(['u.display_name as actor_name', 'rg.name as region_name', 'h.household_no'])
      .orderBy('a.seq', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toEntry(r as ListedRow)), total: Number(count.n) };
}

/**
 * Walks the whole chain in order and recomputes every hash. Stops at the first row
 * whose sequence, link or hash does not match. Reads in pages so memory stays flat.
 */
export async function verifyAudit(
  db: Kysely<DB>,
  onProgress: (checked: number, total: number) => void = () => {},
): Promise<AuditVerifyResult> {
  const total = Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const PAGE = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      const broken = (reason: string): AuditVerifyResult => ({ ok: false, checked, brokenAt: seq, reason });
      if (seq !== expectedSeq) return { ok: false, checked, brokenAt: expectedSeq, reason: 'missing row' };
      if (r.prev_hash !== prevHash) return broken('prev_hash does not match the previous row');
      const e = toEntry(r);
      const hash = chainHash(prevHash, { ...e, at: r.at, seq });
      if (hash !== r.hash) return broken('hash does not match the row content');
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
    onProgress(checked, total);
  }
  return { ok: true, checked, brokenAt: null, reason: null };
}
