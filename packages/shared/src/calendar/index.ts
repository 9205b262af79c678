export {
  WorkingCalendar,
  createCalendar,
  chinaToday,
  isValidIsoDate,
  officialCalendar,
  type CalendarRule,
  type DayInfo,
  type DayKind,
  type DaySource,
} from './calendar.ts';
