import { useEffect, useMemo, useRef, useState } from 'react';
import { Card, Col, Row, Spin, Tree } from 'antd';
import type { GetRef, TreeDataNode } from 'antd';
import type { RegionWithPath } from '@jiuzhu/shared';
import { ancestorCodes } from '../../../api/regions';
import { useNotifyError } from '../../../api/errors';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useRegionTree } from '../../../components/regions/useRegionTree';
import { RegionSearch } from './RegionSearch';
import { RegionDetails } from './RegionDetails';

type TreeRef = GetRef<typeof Tree>;

export default function RegionsPage() {
  const me = useMe();
  const t = useT();
  const notifyError = useNotifyError();
  const tree = useRegionTree(me.regionCode);
  const root = useRequest((signal) => tree.loadRoot(signal), [tree.loadRoot]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [pickedPath, setPickedPath] = useState<RegionWithPath | undefined>(undefined);
  const treeRef = useRef<TreeRef>(null);
  const [scrollTo, setScrollTo] = useState<string | undefined>(undefined);

  const treeData = useMemo(() => {
    const toNode = (code: string): TreeDataNode => {
      const r = tree.regions[code];
      const kids = tree.children[code];
      return {
        key: code,
        title: r?.name ?? code,
        isLeaf: (r?.childCount ?? 0) === 0,
        children: kids?.map(toNode),
      };
    };
    return root.data ? [toNode(root.data.code)] : [];
  }, [root.data, tree.regions, tree.children]);

  // The tree adds newly expanded nodes to its list only after the expand animation, so
  // scrolling to a revealed node waits for it.
  useEffect(() => {
    if (!scrollTo) return;
    const timer = setTimeout(() => {
      treeRef.current?.scrollTo({ key: scrollTo, align: 'auto' });
      setScrollTo(undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [scrollTo]);

  const selectedRegion = selected ? tree.regions[selected] : undefined;
  // A search hit carries its full path; otherwise build it from what the tree has loaded.
  const path =
    selected && pickedPath?.code === selected
      ? pickedPath.path
      : selected
        ? [...ancestorCodes(selected), selected].flatMap((c) => (tree.regions[c] ? [tree.regions[c].name] : []))
        : [];

  async function reveal(hit: RegionWithPath) {
    try {
      const chain = await tree.loadPathTo(hit.code);
      setExpanded((keys) => [...new Set([...keys, ...chain])]);
      setSelected(hit.code);
      setPickedPath(hit);
      setScrollTo(hit.code);
    } catch (e) {
      notifyError(e);
    }
  }

  return (
    <>
      <PageHeader title={t('regions.title')} />
      <ErrorAlert error={root.error} onRetry={root.reload} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card>
            <RegionSearch onPick={(hit) => void reveal(hit)} />
            <div style={{ marginTop: 16 }} data-testid="region-tree">
              {root.loading && !root.data ? (
                <Spin />
              ) : (
                <Tree
                  ref={treeRef}
                  showLine
                  blockNode
                  height={560}
                  treeData={treeData}
                  loadedKeys={tree.loadedKeys}
                  expandedKeys={expanded}
                  selectedKeys={selected ? [selected] : []}
                  onExpand={(keys) => setExpanded(keys.map(String))}
                  onSelect={(keys) => {
                    setSelected(keys[0] === undefined ? undefined : String(keys[0]));
                  }}
                  loadData={(node) =>
                    tree.loadChildren(String(node.key)).catch((e: unknown) => {
                      // Collapse the node so the tree does not retry in a loop; expanding it
                      // again retries once.
                      notifyError(e);
                      setExpanded((keys) => keys.filter((k) => k !== node.key));
                    })
                  }
                />
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('regions.details.title')}>
            <RegionDetails region={selectedRegion} path={path} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
