import { Region, RegionList, RegionSearchResult, type RegionWithPath } from '@jiuzhu/shared';
import { api, seg } from './client';

/** Region calls shared by the regions page and the region picker. */
export const regionsApi = {
  get: (code: string, signal?: AbortSignal): Promise<Region> =>
    api.get(`/api/regions/${seg(code)}`, { schema: Region, signal }),
  children: async (code: string, signal?: AbortSignal): Promise<Region[]> =>
    (await api.get(`/api/regions/${seg(code)}/children`, { schema: RegionList, signal })).items,
  search: async (q: string, signal?: AbortSignal): Promise<RegionWithPath[]> =>
    (await api.get('/api/regions/search', { query: { q, limit: 20 }, schema: RegionSearchResult, signal })).items,
};

/** The codes above `code` in the GB/T 2260 tree (lengths 4, 6, 9), nearest to the city first. */
export function ancestorCodes(code: string): string[] {
  return [4, 6, 9].filter((n) => n < code.length).map((n) => code.slice(0, n));
}
