import { useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Button, DatePicker, Form, InputNumber, Result, Typography } from 'antd';
import { AddWorkingDaysResult } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';

interface Values {
  from: Dayjs;
  days: number;
}

/** Statutory deadlines count working days on the official calendar, so staff can check one here. */
export function WorkingDaysCalculator() {
  const t = useT();
  const notifyError = useNotifyError();
  const [result, setResult] = useState<{ from: string; days: number; date: string } | null>(null);
  const [loading, setLoading] = useState(false);

  async function compute(values: Values) {
    setLoading(true);
    try {
      setResult(
        await api.get('/api/calendar/add-working-days', {
          query: { from: values.from.format('YYYY-MM-DD'), days: values.days },
          schema: AddWorkingDaysResult,
        }),
      );
    } catch (e) {
      notifyError(e);
    } finally {
      setLoading(false);
    }
  }

  return (
    <>
      <Form<Values>
        layout="vertical"
        initialValues={{ from: dayjs(), days: 3 }}
        onFinish={(v) => void compute(v)}
        onValuesChange={() => setResult(null)}
      >
        <Form.Item
          name="from"
          label={t('calendar.calc.from')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker allowClear={false} style={{ width: '100%' }} data-testid="calc-from" />
        </Form.Item>
        <Form.Item
          name="days"
          label={t('calendar.calc.days')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} data-testid="calc-days" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={loading} block data-testid="calc-submit">
          {t('calendar.calc.submit')}
        </Button>
      </Form>
      {result && (
        <Result
          status="success"
          style={{ padding: '16px 0 0' }}
          title={
            <Typography.Text strong style={{ fontSize: 20 }} data-testid="calc-result">
              {result.date} {dayjs(result.date).format('dddd')}
            </Typography.Text>
          }
          subTitle={t('calendar.calc.result', { from: result.from, days: result.days })}
        />
      )}
    </>
  );
}
