import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AGENCY_EDITORS,
  Agency,
  AgencyInput,
  AgencyList,
  ErrorBody,
  REFERRAL_READERS,
  REFERRAL_RECORDERS,
  REFERRAL_SENDERS,
  ReferralActionInput,
  ReferralDetail,
  ReferralInput,
  ReferralListQuery,
  ReferralPage,
  ReferralStats,
  ReferralStatsQuery,
  Text,
} from '@jiuzhu/shared';
import {
  createReferral,
  getReferral,
  listAgencies,
  listReferrals,
  recordReferralAction,
  referralStats,
  saveAgency,
} from './service';

const IdParams = z.strictObject({ id: Text.max(64) });

export default async function referralRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector } = app.deps;
  const tags = ['referrals'];

  r.get(
    '/api/referral-agencies',
    {
      config: { access: REFERRAL_READERS },
      schema: {
        tags,
        summary: 'Agencies the caller may refer to (the city’s and the county’s), or configured below them',
        querystring: z.strictObject({ active: z.enum(['true', 'false']).optional() }),
        response: { 200: AgencyList },
      },
    },
    (req) => listAgencies(db, req.query.active === 'true'),
  );
  r.post(
    '/api/referral-agencies',
    {
      config: { access: AGENCY_EDITORS },
      schema: {
        tags,
        summary: 'Configure an agency (转介机构) for the city or a county',
        body: AgencyInput,
        response: { 201: Agency, 400: ErrorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await saveAgency(db, req.body)),
  );
  r.put(
    '/api/referral-agencies/:id',
    {
      config: { access: AGENCY_EDITORS },
      schema: {
        tags,
        summary: 'Change an agency (name, help, contact, in use)',
        params: IdParams,
        body: AgencyInput,
        response: { 200: Agency, 400: ErrorBody, 404: ErrorBody },
      },
    },
    (req) => saveAgency(db, req.body, req.params.id),
  );

  r.get(
    '/api/referrals',
    {
      config: { access: REFERRAL_READERS },
      schema: {
        tags,
        summary: 'Referrals (转介) of the caller’s region',
        querystring: ReferralListQuery,
        response: { 200: ReferralPage },
      },
    },
    (req) => listReferrals(db, req.query),
  );
  r.get(
    '/api/referrals/stats',
    {
      config: { access: REFERRAL_READERS },
      schema: {
        tags,
        summary: 'Referrals by status per child region and per agency',
        querystring: ReferralStatsQuery,
        response: { 200: ReferralStats },
      },
    },
    (req) => referralStats(db, req.query.region),
  );
  r.get(
    '/api/referrals/:id',
    {
      config: { access: REFERRAL_READERS },
      schema: {
        tags,
        summary: 'A referral: what is asked, the agency, its actions',
        params: IdParams,
        response: { 200: ReferralDetail, 404: ErrorBody },
      },
    },
    (req) => getReferral(db, protector, req.params.id),
  );
  r.post(
    '/api/referrals',
    {
      config: { access: REFERRAL_SENDERS },
      schema: {
        tags,
        summary:
          'Refer a person of a lead, household or case to an agency; a retry with the same Idempotency-Key adds nothing',
        headers: z.object({ 'idempotency-key': Text.min(1).max(100).optional() }),
        body: ReferralInput,
        response: { 201: ReferralDetail, 400: ErrorBody },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createReferral(db, protector, req.body, req.headers['idempotency-key'])),
  );
  r.post(
    '/api/referrals/:id/actions',
    {
      config: { access: REFERRAL_RECORDERS },
      schema: {
        tags,
        summary: 'Record the agency’s receipt (accepted), outcome (done) or refusal',
        params: IdParams,
        body: ReferralActionInput,
        response: { 200: ReferralDetail, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    (req) => recordReferralAction(db, protector, req.params.id, req.body),
  );
}
