import { useEffect } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { Password, type ResetPasswordBody, type User } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useT } from '../../../i18n';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { ConfirmPasswordItem } from '../../../components/ConfirmPasswordItem';

interface Values {
  newPassword: string;
  confirm: string;
}

const FIELDS = ['newPassword'] as const;

export function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error, clearError } = useFormSubmit(form, FIELDS);

  useEffect(() => {
    if (!user) return;
    clearError();
    form.resetFields();
  }, [user, form, clearError]);

  async function submit(values: Values) {
    if (!user) return;
    const body: ResetPasswordBody = { newPassword: values.newPassword };
    const ok = await run(async () => {
      await api.post(`/api/users/${seg(user.id)}/password`, { body });
    });
    if (ok) {
      void message.success(t('users.reset.done', { username: user.username }));
      onClose();
    }
  }

  return (
    <Modal
      open={!!user}
      title={t('users.reset.title', { username: user?.username ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={submitting}
      forceRender
      okButtonProps={{ 'data-testid': 'reset-password-submit' }}
      data-testid="reset-password-modal"
    >
      <FormErrorAlert error={error} />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={submitting}>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('users.reset.help')}
          rules={[
            { required: true, message: t('form.required') },
            {
              validator: (_, v: unknown) =>
                !v || Password.safeParse(v).success ? Promise.resolve() : Promise.reject(new Error(t('password.rule'))),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} data-testid="reset-password-new" />
        </Form.Item>
        <ConfirmPasswordItem matches="newPassword" testId="reset-password-confirm" />
      </Form>
    </Modal>
  );
}
