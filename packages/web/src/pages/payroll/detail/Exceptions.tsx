import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import type { PayrollException } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { payrollApi } from '../api';
import { useYuan } from '../tags';

/**
 * 发放前比对: the findings of the last build. The maker clears one by correcting the data and
 * rebuilding, or accepts it with a reason; submit waits until none is open.
 */
export function PayrollExceptions({
  payrollId,
  canAccept,
  reloadKey,
  onChanged,
}: {
  payrollId: string;
  canAccept: boolean;
  reloadKey: number;
  onChanged: () => void;
}) {
  const t = useT();
  const yuan = useYuan();
  const list = useRequest((signal) => payrollApi.exceptions(payrollId, signal), [payrollId, reloadKey]);
  const [accepting, setAccepting] = useState<PayrollException | null>(null);

  const describe = (x: PayrollException): string => {
    const d = x.detail;
    if (x.code === 'amount_changed' && typeof d.prevFen === 'number' && typeof d.nowFen === 'number')
      return t('payroll.exceptions.changed', { prev: yuan(d.prevFen), now: yuan(d.nowFen) });
    if (x.code === 'shared_account' && typeof d.households === 'number')
      return t('payroll.exceptions.shared', { n: d.households });
    if (x.code === 'adjustment' && Array.isArray(d.lines))
      return (d.lines as { month: string; amountFen: number }[])
        .map((l) => t('payroll.exceptions.adjustment', { month: l.month, amount: yuan(l.amountFen) }))
        .join('；');
    return '';
  };

  return (
    <Card
      title={t('payroll.section.exceptions')}
      extra={
        list.data && (
          <Typography.Text type={list.data.open ? 'danger' : 'secondary'} data-testid="payroll-exceptions-open">
            {t('payroll.exceptions.open', { n: list.data.open })}
          </Typography.Text>
        )
      }
      data-testid="payroll-exceptions"
    >
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<PayrollException>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('payroll.exceptions.none') }}
        onRow={(x) => ({ 'data-testid': `payroll-exception-${x.code}` }) as object}
        columns={[
          {
            key: 'code',
            title: t('payroll.exceptions.code'),
            render: (_, x) => (
              <Tag color={x.status === 'open' ? 'red' : 'default'}>{t(`payroll.exception.${x.code}`)}</Tag>
            ),
          },
          { key: 'householdNo', title: t('payroll.field.householdNo'), render: (_, x) => x.householdNo ?? '—' },
          { key: 'payee', title: t('payroll.field.payee'), render: (_, x) => x.payeeName ?? '—' },
          { key: 'detail', title: t('payroll.exceptions.detail'), render: (_, x) => describe(x) },
          {
            key: 'status',
            title: t('payroll.exceptions.status'),
            render: (_, x) =>
              x.status === 'accepted' ? (
                <Space direction="vertical" size={0}>
                  <span>{t('payroll.exceptions.accepted')}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {x.reason}
                  </Typography.Text>
                </Space>
              ) : canAccept ? (
                <Button size="small" onClick={() => setAccepting(x)} data-testid="payroll-exception-accept">
                  {t('payroll.exceptions.accept')}
                </Button>
              ) : (
                t('payroll.exceptions.openStatus')
              ),
          },
        ]}
      />
      {accepting && (
        <AcceptModal
          payrollId={payrollId}
          finding={accepting}
          label={t(`payroll.exception.${accepting.code}`)}
          onClose={() => setAccepting(null)}
          onDone={() => {
            setAccepting(null);
            list.reload();
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

function AcceptModal({
  payrollId,
  finding,
  label,
  onClose,
  onDone,
}: {
  payrollId: string;
  finding: PayrollException;
  label: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const notifyError = useNotifyError();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('payroll.exceptions.accept.title', { code: label, payee: finding.payeeName ?? '—' })}
      okText={t('payroll.exceptions.accept')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'payroll-exception-accept-ok' } as ButtonProps}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            await payrollApi.accept(payrollId, finding.id, v.reason.trim());
            message.success(t('payroll.exceptions.accept.done'));
            onDone();
          } catch (e) {
            notifyError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('payroll.field.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('payroll.reason.required') }]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="payroll-exception-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
