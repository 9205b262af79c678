import { Form, Input, Modal, Select } from 'antd';
import type { FeedFormat, FeedSource } from '@jiuzhu/shared';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useI18n } from '../../../i18n';
import { exchangeApi } from '../api';
import { useLocalName } from '../tags';

type Values = { sourceCode: string; name: string; nameZh: string; nameEn: string; shapeOf: string; format: FeedFormat };

/** Adds a record kind that copies the columns of an existing kind (no code change needed). */
export function KindFormModal({
  sources,
  open,
  onClose,
  onCreated,
}: {
  sources: FeedSource[];
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const name = useLocalName();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error, clearError } = useFormSubmit(form, [
    'sourceCode',
    'nameZh',
    'nameEn',
    'shapeOf',
    'format',
  ]);
  const sourceCode = Form.useWatch('sourceCode', form);
  const kinds = sources.flatMap((s) => s.kinds);

  async function submit(v: Values) {
    const shape = kinds.find((k) => k.code === v.shapeOf)!;
    const ok = await run(async () => {
      await exchangeApi.createKind({
        code: `${v.sourceCode}.${v.name}`,
        sourceCode: v.sourceCode,
        nameZh: v.nameZh,
        nameEn: v.nameEn,
        recordType: shape.recordType,
        format: v.format,
        shapeOf: v.shapeOf,
      });
    });
    if (ok) {
      form.resetFields();
      onCreated();
    }
  }

  return (
    <Modal
      open={open}
      title={t('exchange.kind.add')}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okButtonProps={{ loading: submitting, 'data-testid': 'kind-save' } as never}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} preserve={false} data-testid="kind-form">
        <Form.Item
          name="sourceCode"
          label={t('exchange.field.source')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select options={sources.map((s) => ({ value: s.code, label: name(s.nameZh, s.nameEn) }))} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('exchange.kind.code')}
          extra={sourceCode ? t('exchange.kind.codeHelp', { code: `${sourceCode}.…` }) : undefined}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: /^[a-z][a-z0-9_]*$/, message: t('exchange.kind.codePattern') },
          ]}
        >
          <Input addonBefore={sourceCode ? `${sourceCode}.` : undefined} maxLength={60} />
        </Form.Item>
        <Form.Item
          name="nameZh"
          label={t('exchange.kind.nameZh')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('exchange.kind.nameEn')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="shapeOf"
          label={t('exchange.kind.shapeOf')}
          extra={t('exchange.kind.shapeOfHelp')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={kinds.map((k) => ({ value: k.code, label: `${name(k.nameZh, k.nameEn)} (${k.code})` }))}
            onChange={(code: string) => {
              const k = kinds.find((x) => x.code === code);
              if (k && !form.getFieldValue('format')) form.setFieldValue('format', k.format);
            }}
          />
        </Form.Item>
        <Form.Item
          name="format"
          label={t('exchange.field.format')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select options={(['csv', 'xlsx', 'jsonl'] as const).map((f) => ({ value: f, label: f.toUpperCase() }))} />
        </Form.Item>
        <FormErrorAlert error={error} />
      </Form>
    </Modal>
  );
}
