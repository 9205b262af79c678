import { useEffect, useMemo } from 'react';
import { AutoComplete, Form, Input, Modal, Typography } from 'antd';
import type { StaffRelativeInput } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useMe } from '../../../app/session';
import { useI18n, type MessageKey } from '../../../i18n';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { ID_NUMBER_TRIGGERS, idNumberRules, idNumberToSend } from '../../../components/registry/idNumberRules';

type Values = Partial<StaffRelativeInput>;

const FIELDS = ['regionCode', 'staffName', 'staffPosition', 'relativeName', 'relativeIdNumber', 'relation'] as const;

/** Suggestions only: the relation is free text (近亲属 under the assistance rules). */
const RELATION_SUGGESTIONS: MessageKey[] = [
  'staffRelatives.relation.spouse',
  'staffRelatives.relation.parent',
  'staffRelatives.relation.child',
  'staffRelatives.relation.sibling',
  'staffRelatives.relation.grandparent',
  'staffRelatives.relation.grandchild',
  'staffRelatives.relation.inLaw',
];

export function StaffRelativeFormModal({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, lang } = useI18n();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error, clearError } = useFormSubmit(form, FIELDS);
  const idRules = useMemo(
    () => idNumberRules({ lang, t, required: true, errorTestId: 'staff-relative-relativeIdNumber-error' }),
    [lang, t],
  );

  useEffect(() => {
    if (!open) return;
    clearError();
    form.resetFields();
    form.setFieldsValue({ regionCode: me.regionCode });
  }, [open, form, clearError, me.regionCode]);

  async function submit(v: Values) {
    const body: StaffRelativeInput = {
      regionCode: v.regionCode ?? me.regionCode,
      staffName: v.staffName?.trim() ?? '',
      staffPosition: v.staffPosition?.trim() ?? '',
      relativeName: v.relativeName?.trim() ?? '',
      relativeIdNumber: idNumberToSend(v.relativeIdNumber ?? ''),
      relation: v.relation?.trim() ?? '',
    };
    if (await run(async () => void (await api.post('/api/staff-relatives', { body })))) onSaved();
  }

  const requiredText = [{ required: true, whitespace: true, message: t('form.required') }];

  return (
    <Modal
      open={open}
      title={t('staffRelatives.create.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={submitting}
      forceRender
      okButtonProps={{ 'data-testid': 'staff-relative-submit' }}
      data-testid="staff-relative-modal"
    >
      <Typography.Paragraph type="secondary">{t('staffRelatives.create.help')}</Typography.Paragraph>
      <FormErrorAlert error={error} />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={submitting}>
        <Form.Item
          name="regionCode"
          label={t('staffRelatives.field.region')}
          extra={t('staffRelatives.field.region.help')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <RegionTreeSelect rootCode={me.regionCode} data-testid="staff-relative-region" />
        </Form.Item>
        <Form.Item name="staffName" label={t('staffRelatives.field.staffName')} rules={requiredText}>
          <Input maxLength={50} data-testid="staff-relative-staffName" />
        </Form.Item>
        <Form.Item name="staffPosition" label={t('staffRelatives.field.staffPosition')} rules={requiredText}>
          <Input
            maxLength={50}
            placeholder={t('staffRelatives.field.staffPosition.placeholder')}
            data-testid="staff-relative-staffPosition"
          />
        </Form.Item>
        <Form.Item name="relativeName" label={t('staffRelatives.field.relativeName')} rules={requiredText}>
          <Input maxLength={50} data-testid="staff-relative-relativeName" />
        </Form.Item>
        <Form.Item name="relation" label={t('staffRelatives.field.relation')} rules={requiredText}>
          <AutoComplete
            options={RELATION_SUGGESTIONS.map((k) => ({ value: t(k) }))}
            filterOption={(input, option) => !input || !!option?.value.includes(input)}
          >
            {/* A plain input inside, so the test id lands on the <input>. */}
            <Input maxLength={20} data-testid="staff-relative-relation" />
          </AutoComplete>
        </Form.Item>
        <Form.Item
          name="relativeIdNumber"
          label={t('staffRelatives.field.relativeIdNumber')}
          rules={idRules}
          validateTrigger={ID_NUMBER_TRIGGERS}
          validateFirst
          required
        >
          <Input
            maxLength={30}
            autoComplete="off"
            style={{ fontFamily: 'monospace' }}
            data-testid="staff-relative-relativeIdNumber"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
