import { Alert, App, Button, Card, Form, Input } from 'antd';
import { Password } from '@jiuzhu/shared';
import { useMe, useSession } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useChangePassword } from './useChangePassword';
import { ConfirmPasswordItem } from '../../../components/ConfirmPasswordItem';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePasswordPage() {
  const t = useT();
  const me = useMe();
  const { refresh } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { change, submitting, error } = useChangePassword(form);

  async function submit(v: Values) {
    if (await change({ currentPassword: v.currentPassword, newPassword: v.newPassword })) {
      void message.success(t('password.changed'));
      form.resetFields();
      // Picks up mustChangePassword = false so the banner goes away.
      await refresh();
    }
  }

  return (
    <>
      <PageHeader title={t('password.title')} />
      <Card style={{ maxWidth: 520 }}>
        {me.mustChangePassword && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('password.banner')} />
        )}
        <FormErrorAlert error={error} />
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          disabled={submitting}
          data-testid="password-form"
        >
          <Form.Item
            name="currentPassword"
            label={t('password.current')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.Password autoComplete="current-password" maxLength={128} data-testid="password-current" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            extra={t('password.rule')}
            dependencies={['currentPassword']}
            rules={[
              { required: true, message: t('form.required') },
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) => {
                  if (!v) return Promise.resolve();
                  if (!Password.safeParse(v).success) return Promise.reject(new Error(t('password.rule')));
                  if (v === getFieldValue('currentPassword'))
                    return Promise.reject(new Error(t('password.sameAsCurrent')));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={128} data-testid="password-new" />
          </Form.Item>
          <ConfirmPasswordItem matches="newPassword" testId="password-confirm" />
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="password-submit">
            {t('password.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
