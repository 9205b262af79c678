import { useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { Spin, TreeSelect } from 'antd';
import { isWithinRegion, type RegionLevel, type RegionWithPath } from '@jiuzhu/shared';
import { isAbortError } from '../../api/client';
import { regionsApi } from '../../api/regions';
import { useNotifyError } from '../../api/errors';
import { useRequest } from '../../api/useRequest';
import { useT } from '../../i18n';
import { useRegionTree } from './useRegionTree';

interface Props {
  /** Top of the tree: the signed-in user's own region. */
  rootCode: string;
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Name shown for `value` before its node is loaded (the region of a user being edited). */
  valueLabel?: string;
  /** Only these levels can be picked; other nodes still open to reach their children. */
  selectableLevels?: readonly RegionLevel[];
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
  /** Set by Form.Item so its label focuses the picker. */
  id?: string;
  'data-testid'?: string;
}

interface Node {
  value: string;
  title: ReactNode;
  isLeaf: boolean;
  selectable: boolean;
  children?: Node[];
}

/**
 * Region picker: the tree loads one level per expansion (a city has ~1,000 villages), and
 * typing searches the server by name, listing hits with their path.
 */
export function RegionTreeSelect({
  rootCode,
  value,
  onChange,
  valueLabel,
  selectableLevels,
  placeholder,
  allowClear,
  disabled,
  style,
  ...rest
}: Props) {
  const t = useT();
  const notifyError = useNotifyError();
  const tree = useRegionTree(rootCode);
  const root = useRequest((signal) => tree.loadRoot(signal), [tree.loadRoot]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<{ q: string; items: RegionWithPath[] } | null>(null);
  // Labels of values picked from search hits, whose nodes may not be in the loaded tree.
  const [pickedLabels, setPickedLabels] = useState<Record<string, string>>({});

  useEffect(() => {
    const q = search.trim();
    if (!q) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      regionsApi.search(q, ctrl.signal).then(
        (items) => setHits({ q, items: items.filter((r) => isWithinRegion(r.code, rootCode)) }),
        (e: unknown) => {
          if (!isAbortError(e)) notifyError(e);
        },
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [search, rootCode, notifyError]);

  const canPick = (level: RegionLevel) => !selectableLevels || selectableLevels.includes(level);
  const searching = search.trim() !== '';
  const searchPending = searching && hits?.q !== search.trim();

  const treeData = useMemo<Node[]>(() => {
    if (searching) {
      return (hits?.q === search.trim() ? hits.items : []).map((r) => ({
        value: r.code,
        title: r.path.join(' / '),
        isLeaf: true,
        selectable: canPick(r.level),
      }));
    }
    const toNode = (code: string): Node => {
      const r = tree.regions[code];
      const kids = tree.children[code];
      return {
        value: code,
        title: r?.name ?? code,
        isLeaf: (r?.childCount ?? 0) === 0,
        selectable: r ? canPick(r.level) : false,
        children: kids?.map(toNode),
      };
    };
    return root.data ? [toNode(root.data.code)] : [];
    // canPick only reads selectableLevels.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searching, hits, search, root.data, tree.regions, tree.children, selectableLevels]);

  /** Loads and opens the branch down to `code`, so the tree shows where the value sits. */
  function reveal(code: string) {
    tree.loadPathTo(code).then(
      (chain) => setExpanded((keys) => [...new Set([...keys, ...chain])]),
      (e: unknown) => notifyError(e),
    );
  }

  // A value that came with the page (a bookmarked search, a link) shows its name, not its code:
  // load the branch down to it once.
  const known = !value || !!tree.regions[value] || !!pickedLabels[value] || !!valueLabel;
  useEffect(() => {
    if (known || !value || !root.data || !isWithinRegion(value, rootCode)) return;
    tree.loadPathTo(value).catch(() => {
      // Not found or not reachable: the code stays as the label.
    });
    // Once per value: the tree's functions are stable per root.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, known, root.data, rootCode]);

  const label = value ? (pickedLabels[value] ?? tree.regions[value]?.name ?? valueLabel ?? value) : undefined;

  return (
    <TreeSelect<{ value: string; label: ReactNode } | undefined, Node>
      labelInValue
      value={value ? { value, label } : undefined}
      onChange={(v) => {
        if (v && searching) {
          const hit = hits?.items.find((h) => h.code === v.value);
          if (hit) {
            setPickedLabels((m) => ({ ...m, [hit.code]: hit.path.join(' / ') }));
            reveal(hit.code);
          }
        }
        setSearch('');
        onChange?.(v?.value);
      }}
      treeData={treeData}
      loadData={(node) =>
        tree.loadChildren(String(node.value)).catch((e: unknown) => {
          // Collapse instead of letting the tree retry a failing node in a loop.
          notifyError(e);
          setExpanded((keys) => keys.filter((k) => k !== node.value));
        })
      }
      onOpenChange={(open) => {
        // A value set from outside (the region of a user being edited) may be deep in the tree.
        if (open && value && root.data && !tree.regions[value]) reveal(value);
      }}
      treeLoadedKeys={tree.loadedKeys}
      treeExpandedKeys={expanded}
      onTreeExpand={(keys) => setExpanded(keys.map(String))}
      showSearch={{ searchValue: search, onSearch: setSearch, filterTreeNode: false, autoClearSearchValue: true }}
      notFoundContent={searchPending ? <Spin size="small" /> : searching ? t('regions.search.empty') : undefined}
      loading={root.loading}
      placeholder={placeholder ?? t('regions.picker.placeholder')}
      allowClear={allowClear}
      disabled={disabled}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      listHeight={320}
      {...rest}
    />
  );
}
