import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Me, Role } from '@jiuzhu/shared';
import type { Actor } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, InvalidField } from '../../errors';
import { recordAudit } from '../audit/service';
import { burnVerify, DEMO_PASSWORD, hashPassword, verifyPassword } from './passwords';

export const SESSION_COOKIE = 'jz_session';
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

/** Shanghai wall-clock time for messages shown to staff, e.g. 2026-11-28 14:05. */
export function formatLocalTime(d: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

function locked(until: Date): AppError {
  return new AppError(423, 'ACCOUNT_LOCKED', 'error.accountLocked', { until: formatLocalTime(until) }, undefined, {
    lockedUntil: until.toISOString(),
  });
}

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'error.invalidCredentials');

/**
 * Checks a username and password. Authentication runs before any scope exists, so the
 * user lookup here is deliberately unscoped; nothing else is read.
 */
export async function login(
  db: Kysely<DB>,
  username: string,
  password: string,
  sessionHours: number,
): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!user) {
    await burnVerify(password);
    throw invalidCredentials();
  }
  const now = new Date();
  if (user.locked_until && user.locked_until > now) throw locked(user.locked_until);
  const actor: Actor = { id: user.id, username: user.username, role: user.role as Role, regionCode: user.region_code };
  if (!(await verifyPassword(user.password_hash, password))) {
    const failed = user.failed_logins + 1;
    const lockUntil = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set(lockUntil ? { failed_logins: 0, locked_until: lockUntil } : { failed_logins: failed })
        .where('id', '=', user.id)
        .execute();
      await recordAudit(trx, {
        action: lockUntil ? 'auth.account_locked' : 'auth.login_failed',
        entity: 'user',
        entityId: user.id,
        detail: { failedLogins: failed },
        actor,
      });
    });
    if (lockUntil) throw locked(lockUntil);
    throw invalidCredentials();
  }
  if (!user.active) throw new AppError(403, 'FORBIDDEN', 'error.accountInactive');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await trx
      .insertInto('sessions')
      .values({ id: tokenId(token), user_id: user.id, expires_at: expiresAt })
      .execute();
    await recordAudit(trx, { action: 'auth.login', entity: 'user', entityId: user.id, actor });
  });
  return { token, actor, expiresAt };
}

/** The actor behind a session cookie, or null when the session is unknown, expired or its user disabled. */
export async function findSession(db: Kysely<DB>, token: string): Promise<{ actor: Actor } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.role', 'users.region_code', 'sessions.last_seen_at'])
    .where('sessions.id', '=', tokenId(token))
    .where('sessions.expires_at', '>', new Date())
    .where('users.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  return { actor: { id: row.id, username: row.username, role: row.role as Role, regionCode: row.region_code } };
}

export async function logout(db: Kysely<DB>, token: string): Promise<void> {
  const session = await db
    .selectFrom('sessions')
    .select(['id', 'user_id'])
    .where('id', '=', tokenId(token))
    .executeTakeFirst();
  if (!session) return;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', session.id).execute();
    await recordAudit(trx, { action: 'auth.logout', entity: 'user', entityId: session.user_id });
  });
}

/** The signed-in user's own profile. */
export async function getMe(db: Kysely<DB>, actor: Actor): Promise<Me> {
  const row = await db
    .selectFrom('users')
    .innerJoin('regions', 'regions.code', 'users.region_code')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.region_code',
      'regions.name as region_name',
      'users.demo_password',
      'users.must_change_password',
    ])
    .where('users.id', '=', actor.id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    regionCode: row.region_code,
    regionName: row.region_name,
    mustChangePassword: row.must_change_password || row.demo_password,
  };
}

/** Rules every new password obeys, whoever sets it. */
export function checkNewPassword(path: string, password: string): void {
  if (password === DEMO_PASSWORD) throw InvalidField(path, 'error.passwordDemo');
}

/** Changes one's own password; other sessions of the user are signed out. */
export async function changePassword(
  db: Kysely<DB>,
  actor: Actor,
  currentToken: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const user = await db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, currentPassword)))
    throw InvalidField('currentPassword', 'error.wrongCurrentPassword');
  if (newPassword === currentPassword) throw InvalidField('newPassword', 'error.passwordReused');
  checkNewPassword('newPassword', newPassword);
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, demo_password: false, must_change_password: false, updated_at: new Date() })
      .where('id', '=', actor.id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', actor.id).where('id', '!=', tokenId(currentToken)).execute();
    await recordAudit(trx, { action: 'auth.password_changed', entity: 'user', entityId: actor.id });
  });
}
