import { useState } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import type { CollisionRule, FieldError } from '@jiuzhu/shared';
import { isApiError } from '../../../api/client';
import { errorMessage, isSessionLoss } from '../../../api/errors';
import { useT } from '../../../i18n';
import { collisionApi } from '../api';

type Values = { nameZh: string; nameEn: string; definition: string; note: string };

/**
 * Edits a rule's definition as JSON: the server validates it (fields, operators, outcomes) and
 * saves a new version; its messages are listed with the path of each problem.
 */
export function RuleEditModal({
  rule,
  onClose,
  onSaved,
}: {
  rule: CollisionRule | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; fields: readonly FieldError[] } | null>(null);

  async function submit(v: Values) {
    if (!rule) return;
    let definition: unknown;
    try {
      definition = JSON.parse(v.definition);
    } catch (e) {
      form.setFields([
        { name: 'definition', errors: [t('signals.rules.jsonInvalid', { detail: (e as Error).message })] },
      ]);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await collisionApi.updateRule(rule.id, {
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        definition: definition as never,
        note: v.note,
      });
      onSaved();
    } catch (e) {
      if (!isSessionLoss(e)) setError({ message: errorMessage(e, t), fields: isApiError(e) ? e.fields : [] });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={rule !== null}
      width={760}
      title={rule ? t('signals.rules.editTitle', { code: rule.code, version: rule.currentVersion + 1 }) : ''}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, 'data-testid': 'rule-save' } as never}
      destroyOnHidden
    >
      {rule && (
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={submit}
          initialValues={{
            nameZh: rule.nameZh,
            nameEn: rule.nameEn,
            definition: JSON.stringify(rule.definition, null, 2),
            note: '',
          }}
        >
          <Form.Item
            name="nameZh"
            label={t('signals.rules.nameZh')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('signals.rules.nameEn')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="definition"
            label={t('signals.rules.definition')}
            extra={t('signals.rules.definitionHelp')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.TextArea rows={14} style={{ fontFamily: 'monospace', fontSize: 12 }} data-testid="rule-definition" />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('signals.rules.note')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input maxLength={500} data-testid="rule-note" />
          </Form.Item>
          {error && (
            <Alert
              type="error"
              showIcon
              title={error.message}
              data-testid="rule-error"
              description={
                error.fields.length > 0 ? (
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {error.fields.map((f) => (
                      <li key={`${f.path}:${f.message}`}>
                        <Typography.Text code>{f.path}</Typography.Text> {f.message}
                      </li>
                    ))}
                  </ul>
                ) : undefined
              }
            />
          )}
        </Form>
      )}
    </Modal>
  );
}
