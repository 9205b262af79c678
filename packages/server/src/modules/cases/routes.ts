import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AcceptBody,
  ApproveBody,
  CASE_COUNTY,
  CASE_INTAKE,
  CASE_READERS,
  CASE_TOWNSHIP,
  CaseDetail,
  CaseListQuery,
  CaseOverdueStats,
  CasePage,
  CloseNoticeBody,
  CreateCaseBody,
  DetermineBody,
  EmergencyPaymentBody,
  ObjectionBody,
  PublishNoticeBody,
  RejectBody,
  RequestDocumentsBody,
  ReviewBody,
  SurveyBody,
  VerificationBody,
  type Role,
  Text,
} from '@jiuzhu/shared';
import { getContext } from '../../context';
import { act, createCase, getCase, getCasePhoto, listCases, overdueStats, type ActionBodies } from './service';

const IdParams = z.strictObject({ id: Text.max(64) });
const PhotoParams = z.strictObject({
  id: Text.max(64),
  seq: z.coerce.number().int().min(1).max(100_000),
  n: z.coerce.number().int().min(1).max(4),
});
const IdempotencyHeaders = z.object({ 'idempotency-key': Text.min(1).max(100).optional() });
/** Approval and rejection: the township or the county, whichever level the case is configured for. */
const CASE_APPROVERS: readonly Role[] = [...CASE_TOWNSHIP, ...CASE_COUNTY];

/** Each step's URL segment, body, who may call it, and its summary. */
const ACTIONS: {
  [A in keyof ActionBodies]: { path: string; body: z.ZodType; access: readonly Role[]; summary: string };
} = {
  request_documents: {
    path: 'request-documents',
    body: RequestDocumentsBody,
    access: CASE_TOWNSHIP,
    summary: 'List the missing documents, once (submitted → missing_docs)',
  },
  accept: { path: 'accept', body: AcceptBody, access: CASE_TOWNSHIP, summary: 'Accept the application (受理)' },
  record_survey: {
    path: 'survey',
    body: SurveyBody,
    access: CASE_TOWNSHIP,
    summary: 'Record the household survey by at least two staff, with photos (accepted → verifying)',
  },
  record_verification: {
    path: 'verification',
    body: VerificationBody,
    access: CASE_COUNTY,
    summary: 'Record the economic-status verification report from department data (verifying → verified)',
  },
  determine: {
    path: 'determine',
    body: DetermineBody,
    access: CASE_TOWNSHIP,
    summary: 'Confirm the proposal, or decide other kinds and amounts with a reason (verified → determined)',
  },
  publish_notice: {
    path: 'publish-notice',
    body: PublishNoticeBody,
    access: CASE_TOWNSHIP,
    summary: 'Publish the notice (公示) for the configured days (determined → notice)',
  },
  record_objection: {
    path: 'objection',
    body: ObjectionBody,
    access: CASE_TOWNSHIP,
    summary: 'Record an objection: the notice is withdrawn and the case investigated again (notice → accepted)',
  },
  close_notice: {
    path: 'close-notice',
    body: CloseNoticeBody,
    access: CASE_TOWNSHIP,
    summary: 'Close the notice once its period has ended (notice → pending_approval)',
  },
  approve: {
    path: 'approve',
    body: ApproveBody,
    access: CASE_APPROVERS,
    summary: 'Approve at the configured level: enrolled from next month (pending_approval → enrolled)',
  },
  reject: {
    path: 'reject',
    body: RejectBody,
    access: CASE_APPROVERS,
    summary: 'Reject with written reasons at the configured level (pending_approval → rejected)',
  },
  request_review: {
    path: 'review',
    body: ReviewBody,
    access: CASE_TOWNSHIP,
    summary: 'The applicant asks for a review (复核): verification again (rejected → verifying)',
  },
  emergency_payment: {
    path: 'emergency-payment',
    body: EmergencyPaymentBody,
    access: CASE_TOWNSHIP,
    summary: 'Pay first (先行救助) on an emergency case, up to the township limit; paperwork due in working days',
  },
};

export default async function casesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector, config } = app.deps;
  const deps = { db, protector, config };
  const tags = ['cases'];

  r.post(
    '/api/cases',
    {
      config: { access: CASE_INTAKE },
      schema: {
        tags,
        summary: 'Enter an application (township window or grid worker); one application covers all four kinds',
        headers: IdempotencyHeaders,
        body: CreateCaseBody,
        response: { 201: CaseDetail },
      },
    },
    async (req, reply) => {
      const actor = getContext().actor!;
      const created = await createCase(
        deps,
        req.body,
        actor.role === 'grid_worker' ? 'grid' : 'window',
        { username: actor.username, role: actor.role },
        req.headers['idempotency-key'],
      );
      return reply.status(201).send(await getCase(deps, created.id));
    },
  );
  r.get(
    '/api/cases',
    {
      config: { access: CASE_READERS },
      schema: {
        tags,
        summary: 'Cases of the caller’s region: the inbox of their step, overdue ones, by name or number',
        querystring: CaseListQuery,
        response: { 200: CasePage },
      },
    },
    (req) => listCases(deps, req.query),
  );
  r.get(
    '/api/cases/overdue',
    {
      config: { access: CASE_READERS },
      schema: {
        tags,
        summary: 'Open cases, overdue steps and overdue cases per child region of the caller’s region',
        response: { 200: CaseOverdueStats },
      },
    },
    () => overdueStats(deps),
  );
  r.get(
    '/api/cases/:id',
    {
      config: { access: CASE_READERS },
      schema: {
        tags,
        summary: 'A case: members (masked), timeline, clocks, verification, proposal, decision, what the caller may do',
        params: IdParams,
        response: { 200: CaseDetail },
      },
    },
    (req) => getCase(deps, req.params.id),
  );
  r.get(
    '/api/cases/:id/actions/:seq/photos/:n',
    {
      config: { access: CASE_READERS },
      schema: { tags, summary: 'One photo of a household survey (JPEG or PNG)', params: PhotoParams },
    },
    async (req, reply) => {
      const photo = await getCasePhoto(db, req.params.id, req.params.seq, req.params.n);
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(photo.bytes);
    },
  );

  for (const [action, spec] of Object.entries(ACTIONS) as [keyof ActionBodies, (typeof ACTIONS)[keyof ActionBodies]][])
    r.post(
      `/api/cases/:id/${spec.path}`,
      {
        config: { access: spec.access },
        // Survey photos: up to four of 2 MB each, base64-encoded.
        ...(action === 'record_survey' ? { bodyLimit: 12 * 1024 * 1024 } : {}),
        schema: {
          tags,
          summary: spec.summary,
          params: IdParams,
          headers: IdempotencyHeaders,
          body: spec.body,
          response: { 200: CaseDetail },
        },
      },
      (req) =>
        act(deps, req.params.id, action, req.body as ActionBodies[typeof action], req.headers['idempotency-key']),
    );
}
