import { Link, matchRoutes } from 'react-router-dom';
import { Breadcrumb } from 'antd';
import { groupOf, type AppRoute } from '../access';
import { useT } from '../../i18n';

/** The route a path opens: react-router's ranking, so `/cases/new` wins over `/cases/:id`. */
export function routeOf(routes: readonly AppRoute[], pathname: string): AppRoute | undefined {
  const matched = matchRoutes(
    routes.map((r) => ({ path: r.path, id: r.key })),
    pathname,
  );
  const key = matched?.[matched.length - 1]?.route.id;
  return routes.find((r) => r.key === key);
}

/** 分组 / 上级页面 / 本页: where the page sits in the menu, with a way back to its list. */
export function Breadcrumbs({ routes, pathname }: { routes: readonly AppRoute[]; pathname: string }) {
  const t = useT();
  const route = routeOf(routes, pathname);
  if (!route || route.key === 'home') return null;
  const parent = route.parentKey ? routes.find((r) => r.key === route.parentKey) : undefined;
  const items = [
    { key: 'group', title: t(`nav.group.${groupOf(routes, route)}`) },
    ...(parent ? [{ key: parent.key, title: <Link to={parent.path}>{t(parent.titleKey)}</Link> }] : []),
    { key: route.key, title: t(route.titleKey) },
  ];
  return <Breadcrumb items={items} style={{ marginBottom: 8 }} data-testid="breadcrumbs" />;
}
