/**
 * The official Chinese working-day calendar (法定节假日与调休安排).
 *
 * Deadlines across the platform are counted in working days from this module
 * (CONVENTIONS §9), so it must give the same answer in the browser and on the
 * server: it is pure, has no I/O, and treats dates as plain ISO calendar dates
 * ('YYYY-MM-DD'). Internally a date is a whole number of days since 1970-01-01
 * computed in UTC, so neither the host time zone nor DST can shift a day.
 *
 * Precedence for any date: admin override > State Council schedule shipped by
 * the `chinese-days` package > the weekday rule (Mon–Fri work, Sat–Sun rest).
 */
// The import attribute is what Node's ESM loader requires for JSON; Vite,
// vitest and tsx accept it too, so this one line works in every runtime we use.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** A calendar date written 'YYYY-MM-DD' (ISO 8601, no time, no zone). */
export type IsoDate = string;

/** An administrator's correction to the schedule, e.g. a local extra holiday. */
export interface CalendarRule {
  date: IsoDate;
  isWorkingDay: boolean;
  note?: string;
}

/**
 * - `workday`: an ordinary working day.
 * - `weekend`: a Saturday or Sunday with no special arrangement.
 * - `holiday`: a rest day of an official holiday block (weekends inside the
 *   block included), or a weekday an override turned into a rest day.
 * - `makeup_workday`: a Saturday or Sunday that is a working day (调休上班).
 */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

/**
 * - `official`: the year has an official schedule in `chinese-days` (for plain
 *   weekdays and weekends of such a year too: the schedule says nothing special).
 * - `override`: an admin override decided this date.
 * - `default`: nobody knows the year; the weekday rule decided.
 */
export type DaySource = 'official' | 'override' | 'default';

export interface DayInfo {
  date: IsoDate;
  isWorkingDay: boolean;
  kind: DayKind;
  /**
   * Chinese name of the holiday as the package spells it (国庆节, 春节, 中秋,
   * 清明, 端午, …). Set on holidays and on make-up workdays (naming the holiday
   * they make up for); absent when an override changed the official kind.
   */
  name?: string;
  /** The override's note, when an override decided this date. */
  note?: string;
  source: DaySource;
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01, or undefined when `value` is not a real 'YYYY-MM-DD' date. */
function toDayNumber(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return undefined; // rolled over: 2025-02-30, 2025-13-01, 2025-00-10, …
  }
  return probe.getTime() / MS_PER_DAY;
}

/** The date in China (UTC+8, no daylight saving) of an instant, by default now, as YYYY-MM-DD: the date staff and deadlines go by. */
export function chinaToday(now: Date = new Date()): IsoDate {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) as IsoDate;
}

/** True when `value` is a string holding a real calendar date as 'YYYY-MM-DD'. */

export function isValidIsoDate(value: unknown): value is IsoDate {
  return toDayNumber(value) !== undefined;
}

function parseDate(value: unknown, argument: string): number {
  const dayNumber = toDayNumber(value);
  if (dayNumber === undefined) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new RangeError(`Invalid ${argument}: ${shown} is not a real calendar date in YYYY-MM-DD format`);
  }
  return dayNumber;
}

function formatDate(dayNumber: number): IsoDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  const year = d.getUTCFullYear();
  if (year > 9999) {
    throw new RangeError('Date arithmetic went past 9999-12-31, which YYYY-MM-DD cannot express');
  }
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

const BLOCK_DAYS = 1024;
/** 0000-01-01 and 9999-12-31 as day numbers: the dates YYYY-MM-DD can express. */
const FIRST_DAY = toDayNumber('0000-01-01')!;
const LAST_DAY = toDayNumber('9999-12-31')!;

