import { Link } from 'react-router-dom';
import { Card, Flex, Table, Tag, Typography } from 'antd';
import { PAYMENT_HISTORY_READERS, PAYROLL_READERS, type HouseholdPayments } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { payrollApi } from '../../payroll/api';
import { useYuan } from '../../payroll/tags';

type Item = HouseholdPayments['items'][number];

/** 发放记录: every payment line of the household, newest first, and what was paid per year. */
export function PaymentsSection({ householdId }: { householdId: string }) {
  const role = useMe().role;
  return PAYMENT_HISTORY_READERS.includes(role) ? <PaymentsCard householdId={householdId} /> : null;
}

function PaymentsCard({ householdId }: { householdId: string }) {
  const t = useT();
  const yuan = useYuan();
  const role = useMe().role;
  const payments = useRequest((signal) => payrollApi.householdPayments(householdId, signal), [householdId]);
  const canOpenPayroll = PAYROLL_READERS.includes(role);
  return (
    <Card title={t('households.section.payments')} data-testid="household-payments">
      <ErrorAlert error={payments.error} onRetry={payments.reload} />
      {payments.data && payments.data.paidByYear.length > 0 && (
        <Flex wrap gap="small" style={{ marginBottom: 12 }}>
          {payments.data.paidByYear.map((y) => (
            <Tag key={y.year} color="green" data-testid={`household-paid-${y.year}`}>
              {t('households.payments.year', { year: y.year, amount: yuan(y.amountFen), n: y.lines })}
            </Tag>
          ))}
        </Flex>
      )}
      <Table<Item>
        size="small"
        loading={payments.loading}
        rowKey={(r) => `${r.payrollId}-${r.month}-${r.lineType}-${r.kind}`}
        dataSource={payments.data?.items ?? []}
        pagination={{ pageSize: 12, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('households.payments.none') }}
        onRow={(r) => ({ 'data-testid': `household-payment-${r.month}-${r.lineType}` }) as object}
        columns={[
          { key: 'month', title: t('payroll.field.month'), render: (_, r) => r.month },
          { key: 'kind', title: t('payroll.field.kind'), render: (_, r) => t(`policy.kind.${r.kind}`) },
          { key: 'type', title: t('payroll.field.lineType'), render: (_, r) => t(`payroll.lineType.${r.lineType}`) },
          { key: 'amount', title: t('payroll.field.amount'), align: 'right', render: (_, r) => yuan(r.amountFen) },
          {
            key: 'status',
            title: t('payroll.field.lineStatus'),
            render: (_, r) =>
              r.status === 'failed' && r.failCode
                ? `${t('payroll.lineStatus.failed')}（${t(`payroll.returnCode.${r.failCode}` as 'payroll.returnCode.other')}）`
                : t(`payroll.lineStatus.${r.status}`),
          },
          {
            key: 'payroll',
            title: t('payroll.field.payrollNo'),
            render: (_, r) => {
              const label = (
                <>
                  {t('payroll.no', { no: r.payrollNo })}{' '}
                  <Typography.Text type="secondary">{t(`payroll.status.${r.payrollStatus}`)}</Typography.Text>
                </>
              );
              return canOpenPayroll ? <Link to={`/payrolls/${seg(r.payrollId)}`}>{label}</Link> : label;
            },
          },
        ]}
      />
    </Card>
  );
}
