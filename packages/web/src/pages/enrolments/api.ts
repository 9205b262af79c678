import {
  EnrolmentDetail,
  EnrolmentPage,
  ReviewDetail,
  ReviewPage,
  type ReviewAction,
  type EnrolmentListQuery,
  type ReviewListQuery,
} from '@jiuzhu/shared';
import { api, seg } from '../../api/client';

/** The changes staff record on an enrolment, and the URL segment of each. */
export type ChangeType = Exclude<EnrolmentDetail['allowedChanges'][number], 'enrolled'>;
export const CHANGE_PATHS: Record<ChangeType, string> = {
  amount_changed: 'amount',
  members_changed: 'members',
  suspended: 'suspend',
  resumed: 'resume',
  gradual_exit_started: 'gradual-exit',
  ended: 'end',
};

/** The enrolment (/api/enrolments) and scheduled-review (/api/reviews) API. */
export const enrolmentsApi = {
  list: (query: Partial<EnrolmentListQuery>, signal?: AbortSignal) =>
    api.get('/api/enrolments', { query, schema: EnrolmentPage, signal }),
  get: (id: string, signal?: AbortSignal) => api.get(`/api/enrolments/${seg(id)}`, { schema: EnrolmentDetail, signal }),
  /** One change (amount, members, suspend, resume, gradual-exit, end); the enrolment as it is after it. */
  change: (id: string, type: ChangeType, body: unknown, idempotencyKey: string) =>
    api.post(`/api/enrolments/${seg(id)}/${CHANGE_PATHS[type]}`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: EnrolmentDetail,
    }),
  reviews: (query: Partial<ReviewListQuery>, signal?: AbortSignal) =>
    api.get('/api/reviews', { query, schema: ReviewPage, signal }),
  review: (id: string, signal?: AbortSignal) => api.get(`/api/reviews/${seg(id)}`, { schema: ReviewDetail, signal }),
  act: (id: string, action: ReviewAction, body: unknown, idempotencyKey: string) =>
    api.post(`/api/reviews/${seg(id)}/${action}`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: ReviewDetail,
    }),
};
