import { useRef, useState } from 'react';
import { Button, Form, Input, InputNumber, Select, Typography } from 'antd';
import { addMonths, type EnrolmentSummary, type PayrollDetail } from '@jiuzhu/shared';
import { useT } from '../../../i18n';
import { enrolmentsApi } from '../../enrolments/api';
import { useYuan } from '../tags';

export type AdjustmentValues = {
  enrolmentId: string;
  /** For the confirmation: whose enrolment. */
  label: string;
  month: string;
  amountFen: number;
  reason: string;
};

/**
 * 调整: a correction on a draft payroll. The enrolment is found by a member's name or the household
 * number within the payroll's region; the amount is in 元 (negative for an over-payment recovered).
 */
export function AdjustmentForm({
  p,
  busy,
  onSubmit,
}: {
  p: PayrollDetail;
  busy: boolean;
  onSubmit: (v: AdjustmentValues) => void;
}) {
  const t = useT();
  const yuan = useYuan();
  const [form] = Form.useForm<{ enrolmentId: string; month: string; amountYuan: number; reason: string }>();
  const [options, setOptions] = useState<EnrolmentSummary[]>([]);
  const [searching, setSearching] = useState(false);
  const latest = useRef(0);

  const search = async (q: string) => {
    const text = q.trim();
    const n = ++latest.current;
    if (text.length === 0) return setOptions([]);
    setSearching(true);
    try {
      const page = await enrolmentsApi.list({ regionCode: p.regionCode, q: text, pageSize: 20 });
      if (n === latest.current) setOptions(page.items);
    } catch {
      if (n === latest.current) setOptions([]);
    } finally {
      if (n === latest.current) setSearching(false);
    }
  };

  const labelOf = (e: EnrolmentSummary) =>
    `${e.name}${e.householdNo ? `（${e.householdNo}）` : ''} · ${t(`policy.kind.${e.kind}`)} · ${e.regionName}`;

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ month: addMonths(p.month, -1) }}
      onFinish={(v) => {
        const e = options.find((o) => o.id === v.enrolmentId);
        onSubmit({
          enrolmentId: v.enrolmentId,
          label: e ? labelOf(e) : '',
          month: v.month.trim(),
          amountFen: Math.round(v.amountYuan * 100),
          reason: v.reason.trim(),
        });
      }}
      data-testid="form-adjust"
    >
      <Typography.Paragraph type="secondary">{t('payroll.adjust.hint')}</Typography.Paragraph>
      <Form.Item
        name="enrolmentId"
        label={t('payroll.adjust.enrolment')}
        rules={[{ required: true, message: t('payroll.adjust.enrolment.required') }]}
      >
        <Select
          showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
          placeholder={t('payroll.adjust.enrolment.placeholder')}
          loading={searching}
          notFoundContent={t('payroll.adjust.enrolment.none')}
          options={options.map((e) => ({ value: e.id, label: labelOf(e) }))}
          data-testid="adjust-enrolment"
        />
      </Form.Item>
      <Form.Item
        name="month"
        label={t('payroll.adjust.month')}
        rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: t('payroll.adjust.month.invalid') }]}
      >
        <Input placeholder="YYYY-MM" style={{ width: 160 }} data-testid="adjust-month" />
      </Form.Item>
      <Form.Item
        name="amountYuan"
        label={t('payroll.adjust.amount')}
        extra={t('payroll.adjust.amount.extra')}
        rules={[
          { required: true, message: t('payroll.adjust.amount.required') },
          {
            validator: (_, v: number | null) =>
              v === 0 ? Promise.reject(new Error(t('payroll.adjust.amount.required'))) : Promise.resolve(),
          },
        ]}
      >
        <InputNumber<number>
          precision={2}
          min={-100_000}
          max={100_000}
          step={10}
          style={{ width: 200 }}
          suffix={t('payroll.adjust.yuan')}
          data-testid="adjust-amount"
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('payroll.field.reason')}
        rules={[{ required: true, whitespace: true, min: 2, message: t('payroll.reason.required') }]}
      >
        <Input.TextArea rows={3} maxLength={500} data-testid="adjust-reason" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="adjust-submit">
        {t('payroll.action.adjust')}
      </Button>
      <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
        {t('payroll.adjust.current', { lines: p.lineCount, total: yuan(p.totalFen) })}
      </Typography.Text>
    </Form>
  );
}
