import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CollisionRule,
  CollisionRuleDetail,
  CollisionRuleInput,
  CollisionRuleList,
  CollisionRuleUpdate,
  CollisionRun,
  CollisionRunAccepted,
  CollisionRunPage,
  CollisionRunRequest,
  FEED_MANAGERS,
  FEED_READERS,
  PageQuery,
  Signal,
  SignalPage,
  SignalQuery,
  SignalStatusUpdate,
  SIGNAL_HANDLERS,
  SIGNAL_READERS,
  Text,
} from '@jiuzhu/shared';
import { requestCollisionRun } from './run';
import {
  auditRunRequest,
  checkRunBatch,
  createRule,
  getRule,
  getRun,
  getSignal,
  listRules,
  listRuns,
  listSignals,
  setRuleActive,
  updateRule,
  updateSignalStatus,
} from './service';

const IdParams = z.strictObject({ id: Text.max(64) });

export default async function collisionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['collision'];
  const managers = { access: FEED_MANAGERS };
  const readers = { access: FEED_READERS };

  r.get(
    '/api/collision/rules',
    {
      config: readers,
      schema: { tags, summary: 'Collision rules (比对规则), current versions', response: { 200: CollisionRuleList } },
    },
    () => listRules(db),
  );
  r.get(
    '/api/collision/rules/:id',
    {
      config: readers,
      schema: { tags, summary: 'A rule with every version', params: IdParams, response: { 200: CollisionRuleDetail } },
    },
    (req) => getRule(db, req.params.id),
  );
  r.post(
    '/api/collision/rules',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Add a rule (version 1)',
        body: CollisionRuleInput,
        response: { 201: CollisionRuleDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await createRule(db, req.body)),
  );
  r.put(
    '/api/collision/rules/:id',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Edit a rule: a new version, with a note',
        params: IdParams,
        body: CollisionRuleUpdate,
        response: { 200: CollisionRuleDetail },
      },
    },
    (req) => updateRule(db, req.params.id, req.body),
  );
  r.post(
    '/api/collision/rules/:id/activate',
    {
      config: managers,
      schema: { tags, summary: 'Switch a rule on', params: IdParams, response: { 200: CollisionRule } },
    },
    (req) => setRuleActive(db, req.params.id, true),
  );
  r.post(
    '/api/collision/rules/:id/deactivate',
    {
      config: managers,
      schema: { tags, summary: 'Switch a rule off', params: IdParams, response: { 200: CollisionRule } },
    },
    (req) => setRuleActive(db, req.params.id, false),
  );

  r.post(
    '/api/collision/runs',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Queue a collision run: one batch, or every loaded record (no batchId)',
        body: CollisionRunRequest,
        response: { 202: CollisionRunAccepted },
      },
    },
    async (req, reply) => {
      await checkRunBatch(db, req.body.batchId);
      const { runId } = await requestCollisionRun(
        { ...app.deps, log: req.log },
        req.body.batchId ? { batchId: req.body.batchId } : {},
      );
      await auditRunRequest(db, runId, req.body.batchId);
      return reply.status(202).send({ runId });
    },
  );
  r.get(
    '/api/collision/runs',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Collision runs, newest first',
        querystring: PageQuery,
        response: { 200: CollisionRunPage },
      },
    },
    (req) => listRuns(db, req.query.page, req.query.pageSize),
  );
  r.get(
    '/api/collision/runs/:id',
    {
      config: readers,
      schema: { tags, summary: 'A run and its progress', params: IdParams, response: { 200: CollisionRun } },
    },
    (req) => getRun(db, req.params.id),
  );

  r.get(
    '/api/signals',
    {
      config: { access: SIGNAL_READERS },
      schema: {
        tags,
        summary: 'Signals (比对预警) in the caller’s region',
        querystring: SignalQuery,
        response: { 200: SignalPage },
      },
    },
    (req) => listSignals(db, req.query, (id) => app.deps.protector.idHash(id)),
  );
  r.get(
    '/api/signals/:id',
    {
      config: { access: SIGNAL_READERS },
      schema: {
        tags,
        summary: 'A signal with its person and source records',
        params: IdParams,
        response: { 200: Signal },
      },
    },
    (req) => getSignal(db, req.params.id),
  );
  r.patch(
    '/api/signals/:id',
    {
      config: { access: SIGNAL_HANDLERS },
      schema: {
        tags,
        summary: 'Move a signal on: in progress, resolved or dismissed, with a note',
        params: IdParams,
        body: SignalStatusUpdate,
        response: { 200: Signal },
      },
    },
    (req) => updateSignalStatus(db, req.params.id, req.body),
  );
}
