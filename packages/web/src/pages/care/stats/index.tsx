import type { HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowUpOutlined } from '@ant-design/icons';
import { CarePlanList, CareStats, RegionCode, type CareStatsRow } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';

const KEYS = ['households', 'overdue', 'visitedThisMonth'] as const;

/** Routine care visits per child region (county → townships → villages): under a plan, overdue, visited. */
export default function CareStatsPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('region');
  const region = asked && RegionCode.safeParse(asked).success ? asked : undefined;
  const stats = useRequest(
    (signal) => api.get('/api/care/stats', { query: { region }, schema: CareStats, signal }),
    [region],
  );
  const plans = useRequest((signal) => api.get('/api/care/plans', { schema: CarePlanList, signal }), []);
  const s = stats.data;
  const canDrill = (code: string) => code.length < 12 && code !== s?.regionCode;
  const parent = s && s.regionCode.length > me.regionCode.length ? parentOf(s.regionCode) : null;

  const columns: TableColumnsType<CareStatsRow> = [
    {
      title: t('care.stats.region'),
      dataIndex: 'regionName',
      width: 130,
      render: (_, r) => (canDrill(r.regionCode) ? <Typography.Link>{r.regionName}</Typography.Link> : r.regionName),
    },
    ...KEYS.map((k) => ({
      title: t(`care.stats.${k}`),
      dataIndex: k,
      align: 'right' as const,
      width: 90,
      render: (_: unknown, r: CareStatsRow) => (
        <span data-testid={`care-${k}-${r.regionCode}`}>
          {k === 'overdue' && r.overdue > 0 ? <Typography.Text type="danger">{r.overdue}</Typography.Text> : r[k]}
        </span>
      ),
    })),
  ];

  return (
    <>
      <PageHeader
        title={s ? `${t('care.stats.title')} · ${s.regionName}` : t('care.stats.title')}
        extra={
          parent && (
            <Button
              icon={<ArrowUpOutlined />}
              onClick={() => setParams(parent === me.regionCode ? {} : { region: parent })}
            >
              {t('leads.stats.up')}
            </Button>
          )
        }
      />
      {plans.data && (
        <Typography.Paragraph type="secondary" data-testid="care-plans">
          {t('care.stats.plans')}：
          {plans.data.items.length === 0
            ? t('care.stats.noPlans')
            : plans.data.items
                .filter((p) => p.active)
                .map((p) => (
                  <Tag key={p.id}>
                    {p.label} · {t('care.stats.every', { n: p.intervalMonths })}
                    {p.isDemo ? ` · ${t('care.stats.demo')}` : ''}
                  </Tag>
                ))}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Table<CareStatsRow>
        rowKey="regionCode"
        size="middle"
        columns={columns}
        dataSource={s?.rows}
        loading={stats.loading}
        pagination={false}
        scroll={{ x: 420 }}
        onRow={(r) =>
          ({
            'data-testid': `care-row-${r.regionCode}`,
            style: canDrill(r.regionCode) ? { cursor: 'pointer' } : undefined,
            onClick: () => canDrill(r.regionCode) && setParams({ region: r.regionCode }),
          }) as HTMLAttributes<HTMLElement>
        }
        summary={() =>
          s ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('leads.stats.totals')}</Typography.Text>
              </Table.Summary.Cell>
              {KEYS.map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 1} align="right">
                  <Typography.Text strong data-testid={`care-total-${k}`}>
                    {s.totals[k]}
                  </Typography.Text>
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
      />
    </>
  );
}

function parentOf(code: string): string {
  return code.length === 12 ? code.slice(0, 9) : code.length === 9 ? code.slice(0, 6) : code.slice(0, 4);
}
