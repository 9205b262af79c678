import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CitizenApplicationBody,
  CitizenClaimProgress,
  CitizenClaimProgressBody,
  CitizenClaimReportBody,
  CitizenClaimReportResult,
  ErrorBody,
  PhoneCodeBody,
  PublicApplicationResult,
  PublicConditions,
  PublicConditionsQuery,
  PublicRegionList,
  PublicRegionQuery,
} from '@jiuzhu/shared';
import { createSmsSender } from '../../sms/sms';
import {
  claimReportProgress,
  listConditions,
  listPublicRegions,
  requestPhoneCode,
  submitCitizenApplication,
  submitClaimReport,
  type CitizenDeps,
} from './service';

/**
 * The citizen H5's public (no-login) API. Rate-limited per client address like the cases
 * module's public routes; callers see the city (their scope).
 */
export default async function citizenRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector, config } = app.deps;
  const deps: CitizenDeps = { db, protector, config, sms: createSmsSender(config, app.log) };
  const tags = ['public'];
  const write = { access: 'public' as const, rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } };
  const read = { access: 'public' as const, rateLimit: { max: config.publicReadRateLimit, timeWindow: '1 minute' } };

  app.addHook('preHandler', (req, _reply, done) => {
    req.ctx.scope = { kind: 'region', regionCode: config.city };
    done();
  });

  r.get(
    '/api/public/conditions',
    {
      config: read,
      schema: {
        tags,
        summary: 'Who may apply for each kind of assistance, with the figures of the standards in force (申请条件)',
        querystring: PublicConditionsQuery,
        response: { 200: PublicConditions, 404: ErrorBody, 429: ErrorBody },
      },
    },
    (req) => listConditions(db, config.city, req.query.region),
  );

  r.get(
    '/api/public/regions',
    {
      config: read,
      schema: {
        tags,
        summary: 'The village picker: townships of the city, or the villages of a township',
        querystring: PublicRegionQuery,
        response: { 200: PublicRegionList, 404: ErrorBody, 429: ErrorBody },
      },
    },
    (req) => listPublicRegions(db, config.city, req.query.parent),
  );

  r.post(
    '/api/public/phone/code',
    {
      config: write,
      schema: {
        tags,
        summary: 'Send a one-time code to confirm the phone of an application (always 202)',
        body: PhoneCodeBody,
        response: { 202: z.object({ sent: z.literal(true) }), 429: ErrorBody },
      },
    },
    async (req, reply) => {
      await requestPhoneCode(deps, req.body.phone);
      return reply.status(202).send({ sent: true });
    },
  );

  r.post(
    '/api/public/citizen-applications',
    {
      config: write,
      schema: {
        tags,
        summary:
          'A citizen’s application from the H5: phone confirmed by its code, document photos; returns its number',
        body: CitizenApplicationBody,
        response: { 201: PublicApplicationResult, 400: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await submitCitizenApplication(deps, req.body)),
  );

  r.post(
    '/api/public/claim-reports',
    {
      config: write,
      schema: {
        tags,
        summary:
          '报案: a family member reports the death or accident of an insured person (phone confirmed by its code); the same answer whether or not the person is insured',
        body: CitizenClaimReportBody,
        response: { 201: CitizenClaimReportResult, 400: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await submitClaimReport(deps, req.body)),
  );

  r.post(
    '/api/public/claim-reports/progress',
    {
      config: write,
      schema: {
        tags,
        summary: 'Where a claim report stands: its number, the reporter’s phone and a fresh code',
        body: CitizenClaimProgressBody,
        response: { 200: CitizenClaimProgress, 400: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    (req) => claimReportProgress(deps, req.body),
  );
}
