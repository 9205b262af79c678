import fp from 'fastify-plugin';
import '@fastify/static';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, FieldError } from '@jiuzhu/shared';
import { AppError, describeError } from '../errors';
import { langOf, t, type Lang, type MessageKey } from '../i18n/messages';
import { localiseZodMessage } from '../i18n/zod';

/** Turns a zod validation failure into field errors with dotted paths; unknown keys get one entry each. */
function zodFields(
  lang: Lang,
  context: string | undefined,
  validation: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }[],
): FieldError[] {
  const prefix = context && context !== 'body' ? `${context === 'querystring' ? 'query' : context}.` : '';
  const out: FieldError[] = [];
  for (const v of validation) {
    const base = v.instancePath.split('/').filter(Boolean).join('.');
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params.keys)) {
      for (const k of v.params.keys as string[])
        out.push({ path: `${prefix}${base ? `${base}.` : ''}${k}`, message: t(lang, 'error.unknownField') });
    } else {
      out.push({ path: `${prefix}${base}`, message: localiseZodMessage(lang, v) });
    }
  }
  return out;
}

function body(code: ErrorBody['error']['code'], message: string, extra: Partial<ErrorBody['error']> = {}): ErrorBody {
  return { error: { code, message, ...extra } };
}

/** The one place errors become HTTP: `{ error: { code, message, fields? } }` in the caller's language. */
export default fp(async (app) => {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    const lang = req.ctx?.lang ?? langOf(req.headers['accept-language']);
    if (err instanceof AppError) return reply.status(err.status).send({ error: describeError(err, lang) });
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.status(400).send(
        body('VALIDATION_FAILED', t(lang, 'error.validation'), {
          fields: zodFields(lang, err.validationContext, err.validation),
        }),
      );
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return reply.status(429).send(body('RATE_LIMITED', t(lang, 'error.rateLimited')));
    if (status < 500) {
      const malformed = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError;
      const key: MessageKey = malformed ? 'error.malformedJson' : 'error.badRequest';
      req.log.info({ code: err.code }, 'bad request');
      return reply.status(status).send(body('BAD_REQUEST', t(lang, key)));
    }
    // Never leak internals: the log has the error (with the request id), the client a generic message.
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', t(lang, 'error.internal'), { details: { requestId: req.id } }));
  });

  app.setNotFoundHandler((req, reply) => {
    // The web app routes in the browser: any other GET outside /api gets its index.html.
    if (req.method === 'GET' && !req.url.startsWith('/api/') && typeof reply.sendFile === 'function') {
      return reply.sendFile('index.html');
    }
    const lang = langOf(req.headers['accept-language']);
    reply.status(404).send(body('NOT_FOUND', t(lang, 'error.routeNotFound')));
  });
});
