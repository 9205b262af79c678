import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApplicationInput,
  ErrorBody,
  ProgressCodeBody,
  ProgressQueryBody,
  PublicApplicationResult,
  PublicNoticeList,
  PublicNoticeQuery,
  PublicProgress,
} from '@jiuzhu/shared';
import { listPublicNotices, readProgress, requestProgressCode, type PublicDeps } from './public';
import { createCase } from './service';
import { createSmsSender } from '../../sms/sms';

/** The citizen channel's actor: no account, no role, no region. */
const CITIZEN = { username: 'citizen', role: null } as const;

/**
 * The public (no-login) API: citizen applications, progress by one-time code, the notice
 * board. Every route is rate-limited per client address; callers see the city (their scope).
 */
export default async function publicCaseRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector, config } = app.deps;
  const deps: PublicDeps = { db, protector, config, sms: createSmsSender(config, app.log) };
  const tags = ['public'];
  const write = { access: 'public' as const, rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } };
  const read = { access: 'public' as const, rateLimit: { max: config.publicReadRateLimit, timeWindow: '1 minute' } };

  // Encapsulated to these routes: an anonymous caller reads and writes as the city, never as the system.
  app.addHook('preHandler', (req, _reply, done) => {
    req.ctx.scope = { kind: 'region', regionCode: config.city };
    done();
  });

  r.post(
    '/api/public/applications',
    {
      config: write,
      schema: {
        tags,
        summary: 'A citizen’s application (自助申请): dispatched to the village of the address; returns its number',
        body: ApplicationInput,
        response: { 201: PublicApplicationResult, 400: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      // No Idempotency-Key: every citizen is the same actor, so a key could return another's case.
      // A duplicate (open case, enrolment, household on assistance) is entered and marked for the
      // township like any other application: the same 201, so the form tells no one who is helped.
      const created = await createCase({ db, protector, config }, req.body, 'citizen', CITIZEN, undefined, {
        recordDuplicate: true,
      });
      return reply.status(201).send({ caseNo: created.caseNo, status: created.status });
    },
  );

  r.post(
    '/api/public/progress/code',
    {
      config: write,
      schema: {
        tags,
        summary: 'Send a one-time code to the application’s phone (always 202: whether it exists is not told)',
        body: ProgressCodeBody,
        response: { 202: z.object({ sent: z.literal(true) }), 429: ErrorBody },
      },
    },
    async (req, reply) => {
      await requestProgressCode(deps, req.body);
      return reply.status(202).send({ sent: true });
    },
  );

  r.post(
    '/api/public/progress',
    {
      config: write,
      schema: {
        tags,
        summary: 'An application’s progress for the holder of its one-time code (the code works once)',
        body: ProgressQueryBody,
        response: { 200: PublicProgress, 401: ErrorBody, 429: ErrorBody },
      },
    },
    (req) => readProgress(deps, req.body),
  );

  r.get(
    '/api/public/notices',
    {
      config: read,
      schema: {
        tags,
        summary: 'The notice board (公示): open notices of a region with only name, members, kinds and amount',
        querystring: PublicNoticeQuery,
        response: { 200: PublicNoticeList, 429: ErrorBody },
      },
    },
    (req) => listPublicNotices(db, req.query),
  );
}
