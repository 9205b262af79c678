import {
  EffectiveStandard,
  PolicyStandard,
  PolicyStandardList,
  type AssistanceKind,
  type CreatePolicyStandardBody,
} from '@jiuzhu/shared';
import { api } from '../../api/client';

/** Policy standards (救助标准) calls. */
export const policyApi = {
  list: (query: { kind?: AssistanceKind; region?: string }, signal?: AbortSignal): Promise<PolicyStandardList> =>
    api.get('/api/policy/standards', { query, schema: PolicyStandardList, signal }),
  effective: (region: string, kind: AssistanceKind, signal?: AbortSignal): Promise<EffectiveStandard> =>
    api.get('/api/policy/standards/effective', { query: { region, kind }, schema: EffectiveStandard, signal }),
  create: (body: CreatePolicyStandardBody): Promise<PolicyStandard> =>
    api.post('/api/policy/standards', { body, schema: PolicyStandard }),
};
