import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { Button, Typography } from 'antd';
import {
  ASSISTANCE_KINDS,
  PayrollLineStatus,
  PayrollLineType,
  type AssistanceKind,
  type PayrollLine,
} from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useT } from '../../../i18n';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { payrollApi } from '../api';
import { useYuan } from '../tags';

const FILTERS = ['q', 'lineType', 'status', 'kind'] as const;

/** The payment lines of a payroll: searchable by payee or household number, exportable. */
export function PayrollLines({
  payrollId,
  reloadKey,
  onRemoveAdjustment,
}: {
  payrollId: string;
  reloadKey: number;
  /** On a draft, for the maker: remove an adjustment (the caller confirms). */
  onRemoveAdjustment?: (l: PayrollLine) => void;
}) {
  const t = useT();
  const yuan = useYuan();
  const { params, update } = useListParams(FILTERS, 50);

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('payroll.lines.q'), placeholder: t('payroll.lines.q.placeholder') },
      {
        kind: 'select',
        name: 'lineType',
        label: t('payroll.field.lineType'),
        options: PayrollLineType.options.map((v) => ({ value: v, label: t(`payroll.lineType.${v}`) })),
      },
      {
        kind: 'select',
        name: 'kind',
        label: t('payroll.field.kind'),
        options: ASSISTANCE_KINDS.map((k) => ({ value: k, label: t(`policy.kind.${k}`) })),
      },
      {
        kind: 'select',
        name: 'status',
        label: t('payroll.field.lineStatus'),
        options: PayrollLineStatus.options.map((v) => ({ value: v, label: t(`payroll.lineStatus.${v}`) })),
      },
    ],
    [t],
  );

  const failLabel = (code: string | null) =>
    code ? t(`payroll.returnCode.${code}` as 'payroll.returnCode.other', {}) : '';
  const columns: ListColumn<PayrollLine>[] = [
    {
      key: 'reference',
      title: t('payroll.field.reference'),
      hideOnPhone: true,
      render: (l) => <span style={{ fontFamily: 'monospace' }}>{l.reference}</span>,
      exportValue: (l) => l.reference,
    },
    {
      key: 'householdNo',
      title: t('payroll.field.householdNo'),
      render: (l) =>
        l.householdId && l.householdNo ? (
          <Link to={`/households/${seg(l.householdId)}`}>{l.householdNo}</Link>
        ) : (
          (l.householdNo ?? '—')
        ),
      exportValue: (l) => l.householdNo ?? '',
    },
    {
      key: 'payee',
      title: t('payroll.field.payee'),
      render: (l) => l.payeeName ?? '—',
      exportValue: (l) => l.payeeName ?? '',
    },
    {
      key: 'bank',
      title: t('payroll.field.bank'),
      hideOnPhone: true,
      render: (l) => (l.hasAccount ? (l.bankName ?? '—') : t('payroll.lines.noAccount')),
      exportValue: (l) => (l.hasAccount ? (l.bankName ?? '') : t('payroll.lines.noAccount')),
    },
    {
      key: 'month',
      title: t('payroll.field.month'),
      hideOnPhone: true,
      render: (l) => l.month,
      exportValue: (l) => l.month,
    },
    {
      key: 'lineType',
      title: t('payroll.field.lineType'),
      render: (l) =>
        l.reason ? (
          <>
            {t(`payroll.lineType.${l.lineType}`)}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {l.reason}
            </Typography.Text>
          </>
        ) : (
          t(`payroll.lineType.${l.lineType}`)
        ),
      exportValue: (l) =>
        l.reason ? `${t(`payroll.lineType.${l.lineType}`)}：${l.reason}` : t(`payroll.lineType.${l.lineType}`),
    },
    {
      key: 'kind',
      title: t('payroll.field.kind'),
      hideOnPhone: true,
      render: (l) => t(`policy.kind.${l.kind as AssistanceKind}`),
      exportValue: (l) => t(`policy.kind.${l.kind as AssistanceKind}`),
    },
    {
      key: 'amount',
      title: t('payroll.field.amount'),
      align: 'right',
      render: (l) => yuan(l.amountFen),
      exportValue: (l) => yuan(l.amountFen),
    },
    {
      key: 'status',
      title: t('payroll.field.lineStatus'),
      render: (l) =>
        l.status === 'failed' && l.failCode
          ? `${t(`payroll.lineStatus.${l.status}`)}（${failLabel(l.failCode)}）`
          : t(`payroll.lineStatus.${l.status}`),
      exportValue: (l) =>
        l.status === 'failed' && l.failCode
          ? `${t(`payroll.lineStatus.${l.status}`)}（${failLabel(l.failCode)}）`
          : t(`payroll.lineStatus.${l.status}`),
    },
    ...(['central', 'provincial', 'city', 'county'] as const).map((fund): ListColumn<PayrollLine> => ({
      key: `fund-${fund}`,
      title: t(`payroll.fund.${fund}`),
      align: 'right',
      defaultHidden: true,
      hideOnPhone: true,
      render: (l) => yuan(l[`${fund}Fen`]),
      exportValue: (l) => yuan(l[`${fund}Fen`]),
    })),
    ...(onRemoveAdjustment
      ? [
          {
            key: 'remove',
            title: '',
            render: (l: PayrollLine) =>
              l.lineType === 'adjustment' ? (
                <Button
                  size="small"
                  danger
                  onClick={() => onRemoveAdjustment(l)}
                  data-testid={`payroll-adjustment-remove-${l.id}`}
                >
                  {t('payroll.action.removeAdjustment')}
                </Button>
              ) : null,
          } satisfies ListColumn<PayrollLine>,
        ]
      : []),
  ];

  return (
    <ListPage<PayrollLine>
      id="payroll-lines"
      fields={fields}
      columns={columns}
      params={params}
      update={update}
      load={(p, signal) =>
        payrollApi.lines(
          payrollId,
          {
            q: p.filters.q,
            lineType: p.filters.lineType as PayrollLine['lineType'] | undefined,
            status: p.filters.status as PayrollLine['status'] | undefined,
            kind: p.filters.kind as AssistanceKind | undefined,
            page: p.page,
            pageSize: p.pageSize,
          },
          signal,
        )
      }
      deps={[payrollId, reloadKey]}
      rowKey={(l) => String(l.id)}
      rowTestId={(l) => `payroll-line-${l.reference}`}
      exportName={t('payroll.lines.export.name')}
      emptyText={t('payroll.lines.empty')}
    />
  );
}
