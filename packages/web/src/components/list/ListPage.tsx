import { useState, type HTMLAttributes, type ReactNode } from 'react';
import { App, Button, Checkbox, Flex, Grid, Popover, Table, Typography, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import { useRequest } from '../../api/useRequest';
import { useNotifyError } from '../../api/errors';
import { useT } from '../../i18n';
import { ErrorAlert } from '../ErrorAlert';
import { SearchForm, type SearchField } from './SearchForm';
import { downloadXlsx } from './exportXlsx';
import type { ListParams, SortOrder } from './useListParams';

/** One column of a list: how it shows, how it sorts on the server, what goes into the export. */
export interface ListColumn<T> {
  key: string;
  title: string;
  render: (row: T) => ReactNode;
  /** The value in the XLSX, as on screen (names, 元, dates); a column without one is not exported. */
  exportValue?: (row: T) => string | number;
  /** The server's sort key; the column header sorts when set. */
  sortKey?: string;
  /** Hidden until switched on in 列设置. */
  defaultHidden?: boolean;
  /** Left out at phone width (keep the key columns only). */
  hideOnPhone?: boolean;
  align?: 'left' | 'right' | 'center';
}

export interface ListPageProps<T> {
  /** Stable id: test ids `<id>-…` and the stored column settings. */
  id: string;
  fields: readonly SearchField[];
  columns: readonly ListColumn<T>[];
  params: ListParams;
  update: (next: Partial<ListParams>) => void;
  /** Loads one page; `deps` are extra inputs of the request outside `params` (e.g. a view). */
  load: (params: ListParams, signal: AbortSignal) => Promise<{ items: T[]; total: number }>;
  deps?: readonly unknown[];
  rowKey: (row: T) => string;
  rowTestId?: (row: T) => string;
  /** File name of the export, without .xlsx; no export button without it. */
  exportName?: string;
  /** Segmented views, quick filters: shown between the search form and the table. */
  toolbar?: ReactNode;
  emptyText?: string;
  /** Rows that open to show more (e.g. a signal's source records). */
  expandable?: TableProps<T>['expandable'];
}

/** Rows one export may hold: beyond that, narrow the search (a sheet for a desk, not a dump). */
export const EXPORT_LIMIT = 10_000;
const EXPORT_PAGE = 200;

function storedHidden(id: string, columns: readonly ListColumn<unknown>[]): string[] {
  try {
    const raw = localStorage.getItem(`jiuzhu.columns.${id}`);
    if (raw) return (JSON.parse(raw) as string[]).filter((k) => columns.some((c) => c.key === k));
  } catch {
    // A broken stored value falls back to the defaults.
  }
  return columns.filter((c) => c.defaultHidden).map((c) => c.key);
}

/**
 * The list-page pattern: search form, toolbar with the count, column settings and XLSX export
 * of every row the search finds (not only the page on screen), then a sortable, paged table.
 * Filters, page and sort live in the URL (useListParams).
 */
export function ListPage<T extends object>(props: ListPageProps<T>) {
  const { id, fields, columns, params, update, load, rowKey, rowTestId, exportName, toolbar, emptyText } = props;
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [hidden, setHidden] = useState<string[]>(() => storedHidden(id, columns as ListColumn<unknown>[]));
  const [exporting, setExporting] = useState(false);
  const list = useRequest((signal) => load(params, signal), [params, ...(props.deps ?? [])]);

  const visible = columns.filter((c) => !hidden.includes(c.key) && !(phone && c.hideOnPhone));
  const saveHidden = (keys: string[]) => {
    setHidden(keys);
    localStorage.setItem(`jiuzhu.columns.${id}`, JSON.stringify(keys));
  };

  const exportAll = async () => {
    setExporting(true);
    try {
      const rows: T[] = [];
      const ctrl = new AbortController();
      for (let page = 1; rows.length < EXPORT_LIMIT; page++) {
        const res = await load({ ...params, page, pageSize: EXPORT_PAGE }, ctrl.signal);
        rows.push(...res.items);
        if (res.items.length < EXPORT_PAGE || rows.length >= res.total) break;
      }
      const cols = columns.filter((c) => c.exportValue && !hidden.includes(c.key));
      await downloadXlsx(exportName!, {
        sheetName: exportName!,
        headers: cols.map((c) => c.title),
        rows: rows.slice(0, EXPORT_LIMIT).map((r) => cols.map((c) => c.exportValue!(r))),
      });
      if (rows.length >= EXPORT_LIMIT) message.warning(t('list.export.limited', { limit: EXPORT_LIMIT }));
    } catch (e) {
      notifyError(e);
    } finally {
      setExporting(false);
    }
  };

  const settings = (
    <Checkbox.Group
      value={columns.filter((c) => !hidden.includes(c.key)).map((c) => c.key)}
      onChange={(keys) => saveHidden(columns.map((c) => c.key).filter((k) => !keys.includes(k)))}
      data-testid={`${id}-columns`}
    >
      <Flex vertical gap={4}>
        {columns.map((c) => (
          <Checkbox key={c.key} value={c.key} data-testid={`${id}-column-${c.key}`}>
            {c.title}
          </Checkbox>
        ))}
      </Flex>
    </Checkbox.Group>
  );

  return (
    <>
      <SearchForm id={id} fields={fields} filters={params.filters} onSearch={(filters) => update({ filters })} />
      {toolbar ? <div style={{ marginBottom: 12, overflowX: 'auto', maxWidth: '100%' }}>{toolbar}</div> : null}
      <Flex align="center" justify="space-between" wrap gap="small" style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary" data-testid={`${id}-count`} data-total={list.data?.total ?? ''}>
          {list.data ? t('list.count', { total: list.data.total }) : '\u00a0'}
        </Typography.Text>
        <Flex gap="small">
          <Popover trigger="click" placement="bottomRight" title={t('list.columns')} content={settings}>
            <Button icon={<SettingOutlined />} data-testid={`${id}-columns-open`}>
              {phone ? null : t('list.columns')}
            </Button>
          </Popover>
          {exportName && (
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              disabled={!list.data?.total}
              onClick={() => void exportAll()}
              data-testid={`${id}-export`}
            >
              {t('list.export')}
            </Button>
          )}
        </Flex>
      </Flex>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<T>
        rowKey={rowKey}
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={emptyText ? { emptyText } : undefined}
        expandable={props.expandable}
        onRow={rowTestId ? (r) => ({ 'data-testid': rowTestId(r) }) as HTMLAttributes<HTMLElement> : undefined}
        onChange={(_, __, sorter) => {
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
          const col = columns.find((c) => c.key === s?.columnKey);
          const order: SortOrder | undefined =
            s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : undefined;
          const sort = order && col?.sortKey ? col.sortKey : undefined;
          if (sort !== params.sort || order !== params.order) update({ sort: sort ?? '', order });
        }}
        pagination={{
          current: params.page,
          pageSize: params.pageSize,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          showSizeChanger: !phone,
          pageSizeOptions: [10, 20, 50, 100],
          simple: phone,
          onChange: (page, pageSize) => update({ page, pageSize }),
        }}
        columns={visible.map((c) => ({
          key: c.key,
          title: c.title,
          align: c.align,
          render: (_: unknown, row: T) => c.render(row),
          sorter: c.sortKey ? true : undefined,
          sortOrder:
            c.sortKey && params.sort === c.sortKey
              ? params.order === 'desc'
                ? ('descend' as const)
                : ('ascend' as const)
              : null,
        }))}
      />
    </>
  );
}
