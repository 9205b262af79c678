import { useState, type ReactNode } from 'react';
import { Alert } from 'antd';
import { chinaToday, type CaseDetail } from '@jiuzhu/shared';
import { ActionToolbar } from '../../../components/detail/ActionToolbar';
import { useT, type MessageKey } from '../../../i18n';
import type { StepAction } from '../api';
import { DetermineForm } from './DetermineForm';
import { StepForm, type FieldSpec } from './StepForm';
import { SurveyForm } from './SurveyForm';
import type { OnActed } from './useStepAction';

type Simple = Exclude<StepAction, 'record_survey' | 'determine'>;

const NOTE: FieldSpec = { name: 'note', label: 'cases.form.note', type: 'textarea', max: 500 };

/** The simple step forms: their fields, title and button. */
const SIMPLE: Record<Simple, { title: MessageKey; submit: MessageKey; fields: FieldSpec[]; danger?: boolean }> = {
  request_documents: {
    title: 'cases.act.request_documents.title',
    submit: 'cases.act.request_documents.submit',
    fields: [
      {
        name: 'documents',
        label: 'cases.form.documents',
        type: 'lines',
        required: true,
        max: 2000,
        placeholder: 'cases.form.documents.placeholder',
      },
    ],
  },
  accept: { title: 'cases.act.accept.title', submit: 'cases.act.accept.submit', fields: [NOTE] },
  record_verification: {
    title: 'cases.act.record_verification.title',
    submit: 'cases.act.record_verification.submit',
    fields: [{ ...NOTE, max: 1000 }],
  },
  publish_notice: {
    title: 'cases.act.publish_notice.title',
    submit: 'cases.act.publish_notice.submit',
    fields: [NOTE],
  },
  record_objection: {
    title: 'cases.act.record_objection.title',
    submit: 'cases.act.record_objection.submit',
    fields: [{ name: 'content', label: 'cases.form.objection', type: 'textarea', required: true, max: 2000 }],
    danger: true,
  },
  close_notice: { title: 'cases.act.close_notice.title', submit: 'cases.act.close_notice.submit', fields: [NOTE] },
  approve: {
    title: 'cases.act.approve.title',
    submit: 'cases.act.approve.submit',
    fields: [{ name: 'opinion', label: 'cases.form.opinion', type: 'textarea', max: 1000 }],
  },
  reject: {
    title: 'cases.act.reject.title',
    submit: 'cases.act.reject.submit',
    fields: [{ name: 'reasons', label: 'cases.form.reasons', type: 'textarea', required: true, max: 2000 }],
    danger: true,
  },
  request_review: {
    title: 'cases.act.request_review.title',
    submit: 'cases.act.request_review.submit',
    fields: [{ name: 'reason', label: 'cases.form.reviewReason', type: 'textarea', required: true, max: 2000 }],
  },
  emergency_payment: {
    title: 'cases.act.emergency_payment.title',
    submit: 'cases.act.emergency_payment.submit',
    fields: [
      { name: 'amountFen', label: 'cases.form.amount', type: 'yuan', required: true, max: 12 },
      { name: 'reason', label: 'cases.form.paymentReason', type: 'input', required: true, max: 500 },
    ],
  },
};

/** Order of the buttons (the workflow's order). */
const ORDER: readonly StepAction[] = [
  'accept',
  'record_survey',
  'record_verification',
  'determine',
  'publish_notice',
  'close_notice',
  'approve',
  'request_review',
  'record_objection',
  'request_documents',
  'emergency_payment',
  'reject',
];

/** The workflow's next step: its form opens with the page. */
const MAIN: ReadonlySet<StepAction> = new Set([
  'accept',
  'record_survey',
  'record_verification',
  'determine',
  'publish_notice',
  'close_notice',
  'approve',
  'request_review',
]);

/** Decisions and steps that cannot be taken back: asked once more in a dialog before they are sent. */
const CONFIRM: Partial<Record<Simple, MessageKey>> = {
  accept: 'cases.confirm.accept',
  publish_notice: 'cases.confirm.publish_notice',
  close_notice: 'cases.confirm.close_notice',
  approve: 'cases.confirm.approve',
  reject: 'cases.confirm.reject',
  emergency_payment: 'cases.confirm.emergency_payment',
};

/**
 * The case's toolbar: a button per action the caller may take now (`allowedActions`), opening
 * one form at a time; 批准 and 不予批准 are separate buttons (不予批准 apart, in red), and a
 * step that cannot be taken yet is a disabled button that says why.
 */
export function ActionForms({ c, onActed }: { c: CaseDetail; onActed: OnActed }) {
  const t = useT();
  const allowed = new Set(c.allowedActions);
  const actions = ORDER.filter((a) => allowed.has(a));
  const today = chinaToday();
  const why: Partial<Record<StepAction, string>> = {};
  if (allowed.has('close_notice') && c.notice && today < c.notice.endsOn)
    why.close_notice = t('cases.why.noticeNotEnded', { date: c.notice.endsOn });
  const main = actions.find((a) => MAIN.has(a) && !why[a]);
  const [open, setOpen] = useState<string | null>(
    main ?? (actions.length === 1 && !why[actions[0]!] ? actions[0]! : null),
  );
  if (actions.length === 0) return null;

  const simple = (a: Simple, opts: { intro?: ReactNode } = {}) => (
    <StepForm
      key={a}
      caseId={c.id}
      action={a}
      title={SIMPLE[a].title}
      submitLabel={SIMPLE[a].submit}
      fields={SIMPLE[a].fields}
      danger={SIMPLE[a].danger}
      onActed={onActed}
      confirm={CONFIRM[a] ? t(CONFIRM[a], { caseNo: c.caseNo, name: c.applicantName }) : undefined}
      bare
      {...opts}
    />
  );

  const formOf = (a: StepAction): ReactNode => {
    if (a === 'record_survey') return <SurveyForm caseId={c.id} onActed={onActed} />;
    if (a === 'determine') return <DetermineForm caseId={c.id} proposal={c.proposal} onActed={onActed} />;
    if (a === 'close_notice')
      return simple(a, {
        intro: c.notice ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('cases.notice.endsOn', { date: c.notice.endsOn })}
            data-testid="close-notice-ends"
          />
        ) : undefined,
      });
    if (a === 'record_verification')
      return simple(a, {
        intro: (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('cases.act.record_verification.intro')} />
        ),
      });
    return simple(a);
  };
  const current = actions.find((a) => a === open);
  return (
    <ActionToolbar
      actions={actions.map((a) => ({
        key: a,
        label: t(
          a === 'record_survey'
            ? 'cases.survey.title'
            : a === 'determine'
              ? 'cases.determine.title'
              : SIMPLE[a as Simple].title,
        ),
        primary: a === main,
        danger: a === 'reject',
        disabledReason: why[a],
      }))}
      open={current ?? null}
      onOpen={setOpen}
      formTitle={
        current && current !== 'record_survey' && current !== 'determine'
          ? t(SIMPLE[current as Simple].title)
          : undefined
      }
      form={current ? <div key={current}>{formOf(current)}</div> : null}
    />
  );
}
