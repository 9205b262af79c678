import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, Col, Row, Spin } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { CalendarOverride } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useCalendarData } from './useCalendarData';
import { MonthCalendar } from './MonthCalendar';
import { OverrideModal, type OverrideTarget } from './OverrideModal';
import { OverridesTable } from './OverridesTable';
import { WorkingDaysCalculator } from './WorkingDaysCalculator';

export default function CalendarPage() {
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [value, setValue] = useState(() => dayjs().startOf('day'));
  const month = value.format('YYYY-MM');
  const year = value.format('YYYY');
  const { days, overrides, reload } = useCalendarData(month);
  const [target, setTarget] = useState<OverrideTarget | null>(null);

  const overrideFor = (date: string) => overrides.data?.items.find((o) => o.date === date);
  const monthData = days.data?.month === month ? days.data : undefined;

  async function remove(o: CalendarOverride) {
    try {
      await api.delete(`/api/calendar/overrides/${seg(o.date)}`);
      void message.success(t('calendar.override.deleted', { date: o.date }));
      reload();
    } catch (e) {
      notifyError(e);
    }
  }

  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({})} data-testid="override-add">
            {t('calendar.override.add')}
          </Button>
        }
      />
      {monthData && !monthData.yearKnown && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('calendar.yearUnknown.title', { year })}
          description={t('calendar.yearUnknown.desc')}
          data-testid="calendar-year-unknown"
        />
      )}
      <ErrorAlert error={days.error ?? overrides.error} onRetry={reload} />
      <Card style={{ marginBottom: 16 }}>
        <Spin spinning={days.loading}>
          <MonthCalendar
            value={value}
            days={monthData?.days}
            onMonthChange={(d) => setValue(d.startOf('day'))}
            onDayClick={(day) => {
              setValue(dayjs(day.date));
              setTarget({ date: day.date, day, existing: overrideFor(day.date) });
            }}
          />
        </Spin>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t('calendar.overrides.title', { year })}>
            <OverridesTable
              items={overrides.data?.items}
              loading={overrides.loading}
              onEdit={(o) =>
                setTarget({ date: o.date, existing: o, day: monthData?.days.find((d) => d.date === o.date) })
              }
              onDelete={remove}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('calendar.calc.title')}>
            <WorkingDaysCalculator />
          </Card>
        </Col>
      </Row>
      <OverrideModal
        target={target}
        onClose={() => setTarget(null)}
        onSaved={() => {
          void message.success(t('calendar.override.saved'));
          setTarget(null);
          reload();
        }}
      />
    </>
  );
}
