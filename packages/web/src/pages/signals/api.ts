import {
  CollisionRule,
  CollisionRuleDetail,
  CollisionRuleList,
  CollisionRunAccepted,
  Signal,
  SignalPage,
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
};
