import type { HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { HouseholdSummary } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useCanOpen } from '../../../app/useCanOpen';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FlagTags, StatusTag } from '../../../components/registry/tags';
import { useHouseholds } from './useHouseholds';
import { HouseholdFilterForm } from './HouseholdFilterForm';

export default function HouseholdsPage() {
  const t = useT();
  const navigate = useNavigate();
  const canCreate = useCanOpen('households-new');
  const canImport = useCanOpen('households-import');
  const { list, filters, setFilters, page, setPage, pageSizes } = useHouseholds();
  const detailPath = (h: HouseholdSummary) => `/households/${seg(h.id)}`;

  const columns: TableColumnsType<HouseholdSummary> = [
    {
      title: t('households.field.householdNo'),
      dataIndex: 'householdNo',
      width: 150,
      render: (_, h) => (
        // A real link too, so the row can be opened in a new tab; the row click does the rest.
        <Link to={detailPath(h)} onClick={(e) => e.stopPropagation()} data-testid="household-link">
          {h.householdNo}
        </Link>
      ),
    },
    { title: t('households.field.headName'), dataIndex: 'headName', width: 110 },
    {
      title: t('households.field.headId'),
      dataIndex: 'headIdMasked',
      width: 190,
      render: (_, h) => <span style={{ fontFamily: 'monospace' }}>{h.headIdMasked}</span>,
    },
    {
      title: t('households.field.village'),
      dataIndex: 'regionName',
      render: (_, h) => (
        <>
          {h.regionName}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {h.regionCode}
          </Typography.Text>
        </>
      ),
    },
    { title: t('households.field.memberCount'), dataIndex: 'memberCount', width: 80, align: 'right' },
    {
      title: t('households.field.status'),
      dataIndex: 'assistanceStatus',
      width: 120,
      render: (_, h) => <StatusTag status={h.assistanceStatus} />,
    },
    {
      title: t('households.field.flags'),
      dataIndex: 'flags',
      width: 200,
      render: (_, h) => <FlagTags flags={h.flags} />,
    },
    {
      title: t('households.field.updatedAt'),
      dataIndex: 'updatedAt',
      width: 150,
      render: (_, h) => formatDateTime(h.updatedAt),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('households.title')}
        extra={
          <>
            {canImport && (
              <Button
                icon={<UploadOutlined />}
                onClick={() => navigate('/households/import')}
                data-testid="household-import"
              >
                {t('households.import')}
              </Button>
            )}
            {canCreate && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => navigate('/households/new')}
                data-testid="household-create"
              >
                {t('households.create')}
              </Button>
            )}
          </>
        }
      />
      <HouseholdFilterForm value={filters} onChange={setFilters} />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<HouseholdSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 1200 }}
        onRow={(h) =>
          ({
            'data-testid': `household-row-${h.householdNo}`,
            style: { cursor: 'pointer' },
            onClick: () => navigate(detailPath(h)),
          }) as HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [...pageSizes],
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: pageSize === page.pageSize ? p : 1, pageSize }),
        }}
        data-testid="households-table"
      />
    </>
  );
}
