import { sql, type Kysely } from 'kysely';
import type { Region, RegionWithPath } from '@jiuzhu/shared';

import { inScope, isInScope } from '../../db/scope';
import { currentScope } from '../../context';
import type { DB, RegionRow } from '../../db/schema';
import { Forbidden, NotFound } from '../../errors';
import { loadCityDivisions } from './divisions';

function toRegion(r: RegionRow): Region {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, childCount: r.child_count };
}

/**
 * Loads the configured city's division tree when the table does not hold it yet.
 * Returns the number of regions inserted (0 when already loaded).
 */
export async function ensureRegionsLoaded(db: Kysely<DB>, city: string): Promise<number> {
  const existing = await db.selectFrom('regions').select('code').where('code', '=', city).executeTakeFirst();
  if (existing) return 0;
  const rows = await loadCityDivisions(city);
  const children = new Map<string, number>();
  for (const r of rows) if (r.parentCode) children.set(r.parentCode, (children.get(r.parentCode) ?? 0) + 1);
  await db.transaction().execute(async (trx) => {
    // Parents before children (the rows are in level order), in chunks to bound statement size.
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto('regions')
        .values(
          rows.slice(i, i + 1000).map((r) => ({
            code: r.code,
            name: r.name,
            level: r.level,
            parent_code: r.parentCode,
            child_count: children.get(r.code) ?? 0,
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/**
 * A region in the caller's subtree, or one of the regions above it (a township officer reads
 * the name of her county, whose standards apply to her); 403 for any other region, 404 when
 * it does not exist.
 */
export async function getRegion(db: Kysely<DB>, code: string): Promise<Region> {
  const scope = currentScope();
  const above = scope.kind === 'region' && scope.regionCode !== code && scope.regionCode.startsWith(code);
  if (!above && !isInScope(code)) throw Forbidden('error.outOfRegion');
  const row = await db
    .selectFrom('regions')
    .selectAll()
    .where('code', '=', code)
    .$if(!above, (q) => q.where(inScope('code')))
    .executeTakeFirst();
  if (!row) throw NotFound('entity.region');
  return toRegion(row);
}

export async function listChildren(db: Kysely<DB>, code: string): Promise<Region[]> {
  // Only inside the caller's subtree: a region above hers is readable by name, not browsable.
  if (!isInScope(code)) throw Forbidden('error.outOfRegion');
  await getRegion(db, code);
  const rows = await db
    .selectFrom('regions')
    .selectAll()
    .where('parent_code', '=', code)
    .where(inScope('code'))
    .orderBy('code')
    .execute();
  return rows.map(toRegion);
}

/** Regions in scope whose name contains q, shallowest first, with the names of their ancestors. */
export async function searchRegions(db: Kysely<DB>, q: string, limit: number): Promise<RegionWithPath[]> {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('regions')
    .selectAll()
    .where('name', 'like', pattern)
    .where(inScope('code'))
    .orderBy(sql`length(code)`)
    .orderBy('code')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  // Ancestors are prefixes of length 4, 6 and 9: fetch them in one query.
  const ancestorCodes = new Set<string>();
  for (const r of rows) for (const len of [4, 6, 9]) if (r.code.length > len) ancestorCodes.add(r.code.slice(0, len));
  const names = new Map<string, string>();
  if (ancestorCodes.size > 0) {
    const ancestors = await db
      .selectFrom('regions')
      .select(['code', 'name'])
      .where('code', 'in', [...ancestorCodes])
      .execute();
    for (const a of ancestors) names.set(a.code, a.name);
  }
  return rows.map((r) => ({
    ...toRegion(r),
    path: [
      ...[4, 6, 9].filter((len) => r.code.length > len).map((len) => names.get(r.code.slice(0, len)) ?? ''),
      r.name,
    ],
  }));
}
