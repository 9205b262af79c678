import type { HTMLAttributes, ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Table, Typography } from 'antd';
import type { CaseOverdueStats } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { casesApi } from '../api';

type Row = CaseOverdueStats['total'];

/** The application list behind a number of the table: the same region, the same condition. */
function listUrl(regionCode: string, condition: 'all' | 'open' | 'step' | 'overall'): string {
  const q = new URLSearchParams({ view: 'all', region: regionCode });
  if (condition === 'open') q.set('open', 'true');
  if (condition === 'step' || condition === 'overall') q.set('overdue', condition);
  return `/cases?${q.toString()}`;
}

/** `/cases/overdue`: open cases and overdue steps per child region, for county and city supervisors. */
export default function CaseOverduePage() {
  const t = useT();
  const stats = useRequest((signal) => casesApi.overdue(signal), []);
  // Every name and number is a link to the list it counts (a number 0 is no link: nothing behind it).
  const cell = (r: Row, condition: 'open' | 'step' | 'overall', n: number, danger: boolean): ReactNode => {
    const text = <Typography.Text type={danger && n > 0 ? 'danger' : undefined}>{n}</Typography.Text>;
    return n > 0 ? (
      <Link to={listUrl(r.regionCode, condition)} data-testid={`overdue-link-${condition}`}>
        {text}
      </Link>
    ) : (
      text
    );
  };
  const regionLink = (r: Row, strong = false) => (
    <Link to={listUrl(r.regionCode, 'all')} data-testid="overdue-link-region">
      {strong ? <Typography.Text strong>{r.regionName}</Typography.Text> : r.regionName}
    </Link>
  );
  return (
    <>
      <PageHeader
        title={t('cases.overdue.title')}
        extra={<Typography.Text type="secondary">{t('cases.overdue.linkHint')}</Typography.Text>}
      />
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
          { key: 'region', title: t('cases.overdue.region'), render: (_, r) => regionLink(r) },
          {
            key: 'open',
            title: t('cases.overdue.open'),
            align: 'right',
            render: (_, r) => cell(r, 'open', r.open, false),
          },
          {
            key: 'steps',
            title: t('cases.overdue.steps'),
            align: 'right',
            render: (_, r) => <span data-testid="overdue-steps">{cell(r, 'step', r.overdueSteps, true)}</span>,
          },
          {
            key: 'overall',
            title: t('cases.overdue.overall'),
            align: 'right',
            render: (_, r) => cell(r, 'overall', r.overdueOverall, true),
          },
        ]}
        summary={() =>
          stats.data ? (
            <Table.Summary.Row data-testid="overdue-total">
              <Table.Summary.Cell index={0}>
                {regionLink({ ...stats.data.total, regionName: t('cases.overdue.total') }, true)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {cell(stats.data.total, 'open', stats.data.total.open, false)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {cell(stats.data.total, 'step', stats.data.total.overdueSteps, true)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {cell(stats.data.total, 'overall', stats.data.total.overdueOverall, true)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </>
  );
}
