import { useNavigate } from 'react-router-dom';
import { Menu } from 'antd';
import { menuGroupsFor, type AppRoute } from '../access';
import { useMe } from '../session';
import { useT } from '../../i18n';

/**
 * The side menu, grouped by the work (工作台 · 救助办理 · 主动发现 …). Groups are always open:
 * a clerk sees every page she may use without hunting through folded sub-menus.
 */
export function NavMenu({
  routes,
  selected,
  onNavigate,
}: {
  routes: readonly AppRoute[];
  selected: string | undefined;
  onNavigate?: () => void;
}) {
  const me = useMe();
  const t = useT();
  const navigate = useNavigate();
  const groups = menuGroupsFor(routes, me.role);
  return (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      style={{ borderInlineEnd: 'none' }}
      onClick={({ key }) => {
        const route = routes.find((r) => r.key === key);
        if (route) navigate(route.path);
        onNavigate?.();
      }}
      items={groups.map(({ group, routes: items }) => ({
        type: 'group' as const,
        key: `group-${group}`,
        label: <span data-testid={`navgroup-${group}`}>{t(`nav.group.${group}`)}</span>,
        children: items.map((r) => ({
          key: r.key,
          icon: r.icon,
          label: t(r.titleKey),
          'data-testid': `menu-${r.key}`,
        })),
      }))}
    />
  );
}
