import { canAssignRole, regionLevelOf, ROLE_LEVELS, ROLES, type RegionLevel, type Role } from '@jiuzhu/shared';

const LEVEL_DEPTH: Record<RegionLevel, number> = { city: 0, county: 1, township: 2, village: 3 };

/**
 * Roles the signed-in user may grant: allowed by rank (`canAssignRole`) and bindable to
 * some region at or below their own (a county officer cannot create a city-level insurer).
 */
export function assignableRoles(actorRole: Role, actorRegionCode: string): Role[] {
  const ownLevel = regionLevelOf(actorRegionCode);
  const ownDepth = ownLevel ? LEVEL_DEPTH[ownLevel] : 0;
  return ROLES.filter(
    (role) => canAssignRole(actorRole, role) && ROLE_LEVELS[role].some((level) => LEVEL_DEPTH[level] >= ownDepth),
  );
}

/** True when an account of `role` may be bound to the region `code`. */
export function regionFitsRole(role: Role, code: string): boolean {
  const level = regionLevelOf(code);
  return !!level && ROLE_LEVELS[role].includes(level);
}
