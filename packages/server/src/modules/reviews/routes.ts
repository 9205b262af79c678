import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  REVIEW_DECIDERS,
  REVIEW_READERS,
  REVIEW_SURVEYORS,
  REVIEW_WORKERS,
  SIGNAL_ACTORS,
  SIGNAL_READERS,
  SignalActBody,
  SignalActResult,
  SignalEnrolments,
  ReviewDecideBody,
  ReviewDetail,
  ReviewListQuery,
  ReviewNoteBody,
  ReviewPage,
  ReviewSurveyBody,
  type ReviewAction,
  type Role,
} from '@jiuzhu/shared';
import { checkRegionFilter } from '../enrolments/service';
import { actOnReview, getReview, listReviews, type ReviewBodies } from './service';
import { actOnSignal, signalEnrolments } from './signals';

const IdParams = z.strictObject({ id: z.string().max(64) });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(100).optional() });

/** Each step's URL segment, body, who may call it and summary. */
const ACTIONS: { [A in ReviewAction]: { body: z.ZodType; access: readonly Role[]; summary: string } } = {
  survey: {
    body: ReviewSurveyBody,
    access: REVIEW_SURVEYORS,
    summary: 'Record the survey visit (入户调查), by the township or the village grid worker',
  },
  verify: {
    body: ReviewNoteBody,
    access: REVIEW_WORKERS,
    summary: 'Verify from the department data (经济状况核对), as a case’s verification',
  },
  determine: {
    body: ReviewNoteBody,
    access: REVIEW_WORKERS,
    summary: 'Re-determine the kind and amount by the policy math',
  },
  decide: {
    body: ReviewDecideBody,
    access: REVIEW_DECIDERS,
    summary: 'Decide (continue, change amount, suspend, gradual exit, end) at the configured approval level',
  },
};

export default async function reviewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector, config } = app.deps;
  const deps = { db, protector, config };
  const tags = ['reviews'];

  r.get(
    '/api/reviews',
    {
      config: { access: REVIEW_READERS },
      schema: {
        tags,
        summary:
          'Scheduled reviews (定期核查) of the caller’s region, the earliest due first, with open and overdue counts',
        querystring: ReviewListQuery,
        response: { 200: ReviewPage },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return listReviews(deps, req.query);
    },
  );
  r.get(
    '/api/reviews/:id',
    {
      config: { access: REVIEW_READERS },
      schema: {
        tags,
        summary: 'A review: its enrolment, every step with its facts, the actions possible now',
        params: IdParams,
        response: { 200: ReviewDetail },
      },
    },
    (req) => getReview(deps, req.params.id),
  );
  for (const [action, spec] of Object.entries(ACTIONS) as [ReviewAction, (typeof ACTIONS)[ReviewAction]][])
    r.post(
      `/api/reviews/:id/${action}`,
      {
        config: { access: spec.access },
        schema: {
          tags,
          summary: spec.summary,
          params: IdParams,
          headers: IdempotencyHeaders,
          body: spec.body,
          response: { 200: ReviewDetail },
        },
      },
      (req) =>
        actOnReview(
          deps,
          req.params.id,
          action,
          req.body as ReviewBodies[typeof action],
          req.headers['idempotency-key'],
        ),
    );

  // Signals act (比对预警): what a signal proposes for the enrolments covering its person, and the action.
  r.get(
    '/api/signals/:id/enrolments',
    {
      config: { access: SIGNAL_READERS },
      schema: {
        tags,
        summary: 'The enrolments covering the signal’s person and what the signal proposes for each (end or review)',
        params: IdParams,
        response: { 200: SignalEnrolments },
      },
    },
    (req) => signalEnrolments(deps, req.params.id),
  );
  r.post(
    '/api/signals/:id/act',
    {
      config: { access: SIGNAL_ACTORS },
      schema: {
        tags,
        summary:
          'Open a review for an enrolment (proposing suspension or end, evidence attached), or confirm the death end (township)',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: SignalActBody,
        response: { 200: SignalActResult },
      },
    },
    (req) => actOnSignal(deps, req.params.id, req.body, req.headers['idempotency-key']),
  );
}
