import { Link } from 'react-router-dom';
import { Alert, Descriptions, Flex, Table, Tag, Typography } from 'antd';
import type { Determination, VerificationLine, VerificationReport } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useCanOpen } from '../../../app/useCanOpen';
import { useT } from '../../../i18n';
import { formatDateTime, formatYuan } from '../../../lib/format';
import { CalcLines, isMessageKey } from '../calc';
import { KindTag } from '../tags';

/** The verification report (经济状况核对报告): each line linked to the department batch it came from. */
export function VerificationView({ report }: { report: VerificationReport }) {
  const t = useT();
  const canOpenBatch = useCanOpen('exchange-batch');
  const typeLabel = (type: string) => {
    const key = `cases.lineType.${type}`;
    return isMessageKey(key) ? t(key) : type;
  };
  return (
    <Flex vertical gap={12} data-testid="verification-report">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'period', label: t('cases.verification.period'), children: `${report.from} ~ ${report.to}` },
          {
            key: 'generated',
            label: t('cases.verification.generatedAt'),
            children: formatDateTime(report.generatedAt),
          },
          { key: 'members', label: t('cases.field.members'), children: report.members },
          {
            key: 'income',
            label: t('cases.verification.monthlyIncome'),
            children: t('common.yuan', { amount: formatYuan(report.monthlyIncomeFen) }),
          },
          {
            key: 'perCapita',
            label: t('cases.verification.perCapita'),
            children: (
              <span data-testid="verification-per-capita">
                {t('common.yuan', { amount: formatYuan(report.perCapitaIncomeFen) })}
              </span>
            ),
          },
          {
            key: 'medical',
            label: t('cases.verification.medical'),
            children: t('common.yuan', { amount: formatYuan(report.medicalCostsFen) }),
          },
        ]}
      />
      <Table<VerificationLine & { n: number }>
        rowKey="n"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={report.lines.map((l, n) => ({ ...l, n }))}
        locale={{ emptyText: t('cases.verification.noLines') }}
        data-testid="verification-lines"
        columns={[
          {
            key: 'member',
            title: t('cases.verification.member'),
            render: (_, l) => (
              <span>
                {l.memberName}{' '}
                <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                  {l.idMasked}
                </Typography.Text>
              </span>
            ),
          },
          {
            key: 'category',
            title: t('cases.verification.category'),
            render: (_, l) => <Tag>{t(`cases.category.${l.category}`)}</Tag>,
          },
          { key: 'type', title: t('cases.verification.type'), render: (_, l) => typeLabel(l.type) },
          {
            key: 'amount',
            title: t('cases.verification.amount'),
            align: 'right',
            render: (_, l) => (l.amountFen === null ? '—' : formatYuan(l.amountFen)),
          },
          { key: 'date', title: t('cases.verification.date'), dataIndex: 'eventDate' },
          {
            key: 'source',
            title: t('cases.verification.source'),
            render: (_, l) =>
              canOpenBatch ? (
                <Link to={`/exchange/batches/${seg(l.batchId)}`} data-testid="verification-source-link">
                  {l.kindName}
                </Link>
              ) : (
                l.kindName
              ),
          },
        ]}
      />
      <Flex align="center" gap={8}>
        <Typography.Text strong>{t('cases.verification.assets')}</Typography.Text>
        <Tag color={report.assets.passed ? 'green' : 'red'} data-testid="verification-assets-result">
          {t(report.assets.passed ? 'cases.calc.passed' : 'cases.calc.failed')}
        </Tag>
      </Flex>
      <CalcLines lines={report.assets.lines} testId="verification-asset-line" />
      {report.note && (
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
          {report.note}
        </Typography.Paragraph>
      )}
    </Flex>
  );
}

/** A proposal or a decision: the kinds and amounts, who approves, and the step-by-step calculation. */
export function DeterminationView({
  d,
  testId,
  overrideReason,
}: {
  d: Determination;
  testId: string;
  overrideReason?: string;
}) {
  const t = useT();
  const monthly = d.kinds.reduce((s, k) => s + k.monthlyAmountFen, 0);
  return (
    <Flex vertical gap={12} data-testid={testId}>
      {overrideReason !== undefined && (
        <Alert
          type="warning"
          showIcon
          title={t('cases.determination.overridden')}
          description={overrideReason}
          data-testid="determination-override"
        />
      )}
      {d.kinds.length === 0 ? (
        <Alert type="info" showIcon title={t('cases.determination.noKinds')} data-testid={`${testId}-none`} />
      ) : (
        <Table
          rowKey="kind"
          size="small"
          pagination={false}
          dataSource={d.kinds}
          data-testid={`${testId}-kinds`}
          columns={[
            { key: 'kind', title: t('cases.determination.kind'), render: (_, k) => <KindTag kind={k.kind} /> },
            {
              key: 'monthly',
              title: t('cases.determination.monthly'),
              align: 'right',
              render: (_, k) => formatYuan(k.monthlyAmountFen),
            },
            {
              key: 'oneOff',
              title: t('cases.determination.oneOff'),
              align: 'right',
              render: (_, k) => formatYuan(k.oneOffAmountFen),
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('cases.determination.totalMonthly')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Typography.Text strong data-testid={`${testId}-monthly`}>
                  {formatYuan(monthly)}
                </Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
            </Table.Summary.Row>
          )}
        />
      )}
      <Typography.Text>
        {t('cases.field.approvalLevel')}: {t(`policy.approval.${d.approvalLevel}`)}
      </Typography.Text>
      <CalcLines lines={d.lines} testId={`${testId}-line`} />
    </Flex>
  );
}
