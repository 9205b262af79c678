import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DashboardMap,
  DASHBOARD_READERS,
  Figures,
  FiguresQuery,
  MapQuery,
  Text,
  Trace,
  TRACE_READERS,
  Workbench,
} from '@jiuzhu/shared';
import { FIGURES_RECOUNT_JOB } from './aggregates';
import { getFigures, getMap } from './figures';
import { caseChain, householdTrace, paymentChain } from './trace';
import { getWorkbench } from './workbench';

const IdParams = z.strictObject({ id: Text.max(64) });
const LineParams = z.strictObject({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export default async function dashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config, protector, jobs } = app.deps;
  const tags = ['dashboard'];
  // One recount job at a time: a read that finds one due sends it; pg-boss keeps one per 30 s slot
  // (the job itself does nothing when another already recounted).
  const requestRecount = async () => {
    await jobs.enqueue(FIGURES_RECOUNT_JOB, {}, { singletonKey: 'figures', singletonSeconds: 30 });
  };

  r.get(
    '/api/workbench',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        summary: 'The caller’s workbench (工作台): to-dos with counts and links; for managers this year’s figures',
        response: { 200: Workbench },
      },
    },
    () => getWorkbench(db, requestRecount),
  );
  r.get(
    '/api/dashboard/figures',
    {
      config: { access: DASHBOARD_READERS },
      schema: {
        tags,
        summary: 'The figures of a region for a month range (this year by default), with a monthly trend',
        querystring: FiguresQuery,
        response: { 200: Figures },
      },
    },
    (req) => getFigures(db, config.city, req.query, requestRecount),
  );
  r.get(
    '/api/dashboard/map',
    {
      config: { access: DASHBOARD_READERS },
      schema: {
        tags,
        summary: 'One figure per child region of a region (the map and its drill-down), largest first',
        querystring: MapQuery,
        response: { 200: DashboardMap },
      },
    },
    (req) => getMap(db, config.city, req.query, requestRecount),
  );
  const trace = { access: TRACE_READERS };
  r.get(
    '/api/trace/household/:id',
    {
      config: trace,
      schema: {
        tags,
        summary: 'A household’s whole chain (全流程追踪): leads, applications, enrolment changes, payments, claims',
        params: IdParams,
        response: { 200: Trace },
      },
    },
    (req) => householdTrace(db, protector, req.params.id),
  );
  r.get(
    '/api/trace/case/:id',
    {
      config: trace,
      schema: { tags, summary: 'The chain of a case (its household’s)', params: IdParams, response: { 200: Trace } },
    },
    (req) => caseChain(db, protector, req.params.id),
  );
  r.get(
    '/api/trace/payment/:id',
    {
      config: trace,
      schema: {
        tags,
        summary: 'The chain of a payment line (its household’s)',
        params: LineParams,
        response: { 200: Trace },
      },
    },
    (req) => paymentChain(db, protector, req.params.id),
  );
}
