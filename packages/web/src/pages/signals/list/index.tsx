import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Flex, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  FEED_READERS,
  SIGNAL_ACTORS,
  SIGNAL_HANDLERS,
  SIGNAL_OUTCOME_VALUES,
  SignalStatus,
  regionLevelOf,
  type Signal,
  type SignalSourceRecord,
} from '@jiuzhu/shared';
import { useMe } from '../../../app/session';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { collisionApi } from '../api';
import { OutcomeTag, SignalStatusTag } from '../tags';
import { RecordFields } from '../../../components/RecordFields';
import { StatusModal } from './StatusModal';
import { ActModal } from './ActModal';

/** The outcomes that concern someone on the rolls: they act on the enrolments (review, suspend, end). */
const ROLL_OUTCOMES: readonly Signal['outcome'][] = ['review', 'suspend', 'stop'];

/** Record types of the built-in kinds, by name in the search form. */
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
] as const;

const FILTERS = ['q', 'outcome', 'status', 'recordType', 'regionCode'] as const;

/** Signals (比对预警) of the caller's region: who, what the rule concluded, from which records. */
export default function SignalsPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { params, update } = useListParams(FILTERS);
  const [version, setVersion] = useState(0);
  const [handling, setHandling] = useState<Signal | null>(null);
  const [acting, setActing] = useState<Signal | null>(null);
  const canHandle = SIGNAL_HANDLERS.includes(me.role);
  const canAct = SIGNAL_ACTORS.includes(me.role);
  const level = regionLevelOf(me.regionCode);
  const manager = level === 'city' || level === 'county' || level === 'township';
  const ruleName = (s: Signal) => (lang === 'en-US' ? s.rule.nameEn : s.rule.nameZh);

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('signals.search.q'), placeholder: t('signals.search.q.placeholder') },
      {
        kind: 'select',
        name: 'outcome',
        label: t('signals.field.outcome'),
        options: SIGNAL_OUTCOME_VALUES.map((o) => ({ value: o, label: t(`signals.outcome.${o}`) })),
      },
      {
        kind: 'select',
        name: 'status',
        label: t('signals.field.status'),
        options: SignalStatus.options.map((s) => ({ value: s, label: t(`signals.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'recordType',
        label: t('signals.field.recordType'),
        options: RECORD_TYPES.map((r) => ({ value: r, label: t(`signals.recordType.${r}`) })),
      },
      ...(manager ? [{ kind: 'region' as const, name: 'regionCode', label: t('signals.field.region') }] : []),
    ],
    [t, manager],
  );

  const columns: ListColumn<Signal>[] = [
    {
      key: 'no',
      title: t('signals.field.no'),
      render: (s) => `#${s.signalNo}`,
      exportValue: (s) => s.signalNo,
    },
    {
      key: 'person',
      title: t('signals.field.person'),
      render: (s) => (
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
      exportValue: (s) => s.person.name,
    },
    {
      key: 'idMasked',
      title: t('signals.field.idNumber'),
      defaultHidden: true,
      render: (s) => s.person.idMasked,
      exportValue: (s) => s.person.idMasked,
    },
    {
      key: 'householdNo',
      title: t('households.field.householdNo'),
      defaultHidden: true,
      render: (s) => s.person.householdNo ?? '—',
      exportValue: (s) => s.person.householdNo ?? '',
    },
    {
      key: 'outcome',
      title: t('signals.field.outcome'),
      render: (s) => <OutcomeTag outcome={s.outcome} />,
      exportValue: (s) => t(`signals.outcome.${s.outcome}`),
    },
    {
      key: 'rule',
      title: t('signals.field.rule'),
      hideOnPhone: true,
      render: (s) => (
        <>
          {ruleName(s)}
          {/* The rule's code is for the rules page; here its name and version, the code on hover. */}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} title={s.rule.code}>
            {t('signals.rule.version', { version: s.rule.version })}
          </Typography.Text>
        </>
      ),
      exportValue: ruleName,
    },
    {
      key: 'region',
      title: t('signals.field.region'),
      hideOnPhone: true,
      render: (s) => s.person.villageName ?? '—',
      exportValue: (s) => s.person.villageName ?? '',
    },
    {
      key: 'status',
      title: t('signals.field.status'),
      render: (s) => <SignalStatusTag status={s.status} />,
      exportValue: (s) => t(`signals.status.${s.status}`),
    },
    {
      key: 'createdAt',
      title: t('signals.field.createdAt'),
      hideOnPhone: true,
      render: (s) => formatDateTime(s.createdAt),
      exportValue: (s) => formatDateTime(s.createdAt),
    },
    ...(canHandle
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            render: (s: Signal) =>
              s.status === 'resolved' || s.status === 'dismissed' ? null : (
                <Flex gap={4} wrap>
                  {canAct && ROLL_OUTCOMES.includes(s.outcome) && (
                    <Button
                      size="small"
                      type="primary"
                      ghost
                      onClick={() => setActing(s)}
                      data-testid={`signal-act-${s.signalNo}`}
                    >
                      {t('signals.act')}
                    </Button>
                  )}
                  <Button size="small" onClick={() => setHandling(s)} data-testid={`signal-handle-${s.signalNo}`}>
                    {t('signals.handle')}
                  </Button>
                </Flex>
              ),
          },
        ]
      : []),
  ];

  const recordColumns: TableColumnsType<SignalSourceRecord> = [
    {
      title: t('signals.record.kind'),
      key: 'kind',
      render: (_, r) => <span title={r.kindCode}>{r.kindName}</span>,
    },
    { title: t('signals.record.key'), dataIndex: 'recordKey', width: 130 },
    { title: t('signals.record.eventDate'), dataIndex: 'eventDate', width: 110 },
    {
      title: t('signals.record.data'),
      key: 'data',
      render: (_, r) => (
        <Typography.Text style={{ fontSize: 12 }}>
          <RecordFields data={r.data} fields={r.fields} separator="；" />
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
      <ListPage<Signal>
        id="signals"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={(p, signal) => collisionApi.signals({ ...p.filters, page: p.page, pageSize: p.pageSize }, signal)}
        deps={[version]}
        rowKey={(s) => s.id}
        rowTestId={(s) => `signal-row-${s.signalNo}`}
        exportName={t('signals.export.name')}
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
      />
      <ActModal signal={acting} onClose={() => setActing(null)} onDone={() => setVersion((v) => v + 1)} />
      <StatusModal
        signal={handling}
        onClose={() => setHandling(null)}
        onDone={() => {
          setHandling(null);
          setVersion((v) => v + 1);
        }}
      />
    </>
  );
}
