import { useLocation, useSearchParams } from 'react-router-dom';
import { AssistanceStatus, HouseholdPage, HouseholdSearchQuery, RegionCode } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import type { HouseholdFlag } from '../../../components/registry/tags';

export interface HouseholdFilters {
  name?: string;
  /** Normalised 18-character number; the server matches it exactly. */
  idNumber?: string;
  regionCode?: string;
  status?: AssistanceStatus;
  flag?: HouseholdFlag;
}

/** Person-identifying search terms ride in the history entry, never in the address bar. */
interface PrivateFilters {
  name?: string;
  idNumber?: string;
}

const PAGE_SIZES = [20, 50, 100] as const;

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

function optional<T>(schema: { safeParse: (v: unknown) => { success: boolean; data?: T } }, v: string | null) {
  if (v === null) return undefined;
  const parsed = schema.safeParse(v);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The list's filters and page live in the history entry, so going back from a household's
 * detail page finds the list as the clerk left it: region, status, flag and page in the URL
 * (shareable), name and ID number in the entry's state (kept out of browser history and logs).
 */
export function useHouseholds() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const hidden = (location.state ?? {}) as PrivateFilters;

  const filters: HouseholdFilters = {
    name: typeof hidden.name === 'string' ? hidden.name : undefined,
    idNumber: typeof hidden.idNumber === 'string' ? hidden.idNumber : undefined,
    regionCode: optional<string>(RegionCode, params.get('regionCode')),
    status: optional<AssistanceStatus>(AssistanceStatus, params.get('status')),
    flag: optional<HouseholdFlag>(HouseholdSearchQuery.shape.flag, params.get('flag')),
  };
  const pageSize = positiveInt(params.get('pageSize'), PAGE_SIZES[0]);
  const page = { page: positiveInt(params.get('page'), 1), pageSize: Math.min(pageSize, 200) };

  const query = { ...filters, ...page };
  const list = useRequest(
    (signal) => api.get('/api/households', { query: { ...query }, schema: HouseholdPage, signal }),
    [JSON.stringify(query)],
  );

  function go(next: HouseholdFilters, nextPage: { page: number; pageSize: number }) {
    const search = new URLSearchParams();
    if (next.regionCode) search.set('regionCode', next.regionCode);
    if (next.status) search.set('status', next.status);
    if (next.flag) search.set('flag', next.flag);
    if (nextPage.page !== 1) search.set('page', String(nextPage.page));
    if (nextPage.pageSize !== PAGE_SIZES[0]) search.set('pageSize', String(nextPage.pageSize));
    const state: PrivateFilters = { name: next.name, idNumber: next.idNumber };
    setParams(search, { replace: true, state });
  }

  return {
    list,
    filters,
    page,
    pageSizes: PAGE_SIZES,
    /** New filters start again from page 1. */
    setFilters: (next: HouseholdFilters) => go(next, { ...page, page: 1 }),
    setPage: (next: { page: number; pageSize: number }) => go(filters, next),
  };
}
