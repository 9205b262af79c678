import { useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Col, Popconfirm, Row, Statistic, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { ProvinceRecords, ProvinceSummary, type ProvinceRecordRow } from '@jiuzhu/shared';
import type { z } from 'zod';
import { api, seg } from '../../api/client';
import { useNotifyError } from '../../api/errors';
import { useRequest } from '../../api/useRequest';
import { useT, type MessageKey } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RegionName } from '../../components/regions/RegionName';
import { useMe } from '../../app/session';

type SummaryRow = z.infer<typeof ProvinceSummary>['rows'][number];
const typeKey = (type: string) => `province.type.${type}` as MessageKey;

/** 省平台上传: counts per type and month, and the records the province rejected (re-sent after correction). */
export default function ProvincePage() {
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const me = useMe();
  const canResend = me.role === 'city_admin';
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const summary = useRequest((signal) => api.get('/api/province/summary', { schema: ProvinceSummary, signal }), []);
  const rejected = useRequest(
    (signal) =>
      api.get('/api/province/records', {
        query: { status: 'rejected', ...page },
        schema: ProvinceRecords,
        signal,
      }),
    [page.page, page.pageSize],
  );

  async function resend(r: ProvinceRecordRow) {
    try {
      await api.post(`/api/province/records/${seg(r.id)}/resend`);
      void message.success(t('province.resend.done'));
      rejected.reload();
      summary.reload();
    } catch (e) {
      notifyError(e);
    }
  }

  const summaryColumns: TableColumnsType<SummaryRow> = [
    { title: t('province.field.month'), dataIndex: 'month', width: 100 },
    { title: t('province.field.type'), dataIndex: 'type', width: 120, render: (_, r) => t(typeKey(r.type)) },
    { title: t('province.status.pending'), dataIndex: 'pending', width: 90, align: 'right' },
    { title: t('province.status.accepted'), dataIndex: 'accepted', width: 90, align: 'right' },
    { title: t('province.status.rejected'), dataIndex: 'rejected', width: 90, align: 'right' },
  ];
  const rejectedColumns: TableColumnsType<ProvinceRecordRow> = [
    { title: t('province.field.type'), dataIndex: 'type', width: 110, render: (_, r) => t(typeKey(r.type)) },
    { title: t('province.field.month'), dataIndex: 'month', width: 90 },
    {
      title: t('province.field.region'),
      dataIndex: 'regionCode',
      width: 160,
      render: (_, r) => <RegionName code={r.regionCode} />,
    },
    {
      title: t('province.field.reason'),
      dataIndex: 'reason',
      width: 220,
      render: (_, r) => <Tag color="red">{r.reason}</Tag>,
    },
    ...(canResend
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_: unknown, r: ProvinceRecordRow) => (
              <Popconfirm
                title={t('province.resend.confirm')}
                description={t('province.resend.desc')}
                onConfirm={() => resend(r)}
                okButtonProps={{ 'data-testid': 'province-resend-confirm' }}
              >
                <Button type="link" size="small" data-testid={`province-resend-${r.id}`}>
                  {t('province.resend')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  const totals = summary.data?.totals;

  return (
    <>
      <PageHeader title={t('province.title')} />
      <ErrorAlert error={summary.error ?? rejected.error} onRetry={() => (summary.reload(), rejected.reload())} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {(['total', 'accepted', 'pending', 'rejected'] as const).map((k) => (
          <Col xs={12} md={6} key={k}>
            <Card size="small">
              <Statistic
                title={t(`province.status.${k}` as MessageKey)}
                value={totals?.[k] ?? 0}
                loading={summary.loading}
                data-testid={`province-total-${k}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('province.rejected.title')} style={{ marginBottom: 16 }}>
        <Table<ProvinceRecordRow>
          rowKey="id"
          size="small"
          columns={rejectedColumns}
          dataSource={rejected.data?.items}
          loading={rejected.loading}
          scroll={{ x: 600 }}
          onRow={(r) => ({ 'data-testid': `province-rejected-${r.id}` }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: rejected.data?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
            onChange: (p, pageSize) => setPage({ page: pageSize === page.pageSize ? p : 1, pageSize }),
          }}
          data-testid="province-rejected-table"
        />
      </Card>
      <Card size="small" title={t('province.summary.title')}>
        <Table<SummaryRow>
          rowKey={(r) => `${r.month}-${r.type}`}
          size="small"
          columns={summaryColumns}
          dataSource={summary.data?.rows}
          loading={summary.loading}
          scroll={{ x: 500 }}
          pagination={{ pageSize: 24 }}
          data-testid="province-summary-table"
        />
      </Card>
    </>
  );
}
