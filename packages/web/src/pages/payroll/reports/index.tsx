import { useState } from 'react';
import { App, Button, Card, Flex, Form, Select, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { regionLevelOf, type LedgerFigures, type PayrollReport } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useNotifyError } from '../../../api/errors';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { formatYuan } from '../../../lib/format';
import { payrollApi } from '../api';
import { downloadFile } from '../download';
import { recentMonths } from '../tags';

type Row = PayrollReport['rows'][number];
const FUNDS = ['central', 'provincial', 'city', 'county'] as const;

/** 资金统计: what approved payrolls paid, the month and the year to date, by county, kind and fund source. */
export default function PayrollReportsPage() {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const months = recentMonths();
  const [month, setMonth] = useState(months[2]!);
  const [regionCode, setRegionCode] = useState<string | undefined>(undefined);
  const city = regionLevelOf(me.regionCode) === 'city';
  const query = { month, ...(regionCode ? { regionCode } : {}) };
  const report = useRequest((signal) => payrollApi.report(query, signal), [month, regionCode]);

  const figures = (prefix: 'month' | 'yearToDate') => {
    const label = t(`payroll.reports.${prefix}`);
    return {
      key: prefix,
      title: label,
      children: [
        {
          key: `${prefix}-n`,
          title: t('payroll.reports.personTimes'),
          align: 'right' as const,
          render: (_: unknown, r: { [k in 'month' | 'yearToDate']: LedgerFigures }) => r[prefix].personTimes,
        },
        {
          key: `${prefix}-amount`,
          title: t('payroll.reports.amountYuan'),
          align: 'right' as const,
          render: (_: unknown, r: { [k in 'month' | 'yearToDate']: LedgerFigures }) => formatYuan(r[prefix].amountFen),
        },
        ...FUNDS.map((f) => ({
          key: `${prefix}-${f}`,
          title: t(`payroll.fund.${f}`),
          align: 'right' as const,
          render: (_: unknown, r: { [k in 'month' | 'yearToDate']: LedgerFigures }) => formatYuan(r[prefix][`${f}Fen`]),
        })),
      ],
    };
  };

  const download = async (file: 'roster' | 'funds') => {
    try {
      await downloadFile(payrollApi.reportFileUrl(file, query));
    } catch (e) {
      notifyError(e);
      return;
    }
    message.success(t('payroll.reports.downloaded'));
  };

  const data = report.data;
  const rows: (Row | (Row & { total: true }))[] = data
    ? [
        ...data.rows,
        {
          countyCode: '',
          countyName: t('payroll.reports.total'),
          kind: 'dibao',
          month: data.totals.month,
          yearToDate: data.totals.yearToDate,
          total: true,
        },
      ]
    : [];

  return (
    <>
      <PageHeader title={t('payroll.reports.title')} />
      <Flex vertical gap="middle">
        <Card size="small">
          <Form layout="inline">
            <Form.Item label={t('payroll.field.month')}>
              <Select
                value={month}
                onChange={setMonth}
                options={months.map((m) => ({ value: m, label: m }))}
                style={{ width: 120 }}
                data-testid="reports-month"
              />
            </Form.Item>
            {city && (
              <Form.Item label={t('payroll.field.region')}>
                <RegionTreeSelect
                  rootCode={me.regionCode}
                  selectableLevels={['county']}
                  allowClear
                  value={regionCode}
                  onChange={(v: string | undefined) => setRegionCode(v || undefined)}
                  style={{ minWidth: 180 }}
                />
              </Form.Item>
            )}
            <Form.Item>
              <Flex wrap gap="small">
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() => void download('roster')}
                  data-testid="reports-roster"
                >
                  {t('payroll.reports.roster')}
                </Button>
                <Button icon={<DownloadOutlined />} onClick={() => void download('funds')} data-testid="reports-funds">
                  {t('payroll.reports.funds')}
                </Button>
              </Flex>
            </Form.Item>
          </Form>
        </Card>
        <ErrorAlert error={report.error} onRetry={report.reload} />
        <Card
          title={t('payroll.reports.ledger', { month, from: data?.fromMonth ?? '' })}
          extra={<Typography.Text type="secondary">{t('payroll.reports.hint')}</Typography.Text>}
          data-testid="reports-ledger"
        >
          <Table
            size="small"
            bordered
            loading={report.loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            rowKey={(r) => ('total' in r ? 'total' : `${r.countyCode}-${r.kind}`)}
            dataSource={rows}
            onRow={(r) =>
              ({ 'data-testid': 'total' in r ? 'reports-total' : `reports-row-${r.countyCode}-${r.kind}` }) as object
            }
            locale={{ emptyText: t('payroll.reports.empty') }}
            columns={[
              { key: 'county', title: t('payroll.field.region'), render: (_, r) => r.countyName },
              {
                key: 'kind',
                title: t('payroll.field.kind'),
                render: (_, r) => ('total' in r ? '' : t(`policy.kind.${r.kind}`)),
              },
              figures('month'),
              figures('yearToDate'),
            ]}
          />
        </Card>
        {data && (
          <Card
            title={t('payroll.reports.emergency')}
            extra={
              <Typography.Text type={data.unrecoveredEmergency.items.length ? 'warning' : 'secondary'}>
                {t('payroll.reports.emergency.total', {
                  n: data.unrecoveredEmergency.items.length,
                  amount: t('common.yuan', { amount: formatYuan(data.unrecoveredEmergency.totalFen) }),
                })}
              </Typography.Text>
            }
            data-testid="reports-emergency"
          >
            <Typography.Paragraph type="secondary">{t('payroll.reports.emergency.hint')}</Typography.Paragraph>
            <Table
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              rowKey="caseId"
              dataSource={data.unrecoveredEmergency.items}
              locale={{ emptyText: t('payroll.reports.emergency.none') }}
              columns={[
                { key: 'caseNo', title: t('payroll.reports.emergency.caseNo'), render: (_, e) => e.caseNo },
                {
                  key: 'applicant',
                  title: t('payroll.reports.emergency.applicant'),
                  render: (_, e) => e.applicantName,
                },
                { key: 'region', title: t('payroll.reports.emergency.region'), render: (_, e) => e.regionName },
                { key: 'paidOn', title: t('payroll.reports.emergency.paidOn'), render: (_, e) => e.paidOn },
                {
                  key: 'amount',
                  title: t('payroll.reports.amountYuan'),
                  align: 'right',
                  render: (_, e) => formatYuan(e.amountFen),
                },
              ]}
            />
          </Card>
        )}
        {data && (
          <Card
            title={t('payroll.reports.shares')}
            extra={
              data.fundShares.some((s) => s.demo) && (
                <Typography.Text type="warning">{t('payroll.reports.sharesDemo')}</Typography.Text>
              )
            }
            data-testid="reports-shares"
          >
            <Table
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              rowKey="kind"
              dataSource={data.fundShares}
              columns={[
                { key: 'kind', title: t('payroll.field.kind'), render: (_, s) => t(`policy.kind.${s.kind}`) },
                ...FUNDS.map((f) => ({
                  key: f,
                  title: t(`payroll.fund.${f}`),
                  align: 'right' as const,
                  render: (_: unknown, s: PayrollReport['fundShares'][number]) => `${s[`${f}Bp`] / 100}%`,
                })),
              ]}
            />
          </Card>
        )}
      </Flex>
    </>
  );
}
