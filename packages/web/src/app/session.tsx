import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { SessionResponse, type Me } from '@jiuzhu/shared';
import { api, isAbortError, setUnauthorizedHandler } from '../api/client';

export type SessionState =
  | { status: 'loading' }
  /** `expired`: the server said 401 during use, so the login page should bring the user back. */
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; me: Me };

interface SessionValue {
  state: SessionState;
  /** After a successful login. */
  signIn: (me: Me) => void;
  /** Re-reads the session (after a password change, for `mustChangePassword`). */
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(
    (signal?: AbortSignal): Promise<void> =>
      // `/api/auth/session` answers null rather than 401 for nobody signed in: no error in the
      // console of the login page.
      api.get('/api/auth/session', { schema: SessionResponse, signal }).then(
        ({ user }) =>
          setState((s) =>
            user
              ? { status: 'authenticated', me: user }
              : { status: 'anonymous', expired: s.status === 'authenticated' },
          ),
        (e: unknown) => {
          if (isAbortError(e)) return;
          // A 401 went through the unauthorized handler. Any other failure on the first load
          // leaves us signed out; on a later refresh it keeps the session we have.
          setState((s) => (s.status === 'loading' ? { status: 'anonymous', expired: false } : s));
        },
      ),
    [],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => setState((s) => ({ status: 'anonymous', expired: s.status === 'authenticated' })));
    const ctrl = new AbortController();
    void refresh(ctrl.signal);
    return () => {
      ctrl.abort();
      setUnauthorizedHandler(undefined);
    };
  }, [refresh]);

  const signIn = useCallback((me: Me) => setState({ status: 'authenticated', me }), []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout', { authRedirect: false });
    } catch {
      // The cookie may already be gone; signing out locally is what the user asked for.
    }
    setState({ status: 'anonymous', expired: false });
  }, []);

  const value = useMemo<SessionValue>(
    () => ({ state, signIn, refresh: () => refresh(), logout }),
    [state, signIn, refresh, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for components rendered under the authenticated layout. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useMe without a session');
  return state.me;
}
