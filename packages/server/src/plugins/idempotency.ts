import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyFingerprint?: string;
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
 * have seen; this makes sure it is the same request: the first successful one stores its
 * fingerprint (per caller), and a later request with the key and another fingerprint is a 422
 * (as Stripe does) rather than a replay that silently drops it. A failed request stores
 * nothing, so a corrected retry with the same key goes through.
 */
export default fp(async (app) => {
  app.addHook('preHandler', async (req) => {
    const key = req.headers['idempotency-key'];
    const actor = req.ctx?.actor;
    if (typeof key !== 'string' || !key || !actor) return;
    const fingerprint = fingerprintOf(req);
    const seen = await app.deps.db
      .selectFrom('idempotency_keys')
      .select('fingerprint')
      .where('actor_id', '=', actor.id)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (seen && seen.fingerprint !== fingerprint) throw IdempotencyMismatch();
    req.idempotencyFingerprint = fingerprint;
  });

  // onSend, before the answer leaves: a client that has its answer finds the key stored.
  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.headers['idempotency-key'];
    const actor = req.ctx?.actor;
    if (!req.idempotencyFingerprint || typeof key !== 'string' || !actor) return payload;
    if (reply.statusCode >= 300) return payload;
    try {
      await app.deps.db
        .insertInto('idempotency_keys')
        .values({ actor_id: actor.id, idempotency_key: key, fingerprint: req.idempotencyFingerprint })
        .onConflict((oc) => oc.columns(['actor_id', 'idempotency_key']).doNothing())
        .execute();
    } catch (err) {
      // The answer has gone; a key not remembered only weakens the mismatch check for it.
      req.log.warn({ err }, 'idempotency key not stored');
    }
    return payload;
  });
});
