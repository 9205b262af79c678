import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Space, Tag, Typography } from 'antd';
import {
  addMonths,
  ASSISTANCE_KINDS,
  chinaToday,
  EnrolmentStatus,
  type AssistanceKind,
  type EnrolmentListQuery,
  type EnrolmentSummary,
} from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatYuan } from '../../../lib/format';
import { KindTag } from '../../cases/tags';
import { enrolmentsApi } from '../api';
import { EnrolmentStatusTag } from '../tags';

const FILTERS = ['q', 'region', 'kind', 'status', 'due'] as const;
/** Review due: already due (today), within one month, within three months. */
const DUE = ['now', 'month', 'quarter'] as const;
type Due = (typeof DUE)[number];

function dueBy(due: string | undefined): string | undefined {
  const today = chinaToday();
  if (due === 'now') return today;
  const months = due === 'month' ? 1 : due === 'quarter' ? 3 : 0;
  if (!months) return undefined;
  return `${addMonths(today.slice(0, 7), months)}-${today.slice(8, 10) > '28' ? '28' : today.slice(8, 10)}`;
}

/** 在册对象: the enrolments of my region, with counts per kind; searchable and exportable. */
export default function EnrolmentListPage() {
  const t = useT();
  const { params, update } = useListParams(FILTERS);
  const [counts, setCounts] = useState<Record<string, number>>({});

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('enrolments.search.q'), placeholder: t('enrolments.search.q.placeholder') },
      { kind: 'region', name: 'region', label: t('enrolments.field.region') },
      {
        kind: 'select',
        name: 'kind',
        label: t('enrolments.field.kind'),
        options: ASSISTANCE_KINDS.map((k) => ({ value: k, label: t(`policy.kind.${k}`) })),
      },
      {
        kind: 'select',
        name: 'status',
        label: t('enrolments.field.status'),
        options: EnrolmentStatus.options.map((s) => ({ value: s, label: t(`enrolments.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'due',
        label: t('enrolments.field.reviewDue'),
        options: DUE.map((d: Due) => ({ value: d, label: t(`enrolments.due.${d}`) })),
      },
    ],
    [t],
  );

  const columns: ListColumn<EnrolmentSummary>[] = [
    {
      key: 'name',
      title: t('enrolments.field.name'),
      render: (e) => (
        <Link to={`/enrolments/${seg(e.id)}`} data-testid="enrolment-link">
          {e.name}
        </Link>
      ),
      exportValue: (e) => e.name,
    },
    {
      key: 'householdNo',
      title: t('enrolments.field.householdNo'),
      hideOnPhone: true,
      render: (e) => e.householdNo ?? '—',
      exportValue: (e) => e.householdNo ?? '',
    },
    {
      key: 'kind',
      title: t('enrolments.field.kind'),
      render: (e) => <KindTag kind={e.kind} />,
      exportValue: (e) => t(`policy.kind.${e.kind}`),
    },
    {
      key: 'status',
      title: t('enrolments.field.status'),
      render: (e) => <EnrolmentStatusTag status={e.status} />,
      exportValue: (e) => t(`enrolments.status.${e.status}`),
    },
    {
      key: 'members',
      title: t('enrolments.field.members'),
      align: 'right',
      hideOnPhone: true,
      render: (e) => e.members,
      exportValue: (e) => e.members,
    },
    {
      key: 'amount',
      title: t('enrolments.field.amount'),
      align: 'right',
      render: (e) => t('common.yuan', { amount: formatYuan(e.monthlyAmountFen) }),
      exportValue: (e) => t('common.yuan', { amount: formatYuan(e.monthlyAmountFen) }),
    },
    {
      key: 'region',
      title: t('enrolments.field.region'),
      hideOnPhone: true,
      render: (e) => e.regionName,
      exportValue: (e) => e.regionName,
    },
    {
      key: 'fromMonth',
      title: t('enrolments.field.fromMonth'),
      hideOnPhone: true,
      render: (e) => e.fromMonth,
      exportValue: (e) => e.fromMonth,
    },
    {
      key: 'endsMonth',
      title: t('enrolments.field.endsMonth'),
      hideOnPhone: true,
      defaultHidden: true,
      render: (e) => e.endsMonth ?? '—',
      exportValue: (e) => e.endsMonth ?? '',
    },
    {
      key: 'reviewDueOn',
      title: t('enrolments.field.reviewDueOn'),
      hideOnPhone: true,
      render: (e) => e.reviewDueOn ?? '—',
      exportValue: (e) => e.reviewDueOn ?? '',
    },
  ];

  return (
    <>
      <PageHeader title={t('enrolments.title')} />
      <ListPage<EnrolmentSummary>
        id="enrolments"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={async (p, signal) => {
          const { region, due, ...filters } = p.filters;
          const query: Partial<EnrolmentListQuery> = {
            ...(filters as Partial<EnrolmentListQuery>),
            ...(region ? { regionCode: region } : {}),
            ...(due ? { reviewDueBy: dueBy(due) } : {}),
            page: p.page,
            pageSize: p.pageSize,
          };
          const page = await enrolmentsApi.list(query, signal);
          setCounts(page.counts);
          return page;
        }}
        rowKey={(e) => e.id}
        rowTestId={(e) => `enrolment-row-${e.name}`}
        exportName={t('enrolments.export.name')}
        emptyText={t('enrolments.empty')}
        toolbar={
          <Space size={[4, 4]} wrap data-testid="enrolments-counts">
            <Typography.Text type="secondary">{t('enrolments.counts')}</Typography.Text>
            {ASSISTANCE_KINDS.filter((k: AssistanceKind) => counts[k]).map((k) => (
              <Tag key={k} data-testid={`enrolments-count-${k}`}>
                {t('enrolments.count', { kind: t(`policy.kind.${k}`), n: counts[k] ?? 0 })}
              </Tag>
            ))}
          </Space>
        }
      />
    </>
  );
}
