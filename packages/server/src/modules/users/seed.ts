import type { Kysely, Transaction } from 'kysely';
import type { Role } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { recordAudit } from '../audit/service';
import { DEMO_PASSWORD, hashPassword } from '../auth/service';

export type DemoAccount = { username: string; displayName: string; role: Role; regionCode: string };

/** Demo accounts of the reference city (Putian); for another city, one admin at the city level. */
export function demoAccounts(city: string): DemoAccount[] {
  if (city !== '3503') return [{ username: 'admin', displayName: '市级管理员', role: 'city_admin', regionCode: city }];
  return [
    { username: 'admin', displayName: '市民政局管理员', role: 'city_admin', regionCode: '3503' },
    { username: 'chengxiang', displayName: '城厢区民政局', role: 'county_officer', regionCode: '350302' },
    { username: 'lingchuan', displayName: '灵川镇社会事务办', role: 'township_officer', regionCode: '350302102' },
    { username: 'qiulu', displayName: '萩芦镇社会事务办', role: 'township_officer', regionCode: '350303105' },
    // The checker of 城厢区's payrolls (maker-checker: chengxiang prepares, caizheng approves).
    { username: 'caizheng', displayName: '城厢区财政局', role: 'finance_officer', regionCode: '350302' },
  ];
}

/** Creates the demo accounts when there is no account at all. Returns whether it did. */
export async function seedDemoAccounts(db: Kysely<DB>, city: string): Promise<boolean> {
  const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    for (const a of demoAccounts(city)) await insertDemoAccount(trx, a, passwordHash);
  });
  return true;
}

/** One demo account (password `jiuzhu-demo`, flagged as such) with its audit row. */
export async function insertDemoAccount(trx: Transaction<DB>, a: DemoAccount, passwordHash?: string): Promise<void> {
  const row = await trx
    .insertInto('users')
    .values({
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      region_code: a.regionCode,
      password_hash: passwordHash ?? (await hashPassword(DEMO_PASSWORD)),
      demo_password: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    action: 'user.create',
    entity: 'user',
    entityId: row.id,
    regionCode: a.regionCode,
    detail: { role: a.role, demo: true },
  });
}
