import type { HTMLAttributes } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { LeadStats, RegionCode, type LeadStatsRow } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';

type Figures = LeadStats['totals'];

function rate(f: Figures): string {
  const closedOrDue = f.issued;
  return closedOrDue === 0 ? '—' : `${Math.round((f.verifiedOnTime / closedOrDue) * 100)}%`;
}

/** Figures per child region; a row opens the next level down (county → townships → villages). */
export default function LeadStatsPage() {
  const t = useT();
  const navigate = useNavigate();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('region');
  const region = asked && RegionCode.safeParse(asked).success ? asked : undefined;
  const stats = useRequest(
    (signal) => api.get('/api/leads/stats', { query: { region }, schema: LeadStats, signal }),
    [region],
  );
  const s = stats.data;
  // Villages are the last level; a parent of the current region is reachable while inside one's own region.
  const canDrill = (code: string) => code.length < 12 && code !== s?.regionCode;
  const parent = s && s.regionCode.length > me.regionCode.length ? parentOf(s.regionCode) : null;

  const num = (key: keyof Figures, testId?: string) => ({
    title: t(`leads.stats.${key}`),
    dataIndex: key,
    align: 'right' as const,
    width: 90,
    render: (_: unknown, r: LeadStatsRow) => <span data-testid={testId && `${testId}-${r.regionCode}`}>{r[key]}</span>,
  });
  const columns: TableColumnsType<LeadStatsRow> = [
    {
      title: t('leads.stats.region'),
      dataIndex: 'regionName',
      fixed: 'left',
      width: 130,
      render: (_, r) =>
        canDrill(r.regionCode) ? (
          <Typography.Link>{r.regionName}</Typography.Link>
        ) : (
          <Typography.Text>{r.regionName}</Typography.Text>
        ),
    },
    num('issued', 'stats-issued'),
    num('visited', 'stats-visited'),
    num('verifiedOnTime', 'stats-ontime'),
    num('overdueOpen', 'stats-overdue'),
    num('escalated', 'stats-escalated'),
    {
      title: t('leads.stats.onTimeRate'),
      key: 'rate',
      align: 'right',
      width: 100,
      render: (_, r) => rate(r),
    },
  ];

  return (
    <>
      <PageHeader
        title={s ? `${t('leads.stats.title')} · ${s.regionName}` : t('leads.stats.title')}
        extra={
          <>
            {parent && (
              <Button
                icon={<ArrowUpOutlined />}
                onClick={() => setParams(parent === me.regionCode ? {} : { region: parent }, { replace: false })}
                data-testid="stats-up"
              >
                {t('leads.stats.up')}
              </Button>
            )}
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/leads')}>
              {t('nav.leads')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Table<LeadStatsRow>
        rowKey="regionCode"
        size="middle"
        columns={columns}
        dataSource={s?.rows}
        loading={stats.loading}
        pagination={false}
        scroll={{ x: 680 }}
        onRow={(r) =>
          ({
            'data-testid': `stats-row-${r.regionCode}`,
            style: canDrill(r.regionCode) ? { cursor: 'pointer' } : undefined,
            onClick: () => canDrill(r.regionCode) && setParams({ region: r.regionCode }),
          }) as HTMLAttributes<HTMLElement>
        }
        summary={() =>
          s ? (
            <Table.Summary fixed>
              <Table.Summary.Row data-testid="stats-totals">
                <Table.Summary.Cell index={0}>
                  <Typography.Text strong>{t('leads.stats.totals')}</Typography.Text>
                </Table.Summary.Cell>
                {(['issued', 'visited', 'verifiedOnTime', 'overdueOpen', 'escalated'] as const).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 1} align="right">
                    <Typography.Text strong data-testid={`stats-total-${k}`}>
                      {s.totals[k]}
                    </Typography.Text>
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={6} align="right">
                  {rate(s.totals)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
        data-testid="stats-table"
      />
    </>
  );
}

/** The parent division code: 12 → 9 → 6 → 4 digits. */
function parentOf(code: string): string {
  return code.length === 12 ? code.slice(0, 9) : code.length === 9 ? code.slice(0, 6) : code.slice(0, 4);
}
