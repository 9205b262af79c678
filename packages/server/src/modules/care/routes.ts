import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CARE_PLAN_EDITORS,
  CARE_READERS,
  CARE_VISITORS,
  CareDuePage,
  CareDueQuery,
  CarePlan,
  CarePlanInput,
  CarePlanList,
  CareStats,
  CareStatsQuery,
  CareVisit,
  CareVisitInput,
  CareVisitList,
  CareVisitListQuery,
  ErrorBody,
  Text,
} from '@jiuzhu/shared';
import { careStats, listCareVisits, listDue, listPlans, recordCareVisit, savePlan } from './service';

export default async function careRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector } = app.deps;
  const tags = ['care'];

  r.get(
    '/api/care/plans',
    {
      config: { access: CARE_READERS },
      schema: {
        tags,
        summary: 'Care plans (探访计划) that apply to the caller',
        response: { 200: CarePlanList },
      },
    },
    () => listPlans(db),
  );
  r.post(
    '/api/care/plans',
    {
      config: { access: CARE_PLAN_EDITORS },
      schema: {
        tags,
        summary: 'Set the plan of a category (interval in months) for the city or a county',
        body: CarePlanInput,
        response: { 200: CarePlan, 400: ErrorBody },
      },
    },
    (req) => savePlan(db, req.body),
  );
  r.get(
    '/api/care/due',
    {
      config: { access: CARE_READERS },
      schema: {
        tags,
        summary: 'Households of the caller’s region under a care plan, with their last visit and due date',
        querystring: CareDueQuery,
        response: { 200: CareDuePage },
      },
    },
    (req) => listDue(db, protector, req.query),
  );
  r.get(
    '/api/care/stats',
    {
      config: { access: CARE_READERS },
      schema: {
        tags,
        summary: 'Households under a plan, overdue and visited this month, per child region',
        querystring: CareStatsQuery,
        response: { 200: CareStats },
      },
    },
    (req) => careStats(db, req.query.region),
  );
  r.get(
    '/api/care/visits',
    {
      config: { access: CARE_READERS },
      schema: {
        tags,
        summary: 'Care visits of the caller’s region (of one household), the latest first',
        querystring: CareVisitListQuery,
        response: { 200: CareVisitList },
      },
    },
    (req) => listCareVisits(db, protector, req.query.householdId),
  );
  r.post(
    '/api/care/visits',
    {
      config: { access: CARE_VISITORS },
      // Up to four photos of 2 MB each, base64-encoded.
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Record a care visit (探访); a retry with the same Idempotency-Key adds nothing',
        headers: z.object({ 'idempotency-key': Text.min(1).max(100).optional() }),
        body: CareVisitInput,
        response: { 201: CareVisit, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await recordCareVisit(db, protector, req.body, req.headers['idempotency-key'])),
  );
}
