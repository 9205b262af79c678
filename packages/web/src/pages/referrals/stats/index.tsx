import type { HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowUpOutlined } from '@ant-design/icons';
import { RegionCode, ReferralStats, type AgencyStatsRow, type ReferralStatsRow } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';

const KEYS = ['total', 'sent', 'accepted', 'done', 'refused'] as const;

/** Referrals per child region (drilling down) and per agency. */
export default function ReferralStatsPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('region');
  const region = asked && RegionCode.safeParse(asked).success ? asked : undefined;
  const stats = useRequest(
    (signal) => api.get('/api/referrals/stats', { query: { region }, schema: ReferralStats, signal }),
    [region],
  );
  const s = stats.data;
  const canDrill = (code: string) => code.length < 12 && code !== s?.regionCode;
  const parent = s && s.regionCode.length > me.regionCode.length ? parentOf(s.regionCode) : null;
  const nums = <T extends Record<(typeof KEYS)[number], number>>(prefix: string) =>
    KEYS.map((k) => ({
      title: k === 'total' ? t('referrals.stats.total') : t(`referrals.status.${k}`),
      dataIndex: k,
      align: 'right' as const,
      width: 80,
      render: (_: unknown, r: T) => <span data-testid={`${prefix}-${k}`}>{r[k]}</span>,
    }));
  const regionColumns: TableColumnsType<ReferralStatsRow> = [
    {
      title: t('leads.stats.region'),
      dataIndex: 'regionName',
      width: 130,
      render: (_, r) => (canDrill(r.regionCode) ? <Typography.Link>{r.regionName}</Typography.Link> : r.regionName),
    },
    ...nums<ReferralStatsRow>('referral-region'),
  ];
  const agencyColumns: TableColumnsType<AgencyStatsRow> = [
    { title: t('referrals.field.agency'), dataIndex: 'agencyName', width: 160 },
    ...nums<AgencyStatsRow>('referral-agency'),
  ];

  return (
    <>
      <PageHeader
        title={s ? `${t('nav.referrals.stats')} · ${s.regionName}` : t('nav.referrals.stats')}
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
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Table<ReferralStatsRow>
        rowKey="regionCode"
        size="middle"
        columns={regionColumns}
        dataSource={s?.rows}
        loading={stats.loading}
        pagination={false}
        scroll={{ x: 530 }}
        onRow={(r) =>
          ({
            'data-testid': `referral-stats-row-${r.regionCode}`,
            style: canDrill(r.regionCode) ? { cursor: 'pointer' } : undefined,
            onClick: () => canDrill(r.regionCode) && setParams({ region: r.regionCode }),
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('referrals.stats.byAgency')}
      </Typography.Title>
      <Table<AgencyStatsRow>
        rowKey="agencyId"
        size="middle"
        columns={agencyColumns}
        dataSource={s?.agencies}
        loading={stats.loading}
        pagination={false}
        scroll={{ x: 560 }}
        onRow={(r) => ({ 'data-testid': `referral-agency-row-${r.agencyId}` }) as HTMLAttributes<HTMLElement>}
      />
    </>
  );
}

function parentOf(code: string): string {
  return code.length === 12 ? code.slice(0, 9) : code.length === 9 ? code.slice(0, 6) : code.slice(0, 4);
}
