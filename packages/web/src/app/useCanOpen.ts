import { canOpen } from './access';
import { useAppRoutes } from './route-context';
import { useMe } from './session';

/** Whether the signed-in user may open the route `key`: buttons that lead there show only then. */
export function useCanOpen(key: string): boolean {
  const me = useMe();
  const route = useAppRoutes().find((r) => r.key === key);
  return !!route && canOpen(route, me.role);
}
