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
  Page: LazyExoticComponent<ComponentType>;
}

export function canOpen(route: AppRoute, role: Role): boolean {
  return route.roles === 'all' || route.roles.includes(role);
}

/** Side-menu entries for a role, in declaration order. */
export function menuRoutesFor(routes: readonly AppRoute[], role: Role): AppRoute[] {
  return routes.filter((r) => r.menu && canOpen(r, role));
}
