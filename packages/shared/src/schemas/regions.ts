import { z } from 'zod';
import { Text } from './common';
import { RegionLevel } from './roles';

export const Region = z.object({
  code: Text,
  name: Text,
  level: RegionLevel,
  parentCode: Text.nullable(),
  childCount: z.number().int(),
});
export type Region = z.infer<typeof Region>;

export const RegionWithPath = Region.extend({
  /** Names from the city down to this region, e.g. 莆田市 / 城厢区 / 灵川镇. */
  path: z.array(Text),
});
export type RegionWithPath = z.infer<typeof RegionWithPath>;

export const RegionList = z.object({ items: z.array(Region) });
export type RegionList = z.infer<typeof RegionList>;

export const RegionSearchQuery = z.strictObject({
  q: Text.min(1).max(32),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const RegionSearchResult = z.object({ items: z.array(RegionWithPath) });
export type RegionSearchResult = z.infer<typeof RegionSearchResult>;
