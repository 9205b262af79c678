import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { isAbortError } from './client';

export interface RequestState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

interface State<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

const sameDeps = (a: DependencyList, b: DependencyList) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Runs `load` when `deps` change (and on `reload()`), aborting the previous run so a slow
 * answer never overwrites a newer one. The last data stays visible while reloading.
 */
export function useRequest<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): RequestState<T> {
  const [state, setState] = useState<State<T>>({ data: undefined, error: undefined, loading: true });
  const [nonce, setNonce] = useState(0);
  const [prevDeps, setPrevDeps] = useState(deps);

  // New deps mean a new request: flag it during render (React's "adjust state when props
  // change" pattern) rather than with a second render from the effect.
  if (!sameDeps(prevDeps, deps)) {
    setPrevDeps(deps);
    setState((s) => ({ ...s, loading: true }));
  }

  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (ctrl.signal.aborted || isAbortError(error)) return;
        setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctrl.abort();
    // `load` is a fresh closure each render; `deps` is what it reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);

  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    setNonce((n) => n + 1);
  }, []);
  return { ...state, reload };
}
