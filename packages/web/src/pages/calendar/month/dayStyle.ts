import type { CalendarDay } from '@jiuzhu/shared';

type Kind = CalendarDay['kind'];

/** Colours follow wall calendars in China: red for days off, orange for 调休 make-up workdays. */
export const KIND_STYLE: Record<Kind, { background: string; tag?: string }> = {
  workday: { background: 'transparent' },
  weekend: { background: '#f5f5f5', tag: 'default' },
  holiday: { background: '#fff1f0', tag: 'red' },
  makeup_workday: { background: '#fff7e6', tag: 'orange' },
};

export const KINDS: readonly Kind[] = ['workday', 'weekend', 'holiday', 'makeup_workday'];
