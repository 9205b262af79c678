import type { FastifyInstance } from 'fastify';
import { attachment } from '../../exports';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  Bill,
  CLAIM_DECIDERS,
  CLAIM_HANDLERS,
  CLAIM_READERS,
  CLAIM_REPORT_READERS,
  CitizenClaimReportPage,
  CitizenClaimReportQuery,
  CONDOLENCE_READERS,
  CONDOLENCE_VISITORS,
  CompleteCondolenceBody,
  CondolenceListQuery,
  CondolencePage,
  CondolenceTask,
  ClaimDetail,
  ClaimListQuery,
  ClaimPage,
  CreateClaimBody,
  ClaimGuideBody,
  ClaimPayBody,
  ClaimReceiveBody,
  ClaimReviewBody,
  type ClaimStep,
  type Role,
  BillQuery,
  INSURANCE_READERS,
  InsuranceStats,
  InsuranceStatsQuery,
  RosterChanges,
  RosterChangesQuery,
  RosterPage,
  RosterQuery,
  Scheme,
  SCHEME_EDITORS,
  SchemeInput,
  SchemeList,
} from '@jiuzhu/shared';
import { checkRegionFilter } from '../enrolments/service';
import { z } from 'zod';
import {
  actOnClaim,
  completeCondolenceTask,
  listCondolenceTasks,
  createClaim,
  getClaim,
  getClaimDocument,
  listClaims,
  listCitizenClaimReports,
  createScheme,
  getBill,
  getInsuranceStats,
  getRoster,
  getRosterChanges,
  listSchemes,
  rosterChangesXlsx,
  rosterXlsx,
} from './service';

const IdParams = z.strictObject({ id: z.string().max(64) });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(100).optional() });

