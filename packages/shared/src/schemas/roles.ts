import { z } from 'zod';

/** Staff roles. Every account is bound to exactly one region. */
export const Role = z.enum([
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'finance_officer',
  'insurer',
  'auditor',
]);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

/** Region levels by GB/T 2260 code length: city 4, county 6, township 9, village 12. */
export const RegionLevel = z.enum(['city', 'county', 'township', 'village']);
export type RegionLevel = z.infer<typeof RegionLevel>;

export function regionLevelOf(code: string): RegionLevel | undefined {
  switch (code.length) {
    case 4:
      return 'city';
    case 6:
      return 'county';
    case 9:
      return 'township';
    case 12:
      return 'village';
    default:
      return undefined;
  }
}

/** True when `code` is `scope` itself or lies below it in the division tree. */
export function isWithinRegion(code: string, scope: string): boolean {
  return code.startsWith(scope);
}

/**
 * Rank orders roles in user management: an account is managed only from a strictly higher
 * rank. A peer who could create, reset or deactivate a peer's account could sign in as them,
 * which would defeat the two-person survey and the named approval level. City administrators
 * are managed with the `jiuzhu` command on the server, not through the API.
 */
export const ROLE_RANK: Record<Role, number> = {
  city_admin: 100,
  auditor: 90,
  county_officer: 80,
  finance_officer: 70,
  insurer: 60,
  township_officer: 50,
  grid_worker: 10,
};

/** Levels at which an account of each role may be bound. */
export const ROLE_LEVELS: Record<Role, readonly RegionLevel[]> = {
  city_admin: ['city'],
  county_officer: ['county'],
  township_officer: ['township'],
  grid_worker: ['village'],
  finance_officer: ['city', 'county'],
  insurer: ['city'],
  auditor: ['city'],
};

/** Roles that may manage staff accounts (inside their own region). */
export const USER_MANAGER_ROLES: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];

/** Whether `actor` may create, change, reset or unlock an account of role `target` (never their own rank). */
export function canAssignRole(actor: Role, target: Role): boolean {
  return USER_MANAGER_ROLES.includes(actor) && ROLE_RANK[target] < ROLE_RANK[actor];
}

/** Who reads household files (家庭档案): the staff who handle assistance, and auditors. */
export const REGISTRY_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
/** Who registers and edits households: village workers register families too; auditors only read. */
export const REGISTRY_EDITORS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];
/** Who may see a protected value in plaintext (with a reason, audited). */
export const REGISTRY_REVEALERS: readonly Role[] = REGISTRY_EDITORS;
/** Register imports and staff-relative filings (近亲属备案): township level and above. */
export const REGISTRY_MANAGERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];

/** Department data exchange: feed sources, record kinds, imports and collision rules (city level). */
export const FEED_MANAGERS: readonly Role[] = ['city_admin'];
/** Who reads feed batches and their error reports. */
export const FEED_READERS: readonly Role[] = ['city_admin', 'auditor'];
/** Who reads collision signals (比对预警) of their region. */
export const SIGNAL_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'auditor'];
/** Who works on signals (acknowledge, resolve, dismiss). */
export const SIGNAL_HANDLERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
/** Who reads leads (疑似困难线索) of their region; grid workers see their village's. */
export const LEAD_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
/** Who records visits and closes leads. */
export const LEAD_WORKERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];
