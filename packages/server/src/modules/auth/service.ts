import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Me, Role } from '@jiuzhu/shared';
import type { Actor } from '../../context';
import type { DB } from '../../db/schema';
import { AppError, InvalidField } from '../../errors';
import { recordAudit } from '../audit/service';
import {
  burnVerify,
  DEMO_PASSWORD,
  hashPassword,
  MIN_PASSWORD_SCORE,
  passwordScore,
  verifyPassword,
} from './passwords';

// The module's public surface: password hashing for the user administration.
export { DEMO_PASSWORD, hashPassword } from './passwords';

export const SESSION_COOKIE = 'jz_session';
/** Failed sign-ins for one account name from one address before it is locked for that address. */
export const MAX_FAILED_LOGINS = 5;
/** Failed sign-ins from one address, over all account names, before the address is locked. */
export const MAX_FAILED_FROM_ADDRESS = 30;
/** The first lock; each further failure doubles it (exponential back-off), up to the cap. */
export const FIRST_LOCK_MINUTES = 15;
const MAX_LOCK_MINUTES = 24 * 60;
/** Failures older than this, with no lock running, are forgotten. */
const FORGET_AFTER_MINUTES = 24 * 60;

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

type ThrottleKeys = { account: string; address: string };

const throttleKeys = (username: string, ip: string): ThrottleKeys => ({
  account: `account:${username.trim().toLowerCase()}|${ip}`,
  address: `address:${ip}`,
});

/** The later lock of the account name from this address and of the address, if any runs now. */
async function currentLock(db: Kysely<DB>, keys: ThrottleKeys, now: Date): Promise<Date | null> {
  const rows = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', 'in', [keys.account, keys.address])
    .where('locked_until', '>', now)
    .execute();
  const until = rows.map((r) => r.locked_until!.getTime());
  return until.length > 0 ? new Date(Math.max(...until)) : null;
}

/**
 * Counts a failure against a key; past `threshold` the key is locked for FIRST_LOCK_MINUTES,
 * doubled for each further failure. Returns the lock, if this failure set one.
 */
async function countFailure(trx: Kysely<DB>, key: string, threshold: number, now: Date): Promise<Date | null> {
  const row = await trx.selectFrom('login_throttle').selectAll().where('key', '=', key).forUpdate().executeTakeFirst();
  const stale = row && !row.locked_until && now.getTime() - row.last_failure.getTime() > FORGET_AFTER_MINUTES * 60_000;
  const failures = (row && !stale ? row.failures : 0) + 1;
  const lockedUntil =
    failures >= threshold
      ? new Date(now.getTime() + Math.min(MAX_LOCK_MINUTES, FIRST_LOCK_MINUTES * 2 ** (failures - threshold)) * 60_000)
      : null;
  await trx
    .insertInto('login_throttle')
    .values({ key, failures, locked_until: lockedUntil, last_failure: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures, locked_until: lockedUntil, last_failure: now }))
    .execute();
  return lockedUntil;
}

/** Lifts every lock on an account name (an administrator's unlock); the address locks stay. */
export async function clearLoginThrottle(trx: Kysely<DB>, username: string): Promise<void> {
  await trx
    .deleteFrom('login_throttle')
    .where(
      'key',
      'like',
      `account:${username
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, '\\$&')}|%`,
    )
    .execute();
}

/**
 * Checks a username and password. Authentication runs before any scope exists, so the
 * user lookup here is deliberately unscoped; nothing else is read.
 *
 * Failures are counted per account name *and client address*, and per address, whether the
 * account exists or not: a locked name answers the same 423 known or unknown, someone failing
 * from one address cannot lock the account for its owner elsewhere, and one address cannot try
 * many accounts. Locks grow exponentially. An unknown user costs the same password hashing as
 * a known one, so the answer time does not tell them apart either.
 */
export async function login(
  db: Kysely<DB>,
  username: string,
  password: string,
  sessionHours: number,
  ip = 'unknown',
): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
  const keys = throttleKeys(username, ip);
  const now = new Date();
  const lock = await currentLock(db, keys, now);
  if (lock) throw locked(lock);
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const passwordOk = user ? await verifyPassword(user.password_hash, password) : (await burnVerify(password), false);
  if (!user || !passwordOk) {
    const actor: Actor | undefined = user
      ? { id: user.id, username: user.username, role: user.role as Role, regionCode: user.region_code }
      : undefined;
    const lockUntil = await db.transaction().execute(async (trx) => {
      const accountLock = await countFailure(trx, keys.account, MAX_FAILED_LOGINS, now);
      const addressLock = await countFailure(trx, keys.address, MAX_FAILED_FROM_ADDRESS, now);
      const until = [accountLock, addressLock].filter((d): d is Date => d !== null);
      const lockUntil = until.length > 0 ? new Date(Math.max(...until.map((d) => d.getTime()))) : null;
      if (user && actor) {
        // Shown to the account's administrators (who can lift it); it no longer blocks other addresses.
        if (accountLock)
          await trx.updateTable('users').set({ locked_until: accountLock }).where('id', '=', user.id).execute();
        await recordAudit(trx, {
          action: accountLock ? 'auth.account_locked' : 'auth.login_failed',
          entity: 'user',
          entityId: user.id,
          detail: { address: ip },
          actor,
        });
      }
      return lockUntil;
    });
    if (lockUntil) throw locked(lockUntil);
    throw invalidCredentials();
  }
  const actor: Actor = { id: user.id, username: user.username, role: user.role as Role, regionCode: user.region_code };
  if (!user.active) throw new AppError(403, 'FORBIDDEN', 'error.accountInactive');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await trx.deleteFrom('login_throttle').where('key', '=', keys.account).execute();
    await trx
      .insertInto('sessions')
      .values({ id: tokenId(token), user_id: user.id, expires_at: expiresAt })
      .execute();
    await recordAudit(trx, { action: 'auth.login', entity: 'user', entityId: user.id, actor });
  });
  return { token, actor, expiresAt };
}

/** The actor behind a session cookie, or null when the session is unknown, expired or its user disabled. */
export async function findSession(
  db: Kysely<DB>,
  token: string,
): Promise<{ actor: Actor; mustChangePassword: boolean } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.username',
      'users.role',
      'users.region_code',
      'users.must_change_password',
      'sessions.last_seen_at',
    ])
    .where('sessions.id', '=', tokenId(token))
    .where('sessions.expires_at', '>', new Date())
    .where('users.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  return {
    actor: { id: row.id, username: row.username, role: row.role as Role, regionCode: row.region_code },
    mustChangePassword: row.must_change_password,
  };
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

/**
 * Rules every new password obeys, whoever sets it: never the demo password or the username (in any
 * case or spacing), and strong enough by a real estimator (zxcvbn with the common-password lists,
 * which also counts the username and display name as known words).
 */
export function checkNewPassword(path: string, password: string, username: string, displayName = ''): void {
  const folded = password.trim().toLowerCase();
  if (folded === DEMO_PASSWORD) throw InvalidField(path, 'error.passwordDemo');
  if (folded === username.toLowerCase()) throw InvalidField(path, 'error.passwordUsername');
  if (passwordScore(password, [username, displayName]) < MIN_PASSWORD_SCORE)
    throw InvalidField(path, 'error.passwordWeak');
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
  checkNewPassword('newPassword', newPassword, actor.username);
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
