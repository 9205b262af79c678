import { z } from 'zod';
import { IsoDate } from './common';

export const CalendarOverride = z.object({
  date: IsoDate,
  isWorkingDay: z.boolean(),
  note: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type CalendarOverride = z.infer<typeof CalendarOverride>;

export const CalendarOverrideList = z.object({ items: z.array(CalendarOverride) });
export const CalendarOverrideQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export type CalendarOverrideList = z.infer<typeof CalendarOverrideList>;

export const PutCalendarOverrideBody = z.strictObject({
  isWorkingDay: z.boolean(),
  note: z.string().min(1).max(100),
});
export type PutCalendarOverrideBody = z.infer<typeof PutCalendarOverrideBody>;

export const CalendarDay = z.object({
  date: IsoDate,
  isWorkingDay: z.boolean(),
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup_workday']),
  name: z.string().optional(),
  note: z.string().optional(),
  source: z.enum(['official', 'override', 'default']),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const CalendarMonthQuery = z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/, 'YYYY-MM') });
export const CalendarMonth = z.object({
  month: z.string(),
  yearKnown: z.boolean(),
  days: z.array(CalendarDay),
});
export type CalendarMonth = z.infer<typeof CalendarMonth>;

export const AddWorkingDaysQuery = z.strictObject({
  from: IsoDate,
  days: z.coerce.number().int().min(0).max(3650),
});
export const AddWorkingDaysResult = z.object({ from: IsoDate, days: z.number().int(), date: IsoDate });
