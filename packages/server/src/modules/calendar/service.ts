import type { Kysely } from 'kysely';
import { createCalendar, type CalendarMonth, type CalendarOverride, type WorkingCalendar } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';

/**
 * The working-day calendar every deadline uses: the official schedule from
 * `chinese-days` with the admins' overrides on top. The overrides table is tiny,
 * so it is read on each call and every process sees a change at once.
 */
export async function getCalendar(db: Kysely<DB>): Promise<WorkingCalendar> {
  const rows = await db
    .selectFrom('calendar_overrides')
    .select(['date', 'is_working_day', 'note'])
    .orderBy('date')
    .execute();
  const overrides = rows.map((r) => ({ date: r.date, isWorkingDay: r.is_working_day, note: r.note }));
  // The calendar keeps each day's answer once asked: reuse it while the overrides are the same, so a
  // list page does not count every row's working days from scratch on each request.
  const key = JSON.stringify(overrides);
  if (cached?.key !== key) cached = { key, calendar: createCalendar(overrides) };
  return cached.calendar;
}

let cached: { key: string; calendar: WorkingCalendar } | undefined;

export async function calendarMonth(db: Kysely<DB>, month: string): Promise<CalendarMonth> {
  const calendar = await getCalendar(db);
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (m < 1 || m > 12) throw InvalidField('query.month', 'error.validation');
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const days = Array.from({ length: daysInMonth }, (_, i) =>
    calendar.dayInfo(`${month}-${String(i + 1).padStart(2, '0')}`),
  );
  return { month, yearKnown: calendar.isYearKnown(y), days };
}

/** Dates the calendar handles: real calendar dates of 2000–2100 (the overrides' and deadlines' range). */
function validDate(calendar: WorkingCalendar, path: string, date: string): void {
  const year = Number(date.slice(0, 4));
  try {
    calendar.dayInfo(date);
  } catch {
    throw InvalidField(path, 'error.validation');
  }
  if (year < 2000 || year > 2100) throw InvalidField(path, 'error.validation');
}

export async function addWorkingDays(db: Kysely<DB>, from: string, days: number): Promise<string> {
  const calendar = await getCalendar(db);
  validDate(calendar, 'query.from', from);
  const date = calendar.addWorkingDays(from, days);
  if (Number(date.slice(0, 4)) > 2100) throw InvalidField('query.days', 'error.validation');
  return date;
}

export async function listOverrides(db: Kysely<DB>, year: number): Promise<CalendarOverride[]> {
  const rows = await db
    .selectFrom('calendar_overrides')
    .selectAll()
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({
    date: r.date,
    isWorkingDay: r.is_working_day,
    note: r.note,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** Overrides are city-wide: only a city admin sets them (checked at the route); the audit row carries the city. */
export async function putOverride(
  db: Kysely<DB>,
  city: string,
  username: string,
  date: string,
  isWorkingDay: boolean,
  note: string,
): Promise<void> {
  validDate(createCalendar([]), 'date', date);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('calendar_overrides')
      .values({ date, is_working_day: isWorkingDay, note, updated_by: username })
      .onConflict((oc) =>
        oc
          .column('date')
          .doUpdateSet({ is_working_day: isWorkingDay, note, updated_by: username, updated_at: new Date() }),
      )
      .execute();
    await recordAudit(trx, {
      action: 'calendar.override_set',
      entity: 'calendar_override',
      entityId: date,
      regionCode: city,
      detail: { isWorkingDay },
    });
  });
}

export async function deleteOverride(db: Kysely<DB>, city: string, date: string): Promise<void> {
  // The route only checks the shape; PostgreSQL would fail on 2025-02-30 with a 500.
  validDate(createCalendar([]), 'date', date);
  await db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('calendar_overrides').where('date', '=', date).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw NotFound('entity.calendarOverride');
    await recordAudit(trx, {
      action: 'calendar.override_delete',
      entity: 'calendar_override',
      entityId: date,
      regionCode: city,
    });
  });
}
