import type { HTMLAttributes } from 'react';
import { Table, Typography } from 'antd';
import type { CaseOverdueStats } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { casesApi } from '../api';

type Row = CaseOverdueStats['total'];

/** `/cases/overdue`: open cases and overdue steps per child region, for county and city supervisors. */
export default function CaseOverduePage() {
  const t = useT();
  const stats = useRequest((signal) => casesApi.overdue(signal), []);
  const overdueCell = (n: number) => <Typography.Text type={n > 0 ? 'danger' : undefined}>{n}</Typography.Text>;
  return (
    <>
      <PageHeader title={t('cases.overdue.title')} />
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Table<Row>
        rowKey="regionCode"
        size="middle"
        loading={stats.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={stats.data?.rows}
        locale={{ emptyText: t('cases.overdue.empty') }}
        onRow={(r) => ({ 'data-testid': `overdue-row-${r.regionCode}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'region', title: t('cases.overdue.region'), dataIndex: 'regionName' },
          { key: 'open', title: t('cases.overdue.open'), dataIndex: 'open', align: 'right' },
          {
            key: 'steps',
            title: t('cases.overdue.steps'),
            align: 'right',
            render: (_, r) => <span data-testid="overdue-steps">{overdueCell(r.overdueSteps)}</span>,
          },
          {
            key: 'overall',
            title: t('cases.overdue.overall'),
            align: 'right',
            render: (_, r) => overdueCell(r.overdueOverall),
          },
        ]}
        summary={() =>
          stats.data ? (
            <Table.Summary.Row data-testid="overdue-total">
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('cases.overdue.total')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {stats.data.total.open}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {overdueCell(stats.data.total.overdueSteps)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {overdueCell(stats.data.total.overdueOverall)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </>
  );
}
