import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Skeleton,
  Timeline,
  Typography,
  type ButtonProps,
} from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { chinaToday, EndReason, ReviewDecision, type ReviewAction, type ReviewDetail } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { fenToYuan, formatDateTime, formatYuan, yuanToFen } from '../../../lib/format';
import { DetailHeader } from '../../../components/detail/DetailHeader';
import { ActionToolbar } from '../../../components/detail/ActionToolbar';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { KindTag } from '../../cases/tags';
import { enrolmentsApi } from '../../enrolments/api';
import { EnrolmentStatusTag, ReviewStatusTag } from '../../enrolments/tags';

const STEPS: readonly ReviewAction[] = ['survey', 'verify', 'determine', 'decide'];
const YUAN = /^\d{1,7}(\.\d{1,2})?$/;

/** A scheduled review: the enrolment under review, the steps so far and the next step's form. */
export default function ReviewDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const { id = '' } = useParams();
  const detail = useRequest((signal) => enrolmentsApi.review(id, signal), [id]);
  const [acted, setActed] = useState<ReviewDetail | null>(null);
  const fetched = detail.data?.id === id ? detail.data : undefined;
  const r = acted && acted.id === id && (!fetched || acted.actions.length >= fetched.actions.length) ? acted : fetched;
  const [open, setOpen] = useState<string | null>(null);
  const next = r?.allowedActions[0] ?? null;
  const current = open ?? next;
  const yuan = (fen: number | null | undefined) => t('common.yuan', { amount: formatYuan(fen ?? 0) });
  const proposed = r?.determination?.kinds.find((k) => k.kind === r.kind);

  return (
    <>
      <ErrorAlert error={detail.error} onRetry={detail.reload} />
      {!r && detail.loading && <Skeleton active paragraph={{ rows: 8 }} />}
      {r && (
        <Flex vertical gap="middle">
          <DetailHeader
            testId="review-header"
            title={r.name}
            status={
              <>
                <KindTag kind={r.kind} />
                <ReviewStatusTag status={r.status} overdue={r.overdue} />
              </>
            }
            facts={[
              { key: 'period', label: t('reviews.field.period'), value: r.period },
              { key: 'dueOn', label: t('reviews.field.dueOn'), value: r.dueOn },
              { key: 'amount', label: t('enrolments.field.amount'), value: yuan(r.monthlyAmountFen) },
              { key: 'members', label: t('enrolments.field.members'), value: r.members },
              { key: 'region', label: t('enrolments.field.region'), value: r.regionName },
              {
                key: 'enrolment',
                label: t('reviews.field.enrolment'),
                value: (
                  <Link to={`/enrolments/${seg(r.enrolmentId)}`} data-testid="review-enrolment">
                    <EnrolmentStatusTag status={r.enrolmentStatus} />
                  </Link>
                ),
              },
              { key: 'level', label: t('reviews.field.level'), value: t(`enrolments.level.${r.approvalLevel}`) },
            ]}
            extra={
              <>
                <Button icon={<ReloadOutlined />} onClick={detail.reload} data-testid="review-reload">
                  {t('enrolments.reload')}
                </Button>
                <Button
                  icon={<ArrowLeftOutlined />}
                  onClick={() => (location.key === 'default' ? navigate('/reviews') : navigate(-1))}
                  data-testid="review-back"
                >
                  {t('common.back')}
                </Button>
              </>
            }
          />
          {r.status !== 'decided' && r.allowedActions.length === 0 && (
            <Typography.Text type="secondary" data-testid="review-waiting">
              {r.status === 'determined'
                ? t('reviews.waiting.level', { level: t(`enrolments.level.${r.approvalLevel}`) })
                : t('reviews.waiting')}
            </Typography.Text>
          )}
          <ActionToolbar
            testId="review-actions"
            actions={STEPS.filter((s) => r.allowedActions.includes(s)).map((s) => ({
              key: s,
              label: t(`reviews.action.${s}`),
              primary: s === next,
            }))}
            open={current}
            onOpen={setOpen}
            formTitle={current ? t(`reviews.action.${current as ReviewAction}`) : undefined}
            form={
              current && (
                <StepForm
                  key={current}
                  review={r}
                  action={current as ReviewAction}
                  proposedFen={proposed?.monthlyAmountFen}
                  onActed={(d) => {
                    setActed(d);
                    setOpen(null);
                  }}
                />
              )
            }
          />
          {(r.survey || r.determination || r.decision) && (
            <Card title={t('reviews.section.findings')} size="small" data-testid="review-findings">
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  ...(r.survey
                    ? [
                        { key: 'visitedOn', label: t('reviews.survey.visitedOn'), children: r.survey.visitedOn },
                        { key: 'visitors', label: t('reviews.survey.visitors'), children: r.survey.visitors },
                        { key: 'findings', label: t('reviews.survey.findings'), children: r.survey.findings },
                        {
                          key: 'otherIncome',
                          label: t('reviews.survey.otherIncome'),
                          children: yuan(r.survey.otherIncomeFen),
                        },
                      ]
                    : []),
                  ...(r.report
                    ? [
                        {
                          key: 'income',
                          label: t('reviews.report.income'),
                          children: yuan(r.report.monthlyIncomeFen),
                        },
                      ]
                    : []),
                  ...(r.determination
                    ? [
                        {
                          key: 'proposed',
                          label: t('reviews.determination.amount'),
                          children: (
                            <span data-testid="review-proposed">
                              {proposed ? yuan(proposed.monthlyAmountFen) : t('reviews.determination.none')}
                            </span>
                          ),
                        },
                      ]
                    : []),
                  ...(r.decision
                    ? [
                        {
                          key: 'decision',
                          label: t('reviews.field.decision'),
                          children: (
                            <span data-testid="review-decision">
                              {t(`reviews.decision.${r.decision}`)} {r.decidedOn ?? ''}
                            </span>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
          )}
          <Card title={t('reviews.section.steps')} size="small" data-testid="review-steps">
            <Timeline
              items={r.actions.map((a) => ({
                key: a.seq,
                children: (
                  <div>
                    <Typography.Text strong>{t(`reviews.step.${a.type}`)}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {a.actor} · {formatDateTime(a.at)}
                      </Typography.Text>
                    </div>
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

type FormValues = {
  visitedOn?: Dayjs;
  visitors?: string;
  findings?: string;
  otherIncome?: string;
  medicalCosts?: string;
  unmetAdl?: number;
  note?: string;
  decision?: ReviewDecision;
  amount?: string;
  reason?: EndReason;
};

/** The form of one review step; the decision asks once more in a dialog naming the person. */
function StepForm({
  review,
  action,
  proposedFen,
  onActed,
}: {
  review: ReviewDetail;
  action: ReviewAction;
  proposedFen: number | undefined;
  onActed: (d: ReviewDetail) => void;
}) {
  const t = useT();
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [key] = useState(() => crypto.randomUUID());
  const decision = Form.useWatch('decision', form);

  const bodyOf = (v: FormValues): Record<string, unknown> => {
    if (action === 'survey')
      return {
        visitedOn: v.visitedOn?.format('YYYY-MM-DD') ?? chinaToday(),
        visitors: (v.visitors ?? '').trim(),
        findings: (v.findings ?? '').trim(),
        otherIncomeFen: yuanToFen(v.otherIncome) ?? 0,
        medicalCostsFen: yuanToFen(v.medicalCosts) ?? 0,
        unmetAdl: v.unmetAdl ?? 0,
      };
    if (action === 'decide')
      return {
        decision: v.decision,
        ...(v.decision === 'change_amount' ? { amountFen: yuanToFen(v.amount) ?? 0 } : {}),
        ...(v.decision === 'end' ? { reason: v.reason } : {}),
        note: (v.note ?? '').trim(),
      };
    return { note: (v.note ?? '').trim() };
  };

  const send = async (body: Record<string, unknown>) => {
    setSubmitting(true);
    try {
      onActed(await enrolmentsApi.act(review.id, action, body, key));
    } catch (e) {
      notifyError(e);
    } finally {
      setSubmitting(false);
    }
  };

  const text = (name: keyof FormValues, label: string, max: number, rows = 0, required = true) => (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, whitespace: true, message: t('form.required') }] : []}
    >
      {rows ? (
        <Input.TextArea rows={rows} maxLength={max} data-testid={`${action}-${name}`} />
      ) : (
        <Input maxLength={max} data-testid={`${action}-${name}`} />
      )}
    </Form.Item>
  );
  const money = (name: keyof FormValues, label: string, required = false) => (
    <Form.Item
      name={name}
      label={label}
      rules={[
        ...(required ? [{ required: true, message: t('form.required') }] : []),
        { pattern: YUAN, message: t('cases.form.yuanInvalid') },
      ]}
    >
      <Input inputMode="decimal" suffix={t('policy.unit.yuan')} maxLength={12} data-testid={`${action}-${name}`} />
    </Form.Item>
  );

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      style={{ maxWidth: 560 }}
      initialValues={{
        visitedOn: dayjs(chinaToday()),
        unmetAdl: 0,
        decision: 'continue',
        amount: fenToYuan(proposedFen ?? review.monthlyAmountFen),
      }}
      onFinish={(v) => {
        const body = bodyOf(v);
        if (action !== 'decide') return void send(body);
        const d = v.decision ?? 'continue';
        modal.confirm({
          title: t('reviews.action.decide'),
          content: (
            <span data-testid="confirm-question">
              {t('reviews.decide.confirm', {
                name: review.name,
                decision: t(`reviews.decision.${d}`),
                amount:
                  d === 'change_amount'
                    ? t('common.yuan', { amount: formatYuan(yuanToFen(v.amount) ?? 0) })
                    : t('common.yuan', { amount: formatYuan(review.monthlyAmountFen) }),
              })}
            </span>
          ),
          okText: t('reviews.action.decide'),
          okButtonProps: { danger: d === 'end', 'data-testid': 'confirm-ok' } as ButtonProps,
          cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
          onOk: () => send(body),
        });
      }}
      data-testid={`form-${action}`}
    >
      {action === 'survey' && (
        <>
          <Form.Item name="visitedOn" label={t('reviews.survey.visitedOn')} rules={[{ required: true }]}>
            <DatePicker data-testid="survey-visitedOn" />
          </Form.Item>
          {text('visitors', t('reviews.survey.visitors'), 200)}
          {text('findings', t('reviews.survey.findings'), 2000, 3)}
          {money('otherIncome', t('reviews.survey.otherIncome'))}
          {money('medicalCosts', t('reviews.survey.medicalCosts'))}
          {review.kind === 'tekun' && (
            <Form.Item name="unmetAdl" label={t('reviews.survey.unmetAdl')}>
              <InputNumber min={0} max={6} data-testid="survey-unmetAdl" />
            </Form.Item>
          )}
        </>
      )}
      {action === 'decide' && (
        <>
          <Form.Item name="decision" label={t('reviews.field.decision')} rules={[{ required: true }]}>
            <Select
              data-testid="decide-decision"
              options={ReviewDecision.options.map((d) => ({ value: d, label: t(`reviews.decision.${d}`) }))}
            />
          </Form.Item>
          {decision === 'change_amount' && money('amount', t('reviews.decide.amount'), true)}
          {decision === 'end' && (
            <Form.Item name="reason" label={t('reviews.decide.reason')} rules={[{ required: true }]}>
              <Select
                data-testid="decide-reason"
                options={EndReason.options.map((x) => ({ value: x, label: t(`enrolments.reason.${x}`) }))}
              />
            </Form.Item>
          )}
        </>
      )}
      {action !== 'survey' && text('note', t('reviews.note'), 500, 2, false)}
      <Button type="primary" htmlType="submit" loading={submitting} data-testid={`${action}-submit`}>
        {t(`reviews.action.${action}`)}
      </Button>
    </Form>
  );
}
