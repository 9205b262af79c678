import { z } from 'zod';
import { IsoDate, IsoMonth, Text } from './common';

export const CalendarOverride = z.object({
  date: IsoDate,
  isWorkingDay: z.boolean(),
  note: Text,
  updatedBy: Text,
  updatedAt: Text,
});
export type CalendarOverride = z.infer<typeof CalendarOverride>;

export const CalendarOverrideList = z.object({ items: z.array(CalendarOverride) });
export const CalendarOverrideQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export type CalendarOverrideList = z.infer<typeof CalendarOverrideList>;

export const PutCalendarOverrideBody = z.strictObject({
  isWorkingDay: z.boolean(),
  note: Text.min(1).max(100),
});
export type PutCalendarOverrideBody = z.infer<typeof PutCalendarOverrideBody>;

export const CalendarDay = z.object({
  date: IsoDate,
  isWorkingDay: z.boolean(),
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup_workday']),
  name: Text.optional(),
  note: Text.optional(),
  source: z.enum(['official', 'override', 'default']),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const CalendarMonthQuery = z.strictObject({ month: IsoMonth });
export const CalendarMonth = z.object({
  month: Text,
  yearKnown: z.boolean(),
  days: z.array(CalendarDay),
});
export type CalendarMonth = z.infer<typeof CalendarMonth>;

export const AddWorkingDaysQuery = z.strictObject({
  from: IsoDate,
  days: z.coerce.number().int().min(0).max(3650),
});
export const AddWorkingDaysResult = z.object({ from: IsoDate, days: z.number().int(), date: IsoDate });
