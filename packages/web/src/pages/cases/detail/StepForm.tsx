import type { ReactNode } from 'react';
import { App, Button, Card, Form, Input, type ButtonProps } from 'antd';
import type { MessageKey } from '../../../i18n';
import { useT } from '../../../i18n';
import { yuanToFen } from '../../../lib/format';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import type { StepAction } from '../api';
import { useStepAction, type OnActed } from './useStepAction';

/**
 * One input of a simple step form; `name` is the body field. `lines`: one entry per line
 * (a list of documents); `yuan`: typed in yuan, sent in fen.
 */
export interface FieldSpec {
  name: string;
  label: MessageKey;
  type: 'input' | 'textarea' | 'lines' | 'yuan';
  required?: boolean;
  max: number;
  placeholder?: MessageKey;
}

const YUAN = /^\d{1,7}(\.\d{1,2})?$/;

function toBody(fields: readonly FieldSpec[], values: Record<string, string | undefined>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (values[f.name] ?? '').trim();
    if (f.type === 'lines')
      body[f.name] = raw
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    else if (f.type === 'yuan') body[f.name] = yuanToFen(raw) ?? 0;
    else body[f.name] = raw;
  }
  return body;
}

/**
 * A step form of a few text fields (accept, notice, objection, approval opinion, rejection
 * reasons…). Test ids: `form-<action>`, `<action>-<field>`, `<action>-submit`.
 */
export function StepForm({
  caseId,
  action,
  title,
  fields,
  submitLabel,
  danger,
  intro,
  onActed,
  bare,
  confirm,
}: {
  caseId: string;
  action: StepAction;
  title: MessageKey;
  fields: readonly FieldSpec[];
  submitLabel: MessageKey;
  danger?: boolean;
  intro?: ReactNode;
  onActed: OnActed;
  /** Without its own card (several forms in one card). */
  bare?: boolean;
  /**
   * A decision or an irreversible step: the question asked in a confirmation dialog before the
   * action is sent (`confirm-ok` / `confirm-cancel`).
   */
  confirm?: string;
}) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const names = fields.map((f) => f.name);
  const { submit, submitting, error } = useStepAction(form, names, caseId, action, onActed);

  const body = (
    <Form
      form={form}
      layout="vertical"
      disabled={submitting}
      onFinish={(v) => {
        const body = toBody(fields, v);
        if (!confirm) return void submit(body);
        modal.confirm({
          title: t(title),
          content: <span data-testid="confirm-question">{confirm}</span>,
          okText: t(submitLabel),
          okButtonProps: { danger, 'data-testid': 'confirm-ok' } as ButtonProps,
          cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
          onOk: () => submit(body),
        });
      }}
      data-testid={`form-${action}`}
    >
      <FormErrorAlert error={error} />
      {intro}
      {fields.map((f) => (
        <Form.Item
          key={f.name}
          name={f.name}
          label={t(f.label)}
          rules={[
            ...(f.required ? [{ required: true, whitespace: true, message: t('form.required') }] : []),
            ...(f.type === 'yuan' ? [{ pattern: YUAN, message: t('cases.form.yuanInvalid') }] : []),
          ]}
        >
          {f.type === 'input' ? (
            <Input maxLength={f.max} data-testid={`${action}-${f.name}`} />
          ) : f.type === 'yuan' ? (
            <Input
              inputMode="decimal"
              suffix={t('policy.unit.yuan')}
              maxLength={12}
              data-testid={`${action}-${f.name}`}
            />
          ) : (
            <Input.TextArea
              rows={f.type === 'lines' ? 4 : 3}
              maxLength={f.max}
              placeholder={f.placeholder ? t(f.placeholder) : undefined}
              data-testid={`${action}-${f.name}`}
            />
          )}
        </Form.Item>
      ))}
      <Button type="primary" danger={danger} htmlType="submit" loading={submitting} data-testid={`${action}-submit`}>
        {t(submitLabel)}
      </Button>
    </Form>
  );
  if (bare) return body;
  return (
    <Card title={t(title)} size="small" data-testid={`card-${action}`}>
      {body}
    </Card>
  );
}
