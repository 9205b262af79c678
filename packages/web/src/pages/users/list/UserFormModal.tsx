import { useEffect, useMemo } from 'react';
import { Form, Input, Modal, Select, Switch } from 'antd';
import {
  CreateUserBody,
  Password,
  ROLE_LEVELS,
  Username,
  type Role,
  type UpdateUserBody,
  type User,
} from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { assignableRoles, regionFitsRole } from './roles';
import { ConfirmPasswordItem } from '../../../components/ConfirmPasswordItem';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  password: string;
  confirm: string;
  active: boolean;
}

const FIELDS = ['username', 'displayName', 'role', 'regionCode', 'password', 'active'] as const;

/** Create (no `user`) or edit (`user`) a staff account. */
export function UserFormModal({
  open,
  user,
  onClose,
  onSaved,
}: {
  open: boolean;
  user?: User;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error, clearError } = useFormSubmit(form, FIELDS);
  const role = Form.useWatch('role', form);
  const editing = !!user;

  const roleOptions = useMemo(() => {
    const allowed = assignableRoles(me.role, me.regionCode);
    const options = allowed.map((r) => ({ value: r, label: t(`role.${r}`), disabled: false }));
    // Keep the current role visible even when this user may not grant it.
    if (user && !allowed.includes(user.role))
      options.unshift({ value: user.role, label: t(`role.${user.role}`), disabled: true });
    return options;
  }, [me.role, me.regionCode, user, t]);

  useEffect(() => {
    if (!open) return;
    clearError();
    form.resetFields();
    if (user)
      form.setFieldsValue({
        displayName: user.displayName,
        role: user.role,
        regionCode: user.regionCode,
        active: user.active,
      });
  }, [open, user, form, clearError]);

  async function submit(values: Values) {
    const ok = await run(async () => {
      if (user) {
        const patch: UpdateUserBody = {};
        if (values.displayName !== user.displayName) patch.displayName = values.displayName;
        if (values.role !== user.role) patch.role = values.role;
        if (values.regionCode !== user.regionCode) patch.regionCode = values.regionCode;
        if (values.active !== user.active) patch.active = values.active;
        if (Object.keys(patch).length > 0) await api.patch(`/api/users/${seg(user.id)}`, { body: patch });
      } else {
        const body: CreateUserBody = {
          username: values.username,
          displayName: values.displayName,
          role: values.role,
          regionCode: values.regionCode,
          password: values.password,
        };
        await api.post('/api/users', { body });
      }
    });
    if (ok) onSaved();
  }

  const zodRule = (schema: { safeParse: (v: unknown) => { success: boolean } }, message: string) => ({
    validator: (_: unknown, v: unknown) =>
      v === undefined || v === '' || schema.safeParse(v).success
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  });

  return (
    <Modal
      open={open}
      title={editing ? t('users.edit.title', { username: user.username }) : t('users.create.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={submitting}
      forceRender
      okButtonProps={{ 'data-testid': 'user-form-submit' }}
      data-testid="user-form-modal"
    >
      <FormErrorAlert error={error} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ active: true }}
        disabled={submitting}
      >
        {!editing && (
          <Form.Item
            name="username"
            label={t('users.field.username')}
            extra={t('users.field.username.help')}
            rules={[{ required: true, message: t('form.required') }, zodRule(Username, t('users.field.username.rule'))]}
          >
            <Input autoComplete="off" maxLength={32} data-testid="user-form-username" />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label={t('users.field.displayName')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input maxLength={64} data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t('users.field.role')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={roleOptions} data-testid="user-form-role" />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('users.field.region')}
          dependencies={['role']}
          extra={
            role
              ? t('users.field.region.help', {
                  levels: ROLE_LEVELS[role].map((l) => t(`level.${l}`)).join(t('common.listSeparator')),
                })
              : undefined
          }
          rules={[
            { required: true, message: t('form.required') },
            ({ getFieldValue }) => ({
              validator: (_, code: string | undefined) => {
                const r = getFieldValue('role') as Role | undefined;
                return !code || !r || regionFitsRole(r, code)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('users.field.region.level')));
              },
            }),
          ]}
        >
          <RegionTreeSelect
            rootCode={me.regionCode}
            valueLabel={user?.regionName}
            selectableLevels={role ? ROLE_LEVELS[role] : undefined}
            data-testid="user-form-region"
          />
        </Form.Item>
        {editing ? (
          <Form.Item name="active" label={t('users.field.active')} valuePropName="checked">
            <Switch data-testid="user-form-active" />
          </Form.Item>
        ) : (
          <>
            <Form.Item
              name="password"
              label={t('users.field.initialPassword')}
              extra={t('password.rule')}
              rules={[{ required: true, message: t('form.required') }, zodRule(Password, t('password.rule'))]}
            >
              <Input.Password autoComplete="new-password" maxLength={128} data-testid="user-form-password" />
            </Form.Item>
            <ConfirmPasswordItem matches="password" testId="user-form-confirm" />
          </>
        )}
      </Form>
    </Modal>
  );
}
