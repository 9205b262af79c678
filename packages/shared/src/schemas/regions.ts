import { z } from 'zod';
import { RegionLevel } from './roles';

export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: RegionLevel,
  parentCode: z.string().nullable(),
  childCount: z.number().int(),
});
export type Region = z.infer<typeof Region>;

export const RegionWithPath = Region.extend({
  /** Names from the city down to this region, e.g. 莆田市 / 城厢区 / 灵川镇. */
  path: z.array(z.string()),
});
export type RegionWithPath = z.infer<typeof RegionWithPath>;

export const RegionList = z.object({ items: z.array(Region) });
export type RegionList = z.infer<typeof RegionList>;

export const RegionSearchQuery = z.strictObject({
  q: z.string().min(1).max(32),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const RegionSearchResult = z.object({ items: z.array(RegionWithPath) });
export type RegionSearchResult = z.infer<typeof RegionSearchResult>;
