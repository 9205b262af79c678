import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request stored its key (the first with it): a failure takes the key back. */
    idempotencyClaim?: { key: string; fingerprint: string };
  }
}

/** SHA-256 of what makes a request the same request: method, path with query, and body. */
export function fingerprintOf(req: FastifyRequest): string {
  const hash = createHash('sha256').update(`${req.method}\n${req.url}\n`);
  const body = req.body as unknown;
  if (Buffer.isBuffer(body)) hash.update(body);
  else if (typeof body === 'string') hash.update(body);
  else if (body !== undefined && body !== null && typeof (body as { pipe?: unknown }).pipe !== 'function')
    hash.update(JSON.stringify(body));
  return hash.digest('hex');
}

export const IdempotencyMismatch = () => new AppError(422, 'IDEMPOTENCY_MISMATCH', 'error.idempotencyMismatch');

/**
 * An Idempotency-Key names one request. The services replay the first answer for a key they
 * have seen; this makes sure it is the same request: the first request with a key stores its
 * fingerprint (per caller) before it is handled, and a request with the key and another
 * fingerprint is a 422 (as Stripe does) rather than a replay that silently drops it — also when
 * the two arrive together. A request that fails takes its key back, so a corrected retry with
 * the same key goes through.
 */
export default fp(async (app) => {
  app.addHook('preHandler', async (req) => {
    const key = req.headers['idempotency-key'];
    const actor = req.ctx?.actor;
    if (typeof key !== 'string' || !key || !actor) return;
    const fingerprint = fingerprintOf(req);
    const { db } = app.deps;
    const stored = await db
      .insertInto('idempotency_keys')
      .values({ actor_id: actor.id, idempotency_key: key, fingerprint })
      .onConflict((oc) => oc.columns(['actor_id', 'idempotency_key']).doNothing())
      .returning('fingerprint')
      .executeTakeFirst();
    if (stored) {
      req.idempotencyClaim = { key, fingerprint };
      return;
    }
    const seen = await db
      .selectFrom('idempotency_keys')
      .select('fingerprint')
      .where('actor_id', '=', actor.id)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (seen && seen.fingerprint !== fingerprint) throw IdempotencyMismatch();
  });

  // onSend, before the answer leaves: a client told of a failure finds the key free again.
  app.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotencyClaim;
    const actor = req.ctx?.actor;
    if (!claim || !actor || reply.statusCode < 300) return payload;
    try {
      await app.deps.db
        .deleteFrom('idempotency_keys')
        .where('actor_id', '=', actor.id)
        .where('idempotency_key', '=', claim.key)
        .where('fingerprint', '=', claim.fingerprint)
        .execute();
    } catch (err) {
      // The answer goes anyway; a key kept only refuses another body under it.
      req.log.warn({ err }, 'idempotency key not taken back');
    }
    return payload;
  });
});
