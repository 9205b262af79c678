import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { RevealResult, type RevealBody } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useT } from '../../../i18n';
import { FormErrorAlert } from '../../../components/FormErrorAlert';

export type RevealField = RevealBody['field'];

/** What to reveal: the household's address, or one number of one member. */
export interface RevealTarget {
  householdId: string;
  /** Absent for the address. */
  memberId?: string;
  field: RevealField;
  /** Whose number, for the title: the member's name, or the household number. */
  subject: string;
}

interface Values {
  reason: string;
}

const FIELDS = ['reason'] as const;
const MIN_REASON = 4;
const MAX_REASON = 200;

const FIELD_LABEL = {
  idNumber: 'member.field.idNumber',
  phone: 'member.field.phone',
  bankAccount: 'member.field.bankAccount',
  disabilityCertificate: 'member.field.certificateNo',
  address: 'households.field.address',
} as const satisfies Record<RevealField, string>;

/**
 * Shows one full personal number after the clerk states why. The server records each reveal
 * in the audit trail; the value lives only in this modal and is dropped when it closes.
 */
export function RevealModal({ target, onClose }: { target: RevealTarget | null; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error, clearError } = useFormSubmit(form, FIELDS);
  const [revealed, setRevealed] = useState<{ value: string | null } | null>(null);

  useEffect(() => {
    // `close` has already dropped any value shown before.
    if (!target) return;
    clearError();
    form.resetFields();
  }, [target, form, clearError]);

  function close() {
    setRevealed(null);
    onClose();
  }

  async function submit(values: Values) {
    if (!target) return;
    const body: RevealBody = { field: target.field, reason: values.reason.trim() };
    const path = target.memberId
      ? `/api/households/${seg(target.householdId)}/members/${seg(target.memberId)}/reveal`
      : `/api/households/${seg(target.householdId)}/reveal`;
    await run(async () => {
      const result = await api.post(path, { body, schema: RevealResult });
      setRevealed({ value: result.value });
    });
  }

  const fieldName = target ? t(FIELD_LABEL[target.field]) : '';
  return (
    <Modal
      open={!!target}
      title={t('reveal.title', { field: fieldName, subject: target?.subject ?? '' })}
      onCancel={close}
      forceRender
      data-testid="reveal-modal"
      footer={
        revealed ? (
          <Button type="primary" onClick={close} data-testid="reveal-close">
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button onClick={close} data-testid="reveal-cancel">
              {t('common.cancel')}
            </Button>
            <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="reveal-submit">
              {t('reveal.submit')}
            </Button>
          </>
        )
      }
    >
      {revealed ? (
        <>
          <Typography.Paragraph>
            <Typography.Text
              strong
              copyable={revealed.value ? { text: revealed.value } : false}
              style={{ fontSize: 18, fontFamily: 'monospace' }}
              data-testid="reveal-value"
            >
              {revealed.value ?? t('reveal.empty')}
            </Typography.Text>
          </Typography.Paragraph>
          <Alert type="info" showIcon title={t('reveal.recorded')} data-testid="reveal-audit-note" />
        </>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('reveal.intro')}</Typography.Paragraph>
          <FormErrorAlert error={error} />
          <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={submitting}>
            <Form.Item
              name="reason"
              label={t('reveal.reason')}
              rules={[
                { required: true, whitespace: true, message: t('reveal.reason.required') },
                {
                  validator: (_, v: string | undefined) =>
                    !v?.trim() || v.trim().length >= MIN_REASON
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('reveal.reason.min', { min: MIN_REASON }))),
                },
              ]}
            >
              <Input.TextArea
                rows={3}
                maxLength={MAX_REASON}
                showCount
                placeholder={t('reveal.reason.placeholder')}
                data-testid="reveal-reason"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
