import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdjustmentBody,
  AdjustmentResult,
  CreatePayrollBody,
  PAYROLL_CHECKERS,
  PAYROLL_MAKERS,
  PAYROLL_READERS,
  PayrollDetail,
  PayrollExceptionList,
  PayrollLinePage,
  PayrollLinesQuery,
  PayrollListQuery,
  PayrollPage,
  PAYROLL_BANK_FILE_ROLES,
  ReasonBody,
  ReturnsBody,
  ReturnsResult,
  HouseholdPayments,
  PAYMENT_HISTORY_READERS,
  PayrollReport,
  PayrollReportQuery,
} from '@jiuzhu/shared';
import { addAdjustment, removeAdjustment } from './adjustments';
import { householdPayments } from './history';
import { fundsXlsx, payrollReport, rosterXlsx } from './reports';
import { importReturns, makeBankFile } from './bankfiles';
import {
  acceptException,
  approvePayroll,
  createPayroll,
  getPayroll,
  listExceptions,
  listLines,
  listPayrolls,
  returnPayroll,
  submitPayroll,
} from './service';
import { checkRegionFilter } from '../enrolments/service';

const IdParams = z.strictObject({ id: z.string().max(64) });
const ExceptionParams = z.strictObject({ id: z.string().max(64), exceptionId: z.coerce.number().int().min(1) });
const NoBody = z.strictObject({}).optional();
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().trim().min(1).max(100).optional() });

