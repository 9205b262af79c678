import { useEffect } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { DatePicker, Form, Input, Modal, Radio, Typography } from 'antd';
import type { CalendarDay, CalendarOverride, PutCalendarOverrideBody } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useT } from '../../../i18n';
import { FormErrorAlert } from '../../../components/FormErrorAlert';

export interface OverrideTarget {
  /** Fixed date (a clicked day or an existing override); absent when adding from the button. */
  date?: string;
  existing?: CalendarOverride;
  /** How the calendar currently treats the date, to explain what the override changes. */
  day?: CalendarDay;
}

interface Values {
  date: Dayjs;
  isWorkingDay: boolean;
  note: string;
}

const FIELDS = ['isWorkingDay', 'note'] as const;

export function OverrideModal({
  target,
  onClose,
  onSaved,
}: {
  target: OverrideTarget | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error, clearError } = useFormSubmit(form, FIELDS);

  useEffect(() => {
    if (!target) return;
    clearError();
    form.resetFields();
    form.setFieldsValue({
      date: target.date ? dayjs(target.date) : undefined,
      // Default to flipping the day: that is why one adds an override.
      isWorkingDay: target.existing?.isWorkingDay ?? (target.day ? !target.day.isWorkingDay : false),
      note: target.existing?.note ?? '',
    });
  }, [target, form, clearError]);

  async function submit(values: Values) {
    const date = values.date.format('YYYY-MM-DD');
    const body: PutCalendarOverrideBody = { isWorkingDay: values.isWorkingDay, note: values.note.trim() };
    if (await run(async () => void (await api.put(`/api/calendar/overrides/${seg(date)}`, { body })))) onSaved();
  }

  const day = target?.day;
  return (
    <Modal
      open={!!target}
      title={t(target?.existing ? 'calendar.override.edit' : 'calendar.override.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={submitting}
      forceRender
      okButtonProps={{ 'data-testid': 'override-submit' }}
      data-testid="override-modal"
    >
      <FormErrorAlert error={error} />
      {day && (
        <Typography.Paragraph type="secondary">
          {t('calendar.override.current', {
            kind: t(`calendar.kind.${day.kind}`),
            name: day.name ?? '',
            source: t(`calendar.source.${day.source}`),
          })}
        </Typography.Paragraph>
      )}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={submitting}>
        <Form.Item
          name="date"
          label={t('calendar.field.date')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker disabled={!!target?.date} style={{ width: '100%' }} data-testid="override-date" />
        </Form.Item>
        <Form.Item
          name="isWorkingDay"
          label={t('calendar.field.isWorkingDay')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t('calendar.working') },
              { value: false, label: t('calendar.dayOff') },
            ]}
            data-testid="override-working"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('calendar.field.note')}
          extra={t('calendar.field.note.help')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 100 }]}
        >
          <Input maxLength={100} showCount data-testid="override-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
