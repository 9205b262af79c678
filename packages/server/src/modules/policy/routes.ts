import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CreatePolicyStandardBody,
  EffectiveStandard,
  EffectiveStandardQuery,
  POLICY_EDITORS,
  POLICY_READERS,
  PolicyStandard,
  PolicyStandardList,
  PolicyStandardListQuery,
} from '@jiuzhu/shared';
import { chinaMonth, createStandard, getEffectiveStandard, listStandards } from './service';

export default async function policyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const tags = ['policy'];

  r.get(
    '/api/policy/standards',
    {
      config: { access: POLICY_READERS },
      schema: {
        tags,
        summary: 'Standards of the caller’s region and above: current, scheduled and superseded versions',
        querystring: PolicyStandardListQuery,
        response: { 200: PolicyStandardList },
      },
    },
    (req) => listStandards(db, req.query),
  );
  r.get(
    '/api/policy/standards/effective',
    {
      config: { access: POLICY_READERS },
      schema: {
        tags,
        summary: 'The standard in force for a region, kind and month, and where it came from',
        querystring: EffectiveStandardQuery,
        response: { 200: EffectiveStandard },
      },
    },
    (req) => getEffectiveStandard(db, config.city, req.query.region, req.query.kind, req.query.month ?? chinaMonth()),
  );
  r.post(
    '/api/policy/standards',
    {
      config: { access: POLICY_EDITORS },
      schema: {
        tags,
        summary: 'Add a version of a standard (city default or a county override)',
        body: CreatePolicyStandardBody,
        response: { 201: PolicyStandard },
      },
    },
    async (req, reply) => {
      const created = await createStandard(db, config.city, req.ctx.actor!.username, req.body);
      return reply.status(201).send(created);
    },
  );
}
