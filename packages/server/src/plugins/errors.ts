import fp from 'fastify-plugin';
import '@fastify/static';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * Errors Fastify raises before a route is found (invalid percent-encoding, an over-long
 * parameter): the same contract, without echoing the path back.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const lang = langOf(req.headers['accept-language']);
  req.log.info({ code: err.code }, 'bad request');
  void reply
    .status(400)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(body('BAD_REQUEST', t(lang, 'error.badRequest')));
}

/**
 * Errors of the HTTP parser (headers or URL too long: 431; a broken request line: 400), written
 * on the socket before there is a request: the same contract, in the default language.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const overflow = err.code === 'HPE_HEADER_OVERFLOW';
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = overflow ? 431 : timeout ? 408 : 400;
  const payload = JSON.stringify(
    body(
      'BAD_REQUEST',
      overflow
        ? t('zh-CN', 'error.headersTooLarge')
        : timeout
          ? t('zh-CN', 'error.timeout')
          : t('zh-CN', 'error.badRequest'),
    ),
  );
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${payload}`,
    );
  }
  socket.destroy(err);
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
      // The citizen H5 is a page of its own (m.html, light: no staff app code).
      if (/^\/m(\/|\?|$)/.test(req.url)) return reply.sendFile('m.html');
      // The grid workers' offline field app (field.html, with its service worker and manifest).
      if (/^\/field(\/|\?|$)/.test(req.url)) return reply.sendFile('field.html');
      return reply.sendFile('index.html');
    }
    const lang = langOf(req.headers['accept-language']);
    reply.status(404).send(body('NOT_FOUND', t(lang, 'error.routeNotFound')));
  });
});
