import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { Tag, Typography } from 'antd';
import type { CitizenClaimReportQuery, CitizenClaimReportRow } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatDateTime } from '../../../lib/format';
import { insuranceApi } from '../api';

const FILTERS = ['q', 'matched'] as const;

/**
 * 群众报案: the reports families sent from the phone. A matched one links to its claim; one that
 * matched no insured person is followed up by phone (the reporter was told nothing either way).
 */
export default function ClaimReportListPage() {
  const t = useT();
  const { params, update } = useListParams(FILTERS);
  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('insurance.reports.search.q') },
      {
        kind: 'select',
        name: 'matched',
        label: t('insurance.reports.field.matched'),
        options: [
          { value: 'true', label: t('insurance.reports.matched.true') },
          { value: 'false', label: t('insurance.reports.matched.false') },
        ],
      },
    ],
    [t],
  );
  const columns: ListColumn<CitizenClaimReportRow>[] = [
    {
      key: 'reportNo',
      title: t('insurance.reports.field.reportNo'),
      render: (r) => r.reportNo,
      exportValue: (r) => r.reportNo,
    },
    {
      key: 'reportedAt',
      title: t('insurance.reports.field.reportedAt'),
      hideOnPhone: true,
      render: (r) => formatDateTime(r.reportedAt),
      exportValue: (r) => formatDateTime(r.reportedAt),
    },
    {
      key: 'insured',
      title: t('insurance.field.insured'),
      render: (r) => (
        <div>
          <Typography.Text strong>{r.insuredName}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
              {r.insuredIdMasked}
            </Typography.Text>
          </div>
        </div>
      ),
      exportValue: (r) => `${r.insuredName} ${r.insuredIdMasked}`,
    },
    {
      key: 'event',
      title: t('insurance.reports.field.event'),
      render: (r) => `${r.eventDate} ${t(`insurance.reports.event.${r.eventKind}`)}`,
      exportValue: (r) => `${r.eventDate} ${t(`insurance.reports.event.${r.eventKind}`)}`,
    },
    {
      key: 'reporter',
      title: t('insurance.reports.field.reporter'),
      hideOnPhone: true,
      render: (r) => `${r.reporterName}（${t(`insurance.reports.relation.${r.relation}`)}） ${r.reporterPhoneMasked}`,
      exportValue: (r) => `${r.reporterName} ${t(`insurance.reports.relation.${r.relation}`)} ${r.reporterPhoneMasked}`,
    },
    {
      key: 'description',
      title: t('insurance.reports.field.description'),
      hideOnPhone: true,
      render: (r) => r.description,
      exportValue: (r) => r.description,
    },
    {
      key: 'claim',
      title: t('insurance.reports.field.claim'),
      render: (r) =>
        r.claimId ? (
          <Link to={`/insurance/claims/${seg(r.claimId)}`} data-testid="report-claim-link">
            {r.claimNo}
          </Link>
        ) : (
          <Tag color="orange" data-testid="report-unmatched">
            {t('insurance.reports.matched.false')}
          </Tag>
        ),
      exportValue: (r) => r.claimNo ?? t('insurance.reports.matched.false'),
    },
  ];
  return (
    <>
      <PageHeader title={t('insurance.reports.title')} />
      <ListPage<CitizenClaimReportRow>
        id="claim-reports"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={(p, signal) => {
          const query: Partial<CitizenClaimReportQuery> = {
            q: p.filters.q,
            matched: p.filters.matched === 'true' || p.filters.matched === 'false' ? p.filters.matched : undefined,
            page: p.page,
            pageSize: p.pageSize,
          };
          return insuranceApi.claimReports(query, signal);
        }}
        rowKey={(r) => r.id}
        rowTestId={(r) => `report-row-${r.reportNo}`}
        exportName={t('insurance.reports.export')}
        emptyText={t('insurance.reports.empty')}
      />
    </>
  );
}
