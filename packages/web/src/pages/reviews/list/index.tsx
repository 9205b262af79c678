import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Segmented, Space, Tag } from 'antd';
import { ReviewedKind, ReviewStatus, type ReviewListQuery, type ReviewSummary } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatYuan } from '../../../lib/format';
import { KindTag } from '../../cases/tags';
import { enrolmentsApi } from '../../enrolments/api';
import { ReviewStatusTag } from '../../enrolments/tags';

const VIEWS = ['all', 'overdue', 'upcoming'] as const;
type View = (typeof VIEWS)[number];
const FILTERS = ['view', 'region', 'kind', 'status'] as const;
const QUERY: Record<View, Partial<ReviewListQuery>> = {
  all: {},
  overdue: { overdue: 'true' },
  upcoming: { overdue: 'false' },
};

/** 定期核查: the scheduled reviews of my region, the overdue ones first to see. */
export default function ReviewListPage() {
  const t = useT();
  const { params, update } = useListParams(FILTERS);
  const f = params.filters;
  const view: View = (VIEWS as readonly string[]).includes(f.view ?? '') ? (f.view as View) : 'all';
  const [counts, setCounts] = useState<{ open: number; overdue: number } | null>(null);

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'region', name: 'region', label: t('enrolments.field.region') },
      {
        kind: 'select',
        name: 'kind',
        label: t('enrolments.field.kind'),
        options: ReviewedKind.options.map((k) => ({ value: k, label: t(`policy.kind.${k}`) })),
      },
      {
        kind: 'select',
        name: 'status',
        label: t('reviews.field.status'),
        options: ReviewStatus.options.map((s) => ({ value: s, label: t(`reviews.status.${s}`) })),
      },
    ],
    [t],
  );

  const columns: ListColumn<ReviewSummary>[] = [
    {
      key: 'name',
      title: t('enrolments.field.name'),
      render: (r) => (
        <Link to={`/reviews/${seg(r.id)}`} data-testid="review-link">
          {r.name}
        </Link>
      ),
      exportValue: (r) => r.name,
    },
    {
      key: 'kind',
      title: t('enrolments.field.kind'),
      render: (r) => <KindTag kind={r.kind} />,
      exportValue: (r) => t(`policy.kind.${r.kind}`),
    },
    {
      key: 'period',
      title: t('reviews.field.period'),
      hideOnPhone: true,
      render: (r) => r.period,
      exportValue: (r) => r.period,
    },
    {
      key: 'dueOn',
      title: t('reviews.field.dueOn'),
      render: (r) => r.dueOn,
      exportValue: (r) => r.dueOn,
    },
    {
      key: 'status',
      title: t('reviews.field.status'),
      render: (r) => <ReviewStatusTag status={r.status} overdue={r.overdue} />,
      exportValue: (r) => t(`reviews.status.${r.status}`) + (r.overdue ? `（${t('reviews.overdue')}）` : ''),
    },
    {
      key: 'amount',
      title: t('enrolments.field.amount'),
      align: 'right',
      hideOnPhone: true,
      render: (r) => t('common.yuan', { amount: formatYuan(r.monthlyAmountFen) }),
      exportValue: (r) => t('common.yuan', { amount: formatYuan(r.monthlyAmountFen) }),
    },
    {
      key: 'region',
      title: t('enrolments.field.region'),
      hideOnPhone: true,
      render: (r) => r.regionName,
      exportValue: (r) => r.regionName,
    },
    {
      key: 'decision',
      title: t('reviews.field.decision'),
      hideOnPhone: true,
      render: (r) => (r.decision ? t(`reviews.decision.${r.decision}`) : '—'),
      exportValue: (r) => (r.decision ? t(`reviews.decision.${r.decision}`) : ''),
    },
  ];

  return (
    <>
      <PageHeader title={t('reviews.title')} />
      <ListPage<ReviewSummary>
        id="reviews"
        fields={fields}
        columns={columns}
        params={params}
        update={(next) =>
          update(next.filters ? { ...next, filters: { ...next.filters, ...(f.view ? { view: f.view } : {}) } } : next)
        }
        load={async (p, signal) => {
          const { view: _view, region, ...filters } = p.filters;
          const page = await enrolmentsApi.reviews(
            {
              ...QUERY[view],
              ...(filters as Partial<ReviewListQuery>),
              ...(region ? { regionCode: region } : {}),
              page: p.page,
              pageSize: p.pageSize,
            },
            signal,
          );
          setCounts({ open: page.open, overdue: page.overdue });
          return page;
        }}
        deps={[view]}
        rowKey={(r) => r.id}
        rowTestId={(r) => `review-row-${r.name}`}
        exportName={t('reviews.export.name')}
        emptyText={t('reviews.empty')}
        toolbar={
          <Space wrap>
            <Segmented<View>
              value={view}
              onChange={(v) => update({ filters: { ...f, view: v === 'all' ? '' : v } })}
              options={VIEWS.map((v) => ({ value: v, label: t(`reviews.view.${v}`) }))}
              data-testid="reviews-view"
            />
            {counts && (
              <>
                <Tag data-testid="reviews-open">{t('reviews.count.open', { n: counts.open })}</Tag>
                <Tag color={counts.overdue ? 'red' : undefined} data-testid="reviews-overdue">
                  {t('reviews.count.overdue', { n: counts.overdue })}
                </Tag>
              </>
            )}
          </Space>
        }
      />
    </>
  );
}
