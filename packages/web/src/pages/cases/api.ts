import {
  CaseDetail,
  CaseOverdueStats,
  CasePage,
  type CaseActionType,
  type CaseListQuery,
  type CreateCaseBody,
} from '@jiuzhu/shared';
import { api, seg } from '../../api/client';

/** The step actions a form posts (every action but the submission itself). */
export type StepAction = Exclude<CaseActionType, 'submit'>;

/** Path segment of each step action under /api/cases/:id/ (the server's routes.ts). */
const ACTION_PATH: Record<StepAction, string> = {
  request_documents: 'request-documents',
  accept: 'accept',
  record_survey: 'survey',
  record_verification: 'verification',
  determine: 'determine',
  publish_notice: 'publish-notice',
  record_objection: 'objection',
  close_notice: 'close-notice',
  approve: 'approve',
  reject: 'reject',
  request_review: 'review',
  emergency_payment: 'emergency-payment',
};

/** The case API (/api/cases): applications, the inbox, a case and its step actions. */
export const casesApi = {
  create: (body: CreateCaseBody, idempotencyKey: string) =>
    api.post('/api/cases', { body, headers: { 'Idempotency-Key': idempotencyKey }, schema: CaseDetail }),
  list: (query: Partial<CaseListQuery>, signal?: AbortSignal) =>
    api.get('/api/cases', { query, schema: CasePage, signal }),
  get: (id: string, signal?: AbortSignal) => api.get(`/api/cases/${seg(id)}`, { schema: CaseDetail, signal }),
  overdue: (signal?: AbortSignal) => api.get('/api/cases/overdue', { schema: CaseOverdueStats, signal }),
  /** One step action; the key makes a resend of the same form (a flaky phone network) harmless. */
  act: (id: string, action: StepAction, body: unknown, idempotencyKey: string) =>
    api.post(`/api/cases/${seg(id)}/${ACTION_PATH[action]}`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: CaseDetail,
    }),
  photoUrl: (id: string, seq: number, n: number) => `/api/cases/${seg(id)}/actions/${seq}/photos/${n}`,
};

/** A key per form being filled in (see casesApi.act). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
