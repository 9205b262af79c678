import { Form, Input } from 'antd';
import { useI18n } from '../i18n';

/** The "type the new password again" field: required, and equal to the field it confirms. */
export function ConfirmPasswordItem({ matches, testId }: { matches: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name="confirm"
      label={t('password.confirm')}
      dependencies={[matches]}
      rules={[
        { required: true, message: t('form.required') },
        ({ getFieldValue }) => ({
          validator: (_, v: string | undefined) =>
            !v || v === getFieldValue(matches) ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
        }),
      ]}
    >
      <Input.Password autoComplete="new-password" maxLength={128} data-testid={testId} />
    </Form.Item>
  );
}
