import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, PublicRecipientList, PublicRecipientQuery } from '@jiuzhu/shared';
import { listPublicRecipients } from './public';

/** The public board's long-term notice of recipients (长期公示), next to the application notices. */
export default async function publicRecipientRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const read = { access: 'public' as const, rateLimit: { max: config.publicReadRateLimit, timeWindow: '1 minute' } };

  // Encapsulated to this route: an anonymous caller reads as the city, never as the system.
  app.addHook('preHandler', (req, _reply, done) => {
    req.ctx.scope = { kind: 'region', regionCode: config.city };
    done();
  });

  r.get(
    '/api/public/recipients',
    {
      config: read,
      schema: {
        tags: ['public'],
        summary:
          'Long-term notice (长期公示): current 低保 / 特困 recipients of a village or township — name, members, kind, amount',
        querystring: PublicRecipientQuery,
        response: { 200: PublicRecipientList, 429: ErrorBody },
      },
    },
    (req) => listPublicRecipients(db, req.query),
  );
}
