import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { runWithContext, type RequestContext } from '../context';
import { langOf } from '../i18n/messages';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

/**
 * Opens the request context (request id, language, logger; the auth plugin adds actor
 * and scope) in AsyncLocalStorage so services and the data layer read it without threading.
 */
export default fp(async (app) => {
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.addHook('onRequest', (req, reply, done) => {
    const ctx: RequestContext = {
      requestId: req.id,
      actor: null,
      scope: null,
      lang: langOf(req.headers['accept-language']),
      log: req.log,
    };
    req.ctx = ctx;
    reply.header('x-request-id', req.id);
    runWithContext(ctx, done);
  });

  // One log line per request, written here (Fastify's own request logging is off) so the
  // URL is redacted: search parameters can carry ID numbers and phone numbers.
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info(
      { method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });
});

const PERSONAL_PARAMS = /([?&](?:idNumber|phone|bankAccount|relativeIdNumber)=)[^&]*/gi;

/** A URL fit for a log line: values of personal query parameters replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(PERSONAL_PARAMS, '$1***');
}

export function genRequestId(req: { headers: Record<string, unknown> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
}
