import { useCallback, useRef, useState } from 'react';
import type { Region } from '@jiuzhu/shared';
import { ancestorCodes, regionsApi } from '../../api/regions';

interface TreeState {
  regions: Record<string, Region>;
  /** Child codes of every node whose children were fetched. */
  children: Record<string, string[]>;
}

/**
 * The region tree below `rootCode`, fetched one level at a time as nodes are expanded.
 * Concurrent requests for the same node share one fetch.
 */
export function useRegionTree(rootCode: string) {
  const [state, setState] = useState<TreeState>({ regions: {}, children: {} });
  const pending = useRef(new Map<string, Promise<void>>());
  const loaded = useRef(new Set<string>());

  const addRegions = useCallback((parent: string | null, items: Region[]) => {
    setState((s) => ({
      regions: { ...s.regions, ...Object.fromEntries(items.map((r) => [r.code, r])) },
      children: parent === null ? s.children : { ...s.children, [parent]: items.map((r) => r.code) },
    }));
  }, []);

  const loadRoot = useCallback(
    async (signal?: AbortSignal) => {
      const root = await regionsApi.get(rootCode, signal);
      addRegions(null, [root]);
      return root;
    },
    [rootCode, addRegions],
  );

  const loadChildren = useCallback(
    (code: string): Promise<void> => {
      if (loaded.current.has(code)) return Promise.resolve();
      const running = pending.current.get(code);
      if (running) return running;
      const p = regionsApi
        .children(code)
        .then((items) => {
          loaded.current.add(code);
          addRegions(code, items);
        })
        .finally(() => pending.current.delete(code));
      pending.current.set(code, p);
      return p;
    },
    [addRegions],
  );

  /** Loads every level between the root and `code`; returns the keys to expand. */
  const loadPathTo = useCallback(
    async (code: string): Promise<string[]> => {
      const chain = ancestorCodes(code).filter((a) => a.startsWith(rootCode));
      for (const a of chain) await loadChildren(a);
      return chain;
    },
    [rootCode, loadChildren],
  );

  // A node is loaded once its children are known (possibly none).
  return { ...state, loadRoot, loadChildren, loadPathTo, loadedKeys: Object.keys(state.children) };
}
