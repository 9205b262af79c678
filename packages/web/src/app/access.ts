import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import type { Role } from '@jiuzhu/shared';
import type { MessageKey } from '../i18n';

/** One page of the staff app and who may open it; the list itself is in routes.tsx. */
export interface AppRoute {
  /** Stable id: menu key and `data-testid="menu-<key>"`. */
  key: string;
  path: string;
  titleKey: MessageKey;
  /** One line for the shortcut card on the home page. */
  descKey: MessageKey;
  icon: ReactNode;
  /** Roles that may open the page; `'all'` means every signed-in staff member. */
  roles: readonly Role[] | 'all';
  /** Shown in the side menu (the password page is reached from the user menu). */
  menu: boolean;
  /**
   * A page reached from another page (a detail, an edit form), never from the menu or the home
   * shortcuts; the menu highlights the parent while it is open.
   */
  parentKey?: string;
  /**
   * The menu group the page belongs to (see NAV_GROUPS). A page with a parentKey takes its
   * parent's group; a menu page without one is shown under 工作台.
   */
  group?: NavGroup;
  Page: LazyExoticComponent<ComponentType>;
}

/** The menu groups, in menu order: the work a clerk does, not the tables behind it. */
export const NAV_GROUPS = [
  'workbench',
  'assistance',
  'discovery',
  'registry',
  'funds',
  'insurance',
  'exchange',
  'system',
] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export function canOpen(route: AppRoute, role: Role): boolean {
  return route.roles === 'all' || route.roles.includes(role);
}

/** Side-menu entries for a role, in declaration order. */
export function menuRoutesFor(routes: readonly AppRoute[], role: Role): AppRoute[] {
  return routes.filter((r) => r.menu && canOpen(r, role));
}

/** The group a route is shown under: its own, its parent's, or 工作台. */
export function groupOf(routes: readonly AppRoute[], route: AppRoute): NavGroup {
  if (route.group) return route.group;
  const parent = route.parentKey ? routes.find((r) => r.key === route.parentKey) : undefined;
  return parent?.group ?? 'workbench';
}

/** Menu entries of a role by group, groups in NAV_GROUPS order; groups with no page are left out. */
export function menuGroupsFor(routes: readonly AppRoute[], role: Role): { group: NavGroup; routes: AppRoute[] }[] {
  const mine = menuRoutesFor(routes, role);
  return NAV_GROUPS.map((group) => ({ group, routes: mine.filter((r) => groupOf(routes, r) === group) })).filter(
    (g) => g.routes.length > 0,
  );
}
