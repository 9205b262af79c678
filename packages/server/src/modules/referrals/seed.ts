import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * Demo agencies at city level, one per kind, named as demo values (a city enters its own with
 * real contacts). Added only when the city has no agency yet.
 */
export async function seedDemoAgencies(db: Kysely<DB>, city: string): Promise<number> {
  const any = await db.selectFrom('referral_agencies').select('id').where('region_code', '=', city).executeTakeFirst();
  if (any) return 0;
  const rows = await db
    .insertInto('referral_agencies')
    .values(
      [
        {
          kind: 'disability_federation' as const,
          name: '市残疾人联合会（演示）',
          help: '残疾评定、残疾人两项补贴、康复',
        },
        { kind: 'medical_insurance' as const, name: '市医疗保障局（演示）', help: '医疗救助、参保资助、大病保险' },
        {
          kind: 'human_resources' as const,
          name: '市人力资源和社会保障局（演示）',
          help: '就业援助、公益性岗位、职业培训',
        },
        { kind: 'education' as const, name: '市教育局（演示）', help: '学生资助、控辍保学' },
        { kind: 'health' as const, name: '市卫生健康委员会（演示）', help: '家庭医生签约、慢病管理' },
        { kind: 'housing' as const, name: '市住房和城乡建设局（演示）', help: '农村危房改造、公租房' },
        { kind: 'charity' as const, name: '市慈善总会（演示）', help: '大病慈善救助、助学' },
      ].map((a) => ({ ...a, region_code: city, contact: '演示数据：请配置真实联系方式', created_by: 'system' })),
    )
    .returning('id')
    .execute();
  return rows.length;
}
