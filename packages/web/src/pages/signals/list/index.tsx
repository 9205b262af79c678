import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { AutoComplete, Button, Flex, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  FEED_READERS,
  SIGNAL_HANDLERS,
  SIGNAL_OUTCOME_VALUES,
  SignalStatus,
  type Signal,
  type SignalOutcome,
  type SignalSourceRecord,
} from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { collisionApi } from '../api';
import { OutcomeTag, SignalStatusTag } from '../tags';
import { StatusModal } from './StatusModal';

/** Record types of the built-in kinds; admins may add more (free text is accepted). */
const RECORD_TYPES = [
  'death',
  'cremation',
  'custody',
  'vehicle',
  'property',
  'business',
  'medical',
  'disability',
  'wage',
];

type Filters = { outcome?: SignalOutcome; status?: SignalStatus; recordType?: string; regionCode?: string };

/** Signals (比对预警) of the caller's region: who, what the rule concluded, from which records. */
export default function SignalsPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [handling, setHandling] = useState<Signal | null>(null);
  const list = useRequest(
    (signal) => collisionApi.signals({ ...filters, ...page }, signal),
    [filters.outcome, filters.status, filters.recordType, filters.regionCode, page.page, page.pageSize],
  );
  const canHandle = SIGNAL_HANDLERS.includes(me.role);
  const set = (patch: Filters) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, page: 1 }));
  };

  const columns: TableColumnsType<Signal> = [
    { title: t('signals.field.no'), dataIndex: 'signalNo', width: 80, render: (n: number) => `#${n}` },
    {
      title: t('signals.field.person'),
      key: 'person',
      render: (_, s) => (
        <>
          {s.person.householdId ? (
            <Link to={`/households/${s.person.householdId}`} data-testid={`signal-person-${s.signalNo}`}>
              {s.person.name}
            </Link>
          ) : (
            s.person.name
          )}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, fontFamily: 'monospace' }}>
            {s.person.idMasked}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('signals.field.outcome'),
      key: 'outcome',
      width: 110,
      render: (_, s) => <OutcomeTag outcome={s.outcome} />,
    },
    {
      title: t('signals.field.rule'),
      key: 'rule',
      render: (_, s) => (
        <>
          {lang === 'en-US' ? s.rule.nameEn : s.rule.nameZh}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {s.rule.code} · v{s.rule.version}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('signals.field.region'),
      key: 'region',
      width: 150,
      render: (_, s) => s.person.villageName ?? s.regionCode,
    },
    {
      title: t('signals.field.status'),
      key: 'status',
      width: 100,
      render: (_, s) => <SignalStatusTag status={s.status} />,
    },
    {
      title: t('signals.field.createdAt'),
      key: 'createdAt',
      width: 140,
      render: (_, s) => formatDateTime(s.createdAt),
    },
    ...(canHandle
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_: unknown, s: Signal) =>
              s.status === 'resolved' || s.status === 'dismissed' ? null : (
                <Button size="small" onClick={() => setHandling(s)} data-testid={`signal-handle-${s.signalNo}`}>
                  {t('signals.handle')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  const recordColumns: TableColumnsType<SignalSourceRecord> = [
    {
      title: t('signals.record.kind'),
      dataIndex: 'kindCode',
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    { title: t('signals.record.key'), dataIndex: 'recordKey', width: 130 },
    { title: t('signals.record.eventDate'), dataIndex: 'eventDate', width: 110 },
    {
      title: t('signals.record.data'),
      key: 'data',
      render: (_, r) => (
        <Typography.Text style={{ fontSize: 12 }}>
          {Object.entries(r.data)
            .map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`)
            .join('；')}
        </Typography.Text>
      ),
    },
    {
      title: t('signals.record.batch'),
      key: 'batch',
      width: 90,
      render: (_, r) =>
        FEED_READERS.includes(me.role) ? (
          <Link to={`/exchange/batches/${r.batchId}`}>{t('signals.record.batchLink')}</Link>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title={t('signals.title')} />
      <Flex gap="small" wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('signals.field.outcome')}
          style={{ width: 150 }}
          value={filters.outcome}
          options={SIGNAL_OUTCOME_VALUES.map((o) => ({ value: o, label: t(`signals.outcome.${o}`) }))}
          onChange={(outcome?: SignalOutcome) => set({ outcome })}
          data-testid="signals-outcome"
        />
        <Select
          allowClear
          placeholder={t('signals.field.status')}
          style={{ width: 130 }}
          value={filters.status}
          options={SignalStatus.options.map((s) => ({ value: s, label: t(`signals.status.${s}`) }))}
          onChange={(status?: SignalStatus) => set({ status })}
        />
        <AutoComplete
          allowClear
          placeholder={t('signals.field.recordType')}
          style={{ width: 160 }}
          options={RECORD_TYPES.map((r) => ({ value: r }))}
          onChange={(v?: string) => set({ recordType: v && /^[a-z][a-z0-9_]*$/.test(v) ? v : undefined })}
        />
        <RegionTreeSelect
          rootCode={me.regionCode}
          allowClear
          placeholder={t('signals.field.region')}
          style={{ width: 240 }}
          value={filters.regionCode}
          onChange={(regionCode) => set({ regionCode })}
        />
      </Flex>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<Signal>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 1100 }}
        onRow={(s) => ({ 'data-testid': `signal-row-${s.signalNo}` }) as HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (s) => (
            <Table<SignalSourceRecord>
              rowKey="id"
              size="small"
              pagination={false}
              columns={recordColumns}
              dataSource={s.records}
            />
          ),
        }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: p, pageSize }),
        }}
      />
      <StatusModal
        signal={handling}
        onClose={() => setHandling(null)}
        onDone={() => {
          setHandling(null);
          list.reload();
        }}
      />
    </>
  );
}
