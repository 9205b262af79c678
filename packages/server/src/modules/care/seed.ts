import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * Demo care plans at city level (demo values, labelled; a city sets its own): 特困 分散供养
 * monthly, 低保 quarterly, 低保边缘 half-yearly. Added only when the city has no plan yet.
 */
export async function seedDemoCarePlans(db: Kysely<DB>, city: string): Promise<number> {
  const any = await db.selectFrom('care_plans').select('id').where('region_code', '=', city).executeTakeFirst();
  if (any) return 0;
  const rows = await db
    .insertInto('care_plans')
    .values(
      [
        { category: 'tekun' as const, label: '特困供养（分散供养）每月探访', interval_months: 1 },
        { category: 'dibao' as const, label: '低保家庭（含独居老人）每季度探访', interval_months: 3 },
        { category: 'dibao_edge' as const, label: '低保边缘家庭每半年探访', interval_months: 6 },
      ].map((p) => ({ ...p, region_code: city, is_demo: true, created_by: 'system' })),
    )
    .returning('id')
    .execute();
  return rows.length;
}
