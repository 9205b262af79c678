import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { App, Button, Form, Modal, Select, type ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  PAYROLL_MAKERS,
  PayrollStatus,
  regionLevelOf,
  type PayrollListQuery,
  type PayrollSummary,
} from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatDateTime } from '../../../lib/format';
import { payrollApi } from '../api';
import { PayrollStatusTag, recentMonths, useYuan } from '../tags';

const FILTERS = ['month', 'status', 'regionCode'] as const;

/** 资金发放: the payrolls of the user's region by month and county, with status and totals. */
export default function PayrollListPage() {
  const t = useT();
  const me = useMe();
  const navigate = useNavigate();
  const yuan = useYuan();
  const { params, update } = useListParams(FILTERS);
  const canMake = PAYROLL_MAKERS.includes(me.role);
  const city = regionLevelOf(me.regionCode) === 'city';
  const [creating, setCreating] = useState(false);

  const fields = useMemo<SearchField[]>(
    () => [
      {
        kind: 'select',
        name: 'month',
        label: t('payroll.field.month'),
        options: recentMonths().map((m) => ({ value: m, label: m })),
      },
      {
        kind: 'select',
        name: 'status',
        label: t('payroll.field.status'),
        options: PayrollStatus.options.map((s) => ({ value: s, label: t(`payroll.status.${s}`) })),
      },
      ...(city ? [{ kind: 'region' as const, name: 'regionCode', label: t('payroll.field.region') }] : []),
    ],
    [t, city],
  );

  const columns: ListColumn<PayrollSummary>[] = [
    {
      key: 'payrollNo',
      title: t('payroll.field.payrollNo'),
      render: (p) => (
        <Link to={`/payrolls/${seg(p.id)}`} data-testid="payroll-link">
          {t('payroll.no', { no: p.payrollNo })}
        </Link>
      ),
      exportValue: (p) => t('payroll.no', { no: p.payrollNo }),
    },
    { key: 'month', title: t('payroll.field.month'), render: (p) => p.month, exportValue: (p) => p.month },
    {
      key: 'region',
      title: t('payroll.field.region'),
      render: (p) => p.regionName,
      exportValue: (p) => p.regionName,
    },
    {
      key: 'runKind',
      title: t('payroll.field.runKind'),
      hideOnPhone: true,
      render: (p) => t(`payroll.runKind.${p.runKind}`),
      exportValue: (p) => t(`payroll.runKind.${p.runKind}`),
    },
    {
      key: 'status',
      title: t('payroll.field.status'),
      render: (p) => <PayrollStatusTag status={p.status} />,
      exportValue: (p) => t(`payroll.status.${p.status}`),
    },
    {
      key: 'lineCount',
      title: t('payroll.field.lineCount'),
      align: 'right',
      hideOnPhone: true,
      render: (p) => p.lineCount,
      exportValue: (p) => p.lineCount,
    },
    {
      key: 'total',
      title: t('payroll.field.total'),
      align: 'right',
      render: (p) => <span data-testid="payroll-total">{yuan(p.totalFen)}</span>,
      exportValue: (p) => yuan(p.totalFen),
    },
    {
      key: 'openExceptions',
      title: t('payroll.field.openExceptions'),
      align: 'right',
      hideOnPhone: true,
      render: (p) => p.openExceptions,
      exportValue: (p) => p.openExceptions,
    },
    {
      key: 'builtAt',
      title: t('payroll.field.builtAt'),
      hideOnPhone: true,
      defaultHidden: true,
      render: (p) => formatDateTime(p.builtAt),
      exportValue: (p) => formatDateTime(p.builtAt),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('payroll.title')}
        extra={
          canMake && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="payroll-create"
            >
              {t('payroll.create')}
            </Button>
          )
        }
      />
      <ListPage<PayrollSummary>
        id="payrolls"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={(p, signal) =>
          payrollApi.list(
            {
              ...(p.filters as Partial<PayrollListQuery>),
              status: (p.filters.status as PayrollStatus | undefined) ?? undefined,
              page: p.page,
              pageSize: p.pageSize,
            },
            signal,
          )
        }
        rowKey={(p) => p.id}
        rowTestId={(p) => `payroll-row-${p.month}-${p.runKind}`}
        exportName={t('payroll.export.name')}
        emptyText={t('payroll.empty')}
      />
      {creating && (
        <CreatePayrollModal
          regionCode={me.regionCode}
          onClose={() => setCreating(false)}
          onCreated={(id) => navigate(`/payrolls/${seg(id)}`)}
        />
      )}
    </>
  );
}

/** The maker builds (or refreshes) the draft of a month for her county. */
function CreatePayrollModal({
  regionCode,
  onClose,
  onCreated,
}: {
  regionCode: string;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<{ month: string; runKind: 'regular' | 'supplementary' }>();
  const [busy, setBusy] = useState(false);
  const months = recentMonths();
  return (
    <Modal
      open
      title={t('payroll.create')}
      okText={t('payroll.create.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'payroll-create-ok' } as ButtonProps}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ month: months[1], runKind: 'regular' }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const p = await payrollApi.create({ month: v.month, regionCode, runKind: v.runKind });
            message.success(t('payroll.create.done', { no: p.payrollNo, lines: p.lineCount }));
            onCreated(p.id);
          } catch (e) {
            notifyError(e);
          } finally {
            setBusy(false);
          }
        }}
        data-testid="payroll-create-form"
      >
        <Form.Item name="month" label={t('payroll.field.month')} rules={[{ required: true }]}>
          <Select options={months.map((m) => ({ value: m, label: m }))} data-testid="payroll-create-month" />
        </Form.Item>
        <Form.Item name="runKind" label={t('payroll.field.runKind')}>
          <Select
            options={(['regular', 'supplementary'] as const).map((k) => ({
              value: k,
              label: t(`payroll.runKind.${k}`),
            }))}
            data-testid="payroll-create-runKind"
          />
        </Form.Item>
        <p>{t('payroll.create.hint')}</p>
      </Form>
    </Modal>
  );
}
