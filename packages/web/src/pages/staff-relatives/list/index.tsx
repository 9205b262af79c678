import { useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Popconfirm, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { pageOf, StaffRelative } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { RegionName } from '../../../components/regions/RegionName';
import { StaffRelativeFormModal } from './StaffRelativeFormModal';

/** The list's answer: `GET /api/staff-relatives`. */
const StaffRelativePage = pageOf(StaffRelative);

/** 近亲属备案: relatives of staff and village cadres; their households are flagged for separate approval. */
export default function StaffRelativesPage() {
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = useRequest(
    (signal) => api.get('/api/staff-relatives', { query: { ...page }, schema: StaffRelativePage, signal }),
    [page.page, page.pageSize],
  );

  async function remove(r: StaffRelative) {
    try {
      await api.delete(`/api/staff-relatives/${seg(r.id)}`);
      void message.success(t('staffRelatives.delete.done', { name: r.relativeName }));
      list.reload();
    } catch (e) {
      notifyError(e);
    }
  }

  const columns: TableColumnsType<StaffRelative> = [
    { title: t('staffRelatives.field.staffName'), dataIndex: 'staffName', width: 110 },
    { title: t('staffRelatives.field.staffPosition'), dataIndex: 'staffPosition', width: 160 },
    {
      title: t('staffRelatives.field.region'),
      dataIndex: 'regionCode',
      width: 160,
      render: (_, r) => <RegionName code={r.regionCode} />,
    },
    { title: t('staffRelatives.field.relativeName'), dataIndex: 'relativeName', width: 110 },
    {
      title: t('staffRelatives.field.relativeIdNumber'),
      dataIndex: 'relativeIdMasked',
      width: 190,
      render: (_, r) => <span style={{ fontFamily: 'monospace' }}>{r.relativeIdMasked}</span>,
    },
    { title: t('staffRelatives.field.relation'), dataIndex: 'relation', width: 100 },
    { title: t('staffRelatives.field.createdBy'), dataIndex: 'createdBy', width: 120 },
    {
      title: t('staffRelatives.field.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (_, r) => formatDateTime(r.createdAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 90,
      render: (_, r) => (
        <Popconfirm
          title={t('staffRelatives.delete.confirm', { name: r.relativeName, staff: r.staffName })}
          description={t('staffRelatives.delete.desc')}
          onConfirm={() => remove(r)}
          okButtonProps={{ danger: true, 'data-testid': 'staff-relative-delete-confirm' }}
        >
          <Button type="link" danger size="small" data-testid={`staff-relative-delete-${r.relativeName}`}>
            {t('common.delete')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('staffRelatives.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="staff-relative-create"
          >
            {t('staffRelatives.create')}
          </Button>
        }
      />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('staffRelatives.intro')} />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<StaffRelative>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 1200 }}
        onRow={(r) => ({ 'data-testid': `staff-relative-row-${r.relativeName}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: pageSize === page.pageSize ? p : 1, pageSize }),
        }}
        data-testid="staff-relatives-table"
      />
      <StaffRelativeFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          void message.success(t('staffRelatives.create.done'));
          setCreating(false);
          setPage((p) => ({ ...p, page: 1 }));
          list.reload();
        }}
      />
    </>
  );
}
