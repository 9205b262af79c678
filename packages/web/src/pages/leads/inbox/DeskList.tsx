import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { Typography } from 'antd';
import { LeadPage, LeadStatus, type LeadSummary } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { useT } from '../../../i18n';
import { LeadTags } from '../tags';

/** Record types of the built-in kinds (the source records behind a lead), by name in the search form. */
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

const FILTERS = ['q', 'regionCode', 'status', 'overdue', 'escalated', 'recordType', 'issuedFrom', 'issuedTo'] as const;

/** The city/county/township desk: the leads of the caller's region in the list pattern (filters, count, export). */
export function LeadDeskList() {
  const t = useT();
  const { params, update } = useListParams(FILTERS);

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('leads.desk.search.q'), placeholder: t('leads.desk.search.q.placeholder') },
      { kind: 'region', name: 'regionCode', label: t('leads.desk.region') },
      {
        kind: 'select',
        name: 'status',
        label: t('leads.field.status'),
        options: LeadStatus.options.map((s) => ({ value: s, label: t(`leads.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'overdue',
        label: t('leads.desk.due'),
        options: [
          { value: 'true', label: t('leads.desk.due.overdue') },
          { value: 'false', label: t('leads.desk.due.inTime') },
        ],
      },
      {
        kind: 'select',
        name: 'escalated',
        label: t('leads.desk.escalated'),
        options: [
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ],
      },
      {
        kind: 'select',
        name: 'recordType',
        label: t('leads.desk.recordType'),
        options: RECORD_TYPES.map((r) => ({ value: r, label: t(`signals.recordType.${r}`) })),
      },
      { kind: 'dateRange', names: ['issuedFrom', 'issuedTo'], label: t('leads.desk.issuedOn') },
    ],
    [t],
  );

  const statusText = (l: LeadSummary) =>
    l.status === 'closed'
      ? t('leads.status.closed') + (l.outcome ? ` · ${t(`leads.outcome.${l.outcome}`)}` : '')
      : l.overdue
        ? t('leads.due.overdue', { days: Math.max(1, -l.workingDaysLeft) })
        : t('leads.status.open');

  const columns: ListColumn<LeadSummary>[] = [
    {
      key: 'person',
      title: t('leads.field.person'),
      render: (l) => (
        <>
          <Link to={`/leads/${seg(l.id)}`} data-testid={`lead-link-${l.leadNo}`}>
            {l.personName}
          </Link>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, fontFamily: 'monospace' }}>
            {l.idMasked}
          </Typography.Text>
        </>
      ),
      exportValue: (l) => l.personName,
    },
    {
      key: 'idMasked',
      title: t('leads.field.idNumber'),
      defaultHidden: true,
      render: (l) => l.idMasked,
      exportValue: (l) => l.idMasked,
    },
    {
      key: 'region',
      title: t('leads.field.village'),
      hideOnPhone: true,
      render: (l) => l.regionName,
      exportValue: (l) => l.regionName,
    },
    {
      key: 'reason',
      title: t('leads.field.reason'),
      hideOnPhone: true,
      render: (l) => l.reason,
      exportValue: (l) => l.reason,
    },
    {
      key: 'issuedOn',
      title: t('leads.field.issuedOn'),
      hideOnPhone: true,
      render: (l) => l.issuedOn,
      exportValue: (l) => l.issuedOn,
    },
    {
      key: 'dueDate',
      title: t('leads.field.dueDate'),
      render: (l) => l.dueDate,
      exportValue: (l) => l.dueDate,
    },
    {
      key: 'attempts',
      title: t('leads.field.attempts'),
      align: 'right',
      defaultHidden: true,
      render: (l) => l.attempts,
      exportValue: (l) => l.attempts,
    },
    {
      key: 'status',
      title: t('leads.field.status'),
      render: (l) => <LeadTags lead={l} />,
      exportValue: (l) => statusText(l) + (l.escalated ? ` · ${t('leads.desk.escalated')}` : ''),
    },
  ];

  return (
    <ListPage<LeadSummary>
      id="leads"
      fields={fields}
      columns={columns}
      params={params}
      update={update}
      load={(p, signal) =>
        api.get('/api/leads', {
          query: { ...p.filters, page: p.page, pageSize: p.pageSize },
          schema: LeadPage,
          signal,
        })
      }
      rowKey={(l) => l.id}
      rowTestId={(l) => `lead-row-${l.leadNo}`}
      exportName={t('leads.desk.export.name')}
    />
  );
}
