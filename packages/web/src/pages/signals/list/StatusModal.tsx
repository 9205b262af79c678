import { Form, Input, Modal, Select } from 'antd';
import type { Signal, SignalStatusUpdate } from '@jiuzhu/shared';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useT } from '../../../i18n';
import { collisionApi } from '../api';

const NEXT: SignalStatusUpdate['status'][] = ['in_progress', 'resolved', 'dismissed'];

/** Moves a signal on (in progress, resolved, dismissed) with a note; the server audits it. */
export function StatusModal({
  signal,
  onClose,
  onDone,
}: {
  signal: Signal | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<SignalStatusUpdate>();
  const { run, submitting, error, clearError } = useFormSubmit(form, ['status', 'note']);

  async function submit(v: SignalStatusUpdate) {
    if (!signal) return;
    if (await run(async () => void (await collisionApi.updateSignal(signal.id, v)))) onDone();
  }

  return (
    <Modal
      open={signal !== null}
      title={signal ? t('signals.handle.title', { no: signal.signalNo }) : ''}
      onCancel={() => {
        clearError();
        onClose();
      }}
      onOk={() => form.submit()}
      okButtonProps={{ loading: submitting }}
      destroyOnHidden
    >
      <Form<SignalStatusUpdate> form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item
          name="status"
          label={t('signals.field.status')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            options={NEXT.filter((s) => s !== signal?.status).map((s) => ({
              value: s,
              label: t(`signals.status.${s}`),
            }))}
            data-testid="signal-next-status"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('signals.field.note')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} data-testid="signal-note" />
        </Form.Item>
        <FormErrorAlert error={error} />
      </Form>
    </Modal>
  );
}
