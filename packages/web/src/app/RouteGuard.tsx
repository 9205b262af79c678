import { useEffect } from 'react';
import { canOpen, type AppRoute } from './access';
import { useMe } from './session';
import { useT } from '../i18n';
import { ForbiddenPage } from '../pages/errors/forbidden';

/** Opens a route's page if the user's role may, else the 403 page; sets the tab title. */
export function RouteGuard({ route }: { route: AppRoute }) {
  const me = useMe();
  const t = useT();
  const title = t(route.titleKey);
  const appName = t('app.name');
  useEffect(() => {
    document.title = `${title} · ${appName}`;
  }, [title, appName]);
  if (!canOpen(route, me.role)) return <ForbiddenPage />;
  return <route.Page />;
}
