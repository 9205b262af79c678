import type { FastifyInstance } from 'fastify';
import { attachment } from '../../exports';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AmountChangeBody,
  EndBody,
  ENROLMENT_CHANGERS,
  ENROLMENT_READERS,
  EnrolmentDetail,
  ENROLMENT_IMPORTERS,
  EnrolmentImportReport,
  EnrolmentListQuery,
  EnrolmentPage,
  GradualExitBody,
  MembersChangeBody,
  ResumeBody,
  SuspendBody,
} from '@jiuzhu/shared';
import { removeUpload, saveUpload } from '../../uploads';
import { InvalidField } from '../../errors';
import { applyChange, type ChangeBodies, type ChangeKind } from './changes';
import { caseloadTemplate, importCaseload } from './import';
import { checkRegionFilter, getEnrolment, listEnrolments } from './service';

const IdParams = z.strictObject({ id: z.string().max(64) });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(100).optional() });

/** Each change's URL segment, body and summary; all at the configured approval level. */
const CHANGES: { [K in ChangeKind]: { path: string; body: z.ZodType; summary: string } } = {
  amount_changed: {
    path: 'amount',
    body: AmountChangeBody,
    summary: 'Change the monthly amount from a month (default: next month)',
  },
  members_changed: {
    path: 'members',
    body: MembersChangeBody,
    summary: 'Change the covered members (registry members of the household) and the amount from a month',
  },
  suspended: { path: 'suspend', body: SuspendBody, summary: 'Suspend payment from a month (暂停发放)' },
  resumed: { path: 'resume', body: ResumeBody, summary: 'Resume payment of a suspended enrolment from a month' },
  gradual_exit_started: {
    path: 'gradual-exit',
    body: GradualExitBody,
    summary: 'Start the gradual exit (渐退): paid for the configured months, then ended',
  },
  ended: {
    path: 'end',
    body: EndBody,
    summary: 'End the enrolment (停保) with a reason, from a month (default: next)',
  },
};

export default async function enrolmentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector, config } = app.deps;
  const deps = { db, protector, config };
  const tags = ['enrolments'];

  r.get(
    '/api/enrolments',
    {
      config: { access: ENROLMENT_READERS },
      schema: {
        tags,
        summary: 'Recipients on the rolls (在册对象) of the caller’s region, with open counts per kind',
        querystring: EnrolmentListQuery,
        response: { 200: EnrolmentPage },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return listEnrolments(deps, req.query);
    },
  );
  r.get(
    '/api/enrolments/:id',
    {
      config: { access: ENROLMENT_READERS },
      schema: {
        tags,
        summary: 'An enrolment: covered members, every change, the amounts month by month, the changes possible now',
        params: IdParams,
        response: { 200: EnrolmentDetail },
      },
    },
    (req) => getEnrolment(deps, req.params.id),
  );
  const CASELOAD_LIMIT_BYTES = 100 * 1024 * 1024;
  // The caseload file arrives as the raw bytes of an .xlsx or .csv (as the registry's import).
  // The body reaches the handler as a stream and goes to disk (never whole in memory).
  app.addContentTypeParser(
    ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    (_req, payload, done) => done(null, payload),
  );
  r.get(
    '/api/enrolments/import/template.:format',
    {
      config: { access: ENROLMENT_IMPORTERS },
      schema: {
        tags,
        summary: 'The caseload import template (存量对象导入), XLSX with notes or CSV',
        params: z.strictObject({ format: z.enum(['xlsx', 'csv']) }),
      },
    },
    async (req, reply) => {
      const xlsx = req.params.format === 'xlsx';
      return reply
        .header(
          'content-type',
          xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
        )
        .header('content-disposition', attachment(`存量对象导入模板.${req.params.format}`))
        .send(await caseloadTemplate(req.params.format));
    },
  );
  r.post(
    '/api/enrolments/import',
    {
      config: { access: ENROLMENT_IMPORTERS },
      schema: {
        tags,
        summary: 'Load the existing caseload (XLSX or CSV, raw bytes); dryRun=true only checks and reports',
        querystring: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true') }),
        headers: z.object({ 'x-filename': z.string().max(300).optional() }),
        response: { 200: EnrolmentImportReport },
      },
    },
    async (req) => {
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (typeof body?.pipe !== 'function' || req.headers['content-length'] === '0')
        throw InvalidField('file', 'import.noFile');
      const name = fileNameOf(req.headers['x-filename']);
      const saved = await saveUpload(body, app.deps.config.dataDir, CASELOAD_LIMIT_BYTES);
      try {
        if (saved.size === 0) throw InvalidField('file', 'import.noFile');
        return await importCaseload(deps, { path: saved.path, fileName: name }, req.query.dryRun === 'true');
      } finally {
        await removeUpload(saved.path);
      }
    },
  );
  for (const [type, spec] of Object.entries(CHANGES) as [ChangeKind, (typeof CHANGES)[ChangeKind]][])
    r.post(
      `/api/enrolments/:id/${spec.path}`,
      {
        config: { access: ENROLMENT_CHANGERS },
        schema: {
          tags,
          summary: spec.summary,
          params: IdParams,
          headers: IdempotencyHeaders,
          body: spec.body,
          response: { 200: EnrolmentDetail },
        },
      },
      (req) =>
        applyChange(deps, req.params.id, type, req.body as ChangeBodies[typeof type], req.headers['idempotency-key']),
    );
}

function fileNameOf(raw: string | undefined): string {
  if (!raw) return 'caseload.csv';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
