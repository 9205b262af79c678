import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Protector } from '../../crypto/index';
import type { ProvinceConfig } from '../../config';
import { SIGNATURE_HEADER, signBody, type ProvinceAnswer, type ProvinceBatch, type ProvinceRecord } from './protocol';

export type SendDeps = { db: Kysely<DB>; protector: Protector; province: ProvinceConfig };
export type SendResult = { batches: number; accepted: number; rejected: number; failed: number };

const DAY_MS = 86_400_000;

/** Delay before the next try after `attempts` failed ones: base·2^(attempts−1), at most a day. */
export function backoffMs(base: number, attempts: number): number {
  return Math.min(DAY_MS, base * 2 ** Math.max(0, attempts - 1));
}

/** Posts one signed batch; throws on network error, timeout, non-2xx or an unreadable answer. */
async function post(cfg: ProvinceConfig, batch: ProvinceBatch): Promise<ProvinceAnswer> {
  const body = JSON.stringify(batch);
  const res = await fetch(cfg.url!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(body, cfg.secret!) },
    body,
    signal: AbortSignal.timeout(cfg.timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const answer = JSON.parse(text) as ProvinceAnswer;
  if (!Array.isArray(answer?.receipts)) throw new Error('answer without receipts');
  return answer;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return (cause ? `${err.message} (${cause})` : err.message).slice(0, 200);
  }
  return 'error';
}

/**
 * Sends due records in batches of `batchSize` until none is due or a batch fails. Before a post
 * the records are marked `sent` (due again after twice the timeout, should the process die);
 * each receipt then settles its record; a failure puts the batch back with exponential backoff.
 * The province deduplicates by recordId, so a batch retried after a lost answer is harmless.
 */
export async function sendProvinceOutbox(
  deps: SendDeps,
  opts: { now?: () => Date; maxBatches?: number } = {},
): Promise<SendResult> {
  const cfg = deps.province;
  const result: SendResult = { batches: 0, accepted: 0, rejected: 0, failed: 0 };
  if (!cfg.url || !cfg.secret) return result;
  const now = opts.now ?? (() => new Date());
  const maxBatches = opts.maxBatches ?? 1000;
  while (result.batches < maxBatches) {
    const at = now();
    const batchId = randomUUID();
    const rows = await deps.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('province_outbox')
        .select(['id', 'record_id', 'type', 'payload_enc', 'attempts', 'region_code'])
        .where('status', 'in', ['pending', 'sent'])
        .where('next_attempt_at', '<=', at)
        .orderBy('id')
        .limit(cfg.batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return due;
      await trx
        .updateTable('province_outbox')
        .set({
          status: 'sent',
          batch_id: batchId,
          attempts: sql`attempts + 1`,
          next_attempt_at: new Date(at.getTime() + 2 * cfg.timeoutMs),
          updated_at: at,
        })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .execute();
      return due;
    });
    if (rows.length === 0) break;
    result.batches++;
    const records: ProvinceRecord[] = rows.map((r) => ({
      recordId: r.record_id,
      type: r.type,
      payload: JSON.parse(deps.protector.decrypt(r.payload_enc, 'province_outbox.payload')) as Record<string, unknown>,
    }));
    let answer: ProvinceAnswer | undefined;
    let error: string | undefined;
    try {
      answer = await post(cfg, { batchId, sentAt: at.toISOString(), records });
    } catch (err) {
      error = errorText(err);
    }
    const settled = new Map((answer?.receipts ?? []).map((r) => [r.recordId, r]));
    await deps.db.transaction().execute(async (trx) => {
      let accepted = 0;
      let rejected = 0;
      for (const r of rows) {
        const receipt = settled.get(r.record_id);
        if (receipt && (receipt.status === 'accepted' || receipt.status === 'rejected')) {
          if (receipt.status === 'accepted') accepted++;
          else rejected++;
          await trx
            .updateTable('province_outbox')
            .set({
              status: receipt.status,
              reason: receipt.status === 'rejected' ? String(receipt.reason ?? '').slice(0, 500) || null : null,
              last_error: null,
              updated_at: now(),
            })
            .where('id', '=', r.id)
            .where('batch_id', '=', batchId)
            .execute();
        } else {
          // No answer for this record (failure, or left out of the receipts): back in the queue.
          await trx
            .updateTable('province_outbox')
            .set({
              status: 'pending',
              last_error: error ?? 'no receipt',
              next_attempt_at: new Date(now().getTime() + backoffMs(cfg.backoffBaseMs, r.attempts + 1)),
              updated_at: now(),
            })
            .where('id', '=', r.id)
            .where('batch_id', '=', batchId)
            .execute();
        }
      }
      await trx
        .insertInto('province_batches')
        .values({
          batch_id: batchId,
          sent_at: at,
          record_count: rows.length,
          counties: [...new Set(rows.map((r) => r.region_code.slice(0, 6)))].sort(),
          accepted,
          rejected,
          outcome: answer ? 'answered' : 'failed',
          error: error ?? null,
        })
        .execute();
      result.accepted += accepted;
      result.rejected += rejected;
    });
    if (!answer) {
      result.failed++;
      break;
    }
  }
  return result;
}
