import {
  CollisionRule,
  CollisionRuleDetail,
  CollisionRuleList,
  CollisionRunAccepted,
  Signal,
  SignalActResult,
  SignalEnrolments,
  SignalPage,
  type SignalActBody,
  type CollisionRuleUpdate,
  type SignalStatusUpdate,
} from '@jiuzhu/shared';
import { api, seg } from '../../api/client';

/** The list filters the page sends (the server's SignalQuery, as strings and numbers). */
export type SignalListQuery = {
  page: number;
  pageSize: number;
  outcome?: string;
  status?: string;
  recordType?: string;
  regionCode?: string;
  /** A name, a 户编号 or a whole ID number. */
  q?: string;
};

/** The collision API (数据碰撞): rules with versions, runs, and the signals they raise. */
export const collisionApi = {
  rules: (signal?: AbortSignal) => api.get('/api/collision/rules', { schema: CollisionRuleList, signal }),
  rule: (id: string, signal?: AbortSignal) =>
    api.get(`/api/collision/rules/${seg(id)}`, { schema: CollisionRuleDetail, signal }),
  updateRule: (id: string, body: CollisionRuleUpdate) =>
    api.put(`/api/collision/rules/${seg(id)}`, { body, schema: CollisionRuleDetail }),
  setActive: (id: string, active: boolean) =>
    api.post(`/api/collision/rules/${seg(id)}/${active ? 'activate' : 'deactivate'}`, { schema: CollisionRule }),
  rerunAll: () => api.post('/api/collision/runs', { body: {}, schema: CollisionRunAccepted }),
  signals: (query: SignalListQuery, signal?: AbortSignal) =>
    api.get('/api/signals', { query, schema: SignalPage, signal }),
  updateSignal: (id: string, body: SignalStatusUpdate) =>
    api.patch(`/api/signals/${seg(id)}`, { body, schema: Signal }),
  /** The enrolments covering the signal's person, with what the signal proposes for each. */
  enrolments: (id: string, signal?: AbortSignal) =>
    api.get(`/api/signals/${seg(id)}/enrolments`, { schema: SignalEnrolments, signal }),
  act: (id: string, body: SignalActBody, idempotencyKey: string) =>
    api.post(`/api/signals/${seg(id)}/act`, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
      schema: SignalActResult,
    }),
};
