import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

export type SortOrder = 'asc' | 'desc';

/** A list's state: its filters, page, sort. */
export interface ListParams {
  filters: Record<string, string>;
  page: number;
  pageSize: number;
  sort?: string;
  order?: SortOrder;
}

const RESERVED = new Set(['page', 'pageSize', 'sort', 'order']);

/**
 * A list's filters, page and sort in the URL, so a search can be bookmarked, sent to a
 * colleague and survives the back button. `filterKeys` are the names the page understands;
 * anything else in the URL is ignored.
 */
export function useListParams(filterKeys: readonly string[], defaultPageSize = 20) {
  const [search, setSearch] = useSearchParams();
  const keyList = filterKeys.join(',');
  const params = useMemo<ListParams>(() => {
    const filters: Record<string, string> = {};
    for (const key of keyList.split(',')) {
      const v = search.get(key);
      if (key && v) filters[key] = v;
    }
    const order = search.get('order');
    return {
      filters,
      page: Math.max(1, Number(search.get('page')) || 1),
      pageSize: Math.min(200, Math.max(1, Number(search.get('pageSize')) || defaultPageSize)),
      sort: search.get('sort') ?? undefined,
      order: order === 'desc' ? 'desc' : order === 'asc' ? 'asc' : undefined,
    };
  }, [search, keyList, defaultPageSize]);

  const update = useCallback(
    (next: Partial<ListParams>) => {
      const merged = { ...params, ...next };
      // A new filter or sort starts again on the first page.
      if (next.filters || next.sort !== undefined || next.order !== undefined) merged.page = next.page ?? 1;
      const out = new URLSearchParams();
      for (const [k, v] of Object.entries(merged.filters)) if (v && !RESERVED.has(k)) out.set(k, v);
      if (merged.page !== 1) out.set('page', String(merged.page));
      if (merged.pageSize !== defaultPageSize) out.set('pageSize', String(merged.pageSize));
      if (merged.sort && merged.order) {
        out.set('sort', merged.sort);
        out.set('order', merged.order);
      }
      setSearch(out, { replace: true });
    },
    [params, setSearch, defaultPageSize],
  );
  return { params, update };
}
