import { useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { AssistanceStatus, HouseholdPage, HouseholdSearchQuery, RegionCode } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import type { HouseholdFlag } from '../../../components/registry/tags';
import type { ListParams, SortOrder } from '../../../components/list/useListParams';

export interface HouseholdFilters {
  name?: string;
  /** Normalised 18-character number; the server matches it exactly. */
  idNumber?: string;
  regionCode?: string;
  status?: AssistanceStatus;
  flag?: HouseholdFlag;
  /** Part of a 户编号 (not personal: it rides in the URL). */
  householdNo?: string;
}

type Sort = NonNullable<HouseholdSearchQuery['sort']>;

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
    householdNo: params.get('householdNo')?.slice(0, 40) || undefined,
  };
  const pageSize = positiveInt(params.get('pageSize'), PAGE_SIZES[0]);
  const sort = optional<Sort>(HouseholdSearchQuery.shape.sort, params.get('sort'));
  const order: SortOrder | undefined = sort ? (params.get('order') === 'desc' ? 'desc' : 'asc') : undefined;
  /** The list-page state (ListPage): the filters stay here, outside it, for the private ones. */
  const page = positiveInt(params.get('page'), 1);
  // One object while the URL stays the same: the list reloads when it changes.
  const listParams = useMemo<ListParams>(
    () => ({ filters: {}, page, pageSize: Math.min(pageSize, 200), sort, order }),
    [page, pageSize, sort, order],
  );

  function go(next: HouseholdFilters, nextPage: Partial<ListParams>) {
    const search = new URLSearchParams();
    if (next.regionCode) search.set('regionCode', next.regionCode);
    if (next.status) search.set('status', next.status);
    if (next.flag) search.set('flag', next.flag);
    if (next.householdNo) search.set('householdNo', next.householdNo);
    const p = { ...listParams, ...nextPage };
    if (p.page !== 1) search.set('page', String(p.page));
    if (p.pageSize !== PAGE_SIZES[0]) search.set('pageSize', String(p.pageSize));
    if (p.sort && p.order) {
      search.set('sort', p.sort);
      search.set('order', p.order);
    }
    const state: PrivateFilters = { name: next.name, idNumber: next.idNumber };
    setParams(search, { replace: true, state });
  }

  return {
    filters,
    listParams,
    /** New filters start again from page 1. */
    setFilters: (next: HouseholdFilters) => go(next, { page: 1 }),
    /** A new sort starts again from page 1 too. */
    update: (next: Partial<ListParams>) =>
      go(filters, next.sort !== undefined || next.order !== undefined ? { ...next, page: 1 } : next),
    /** One page of the current search (the table and, page by page, the export). */
    load: (p: ListParams, signal: AbortSignal) =>
      api.get('/api/households', {
        query: {
          ...filters,
          page: p.page,
          pageSize: p.pageSize,
          ...(p.sort ? { sort: p.sort, order: p.order ?? 'asc' } : {}),
        },
        schema: HouseholdPage,
        signal,
      }),
  };
}
