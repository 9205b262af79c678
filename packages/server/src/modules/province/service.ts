import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { ProvinceBatches, ProvinceRecords, ProvinceRecordsQuery, ProvinceSummary } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import type { Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import { inTarget, writeFigureRows, type FigureTarget } from '../../db/figures';
import { Conflict, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { buildPayloads } from './fill';

export { fillProvinceOutbox, recordIdOf } from './fill';
export { sendProvinceOutbox, backoffMs, type SendResult } from './sender';
export { startProvinceStub, type ProvinceStub, type StubMode } from './stub';

/** Counts per type and month (and status) of the records in the caller's region. */
export async function provinceSummary(db: Kysely<DB>, q: { from?: string; to?: string }): Promise<ProvinceSummary> {
  let query = db
    .selectFrom('province_outbox')
    .select((eb) => [
      'type',
      'month',
      eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) filter (where status in ('pending', 'sent'))`.as('pending'),
      sql<string>`count(*) filter (where status = 'accepted')`.as('accepted'),
      sql<string>`count(*) filter (where status = 'rejected')`.as('rejected'),
    ])
    .where(inScope('province_outbox.region_code'))
    .groupBy(['type', 'month'])
    .orderBy('month', 'desc')
    .orderBy('type');
  if (q.from) query = query.where('month', '>=', q.from);
  if (q.to) query = query.where('month', '<=', q.to);
  const rows = (await query.execute()).map((r) => ({
    type: r.type,
    month: r.month,
    pending: Number(r.pending),
    accepted: Number(r.accepted),
    rejected: Number(r.rejected),
    total: Number(r.total),
  }));
  const totals = { pending: 0, accepted: 0, rejected: 0, total: 0 };
  for (const r of rows) {
    totals.pending += r.pending;
    totals.accepted += r.accepted;
    totals.rejected += r.rejected;
    totals.total += r.total;
  }
  return { rows, totals };
}

/**
 * The outbox records of the target's regions per month and type (figures_monthly, kind = the
 * record type): all of them, accepted by the province, rejected (the 26万条 of the dashboard).
 */
export async function writeProvinceFigures(db: Kysely<DB>, target: FigureTarget): Promise<void> {
  await writeFigureRows(
    ['province_records', 'province_accepted', 'province_rejected'],
    sql`select o.region_code, o.month, o.type, count(*)::int, count(*) filter (where o.status = 'accepted')::int,
               count(*) filter (where o.status = 'rejected')::int
          from province_outbox o
         where ${inTarget('o.region_code', target)}
         group by 1, 2, 3`,
  ).execute(db);
}

/** The posts to the province, newest first: those that carried a record of the caller's county (all for the city). */
export async function provinceBatches(
  db: Kysely<DB>,
  q: { page: number; pageSize: number },
): Promise<z.infer<typeof ProvinceBatches>> {
  const base = db
    .selectFrom('province_batches as b')
    .where(sql<boolean>`exists (select 1 from unnest(b.counties) as u(code) where ${inScope('u.code')})`);
  const [rows, count] = await Promise.all([
    base
      .selectAll('b')
      .orderBy('b.sent_at', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      batchId: r.batch_id,
      sentAt: new Date(r.sent_at).toISOString(),
      recordCount: r.record_count,
      accepted: r.accepted,
      rejected: r.rejected,
      outcome: r.outcome,
      error: r.error,
    })),
    total: Number(count.n),
  };
}

/** The outbox records of the caller's region (no personal data: the payload stays encrypted). */
export async function provinceRecords(
  db: Kysely<DB>,
  q: z.infer<typeof ProvinceRecordsQuery>,
): Promise<z.infer<typeof ProvinceRecords>> {
  let base = db.selectFrom('province_outbox').where(inScope('province_outbox.region_code'));
  if (q.status) base = base.where('status', '=', q.status);
  if (q.type) base = base.where('type', '=', q.type);
  const [rows, count] = await Promise.all([
    base
      .select([
        'id',
        'record_id',
        'type',
        'month',
        'region_code',
        'status',
        'attempts',
        'reason',
        'last_error',
        'resent',
      ])
      .orderBy('id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      recordId: r.record_id,
      type: r.type,
      month: r.month,
      regionCode: r.region_code,
      status: r.status,
      attempts: r.attempts,
      reason: r.reason,
      lastError: r.last_error,
      resent: r.resent,
    })),
    total: Number(count.n),
  };
}

/**
 * Re-sends a rejected record after its source was corrected: the payload is rebuilt from the
 * source rows as they are now and the record goes back in the queue. Audited.
 */
export async function resendProvinceRecord(
  deps: { db: Kysely<DB>; protector: Protector },
  id: string,
): Promise<z.infer<typeof ProvinceRecords>['items'][number]> {
  if (!/^\d{1,18}$/.test(id)) throw NotFound('entity.provinceRecord');
  const row = await deps.db.selectFrom('province_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !isInScope(row.region_code)) throw NotFound('entity.provinceRecord');
  if (row.status !== 'rejected') throw Conflict('province.notRejected');
  const payload = (await buildPayloads(deps, row.type, [row.source_id])).get(row.source_id) ?? {};
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('province_outbox')
      .set({
        payload_enc: deps.protector.encrypt(JSON.stringify(payload), 'province_outbox.payload'),
        status: 'pending',
        attempts: 0,
        next_attempt_at: new Date(),
        last_error: null,
        resent: sql`resent + 1`,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', '=', 'rejected')
      .execute();
    await recordAudit(trx, {
      action: 'province.resend',
      entity: 'province_record',
      entityId: row.record_id,
      regionCode: row.region_code,
      detail: { type: row.type, reason: row.reason },
    });
  });
  const fresh = await deps.db.selectFrom('province_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return {
    id: String(fresh.id),
    recordId: fresh.record_id,
    type: fresh.type,
    month: fresh.month,
    regionCode: fresh.region_code,
    status: fresh.status,
    attempts: fresh.attempts,
    reason: fresh.reason,
    lastError: fresh.last_error,
    resent: fresh.resent,
  };
}