/** Each claim step: its URL segment, body, who may take it, and its summary. */
const STEPS: Record<ClaimStep, { body: z.ZodType; access: readonly Role[]; summary: string }> = {
  guide: { body: ClaimGuideBody, access: CLAIM_HANDLERS, summary: '指导: the family is told the materials checklist' },
  receive: {
    body: ClaimReceiveBody,
    access: CLAIM_HANDLERS,
    summary: '收件: documents received; complete materials start the 10-working-day clock',
  },
  review: {
    body: ClaimReviewBody,
    access: CLAIM_DECIDERS,
    summary: '审核 by the insurer: cover item, amount per the scheme (disability grade → share), approve or refuse',
  },
  pay: { body: ClaimPayBody, access: CLAIM_DECIDERS, summary: '赔付: paid date, amount and reference' },
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export default async function insuranceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config, protector } = app.deps;
  const deps = { db, protector, config };
  const city = config.city;
  const tags = ['insurance'];
  const read = { access: INSURANCE_READERS };

  r.get(
    '/api/insurance/schemes',
    {
      config: read,
      schema: {
        tags,
        summary: 'The micro-insurance schemes (保单方案), every version of every policy year',
        response: { 200: SchemeList },
      },
    },
    () => listSchemes(db, city),
  );
  r.post(
    '/api/insurance/schemes',
    {
      config: { access: SCHEME_EDITORS },
      schema: {
        tags,
        summary: 'Record a new version of a policy year’s scheme (the latest version of a year is in force)',
        body: SchemeInput,
        response: { 201: Scheme },
      },
    },
    async (req, reply) => reply.code(201).send(await createScheme(db, city, req.body)),
  );
  r.get(
    '/api/insurance/roster',
    {
      config: read,
      schema: {
        tags,
        summary: '参保名单: who was insured on a date (derived from the enrolments), masked',
        querystring: RosterQuery,
        response: { 200: RosterPage },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return getRoster(db, city, req.query);
    },
  );
  r.get(
    '/api/insurance/roster.xlsx',
    {
      config: read,
      schema: { tags, summary: 'The roster of a date as XLSX for the insurer', querystring: RosterQuery },
    },
    async (req, reply) => {
      checkRegionFilter(req.query.regionCode);
      const buf = await rosterXlsx(db, city, req.query);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`参保名单-${req.query.on ?? 'today'}.xlsx`))
        .send(buf);
    },
  );
  r.get(
    '/api/insurance/roster/changes',
    {
      config: read,
      schema: {
        tags,
        summary: 'Monthly additions and removals of the roster',
        querystring: RosterChangesQuery,
        response: { 200: RosterChanges },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return getRosterChanges(db, city, req.query);
    },
  );
  r.get(
    '/api/insurance/roster/changes.xlsx',
    {
      config: read,
      schema: { tags, summary: 'The month’s additions and removals as XLSX', querystring: RosterChangesQuery },
    },
    async (req, reply) => {
      checkRegionFilter(req.query.regionCode);
      const buf = await rosterChangesXlsx(db, city, req.query);
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`参保增减名单-${req.query.month}.xlsx`))
        .send(buf);
    },
  );
  r.get(
    '/api/insurance/bills',
    {
      config: read,
      schema: {
        tags,
        summary: 'The premium bill of a policy year per county and for the city (person-months × premium / 12)',
        querystring: BillQuery,
        response: { 200: Bill },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return getBill(db, city, req.query);
    },
  );

  r.get(
    '/api/insurance/stats',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Statistics of a policy year: claims by status, cover item and county; paid year-to-date; working days to payout; premiums billed',
        querystring: InsuranceStatsQuery,
        response: { 200: InsuranceStats },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return getInsuranceStats(db, city, req.query);
    },
  );

  r.get(
    '/api/insurance/claims',
    {
      config: { access: CLAIM_READERS },
      schema: {
        tags,
        summary: 'Claims (理赔) of the caller’s region (an insurer: its schemes’ claims), with their clocks',
        querystring: ClaimListQuery,
        response: { 200: ClaimPage },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return listClaims(deps, req.query);
    },
  );
  r.get(
    '/api/insurance/claim-reports',
    {
      config: { access: CLAIM_REPORT_READERS },
      schema: {
        tags,
        summary: '报案 from the citizen H5 in the caller’s region: matched to a claim, or to follow up (matched=false)',
        querystring: CitizenClaimReportQuery,
        response: { 200: CitizenClaimReportPage },
      },
    },
    (req) => listCitizenClaimReports(deps, req.query),
  );
  r.post(
    '/api/insurance/claims',
    {
      config: { access: CLAIM_HANDLERS },
      schema: {
        tags,
        summary: '报案: open a claim for a person insured on the event date',
        headers: IdempotencyHeaders,
        body: CreateClaimBody,
        response: { 200: ClaimDetail, 201: ClaimDetail },
      },
    },
    async (req, reply) => {
      const { detail, created } = await createClaim(deps, req.body, req.headers['idempotency-key']);
      return reply.code(created ? 201 : 200).send(detail);
    },
  );
  r.get(
    '/api/insurance/claims/:id',
    {
      config: { access: CLAIM_READERS },
      schema: {
        tags,
        summary: 'A claim: checklist, documents, every action, the clock, the steps possible now',
        params: IdParams,
        response: { 200: ClaimDetail },
      },
    },
    (req) => getClaim(deps, req.params.id),
  );
  r.get(
    '/api/insurance/claims/:id/documents/:documentId',
    {
      config: { access: CLAIM_READERS },
      schema: {
        tags,
        summary: 'Download one document of a claim (PDF, JPEG or PNG); every download is audited',
        params: z.strictObject({ id: z.string().max(64), documentId: z.string().max(64) }),
      },
    },
    async (req, reply) => {
      const doc = await getClaimDocument(db, req.params.id, req.params.documentId);
      return reply
        .header('content-type', doc.contentType)
        .header('content-disposition', attachment(doc.fileName))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(doc.bytes);
    },
  );
  r.get(
    '/api/insurance/condolence-tasks',
    {
      config: { access: CONDOLENCE_READERS },
      schema: {
        tags,
        summary:
          '吊唁走访: the grid worker’s visits to the families of deceased insured recipients (claims opened by a death record)',
        querystring: CondolenceListQuery,
        response: { 200: CondolencePage },
      },
    },
    (req) => listCondolenceTasks(db, req.query),
  );
  r.post(
    '/api/insurance/condolence-tasks/:id/complete',
    {
      config: { access: CONDOLENCE_VISITORS },
      schema: {
        tags,
        summary: 'Record the condolence visit: the family was told about the claim; the beneficiary’s details',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CompleteCondolenceBody,
        response: { 200: CondolenceTask },
      },
    },
    (req) => completeCondolenceTask(db, protector, req.params.id, req.body, req.headers['idempotency-key']),
  );
  for (const [step, spec] of Object.entries(STEPS) as [ClaimStep, (typeof STEPS)[ClaimStep]][])
    r.post(
      `/api/insurance/claims/:id/${step}`,
      {
        config: { access: spec.access },
        schema: {
          tags,
          summary: spec.summary,
          params: IdParams,
          headers: IdempotencyHeaders,
          body: spec.body,
          response: { 200: ClaimDetail },
        },
      },
      (req) => actOnClaim(deps, req.params.id, step, req.body as never, req.headers['idempotency-key']),
    );
}
