import type { ReactNode } from 'react';
import { Alert, Card, Divider, Flex } from 'antd';
import type { CaseDetail } from '@jiuzhu/shared';
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

/** Order of the forms on the page (the workflow's order). */
const ORDER: readonly StepAction[] = [
  'emergency_payment',
  'request_documents',
  'accept',
  'record_survey',
  'record_verification',
  'determine',
  'publish_notice',
  'record_objection',
  'close_notice',
  'approve',
  'reject',
  'request_review',
];

/** The forms of the actions the caller may take now (`allowedActions`), and no others. */
export function ActionForms({ c, onActed }: { c: CaseDetail; onActed: OnActed }) {
  const t = useT();
  const allowed = new Set(c.allowedActions);
  const actions = ORDER.filter((a) => allowed.has(a));
  if (actions.length === 0) return null;

  const simple = (a: Simple, opts: { bare?: boolean; intro?: ReactNode } = {}) => (
    <StepForm
      key={a}
      caseId={c.id}
      action={a}
      title={SIMPLE[a].title}
      submitLabel={SIMPLE[a].submit}
      fields={SIMPLE[a].fields}
      danger={SIMPLE[a].danger}
      onActed={onActed}
      {...opts}
    />
  );

  const forms: ReactNode[] = [];
  for (const a of actions) {
    if (a === 'record_survey') forms.push(<SurveyForm key={a} caseId={c.id} onActed={onActed} />);
    else if (a === 'determine')
      forms.push(<DetermineForm key={a} caseId={c.id} proposal={c.proposal} onActed={onActed} />);
    else if (a === 'reject' && allowed.has('approve')) continue;
    else if (a === 'approve')
      // Approval and rejection are one decision: one card, two forms.
      forms.push(
        <Card key={a} title={t('cases.act.decision.title')} size="small" data-testid="card-approve">
          {simple('approve', { bare: true })}
          {allowed.has('reject') && (
            <>
              <Divider />
              {simple('reject', { bare: true })}
            </>
          )}
        </Card>,
      );
    else if (a === 'close_notice')
      forms.push(
        simple(a, {
          intro: c.notice ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('cases.notice.endsOn', { date: c.notice.endsOn })}
              data-testid="close-notice-ends"
            />
          ) : undefined,
        }),
      );
    else if (a === 'record_verification')
      forms.push(
        simple(a, {
          intro: (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('cases.act.record_verification.intro')} />
          ),
        }),
      );
    else forms.push(simple(a));
  }
  return (
    <Flex vertical gap="middle" data-testid="case-actions">
      {forms}
    </Flex>
  );
}
