import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { Button, Calendar, DatePicker, Flex, Space, Tag, Tooltip } from 'antd';
import { EditOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import type { CalendarDay } from '@jiuzhu/shared';
import { useT } from '../../../i18n';
import { KIND_STYLE, KINDS } from './dayStyle';

interface Props {
  value: Dayjs;
  days: CalendarDay[] | undefined;
  onMonthChange: (d: Dayjs) => void;
  onDayClick: (day: CalendarDay) => void;
}

export function MonthCalendar({ value, days, onMonthChange, onDayClick }: Props) {
  const t = useT();
  const byDate = new Map((days ?? []).map((d) => [d.date, d]));

  return (
    // Calendar does not forward data-* attributes, hence the wrapper.
    <div data-testid="calendar-grid">
      <Calendar
        value={value}
        mode="month"
        onSelect={(d, info) => {
          if (info.source !== 'date') return;
          // A click on a padding day of the next/previous month moves there.
          if (!d.isSame(value, 'month')) return onMonthChange(d);
          const day = byDate.get(d.format('YYYY-MM-DD'));
          if (day) onDayClick(day);
        }}
        headerRender={() => (
          <Flex justify="space-between" align="center" wrap gap="small" style={{ padding: '8px 0 12px' }}>
            <Space>
              <Button
                icon={<LeftOutlined />}
                aria-label={t('calendar.prevMonth')}
                onClick={() => onMonthChange(value.subtract(1, 'month'))}
                data-testid="calendar-prev"
              />
              <DatePicker
                picker="month"
                allowClear={false}
                value={value}
                onChange={(d) => d && onMonthChange(d)}
                data-testid="calendar-month-picker"
              />
              <Button
                icon={<RightOutlined />}
                aria-label={t('calendar.nextMonth')}
                onClick={() => onMonthChange(value.add(1, 'month'))}
                data-testid="calendar-next"
              />
              <Button onClick={() => onMonthChange(dayjs())}>{t('calendar.thisMonth')}</Button>
            </Space>
            <Space size={4} wrap>
              {KINDS.map((k) => (
                <Tag
                  key={k}
                  color={KIND_STYLE[k].tag}
                  style={{ background: KIND_STYLE[k].tag ? undefined : KIND_STYLE[k].background }}
                >
                  {t(`calendar.kind.${k}`)}
                </Tag>
              ))}
              <Tag icon={<EditOutlined />} color="blue">
                {t('calendar.source.override')}
              </Tag>
            </Space>
          </Flex>
        )}
        cellRender={(d, info) => {
          if (info.type !== 'date' || !d.isSame(value, 'month')) return null;
          const day = byDate.get(d.format('YYYY-MM-DD'));
          if (!day) return null;
          const style = KIND_STYLE[day.kind];
          return (
            <div
              data-testid={`calendar-day-${day.date}`}
              data-kind={day.kind}
              style={{ background: style.background, borderRadius: 4, height: '100%', padding: 4 }}
            >
              {day.kind !== 'workday' && (
                <Tag color={style.tag} style={{ marginInlineEnd: 4 }}>
                  {t(`calendar.kind.short.${day.kind}`)}
                </Tag>
              )}
              {day.source === 'override' && (
                <Tooltip title={t('calendar.source.override')}>
                  <EditOutlined style={{ color: '#1677ff' }} />
                </Tooltip>
              )}
              {day.name && (
                <div
                  style={{
                    fontSize: 12,
                    marginTop: 2,
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                    whiteSpace: 'nowrap',
                  }}
                >
                  {day.name}
                </div>
              )}
            </div>
          );
        }}
      />
    </div>
  );
}
