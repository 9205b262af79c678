import {
  AdjustmentResult,
  HouseholdPayments,
  PayrollDetail,
  PayrollExceptionList,
  PayrollLinePage,
  PayrollPage,
  PayrollReport,
  ReturnsResult,
  type AdjustmentBody,
  type CreatePayrollBody,
  type PayrollLinesQuery,
  type PayrollListQuery,
  type PayrollReportQuery,
} from '@jiuzhu/shared';
import { api, buildUrl, seg } from '../../api/client';

/** The payroll API (/api/payrolls): batches of a month, their lines, findings, steps, bank files, returns. */
export const payrollApi = {
  list: (query: Partial<PayrollListQuery>, signal?: AbortSignal) =>
    api.get('/api/payrolls', { query, schema: PayrollPage, signal }),
  get: (id: string, signal?: AbortSignal) => api.get(`/api/payrolls/${seg(id)}`, { schema: PayrollDetail, signal }),
  create: (body: CreatePayrollBody) => api.post('/api/payrolls', { body, schema: PayrollDetail }),
  lines: (id: string, query: Partial<PayrollLinesQuery>, signal?: AbortSignal) =>
    api.get(`/api/payrolls/${seg(id)}/lines`, { query, schema: PayrollLinePage, signal }),
  exceptions: (id: string, signal?: AbortSignal) =>
    api.get(`/api/payrolls/${seg(id)}/exceptions`, { schema: PayrollExceptionList, signal }),
  accept: (id: string, exceptionId: number, reason: string) =>
    api.post(`/api/payrolls/${seg(id)}/exceptions/${seg(exceptionId)}/accept`, {
      body: { reason },
      schema: PayrollExceptionList,
    }),
  /** A correction on a draft; the key makes a retried request harmless. */
  addAdjustment: (id: string, body: AdjustmentBody, idempotencyKey: string) =>
    api.post(`/api/payrolls/${seg(id)}/adjustments`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: AdjustmentResult,
    }),
  removeAdjustment: (id: string, lineId: number, idempotencyKey: string) =>
    api.delete(`/api/payrolls/${seg(id)}/adjustments/${seg(lineId)}`, {
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: PayrollDetail,
    }),
  submit: (id: string) => api.post(`/api/payrolls/${seg(id)}/submit`, { body: {}, schema: PayrollDetail }),
  approve: (id: string) => api.post(`/api/payrolls/${seg(id)}/approve`, { body: {}, schema: PayrollDetail }),
  returnToMaker: (id: string, reason: string) =>
    api.post(`/api/payrolls/${seg(id)}/return`, { body: { reason }, schema: PayrollDetail }),
  returns: (id: string, content: string) =>
    api.post(`/api/payrolls/${seg(id)}/returns`, { body: { content }, schema: ReturnsResult }),
  bankFileUrl: (id: string, bank: string) => `/api/payrolls/${seg(id)}/bank-files/${seg(bank)}`,
  report: (query: PayrollReportQuery, signal?: AbortSignal) =>
    api.get('/api/payroll-reports', { query, schema: PayrollReport, signal }),
  reportFileUrl: (file: 'roster' | 'funds', query: PayrollReportQuery) =>
    buildUrl(`/api/payroll-reports/${file}.xlsx`, query),
  householdPayments: (householdId: string, signal?: AbortSignal) =>
    api.get(`/api/households/${seg(householdId)}/payments`, { schema: HouseholdPayments, signal }),
};
