import { sql, type Kysely } from 'kysely';
import {
  canAssignRole,
  regionLevelOf,
  ROLE_LEVELS,
  type CreateUserBody,
  type Role,
  type UpdateUserBody,
  type User,
  type UserListQuery,
} from '@jiuzhu/shared';
import type { Actor } from '../../context';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { AppError, Conflict, Forbidden, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { checkNewPassword, clearLoginThrottle } from '../auth/service';
import { hashPassword } from '../auth/service';

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('users')
    .innerJoin('regions', 'regions.code', 'users.region_code')
    .where(inScope('users.region_code'));
}

const userColumns = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.role',
  'users.region_code',
  'regions.name as region_name',
  'users.active',
  'users.locked_until',
  'users.created_at',
] as const;

type UserSelect = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  region_name: string;
  active: boolean;
  locked_until: Date | null;
  created_at: Date;
};

function toUser(r: UserSelect): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    regionCode: r.region_code,
    regionName: r.region_name,
    active: r.active,
    lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user in the caller's region; 404 for anyone outside it (their existence is not disclosed). */
export async function getUser(db: Kysely<DB>, id: string): Promise<User> {
  if (!UUID.test(id)) throw NotFound('entity.user');
  const row = await baseQuery(db).select(userColumns).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw NotFound('entity.user');
  return toUser(row);
}

export async function listUsers(db: Kysely<DB>, q: UserListQuery): Promise<{ items: User[]; total: number }> {
  let query = baseQuery(db);
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('users.username', 'like', pattern), eb('users.display_name', 'like', pattern)]),
    );
  }
  if (q.role) query = query.where('users.role', '=', q.role);
  if (q.regionCode) query = query.where('users.region_code', 'like', `${q.regionCode}%`);
  if (q.status === 'active') query = query.where('users.active', '=', true);
  if (q.status === 'inactive') query = query.where('users.active', '=', false);
  if (q.status === 'locked') query = query.where('users.locked_until', '>', new Date());
  const SORTS = {
    username: sql`users.username`,
    displayName: sql`users.display_name`,
    role: sql`users.role`,
    region: sql`users.region_code`,
    createdAt: sql`users.created_at`,
  } as const;
  const [rows, count] = await Promise.all([
    query
      .select(userColumns)
      .$if(!!q.sort, (qb) => qb.orderBy(SORTS[q.sort!], q.order === 'desc' ? 'desc' : 'asc'))
      .orderBy('users.region_code')
      .orderBy('users.username')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toUser), total: Number(count.n) };
}

/** A role and region the actor may grant: inside their region, at the role's level, never above their role. */
async function checkGrant(db: Kysely<DB>, actor: Actor, role: Role, regionCode: string): Promise<void> {
  // Another region is a 403 whatever the role (the matrix's cross-region rule), then the rank.
  if (!isInScope(regionCode)) throw Forbidden('error.outOfRegion');
  if (!canAssignRole(actor.role, role)) throw InvalidField('role', 'error.roleTooHigh');
  const level = regionLevelOf(regionCode);
  if (!level || !ROLE_LEVELS[role].includes(level)) {
    throw InvalidField('regionCode', 'error.roleLevel', { levels: `levels.${ROLE_LEVELS[role].join('/')}` });
  }
  const region = await db
    .selectFrom('regions')
    .select('code')
    .where('code', '=', regionCode)
    .where(inScope('code'))
    .executeTakeFirst();
  if (!region) throw InvalidField('regionCode', 'error.regionUnknown');
}

export async function createUser(db: Kysely<DB>, actor: Actor, body: CreateUserBody): Promise<User> {
  await checkGrant(db, actor, body.role, body.regionCode);
  checkNewPassword('password', body.password, body.username, body.displayName);
  const passwordHash = await hashPassword(body.password);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        username: body.username,
        display_name: body.displayName,
        role: body.role,
        region_code: body.regionCode,
        password_hash: passwordHash,
        must_change_password: true,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row)
      throw new AppError(409, 'CONFLICT', 'error.usernameTaken', {}, [
        { path: 'username', message: 'error.usernameTaken' },
      ]);
    await recordAudit(trx, {
      action: 'user.create',
      entity: 'user',
      entityId: row.id,
      regionCode: body.regionCode,
      detail: { role: body.role },
    });
    return row.id;
  });
  return getUser(db, id);
}

export async function updateUser(db: Kysely<DB>, actor: Actor, id: string, body: UpdateUserBody): Promise<User> {
  const current = await getUser(db, id);
  // Only what differs from the record counts: a form sent back as it was read changes nothing,
  // signs nobody out and writes no audit row.
  const diff: UpdateUserBody = {
    ...(body.displayName !== undefined && body.displayName !== current.displayName
      ? { displayName: body.displayName }
      : {}),
    ...(body.role !== undefined && body.role !== current.role ? { role: body.role } : {}),
    ...(body.regionCode !== undefined && body.regionCode !== current.regionCode ? { regionCode: body.regionCode } : {}),
    ...(body.active !== undefined && body.active !== current.active ? { active: body.active } : {}),
  };
  const changesSelf =
    id === actor.id && (diff.role !== undefined || diff.regionCode !== undefined || diff.active !== undefined);
  if (changesSelf) throw Conflict('error.selfChange');
  // Renaming oneself is the one change of one's own rank allowed.
  if (id !== actor.id && !canAssignRole(actor.role, current.role)) throw Forbidden();
  const role = diff.role ?? current.role;
  const regionCode = diff.regionCode ?? current.regionCode;
  if (diff.role !== undefined || diff.regionCode !== undefined) await checkGrant(db, actor, role, regionCode);
  const changed = Object.keys(diff).filter((k) => diff[k as keyof UpdateUserBody] !== undefined);
  if (changed.length === 0) return current;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        ...(diff.displayName !== undefined ? { display_name: diff.displayName } : {}),
        ...(diff.role !== undefined ? { role: diff.role } : {}),
        ...(diff.regionCode !== undefined ? { region_code: diff.regionCode } : {}),
        ...(diff.active !== undefined ? { active: diff.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where(inScope('region_code'))
      .execute();
    // A changed role, region or status takes effect at once: the user signs in again.
    if (diff.role !== undefined || diff.regionCode !== undefined || diff.active === false) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    await recordAudit(trx, {
      action: 'user.update',
      entity: 'user',
      entityId: id,
      regionCode,
      detail: {
        fields: changed,
        ...(diff.role ? { role: diff.role } : {}),
        ...(diff.active !== undefined ? { active: diff.active } : {}),
      },
    });
  });
  return getUser(db, id);
}

export async function resetPassword(db: Kysely<DB>, actor: Actor, id: string, newPassword: string): Promise<void> {
  const target = await getUser(db, id);
  if (!canAssignRole(actor.role, target.role)) throw Forbidden();
  checkNewPassword('newPassword', newPassword, target.username, target.displayName);
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        demo_password: false,
        must_change_password: true,
        failed_logins: 0,
        locked_until: null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where(inScope('region_code'))
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await recordAudit(trx, {
      action: 'user.reset_password',
      entity: 'user',
      entityId: id,
      regionCode: target.regionCode,
    });
  });
}

export async function unlockUser(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  const target = await getUser(db, id);
  if (!canAssignRole(actor.role, target.role)) throw Forbidden();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null, updated_at: new Date() })
      .where('id', '=', id)
      .where(inScope('region_code'))
      .execute();
    await clearLoginThrottle(trx, target.username);
    await recordAudit(trx, { action: 'user.unlock', entity: 'user', entityId: id, regionCode: target.regionCode });
  });
}
