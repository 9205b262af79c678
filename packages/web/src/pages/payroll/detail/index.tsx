import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  Skeleton,
  Table,
  Timeline,
  Typography,
  type ButtonProps,
} from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { PayrollDetail } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { DetailHeader } from '../../../components/detail/DetailHeader';
import { ActionToolbar, type ToolbarAction } from '../../../components/detail/ActionToolbar';
import { formatDateTime } from '../../../lib/format';
import { payrollApi } from '../api';
import { PayrollStatusTag, useYuan } from '../tags';
import { PayrollExceptions } from './Exceptions';
import { PayrollLines } from './Lines';
import { AdjustmentForm } from './Adjustment';
import { downloadFile } from '../download';

type Action = 'rebuild' | 'submit' | 'approve' | 'return' | 'returns' | 'adjust' | 'removeAdjustment';

/** One payroll: totals, findings, the maker-checker steps, bank files, returns, and its lines. */
export default function PayrollDetailPage() {
  const t = useT();
  const yuan = useYuan();
  const navigate = useNavigate();
  const location = useLocation();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const { id = '' } = useParams();
  const detail = useRequest((signal) => payrollApi.get(id, signal), [id]);
  const [open, setOpen] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const p = detail.data?.id === id ? detail.data : undefined;

  const refresh = () => {
    detail.reload();
    setReloadKey((k) => k + 1);
  };

  /** A decision asks once more, naming the payroll (and what changes), then runs. */
  const confirmThen = (
    action: Action,
    run: () => Promise<unknown>,
    danger = false,
    extra: Record<string, string | number> = {},
  ) => {
    if (!p) return;
    modal.confirm({
      title: t(`payroll.action.${action}`),
      content: (
        <span data-testid="confirm-question">
          {t(`payroll.confirm.${action}`, {
            no: p.payrollNo,
            month: p.month,
            region: p.regionName,
            lines: p.lineCount,
            total: yuan(p.totalFen),
            ...extra,
          })}
        </span>
      ),
      okText: t(`payroll.action.${action}`),
      cancelText: t('common.cancel'),
      okButtonProps: { danger, 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
      onOk: async () => {
        setBusy(true);
        try {
          await run();
          message.success(t(`payroll.done.${action}`));
          setOpen(null);
          refresh();
        } catch (e) {
          notifyError(e);
        } finally {
          setBusy(false);
        }
      },
    });
  };

  const actions: ToolbarAction[] = [];
  if (p) {
    const may = (a: PayrollDetail['allowed'][number]) => p.allowed.includes(a);
    if (may('submit'))
      actions.push({
        key: 'submit',
        label: t('payroll.action.submit'),
        primary: true,
        disabledReason: p.openExceptions > 0 ? t('payroll.why.openExceptions', { n: p.openExceptions }) : undefined,
      });
    if (may('rebuild')) actions.push({ key: 'rebuild', label: t('payroll.action.rebuild') });
    if (may('adjust')) actions.push({ key: 'adjust', label: t('payroll.action.adjust') });
    if (may('approve')) actions.push({ key: 'approve', label: t('payroll.action.approve'), primary: true });
    if (may('returns')) actions.push({ key: 'returns', label: t('payroll.action.returns') });
    if (may('return')) actions.push({ key: 'return', label: t('payroll.action.return'), danger: true });
  }

  const form = (() => {
    if (!p || !open) return null;
    if (open === 'submit' || open === 'approve' || open === 'rebuild')
      return (
        <Flex vertical gap="small">
          <Typography.Paragraph style={{ margin: 0 }}>{t(`payroll.intro.${open}`)}</Typography.Paragraph>
          <div>
            <Button
              type="primary"
              loading={busy}
              onClick={() =>
                confirmThen(open, () =>
                  open === 'submit'
                    ? payrollApi.submit(p.id)
                    : open === 'approve'
                      ? payrollApi.approve(p.id)
                      : payrollApi.create({ month: p.month, regionCode: p.regionCode, runKind: p.runKind }),
                )
              }
              data-testid={`${open}-submit`}
            >
              {t(`payroll.action.${open}`)}
            </Button>
          </div>
        </Flex>
      );
    if (open === 'return')
      return (
        <ReasonForm
          action="return"
          busy={busy}
          onSubmit={(reason) => confirmThen('return', () => payrollApi.returnToMaker(p.id, reason), true)}
        />
      );
    if (open === 'adjust')
      return (
        <AdjustmentForm
          p={p}
          busy={busy}
          onSubmit={(v) => {
            const key = crypto.randomUUID();
            confirmThen(
              'adjust',
              () =>
                payrollApi.addAdjustment(
                  p.id,
                  { enrolmentId: v.enrolmentId, month: v.month, amountFen: v.amountFen, reason: v.reason },
                  key,
                ),
              false,
              { who: v.label, adjusted: v.month, amount: yuan(v.amountFen) },
            );
          }}
        />
      );
    return <ReturnsForm payrollId={p.id} onDone={refresh} />;
  })();

  return (
    <>
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!p && detail.loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {p && (
        <Flex vertical gap="middle" data-testid="payroll-detail" data-status={p.status}>
          <DetailHeader
            title={t('payroll.detail.title', { no: p.payrollNo, month: p.month, region: p.regionName })}
            status={<PayrollStatusTag status={p.status} />}
            facts={[
              { key: 'month', label: t('payroll.field.month'), value: p.month },
              { key: 'region', label: t('payroll.field.region'), value: p.regionName },
              { key: 'runKind', label: t('payroll.field.runKind'), value: t(`payroll.runKind.${p.runKind}`) },
              { key: 'lines', label: t('payroll.field.lineCount'), value: p.lineCount },
              { key: 'total', label: t('payroll.field.total'), value: yuan(p.totalFen) },
              {
                key: 'failed',
                label: t('payroll.field.failed'),
                value: t('payroll.failed.value', { n: p.failed.lines, amount: yuan(p.failed.amountFen) }),
              },
            ]}
            extra={
              <>
                <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="payroll-reload">
                  {t('payroll.reload')}
                </Button>
                <Button
                  icon={<ArrowLeftOutlined />}
                  onClick={() => (location.key === 'default' ? navigate('/payrolls') : navigate(-1))}
                  data-testid="payroll-back"
                >
                  {t('common.back')}
                </Button>
              </>
            }
          />
          {p.status === 'draft' && p.returnReason && (
            <Card size="small" data-testid="payroll-return-reason">
              <Typography.Text type="danger">{t('payroll.returned', { reason: p.returnReason })}</Typography.Text>
            </Card>
          )}
          <ActionToolbar
            actions={actions}
            open={open}
            onOpen={setOpen}
            form={form}
            formTitle={open ? t(`payroll.action.${open as Action}`) : undefined}
            testId="payroll-actions"
          />
          <Totals p={p} />
          {(p.status === 'approved' || p.banks.some((b) => b.files.length > 0)) && (
            <BankFiles
              p={p}
              canDownload={p.allowed.includes('bank_file')}
              onDownload={async (bank) => {
                try {
                  await downloadFile(payrollApi.bankFileUrl(p.id, bank));
                  detail.reload();
                } catch (e) {
                  notifyError(e);
                }
              }}
            />
          )}
          <PayrollExceptions
            payrollId={p.id}
            canAccept={p.allowed.includes('accept_exception')}
            reloadKey={reloadKey}
            onChanged={detail.reload}
          />
          <Card title={t('payroll.section.lines')} data-testid="payroll-lines">
            <PayrollLines
              payrollId={p.id}
              reloadKey={reloadKey}
              onRemoveAdjustment={
                p.allowed.includes('adjust')
                  ? (l) => {
                      const key = crypto.randomUUID();
                      confirmThen('removeAdjustment', () => payrollApi.removeAdjustment(p.id, l.id, key), true, {
                        who: l.payeeName ?? l.householdNo ?? '—',
                        adjusted: l.month,
                        amount: yuan(l.amountFen),
                      });
                    }
                  : undefined
              }
            />
          </Card>
          <Card title={t('payroll.section.actions')} data-testid="payroll-history">
            <Timeline
              items={p.actions.map((a, i) => ({
                key: i,
                children: (
                  <div data-testid={`payroll-action-${a.action}`}>
                    <Typography.Text strong>{t(`payroll.step.${a.action}` as 'payroll.step.built')}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {a.actor} · {formatDateTime(a.at)} ·{' '}
                      {t('payroll.step.totals', { lines: a.lineCount, total: yuan(a.totalFen) })}
                    </Typography.Text>
                    {a.reason && <div>{a.reason}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Flex>
      )}
    </>
  );
}

function Totals({ p }: { p: PayrollDetail }) {
  const t = useT();
  const yuan = useYuan();
  return (
    <Card title={t('payroll.section.totals')} data-testid="payroll-totals">
      <Flex wrap gap="large">
        <Table
          size="small"
          pagination={false}
          rowKey="kind"
          dataSource={p.byKind}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ 'data-testid': `payroll-kind-${r.kind}` }) as object}
          columns={[
            { key: 'kind', title: t('payroll.field.kind'), render: (_, r) => t(`policy.kind.${r.kind}`) },
            { key: 'lines', title: t('payroll.field.lineCount'), align: 'right', render: (_, r) => r.lines },
            { key: 'amount', title: t('payroll.field.amount'), align: 'right', render: (_, r) => yuan(r.amountFen) },
          ]}
        />
        <Table
          size="small"
          pagination={false}
          rowKey="lineType"
          dataSource={p.byLineType}
          scroll={{ x: 'max-content' }}
          columns={[
            { key: 'type', title: t('payroll.field.lineType'), render: (_, r) => t(`payroll.lineType.${r.lineType}`) },
            { key: 'lines', title: t('payroll.field.lineCount'), align: 'right', render: (_, r) => r.lines },
            { key: 'amount', title: t('payroll.field.amount'), align: 'right', render: (_, r) => yuan(r.amountFen) },
          ]}
        />
        <Descriptions
          size="small"
          column={1}
          title={t('payroll.section.funds')}
          items={(['central', 'provincial', 'city', 'county'] as const).map((f) => ({
            key: f,
            label: t(`payroll.fund.${f}`),
            children: yuan(p.byFund[`${f}Fen`]),
          }))}
        />
      </Flex>
    </Card>
  );
}

function BankFiles({
  p,
  canDownload,
  onDownload,
}: {
  p: PayrollDetail;
  canDownload: boolean;
  onDownload: (bank: string) => Promise<void>;
}) {
  const t = useT();
  const yuan = useYuan();
  return (
    <Card title={t('payroll.section.banks')} data-testid="payroll-banks">
      <Table
        size="small"
        pagination={false}
        rowKey="bankCode"
        dataSource={p.banks}
        scroll={{ x: 'max-content' }}
        onRow={(b) => ({ 'data-testid': `payroll-bank-${b.bankCode}` }) as object}
        columns={[
          { key: 'name', title: t('payroll.field.bank'), render: (_, b) => b.name },
          {
            key: 'format',
            title: t('payroll.bank.format'),
            render: (_, b) => t(`payroll.bank.format.${b.format}` as 'payroll.bank.format.csv'),
          },
          { key: 'lines', title: t('payroll.field.lineCount'), align: 'right', render: (_, b) => b.lines },
          { key: 'amount', title: t('payroll.field.amount'), align: 'right', render: (_, b) => yuan(b.amountFen) },
          {
            key: 'made',
            title: t('payroll.bank.made'),
            render: (_, b) =>
              b.files.length ? (
                <span data-testid="payroll-bank-made">
                  {t('payroll.bank.madeValue', { n: b.files.length, at: formatDateTime(b.files[0]!.madeAt) })}
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    SHA-256 {b.files[0]!.sha256.slice(0, 16)}…
                  </Typography.Text>
                </span>
              ) : (
                '—'
              ),
          },
          ...(canDownload
            ? [
                {
                  key: 'download',
                  title: '',
                  render: (_: unknown, b: PayrollDetail['banks'][number]) => (
                    <Button
                      size="small"
                      icon={<DownloadOutlined />}
                      disabled={b.lines === 0}
                      onClick={() => void onDownload(b.bankCode)}
                      data-testid={`payroll-bank-download-${b.bankCode}`}
                    >
                      {t('payroll.bank.download')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function ReasonForm({
  action,
  busy,
  onSubmit,
}: {
  action: 'return';
  busy: boolean;
  onSubmit: (reason: string) => void;
}) {
  const t = useT();
  return (
    <Form
      layout="vertical"
      onFinish={(v: { reason: string }) => onSubmit(v.reason.trim())}
      data-testid={`form-${action}`}
    >
      <Form.Item
        name="reason"
        label={t('payroll.field.reason')}
        rules={[{ required: true, whitespace: true, min: 2, message: t('payroll.reason.required') }]}
      >
        <Input.TextArea rows={3} maxLength={500} data-testid={`${action}-reason`} />
      </Form.Item>
      <Button type="primary" danger htmlType="submit" loading={busy} data-testid={`${action}-submit`}>
        {t(`payroll.action.${action}`)}
      </Button>
    </Form>
  );
}

/** The bank's return file (退票), pasted or read from a file: the named lines become failed. */
function ReturnsForm({ payrollId, onDone }: { payrollId: string; onDone: () => void }) {
  const t = useT();
  const yuan = useYuan();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<{ content: string }>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{
    failed: number;
    amountFen: number;
    rejected: { line: number; reason: string }[];
  } | null>(null);
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={async (v) => {
        setBusy(true);
        try {
          const r = await payrollApi.returns(payrollId, v.content);
          setResult(r);
          onDone();
        } catch (e) {
          notifyError(e);
        } finally {
          setBusy(false);
        }
      }}
      data-testid="form-returns"
    >
      <Typography.Paragraph type="secondary">{t('payroll.returns.hint')}</Typography.Paragraph>
      <Form.Item
        name="content"
        label={t('payroll.returns.content')}
        rules={[{ required: true, whitespace: true, message: t('form.required') }]}
      >
        <Input.TextArea rows={5} style={{ fontFamily: 'monospace' }} data-testid="returns-content" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="returns-submit">
        {t('payroll.returns.submit')}
      </Button>
      {result && (
        <div style={{ marginTop: 12 }} data-testid="returns-result">
          <Typography.Text>
            {t('payroll.returns.result', { n: result.failed, amount: yuan(result.amountFen) })}
          </Typography.Text>
          {result.rejected.map((r) => (
            <Typography.Paragraph key={r.line} type="danger" style={{ margin: 0 }}>
              {t('payroll.returns.rejected', {
                line: r.line,
                reason: t(`payroll.returns.reason.${r.reason.split(':')[0]}` as 'payroll.returns.reason.code'),
              })}
            </Typography.Paragraph>
          ))}
        </div>
      )}
    </Form>
  );
}
