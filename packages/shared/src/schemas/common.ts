import { z } from 'zod';

/**
 * Control characters other than tab, line feed and carriage return (a CRLF newline from a
 * Windows client). NUL in particular is refused by PostgreSQL's text type, and the others
 * have no business in a name, an address or a note: they only hide content from reviewers.
 */
// eslint-disable-next-line no-control-regex -- the point of the pattern
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Message keys the server localises (packages/server/src/i18n/messages.ts). */
export const TEXT_CONTROL_MESSAGE = 'error.controlCharacters';
export const CALENDAR_DATE_MESSAGE = 'error.calendarDate';
export const CALENDAR_MONTH_MESSAGE = 'error.calendarMonth';

/**
 * The one string type of the API contract: every string field of a body, query, parameter
 * or header (and of the answers, which carry what came in) is built on it, so a control
 * character is a 400 naming the field at the schema layer, never a database error.
 */
export const Text = z
  .string()
  .refine((s) => !CONTROL_CHARACTER.test(s), { message: TEXT_CONTROL_MESSAGE, abort: true });

/** True when `s` is 'YYYY-MM-DD' and a real date of the Gregorian calendar (no 2026-02-30, no month 13). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** The one calendar-date type: a pattern match that is not a real date is a 400 everywhere. */
export const IsoDate = Text.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'YYYY-MM-DD', abort: true }).refine(
  isCalendarDate,
  {
    message: CALENDAR_DATE_MESSAGE,
    abort: true,
  },
);
/** A month 'YYYY-MM' with a month between 01 and 12. */
export const IsoMonth = Text.regex(/^\d{4}-(0[1-9]|1[0-2])$/, CALENDAR_MONTH_MESSAGE);
export const RegionCode = Text.regex(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/, 'region code');

export const PageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
