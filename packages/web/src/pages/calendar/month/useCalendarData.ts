import { CalendarMonth, CalendarOverrideList } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';

/** The shown month (`YYYY-MM`) and the overrides of its year. */
export function useCalendarData(month: string) {
  const year = month.slice(0, 4);
  const days = useRequest(
    (signal) => api.get('/api/calendar/month', { query: { month }, schema: CalendarMonth, signal }),
    [month],
  );
  const overrides = useRequest(
    (signal) => api.get('/api/calendar/overrides', { query: { year }, schema: CalendarOverrideList, signal }),
    [year],
  );
  return {
    days,
    overrides,
    reload: () => {
      days.reload();
      overrides.reload();
    },
  };
}