function isWeekend(dayNumber: number): boolean {
  // 1970-01-01 was a Thursday; 0 = Sunday … 6 = Saturday, as Date#getUTCDay.
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

interface OfficialDay {
  kind: 'holiday' | 'makeup_workday';
  name: string | undefined;
}

/**
 * Values in the package look like "National Day,国庆节,3": English name,
 * Chinese name, and the number of statutory days of that holiday.
 */
function chineseName(value: string): string | undefined {
  const parts = value.split(',');
  return parts.length >= 3 ? parts[parts.length - 2]?.trim() || undefined : undefined;
}

interface ChineseDaysData {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
}

function loadOfficialDays(data: ChineseDaysData): ReadonlyMap<IsoDate, OfficialDay> {
  const days = new Map<IsoDate, OfficialDay>();
  for (const [date, value] of Object.entries(data.holidays)) {
    days.set(date, { kind: 'holiday', name: chineseName(value) });
  }
  // The package never lists a date in both maps (a test guards that), so the
  // order here only matters if a future release breaks that invariant.
  for (const [date, value] of Object.entries(data.workdays)) {
    days.set(date, { kind: 'makeup_workday', name: chineseName(value) });
  }
  return days;
}

const officialData: ChineseDaysData = chineseDays;
const OFFICIAL_DAYS = loadOfficialDays(officialData);
const OFFICIAL_YEARS: readonly number[] = [...new Set([...OFFICIAL_DAYS.keys()].map(yearOf))].sort((a, b) => a - b);
const OFFICIAL_YEAR_SET: ReadonlySet<number> = new Set(OFFICIAL_YEARS);

function assertYear(year: number): void {
  if (!Number.isInteger(year)) {
    throw new RangeError(`Invalid year: ${String(year)} is not an integer`);
  }
}

export class WorkingCalendar {
  readonly #overrides: ReadonlyMap<IsoDate, Readonly<CalendarRule>>;
  readonly #overrideYears: ReadonlySet<number>;

  /**
   * @param overrides admin corrections; they win over the official schedule.
   *   Each date may appear once (two rows for one day would be ambiguous).
   * @throws RangeError on an invalid or repeated override date.
   */
  constructor(overrides: readonly CalendarRule[] = []) {
    const byDate = new Map<IsoDate, Readonly<CalendarRule>>();
    for (const [index, override] of overrides.entries()) {
      parseDate(override.date, `override date at index ${index}`);
      if (typeof override.isWorkingDay !== 'boolean') {
        throw new TypeError(`Override for ${override.date}: isWorkingDay must be a boolean`);
      }
      if (byDate.has(override.date)) {
        throw new RangeError(`Duplicate override for ${override.date}: give each date once`);
      }
      // Copied and frozen so that later edits to the caller's array cannot
      // change answers this calendar already gave.
      byDate.set(
        override.date,
        Object.freeze(
          override.note === undefined
            ? { date: override.date, isWorkingDay: override.isWorkingDay }
            : {
                date: override.date,
                isWorkingDay: override.isWorkingDay,
                note: override.note,
              },
        ),
      );
    }
    this.#overrides = byDate;
    this.#overrideYears = new Set([...byDate.keys()].map(yearOf));
  }

  /** The overrides this calendar was built with, in date order. */
  overrides(): CalendarRule[] {
    return [...this.#overrides.values()]
      .map((o) => ({ ...o }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  /** @throws RangeError when `date` is not a real 'YYYY-MM-DD' date. */
  isWorkingDay(date: IsoDate): boolean {
    return this.#isWorking(parseDate(date, 'date'));
  }

  /**
   * The `n`-th working day strictly after `date`.
   *
   * `n = 0` is the "effective date" rule: `date` itself if it is a working
   * day, otherwise the first working day after it. So the result is always a
   * working day, and a deadline of N working days from a Saturday counts from
   * the following Monday the same way as from that Monday.
   *
   * @throws RangeError on an invalid date or when `n` is not an integer ≥ 0.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let day = parseDate(date, 'date');
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`Invalid number of working days: ${String(n)} (expected an integer ≥ 0)`);
    }
    if (n === 0) {
      while (!this.#isWorking(day)) day += 1;
      return formatDate(day);
    }
    let remaining = n;
    while (remaining > 0) {
      day += 1;
      if (this.#isWorking(day)) remaining -= 1;
    }
    return formatDate(day);
  }

  /**
   * Working days in the half-open interval (from, to]: `from` is not counted,
   * `to` is. So `workingDaysBetween(d, addWorkingDays(d, n)) === n` for n ≥ 1.
   * When `to` is before `from` the result is the negated count over
   * (to, from], i.e. `workingDaysBetween(a, b) === -workingDaysBetween(b, a)`.
   *
   * @throws RangeError when either date is invalid.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const start = parseDate(from, 'from date');
    const end = parseDate(to, 'to date');
    const [low, high] = start <= end ? [start, end] : [end, start];
    const count = this.#countWorking(low, high);
    // Avoid returning -0 for an empty backwards interval.
    return start <= end || count === 0 ? count : -count;
  }

  /** Everything known about one date. @throws RangeError on an invalid date. */
  dayInfo(date: IsoDate): DayInfo {
    const dayNumber = parseDate(date, 'date');
    const weekend = isWeekend(dayNumber);
    const official = OFFICIAL_DAYS.get(date);
    const override = this.#overrides.get(date);

    if (override) {
      let kind: DayKind;
      if (override.isWorkingDay) kind = weekend ? 'makeup_workday' : 'workday';
      else kind = weekend && official?.kind !== 'holiday' ? 'weekend' : 'holiday';
      const info: DayInfo = {
        date,
        isWorkingDay: override.isWorkingDay,
        kind,
        source: 'override',
      };
      if (official?.name !== undefined && official.kind === kind) info.name = official.name;
      if (override.note !== undefined) info.note = override.note;
      return info;
    }

    if (official) {
      const info: DayInfo = {
        date,
        isWorkingDay: official.kind === 'makeup_workday',
        kind: official.kind,
        source: 'official',
      };
      if (official.name !== undefined) info.name = official.name;
      return info;
    }

    return {
      date,
      isWorkingDay: !weekend,
      kind: weekend ? 'weekend' : 'workday',
      source: OFFICIAL_YEAR_SET.has(yearOf(date)) ? 'official' : 'default',
    };
  }

  /**
   * Years for which `chinese-days` ships the State Council schedule, ascending.
   * A year's schedule is keyed by the dates it touches, so make-up days that a
   * later notice puts in late December (for the next New Year) only appear once
   * the package is updated; add an override in the meantime.
   */
  knownYears(): number[] {
    return [...OFFICIAL_YEARS];
  }

  /** True when the package has the year's schedule or any override falls in it. */
  isYearKnown(year: number): boolean {
    assertYear(year);
    return OFFICIAL_YEAR_SET.has(year) || this.#overrideYears.has(year);
  }

  // A calendar never changes, so each day's answer is kept: a list page asks for the working days
  // since each row's start date, the same few hundred days for every row (formatting each day's
  // date for the lookups was most of a case list's time on the server).
  #known = new Map<number, boolean>();

  // Running counts per block of days, built on first use: a list page asks for the working days
  // between each row's start and today, so (low, high] is a few lookups instead of a walk.
  #blocks = new Map<number, Uint16Array>();

  /** Working days in (low, high], low ≤ high. */
  #countWorking(low: number, high: number): number {
    const first = Math.floor(low / BLOCK_DAYS);
    const last = Math.floor(high / BLOCK_DAYS);
    if (first * BLOCK_DAYS < FIRST_DAY || (last + 1) * BLOCK_DAYS - 1 > LAST_DAY) {
      // A block would reach past what YYYY-MM-DD can express: walk the days.
      let count = 0;
      for (let day = low + 1; day <= high; day += 1) if (this.#isWorking(day)) count += 1;
      return count;
    }
    const upTo = (day: number) =>
      this.#block(Math.floor(day / BLOCK_DAYS))[day - Math.floor(day / BLOCK_DAYS) * BLOCK_DAYS]!;
    if (first === last) return upTo(high) - upTo(low);
    let count = this.#block(first)[BLOCK_DAYS - 1]! - upTo(low);
    for (let b = first + 1; b < last; b++) count += this.#block(b)[BLOCK_DAYS - 1]!;
    return count + upTo(high);
  }

  /** For each day of block `b`: the working days from the block's first day through it. */
  #block(b: number): Uint16Array {
    let counts = this.#blocks.get(b);
    if (!counts) {
      counts = new Uint16Array(BLOCK_DAYS);
      let n = 0;
      for (let i = 0; i < BLOCK_DAYS; i++) {
        if (this.#isWorking(b * BLOCK_DAYS + i)) n++;
        counts[i] = n;
      }
      this.#blocks.set(b, counts);
    }
    return counts;
  }

  #isWorking(dayNumber: number): boolean {
    const known = this.#known.get(dayNumber);
    if (known !== undefined) return known;
    const date = formatDate(dayNumber);
    const override = this.#overrides.get(date);
    const official = override ? undefined : OFFICIAL_DAYS.get(date);
    const working = override
      ? override.isWorkingDay
      : official
        ? official.kind === 'makeup_workday'
        : !isWeekend(dayNumber);
    this.#known.set(dayNumber, working);
    return working;
  }
}

/** A calendar with admin overrides (e.g. loaded from the database). */
export function createCalendar(overrides: readonly CalendarRule[] = []): WorkingCalendar {
  return new WorkingCalendar(overrides);
}

/** The State Council schedule alone, with no overrides. */
export const officialCalendar: WorkingCalendar = new WorkingCalendar();
