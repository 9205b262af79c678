import { useState, type HTMLAttributes } from 'react';
import { Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Role, type AuditEntry, type AuditVerifyResult } from '@jiuzhu/shared';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useAuditList } from './useAuditList';
import { AuditFilterForm } from './AuditFilterForm';
import { VerifyChainButton, VerifyResultAlert } from './VerifyChain';
import { AuditExportButton } from './AuditExportButton';
import { isMessageKey } from '../../cases/calc';

export default function AuditPage() {
  const t = useT();
  const { list, filters, page, setPage, setFilters } = useAuditList();
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const brokenAt = verify && !verify.ok ? verify.brokenAt : null;

  // Codes by their names; a code added later without a name shows as it is.
  const actionName = (code: string) => {
    const key = `audit.action.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
  const entityName = (code: string) => {
    const key = `audit.entity.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };

  // Actors are staff roles, or system actors (jobs, feeds) the UI shows as they come.
  const roleLabel = (role: string) => {
    const parsed = Role.safeParse(role);
    return parsed.success ? t(`role.${parsed.data}`) : role;
  };

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.field.seq'),
      dataIndex: 'seq',
      width: 90,
      render: (_, e) =>
        e.seq === brokenAt ? (
          <Tooltip title={verify?.reason}>
            <Tag color="red" data-testid="audit-broken-row">
              {e.seq}
            </Tag>
          </Tooltip>
        ) : (
          e.seq
        ),
    },
    { title: t('audit.field.at'), dataIndex: 'at', width: 140, render: (_, e) => formatDateTime(e.at) },
    {
      title: t('audit.field.actor'),
      key: 'actor',
      width: 180,
      render: (_, e) => (
        <>
          {e.actorName ? `${e.actorName}（${e.actorUsername}）` : e.actorUsername}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {roleLabel(e.actorRole)}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('audit.field.region'),
      key: 'region',
      width: 120,
      render: (_, e) => <span title={e.regionCode}>{e.regionName ?? e.regionCode}</span>,
    },
    {
      title: t('audit.field.action'),
      dataIndex: 'action',
      width: 150,
      render: (_, e) => <span title={e.action}>{actionName(e.action)}</span>,
    },
    { title: t('audit.field.entity'), key: 'entity', width: 110, render: (_, e) => entityName(e.entity) },
    {
      title: t('audit.field.household'),
      key: 'household',
      width: 140,
      // The object's id stays on hover: an auditor reads the 户编号, not a UUID.
      render: (_, e) => <span title={e.entityId ?? undefined}>{e.householdNo ?? '—'}</span>,
    },
    {
      title: t('audit.field.detail'),
      dataIndex: 'detail',
      render: (_, e) => {
        const compact = JSON.stringify(e.detail);
        return (
          <Tooltip title={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.detail, null, 2)}</pre>}>
            <Typography.Text code ellipsis style={{ maxWidth: 280, fontSize: 12 }}>
              {compact}
            </Typography.Text>
          </Tooltip>
        );
      },
    },
    {
      title: t('audit.field.hash'),
      dataIndex: 'hash',
      width: 130,
      render: (_, e) => (
        <Typography.Text copyable={{ text: e.hash }} style={{ fontFamily: 'monospace', fontSize: 12 }}>
          <Tooltip title={e.hash}>{e.hash.slice(0, 10)}…</Tooltip>
        </Typography.Text>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} extra={<VerifyChainButton onResult={setVerify} />} />
      {verify && <VerifyResultAlert result={verify} onClose={() => setVerify(null)} />}
      <AuditFilterForm onChange={setFilters} />
      <div style={{ margin: '8px 0' }}>
        <AuditExportButton filters={filters} actionName={actionName} entityName={entityName} roleLabel={roleLabel} />
      </div>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 1300 }}
        onRow={(e) =>
          ({
            'data-testid': `audit-row-${e.seq}`,
            style: e.seq === brokenAt ? { background: '#fff1f0' } : undefined,
          }) as HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: pageSize === page.pageSize ? p : 1, pageSize }),
        }}
        data-testid="audit-table"
      />
    </>
  );
}
