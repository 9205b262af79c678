import { useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Card, Empty, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  ASSISTANCE_KINDS,
  POLICY_EDITORS,
  type AssistanceKind,
  type PolicyStandard,
  type PolicyStandardStatus,
} from '@jiuzhu/shared';
import { isApiError } from '../../../api/client';
import { regionsApi } from '../../../api/regions';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { RegionName } from '../../../components/regions/RegionName';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { policyApi } from '../api';
import { ParamsView } from './ParamsView';
import { VersionFormModal, type RegionOption } from './VersionFormModal';

const STATUS_COLOR: Record<PolicyStandardStatus, string> = {
  current: 'green',
  scheduled: 'blue',
  superseded: 'default',
};

function DemoTag() {
  const t = useT();
  return (
    <Tag color="orange" data-testid="demo-tag">
      {t('policy.demo')}
    </Tag>
  );
}

/**
 * Policy standards (救助标准): per kind of assistance, the version in force for the city or a
 * county and every version with its status; editors add versions from an effective month.
 */
export default function PolicyStandardsPage() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  // City-level users pick the city default or a county; everyone else sees their county's line.
  const cityLevel = me.regionCode.length <= 4;
  const city = me.regionCode.slice(0, 4);
  const ownCounty = cityLevel ? city : me.regionCode.slice(0, 6);
  const [kind, setKind] = useState<AssistanceKind>('dibao');
  const [region, setRegion] = useState<string>(ownCounty);
  const [adding, setAdding] = useState(false);
  const canEdit = POLICY_EDITORS.includes(me.role);

  const counties = useRequest(
    (signal) =>
      cityLevel
        ? regionsApi.children(city, signal).then((rs) => rs.filter((r) => r.level === 'county'))
        : Promise.resolve([]),
    [cityLevel, city],
  );
  const list = useRequest((signal) => policyApi.list({ kind, region }, signal), [kind, region]);
  const effective = useRequest((signal) => policyApi.effective(region, kind, signal), [kind, region]);
  const notConfigured = isApiError(effective.error) && effective.error.status === 404;

  const regionOptions = useMemo<RegionOption[]>(
    () =>
      cityLevel
        ? [{ code: city, name: me.regionName }, ...(counties.data ?? []).map((r) => ({ code: r.code, name: r.name }))]
        : [{ code: ownCounty, name: me.regionCode === ownCounty ? me.regionName : ownCounty }],
    [cityLevel, city, counties.data, me.regionName, me.regionCode, ownCounty],
  );
  const editable = canEdit ? (cityLevel ? regionOptions : regionOptions.filter((r) => r.code === ownCounty)) : [];
  const reload = () => {
    list.reload();
    effective.reload();
  };

  const columns: TableColumnsType<PolicyStandard> = [
    { title: t('policy.field.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
    { title: t('policy.field.region'), dataIndex: 'regionName', width: 110 },
    { title: t('policy.field.effectiveMonth'), dataIndex: 'effectiveMonth', width: 110 },
    {
      title: t('policy.field.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: PolicyStandardStatus, r) => (
        <Tag color={STATUS_COLOR[s]} data-testid={`policy-status-${r.regionCode}-v${r.version}`}>
          {t(`policy.status.${s}`)}
        </Tag>
      ),
    },
    {
      title: t('policy.field.note'),
      key: 'note',
      render: (_, r) => (
        <Space size={4} wrap>
          {r.isDemo && <DemoTag />}
          {r.note && <Typography.Text type="secondary">{r.note}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('policy.field.createdBy'), dataIndex: 'createdBy', width: 110 },
    {
      title: t('policy.field.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (v: string) => formatDateTime(v),
    },
  ];

  // The last answer stays while a new one loads: show it only when it answers what is selected.
  const shown = effective.data;
  const current =
    shown && !effective.error && shown.kind === kind && shown.region === region ? shown.standard : undefined;
  const hasDemo = (list.data?.items ?? []).some((i) => i.isDemo);

  return (
    <>
      <PageHeader
        title={t('policy.title')}
        extra={
          <>
            {cityLevel ? (
              <Select
                style={{ minWidth: 160 }}
                value={region}
                onChange={setRegion}
                loading={counties.loading}
                options={regionOptions.map((r) => ({
                  value: r.code,
                  label: r.code === city ? t('policy.region.cityDefault', { name: r.name }) : r.name,
                }))}
                data-testid="policy-region"
              />
            ) : null}
            {canEdit && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setAdding(true)}
                disabled={effective.loading}
                data-testid="policy-add"
              >
                {t('policy.add')}
              </Button>
            )}
          </>
        }
      />
      {hasDemo && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('policy.demoAlert')}
          data-testid="policy-demo-alert"
        />
      )}
      <Tabs
        activeKey={kind}
        onChange={(k) => setKind(k as AssistanceKind)}
        items={ASSISTANCE_KINDS.map((k) => ({ key: k, label: t(`policy.kind.${k}`) }))}
        data-testid="policy-kinds"
      />
      <ErrorAlert error={notConfigured ? undefined : (effective.error ?? list.error)} onRetry={reload} />
      <Card
        style={{ marginBottom: 16 }}
        title={
          <Space wrap>
            <span>{t('policy.effectiveTitle')}</span>
            <span data-testid="policy-effective-region">
              {cityLevel ? (
                (regionOptions.find((r) => r.code === region)?.name ?? region)
              ) : (
                <RegionName code={region} />
              )}
            </span>
          </Space>
        }
        extra={
          current ? (
            <Space size={4} wrap data-testid="policy-effective-meta">
              <Tag>{t(shown?.source === 'county' ? 'policy.source.county' : 'policy.source.city')}</Tag>
              <Tag>
                {current.regionName} v{current.version}
              </Tag>
              <Tag>{t('policy.effectiveFrom', { month: current.effectiveMonth })}</Tag>
              {current.isDemo && <DemoTag />}
            </Space>
          ) : undefined
        }
      >
        <Spin spinning={effective.loading}>
          {current ? (
            <ParamsView kind={kind} params={current.params} testId="policy-effective" />
          ) : notConfigured ? (
            <Empty description={t('policy.notConfigured')} data-testid="policy-not-configured" />
          ) : (
            <div style={{ minHeight: 80 }} />
          )}
        </Spin>
      </Card>
      <Card title={t('policy.historyTitle')}>
        <Table<PolicyStandard>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.loading}
          pagination={false}
          data-testid="policy-history"
          onRow={(r) =>
            ({
              'data-testid': `policy-row-${r.regionCode}-v${r.version}`,
              'data-status': r.status,
            }) as HTMLAttributes<HTMLElement>
          }
          expandable={{ expandedRowRender: (r) => <ParamsView kind={r.kind} params={r.params} /> }}
        />
      </Card>
      {adding && (
        <VersionFormModal
          kind={kind}
          regions={editable}
          defaultRegion={editable.some((r) => r.code === region) ? region : (editable[0]?.code ?? '')}
          prefill={current?.params}
          onClose={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            void message.success(
              t(created.status === 'current' ? 'policy.savedCurrent' : 'policy.savedScheduled', {
                month: created.effectiveMonth,
              }),
            );
            if (created.regionCode !== region) setRegion(created.regionCode);
            else reload();
          }}
        />
      )}
    </>
  );
}
