import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Segmented, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  ASSISTANCE_KINDS,
  CASE_COUNTY,
  CASE_STATUSES,
  CASE_TOWNSHIP,
  regionLevelOf,
  type AssistanceKind,
  type CaseListQuery,
  type CaseStatus,
  type CaseSummary,
} from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useCanOpen } from '../../../app/useCanOpen';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatDate } from '../../../lib/format';
import { casesApi } from '../api';
import { CaseFlags, CaseStatusTag, KindTag, StepDue } from '../tags';

const VIEWS = ['inbox', 'all', 'overdue'] as const;
type View = (typeof VIEWS)[number];
const FILTERS = [
  'view',
  'q',
  'status',
  'kind',
  'region',
  'from',
  'to',
  'open',
  'overdue',
  'channel',
  'unaccepted',
] as const;
/** Filters outside the search form (the links of 逾期统计): kept by a search, shown as closable tags. */
const LINKED = ['view', 'open', 'overdue', 'channel', 'unaccepted'] as const;
const OVERDUE = ['true', 'step', 'overall'] as const;

const QUERY: Record<View, { inbox?: 'true'; overdue?: 'true' }> = {
  inbox: { inbox: 'true' },
  all: {},
  overdue: { overdue: 'true' },
};

/** The application list: my inbox, all cases of my region, overdue ones; searchable and exportable. */
export default function CaseInboxPage() {
  const t = useT();
  const navigate = useNavigate();
  const canCreate = useCanOpen('cases-new');
  const me = useMe();
  // Only township and county staff act on steps; the others (grid workers, the city, auditors) start with all cases.
  const defaultView: View = [...CASE_TOWNSHIP, ...CASE_COUNTY].includes(me.role) ? 'inbox' : 'all';
  const { params, update } = useListParams(FILTERS);
  const f = params.filters;
  const view: View = (VIEWS as readonly string[]).includes(f.view ?? '') ? (f.view as View) : defaultView;
  // Managers above a township pick the township (or village) to look at.
  const level = regionLevelOf(me.regionCode);
  const manager = level === 'city' || level === 'county';

  const linked = Object.fromEntries(LINKED.flatMap((k) => (f[k] ? [[k, f[k]]] : [])));
  const overdueFilter = (OVERDUE as readonly string[]).includes(f.overdue ?? '') ? f.overdue : undefined;
  const dropLinked = (...keys: ('open' | 'overdue' | 'channel' | 'unaccepted')[]) => {
    update({ filters: Object.fromEntries(Object.entries(f).filter(([k]) => !(keys as string[]).includes(k))) });
  };
  // The workbench's 新的群众申请: citizen applications the township has not accepted yet.
  const citizenNew = f.channel === 'citizen' && f.unaccepted === 'true';

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('cases.search.q'), placeholder: t('cases.search.q.placeholder') },
      {
        kind: 'select',
        name: 'status',
        label: t('cases.field.status'),
        options: CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'kind',
        label: t('cases.field.kinds'),
        options: ASSISTANCE_KINDS.map((k) => ({ value: k, label: t(`policy.kind.${k}`) })),
      },
      ...(manager ? [{ kind: 'region' as const, name: 'region', label: t('cases.field.township') }] : []),
      { kind: 'dateRange', names: ['from', 'to'], label: t('cases.field.createdOn') },
    ],
    [t, manager],
  );

  const columns: ListColumn<CaseSummary>[] = [
    {
      key: 'caseNo',
      title: t('cases.field.caseNo'),
      sortKey: 'caseNo',
      render: (c) => (
        <Link to={`/cases/${seg(c.id)}`} data-testid="case-link">
          {c.caseNo}
        </Link>
      ),
      exportValue: (c) => c.caseNo,
    },
    {
      key: 'applicant',
      title: t('cases.field.applicant'),
      sortKey: 'applicantName',
      render: (c) => (
        <div>
          <Typography.Text strong>{c.applicantName}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
              {c.idMasked}
            </Typography.Text>
          </div>
        </div>
      ),
      exportValue: (c) => c.applicantName,
    },
    {
      key: 'idMasked',
      title: t('cases.field.idNumber'),
      render: (c) => c.idMasked,
      exportValue: (c) => c.idMasked,
      defaultHidden: true,
    },
    {
      key: 'members',
      title: t('cases.field.members'),
      align: 'right',
      hideOnPhone: true,
      render: (c) => c.members,
      exportValue: (c) => c.members,
    },
    {
      key: 'kinds',
      title: t('cases.field.kinds'),
      render: (c) =>
        c.kinds.length ? (
          <Space size={[0, 4]} wrap>
            {c.kinds.map((k) => (
              <KindTag key={k} kind={k} />
            ))}
          </Space>
        ) : (
          '—'
        ),
      exportValue: (c) => c.kinds.map((k: AssistanceKind) => t(`policy.kind.${k}`)).join('、'),
    },
    {
      key: 'township',
      title: t('cases.field.township'),
      sortKey: 'region',
      hideOnPhone: true,
      render: (c) => c.townshipName,
      exportValue: (c) => c.townshipName,
    },
    {
      key: 'village',
      title: t('cases.field.village'),
      hideOnPhone: true,
      render: (c) => c.regionName,
      exportValue: (c) => c.regionName,
    },
    {
      key: 'createdAt',
      title: t('cases.field.createdOn'),
      sortKey: 'createdAt',
      hideOnPhone: true,
      render: (c) => formatDate(c.createdAt),
      exportValue: (c) => formatDate(c.createdAt),
    },
    {
      key: 'status',
      title: t('cases.field.status'),
      render: (c) => <CaseStatusTag status={c.status} />,
      exportValue: (c) => t(`cases.status.${c.status}`),
    },
    {
      key: 'due',
      title: t('cases.field.stepDue'),
      sortKey: 'stepDue',
      hideOnPhone: true,
      render: (c) => (c.status === 'enrolled' || c.status === 'rejected' ? '—' : <StepDue clock={c.step} />),
      exportValue: (c) => (c.status === 'enrolled' || c.status === 'rejected' ? '' : (c.step.dueOn ?? '')),
    },
    {
      key: 'flags',
      title: t('cases.field.flags'),
      hideOnPhone: true,
      render: (c) => <CaseFlags c={c} />,
      exportValue: (c) =>
        [c.emergency ? t('cases.tag.emergency') : '', c.staffRelative ? t('cases.tag.staffRelative') : '']
          .filter(Boolean)
          .join('、'),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('cases.title')}
        extra={
          canCreate && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/cases/new')}
              data-testid="case-create"
            >
              {t('cases.new.title')}
            </Button>
          )
        }
      />
      <ListPage<CaseSummary>
        id="cases"
        fields={fields}
        columns={columns}
        params={params}
        update={(next) =>
          // The view and the linked filters are not search-form fields: keep them when the form searches.
          update(next.filters ? { ...next, filters: { ...next.filters, ...linked } } : next)
        }
        load={(p, signal) => {
          const { view: _view, open, overdue: _overdue, channel, unaccepted, ...filters } = p.filters;
          const query: Partial<CaseListQuery> = {
            ...QUERY[view],
            ...(filters as Partial<CaseListQuery>),
            ...(open === 'true' ? { open: 'true' as const } : {}),
            ...(channel === 'citizen' ? { channel: 'citizen' as const } : {}),
            ...(unaccepted === 'true' ? { unaccepted: 'true' as const } : {}),
            ...(overdueFilter ? { overdue: overdueFilter as CaseListQuery['overdue'] } : {}),
            status: (filters.status as CaseStatus | undefined) ?? undefined,
            sort: p.sort as CaseListQuery['sort'],
            order: p.order,
            page: p.page,
            pageSize: p.pageSize,
          };
          return casesApi.list(query, signal);
        }}
        deps={[view]}
        rowKey={(c) => c.id}
        rowTestId={(c) => `case-row-${c.caseNo}`}
        exportName={t('cases.export.name')}
        emptyText={t(view === 'inbox' ? 'cases.empty.inbox' : 'cases.empty')}
        toolbar={
          <Space wrap>
            <Segmented<View>
              value={view}
              onChange={(v) => update({ filters: { ...f, view: v === defaultView ? '' : v } })}
              options={VIEWS.map((v) => ({ value: v, label: t(`cases.view.${v}`) }))}
              data-testid="cases-view"
            />
            {f.open === 'true' && (
              <Tag closable color="blue" onClose={() => dropLinked('open')} data-testid="cases-filter-open">
                {t('cases.filter.open')}
              </Tag>
            )}
            {citizenNew && (
              <Tag
                closable
                color="gold"
                onClose={() => dropLinked('channel', 'unaccepted')}
                data-testid="cases-filter-citizen-new"
              >
                {t('cases.filter.citizenNew')}
              </Tag>
            )}
            {overdueFilter && (
              <Tag closable color="red" onClose={() => dropLinked('overdue')} data-testid="cases-filter-overdue">
                {t(`cases.filter.overdue.${overdueFilter as (typeof OVERDUE)[number]}`)}
              </Tag>
            )}
          </Space>
        }
      />
    </>
  );
}
