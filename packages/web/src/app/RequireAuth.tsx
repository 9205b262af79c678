import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from './session';
import { FullPageSpin } from '../components/FullPageSpin';

/** Renders its children only with a session; otherwise goes to the login page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'anonymous') {
    const here = location.pathname + location.search;
    // Only a session lost mid-use (or a deep link) brings the user back where they were.
    const params = new URLSearchParams();
    if (here !== '/') params.set('next', here);
    if (state.expired) params.set('expired', '1');
    const qs = params.toString();
    return <Navigate to={qs ? `/login?${qs}` : '/login'} replace />;
  }
  return <>{children}</>;
}