export default async function payrollRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, protector, config } = app.deps;
  const deps = { db, protector, config };
  const tags = ['payroll'];

  r.post(
    '/api/payrolls',
    {
      config: { access: PAYROLL_MAKERS },
      schema: {
        tags,
        summary: 'Make or refresh the draft payroll (发放批次) of a month for a county or the city',
        body: CreatePayrollBody,
        response: { 201: PayrollDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await getPayroll(deps, await createPayroll(deps, req.body))),
  );
  r.get(
    '/api/payrolls',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary: 'Payrolls of the caller’s region by month',
        querystring: PayrollListQuery,
        response: { 200: PayrollPage },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return listPayrolls(deps, req.query);
    },
  );
  r.get(
    '/api/payrolls/:id',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary: 'A payroll: totals by kind, line type, fund source and bank, its steps, what the caller may do',
        params: IdParams,
        response: { 200: PayrollDetail },
      },
    },
    (req) => getPayroll(deps, req.params.id),
  );
  r.get(
    '/api/payrolls/:id/lines',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary: 'The payment lines of a payroll (payee, month, type, amount, fund split, status)',
        params: IdParams,
        querystring: PayrollLinesQuery,
        response: { 200: PayrollLinePage },
      },
    },
    (req) => listLines(deps, req.params.id, req.query),
  );
  r.get(
    '/api/payrolls/:id/exceptions',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary: 'The checks before approval (发放前比对): findings, open or accepted with a reason',
        params: IdParams,
        response: { 200: PayrollExceptionList },
      },
    },
    (req) => listExceptions(deps, req.params.id),
  );
  r.post(
    '/api/payrolls/:id/exceptions/:exceptionId/accept',
    {
      config: { access: PAYROLL_MAKERS },
      schema: {
        tags,
        summary: 'Accept a finding with a reason (the maker; a draft only)',
        params: ExceptionParams,
        body: ReasonBody,
        response: { 200: PayrollExceptionList },
      },
    },
    (req) => acceptException(deps, req.params.id, req.params.exceptionId, req.body.reason),
  );
  r.post(
    '/api/payrolls/:id/adjustments',
    {
      config: { access: PAYROLL_MAKERS },
      schema: {
        tags,
        summary:
          'Record a correction (调整) on a draft: an enrolment of the region, the month corrected, a signed amount, a reason',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: AdjustmentBody,
        response: { 201: AdjustmentResult },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await addAdjustment(deps, req.params.id, req.body, req.headers['idempotency-key'])),
  );
  r.delete(
    '/api/payrolls/:id/adjustments/:lineId',
    {
      config: { access: PAYROLL_MAKERS },
      schema: {
        tags,
        summary: 'Remove a correction from a draft payroll',
        params: z.strictObject({ id: z.string().max(64), lineId: z.coerce.number().int().min(1) }),
        headers: IdempotencyHeaders,
        response: { 200: PayrollDetail },
      },
    },
    (req) => removeAdjustment(deps, req.params.id, req.params.lineId, req.headers['idempotency-key']),
  );
  r.post(
    '/api/payrolls/:id/submit',
    {
      config: { access: PAYROLL_MAKERS },
      schema: {
        tags,
        summary: 'Submit the draft for approval (no open findings)',
        params: IdParams,
        body: NoBody,
        response: { 200: PayrollDetail },
      },
    },
    (req) => submitPayroll(deps, req.params.id),
  );
  r.post(
    '/api/payrolls/:id/approve',
    {
      config: { access: PAYROLL_CHECKERS },
      schema: {
        tags,
        summary: 'Approve a submitted payroll (not its maker); it is locked',
        params: IdParams,
        body: NoBody,
        response: { 200: PayrollDetail },
      },
    },
    (req) => approvePayroll(deps, req.params.id),
  );
  r.post(
    '/api/payrolls/:id/return',
    {
      config: { access: PAYROLL_CHECKERS },
      schema: {
        tags,
        summary: 'Return a submitted payroll to its maker with a reason',
        params: IdParams,
        body: ReasonBody,
        response: { 200: PayrollDetail },
      },
    },
    (req) => returnPayroll(deps, req.params.id, req.body.reason),
  );
  r.get(
    '/api/payrolls/:id/bank-files/:bank',
    {
      config: { access: PAYROLL_BANK_FILE_ROLES },
      schema: {
        tags,
        summary: 'The disbursement file of one bank for an approved payroll (template per bank; recorded and audited)',
        params: z.strictObject({ id: z.string().max(64), bank: z.string().regex(/^[a-z0-9_]{2,20}$/) }),
      },
    },
    async (req, reply) => {
      const file = await makeBankFile(deps, req.params.id, req.params.bank);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );
  r.post(
    '/api/payrolls/:id/returns',
    {
      config: { access: PAYROLL_CHECKERS },
      schema: {
        tags,
        summary: 'Import the bank’s return file (退票): the named lines become failed with their reason codes',
        params: IdParams,
        body: ReturnsBody,
        response: { 200: ReturnsResult },
      },
    },
    (req) => importReturns(deps, req.params.id, req.body.content),
  );
  r.get(
    '/api/households/:id/payments',
    {
      config: { access: PAYMENT_HISTORY_READERS },
      schema: {
        tags,
        summary: 'A household’s payment history: every payroll line, newest first, and the amount paid per year',
        params: IdParams,
        response: { 200: HouseholdPayments },
      },
    },
    (req) => householdPayments(deps, req.params.id),
  );

  // ---- Fund ledger and reports (issue 10) ----
  r.get(
    '/api/payroll-reports',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary:
          'The fund ledger of a month and the year to date: amount and person-times per county, kind and fund source',
        querystring: PayrollReportQuery,
        response: { 200: PayrollReport },
      },
    },
    (req) => {
      checkRegionFilter(req.query.regionCode);
      return payrollReport(deps, req.query);
    },
  );
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  r.get(
    '/api/payroll-reports/roster.xlsx',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary: '发放花名册: every paid line of the month’s approved payrolls as XLSX (no account numbers; audited)',
        querystring: PayrollReportQuery,
      },
    },
    async (req, reply) => {
      checkRegionFilter(req.query.regionCode);
      const file = await rosterXlsx(deps, req.query);
      return reply
        .header('content-type', xlsx)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );
  r.get(
    '/api/payroll-reports/funds.xlsx',
    {
      config: { access: PAYROLL_READERS },
      schema: {
        tags,
        summary: '资金统计表: the month and year to date per county and kind by fund source, as XLSX',
        querystring: PayrollReportQuery,
      },
    },
    async (req, reply) => {
      checkRegionFilter(req.query.regionCode);
      const file = await fundsXlsx(deps, req.query);
      return reply
        .header('content-type', xlsx)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  );
}
