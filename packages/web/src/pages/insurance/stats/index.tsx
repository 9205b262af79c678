import { Card, Col, Row, Statistic, Table } from 'antd';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatYuan } from '../../../lib/format';
import { insuranceApi } from '../api';
import { coverItemName } from '../tags';

/** `/insurance/stats`: claims by status, cover item and county; paid this year; the clock; premiums. */
export default function InsuranceStatsPage() {
  const t = useT();
  const year = new Date().getFullYear();
  const stats = useRequest((signal) => insuranceApi.stats(year, signal), [year]);
  const s = stats.data;
  const yuan = (fen: number | null) => (fen === null ? '—' : t('common.yuan', { amount: formatYuan(fen) }));
  return (
    <>
      <PageHeader title={t('insurance.stats.title', { year })} />
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Row gutter={[16, 16]}>
        {[
          { key: 'claims', label: t('insurance.stats.claims'), value: s ? String(s.claims) : '—' },
          { key: 'paid', label: t('insurance.stats.paidYtd'), value: s ? yuan(s.paidYtdFen) : '—' },
          {
            key: 'days',
            label: t('insurance.stats.avgDays'),
            value: s?.avgWorkingDaysToPayout != null ? String(s.avgWorkingDaysToPayout) : '—',
          },
          { key: 'overdue', label: t('insurance.stats.overdue'), value: s ? String(s.overdueOpen) : '—' },
          { key: 'premiums', label: t('insurance.stats.premiums'), value: s ? yuan(s.premiumsBilledFen) : '—' },
        ].map((c) => (
          <Col key={c.key} xs={24} sm={12} lg={8}>
            <Card size="small" loading={stats.loading && !s} data-testid={`stat-${c.key}`}>
              <Statistic title={c.label} value={c.value} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={8}>
          <Card size="small" title={t('insurance.stats.byStatus')}>
            <Table
              size="small"
              rowKey="status"
              pagination={false}
              dataSource={s?.byStatus}
              columns={[
                { key: 's', title: t('insurance.field.status'), render: (_, r) => t(`insurance.status.${r.status}`) },
                { key: 'n', title: t('insurance.stats.count'), dataIndex: 'count', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('insurance.stats.byItem')}>
            <Table
              size="small"
              rowKey="coverItem"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={s?.byCoverItem}
              columns={[
                { key: 'i', title: t('insurance.field.coverItem'), render: (_, r) => coverItemName(t, r.coverItem) },
                { key: 'n', title: t('insurance.stats.count'), dataIndex: 'count', align: 'right' },
                { key: 'p', title: t('insurance.stats.paid'), align: 'right', render: (_, r) => formatYuan(r.paidFen) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('insurance.stats.byCounty')}>
            <Table
              size="small"
              rowKey="regionCode"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={s?.byCounty}
              columns={[
                { key: 'r', title: t('insurance.field.region'), dataIndex: 'regionName' },
                { key: 'n', title: t('insurance.stats.count'), dataIndex: 'count', align: 'right' },
                { key: 'p', title: t('insurance.stats.paid'), align: 'right', render: (_, r) => formatYuan(r.paidFen) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
