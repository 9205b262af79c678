import {
  Bill,
  ClaimDetail,
  ClaimPage,
  CitizenClaimReportPage,
  type CitizenClaimReportQuery,
  CondolencePage,
  CondolenceTask,
  type CompleteCondolenceBody,
  InsuranceStats,
  RosterPage,
  RosterChanges,
  Scheme,
  type SchemeInput,
  SchemeList,
  type ClaimListQuery,
  type ClaimStep,
  type CreateClaimBody,
} from '@jiuzhu/shared';
import { api, buildUrl, seg } from '../../api/client';
import { newIdempotencyKey } from '../cases/api';

export { newIdempotencyKey };

/** The insurance API (/api/insurance): scheme, roster, bills, claims and their steps, statistics. */
export const insuranceApi = {
  createScheme: (body: SchemeInput, idempotencyKey: string) =>
    api.post('/api/insurance/schemes', { body, headers: { 'Idempotency-Key': idempotencyKey }, schema: Scheme }),
  rosterChanges: (query: { month: string; regionCode?: string }, signal?: AbortSignal) =>
    api.get('/api/insurance/roster/changes', { query, schema: RosterChanges, signal }),
  rosterChangesXlsxUrl: (query: { month: string; regionCode?: string }) =>
    buildUrl('/api/insurance/roster/changes.xlsx', query),
  schemes: (signal?: AbortSignal) => api.get('/api/insurance/schemes', { schema: SchemeList, signal }),
  roster: (
    query: { on?: string; q?: string; regionCode?: string; page: number; pageSize: number },
    signal?: AbortSignal,
  ) => api.get('/api/insurance/roster', { query, schema: RosterPage, signal }),
  rosterXlsxUrl: (query: { on?: string; q?: string; regionCode?: string }) =>
    buildUrl('/api/insurance/roster.xlsx', query),
  bill: (year: number, signal?: AbortSignal) =>
    api.get('/api/insurance/bills', { query: { year }, schema: Bill, signal }),
  stats: (year: number, signal?: AbortSignal) =>
    api.get('/api/insurance/stats', { query: { year }, schema: InsuranceStats, signal }),
  claims: (query: Partial<ClaimListQuery>, signal?: AbortSignal) =>
    api.get('/api/insurance/claims', { query, schema: ClaimPage, signal }),
  claimReports: (query: Partial<CitizenClaimReportQuery>, signal?: AbortSignal) =>
    api.get('/api/insurance/claim-reports', { query, schema: CitizenClaimReportPage, signal }),
  claim: (id: string, signal?: AbortSignal) =>
    api.get(`/api/insurance/claims/${seg(id)}`, { schema: ClaimDetail, signal }),
  report: (body: CreateClaimBody, idempotencyKey: string) =>
    api.post('/api/insurance/claims', { body, headers: { 'Idempotency-Key': idempotencyKey }, schema: ClaimDetail }),
  act: (id: string, step: ClaimStep, body: unknown, idempotencyKey: string) =>
    api.post(`/api/insurance/claims/${seg(id)}/${step}`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: ClaimDetail,
    }),
  condolenceTasks: (
    query: { status?: 'open' | 'done'; claimId?: string; page: number; pageSize: number },
    signal?: AbortSignal,
  ) => api.get('/api/insurance/condolence-tasks', { query, schema: CondolencePage, signal }),
  completeCondolence: (id: string, body: CompleteCondolenceBody, idempotencyKey: string) =>
    api.post(`/api/insurance/condolence-tasks/${seg(id)}/complete`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: CondolenceTask,
    }),
  documentUrl: (claimId: string, documentId: string) =>
    `/api/insurance/claims/${seg(claimId)}/documents/${seg(documentId)}`,
};
