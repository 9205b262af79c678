import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar, createCalendar, isValidIsoDate, officialCalendar as cal } from './index.ts';

/** Every date from `from` to `to` inclusive, as 'YYYY-MM-DD' (test-side, via Date). */
function datesFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const utcDateArb = (min: string, max: string) =>
  fc
    .date({
      min: new Date(`${min}T00:00:00Z`),
      max: new Date(`${max}T00:00:00Z`),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

describe('the chinese-days data the calendar relies on', () => {
  it('never lists a date as both holiday and make-up workday, and make-up days are weekends', () => {
    const holidays = Object.keys(chineseDays.holidays);
    const workdays = Object.keys(chineseDays.workdays);
    expect(holidays.filter((d) => workdays.includes(d))).toEqual([]);
    for (const d of [...holidays, ...workdays]) expect(isValidIsoDate(d)).toBe(true);
    for (const d of workdays) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  });

  it('knows every year from 2004 through 2026', () => {
    const years = cal.knownYears();
    for (let y = 2004; y <= 2026; y += 1) expect(years).toContain(y);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    expect(cal.isYearKnown(2025)).toBe(true);
    expect(cal.isYearKnown(2026)).toBe(true);
    expect(cal.isYearKnown(2003)).toBe(false);
  });
});

describe('2025 National Day and Mid-Autumn (10-01..10-08, make-up 09-28 and 10-11)', () => {
  it('10 working days after 2025-09-26 is 2025-10-16', () => {
    expect(cal.addWorkingDays('2025-09-26', 10)).toBe('2025-10-16');
  });

  it('2025-10-01..2025-10-08 are holidays, weekends inside the block included', () => {
    for (const d of datesFrom('2025-10-01', '2025-10-08')) {
      expect(cal.isWorkingDay(d)).toBe(false);
      expect(cal.dayInfo(d)).toMatchObject({
        kind: 'holiday',
        source: 'official',
      });
    }
    expect(cal.dayInfo('2025-10-01')).toEqual({
      date: '2025-10-01',
      isWorkingDay: false,
      kind: 'holiday',
      name: '国庆节',
      source: 'official',
    });
    // Mid-Autumn fell inside the block; the package labels that one day 中秋.
    expect(cal.dayInfo('2025-10-06').name).toBe('中秋');
  });

  it('2025-09-28 (Sunday) and 2025-10-11 (Saturday) are make-up working days', () => {
    for (const d of ['2025-09-28', '2025-10-11']) {
      expect(cal.isWorkingDay(d)).toBe(true);
      expect(cal.dayInfo(d)).toEqual({
        date: d,
        isWorkingDay: true,
        kind: 'makeup_workday',
        name: '国庆节',
        source: 'official',
      });
    }
  });

  it('ordinary days of a known year are official weekdays and weekends', () => {
    expect(cal.dayInfo('2025-10-12')).toEqual({
      date: '2025-10-12',
      isWorkingDay: false,
      kind: 'weekend',
      source: 'official',
    });
    expect(cal.dayInfo('2025-10-13')).toEqual({
      date: '2025-10-13',
      isWorkingDay: true,
      kind: 'workday',
      source: 'official',
    });
  });

  it('counts working days across National Day', () => {
    // 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14, 10-15, 10-16
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-16')).toBe(10);
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1);
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(cal.workingDaysBetween('2025-10-16', '2025-09-26')).toBe(-10);
    expect(cal.workingDaysBetween('2025-10-05', '2025-10-05')).toBe(0);
    expect(Object.is(cal.workingDaysBetween('2025-10-08', '2025-09-30'), 0)).toBe(true);
  });
});

describe('2026 Spring Festival (02-15..02-23, make-up 02-14 and 02-28)', () => {
  it('2026-02-14 and 2026-02-28 (Saturdays) are make-up working days', () => {
    for (const d of ['2026-02-14', '2026-02-28']) {
      expect(new Date(`${d}T00:00:00Z`).getUTCDay()).toBe(6);
      expect(cal.isWorkingDay(d)).toBe(true);
      expect(cal.dayInfo(d)).toMatchObject({
        kind: 'makeup_workday',
        name: '春节',
        source: 'official',
      });
    }
  });

  it('2026-02-15..2026-02-23 are 春节 holidays and the days around them work', () => {
    for (const d of datesFrom('2026-02-15', '2026-02-23')) {
      expect(cal.dayInfo(d)).toMatchObject({
        isWorkingDay: false,
        kind: 'holiday',
        name: '春节',
      });
    }
    expect(cal.isWorkingDay('2026-02-13')).toBe(true);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.isWorkingDay('2026-02-21')).toBe(false); // a Saturday inside the block
    expect(cal.isWorkingDay('2026-03-01')).toBe(false); // ordinary Sunday after it
  });

  it('adds and counts working days across the festival', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-14', 5)).toBe('2026-02-28');
    // 02-14, 02-24, 02-25, 02-26, 02-27, 02-28
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });
});

describe('addWorkingDays with n = 0', () => {
  it('returns the date itself on a working day, else the next working day', () => {
    expect(cal.addWorkingDays('2025-09-30', 0)).toBe('2025-09-30');
    expect(cal.addWorkingDays('2025-09-28', 0)).toBe('2025-09-28'); // make-up Sunday
    expect(cal.addWorkingDays('2025-10-01', 0)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2026-02-15', 0)).toBe('2026-02-24');
  });
});

describe('years nobody knows', () => {
  it('falls back to Mon–Fri work with source "default"', () => {
    expect(cal.isYearKnown(2027)).toBe(false);
    expect(cal.dayInfo('2027-02-08')).toEqual({
      date: '2027-02-08',
      isWorkingDay: true,
      kind: 'workday',
      source: 'default',
    });
    expect(cal.dayInfo('2027-02-06')).toMatchObject({
      isWorkingDay: false,
      kind: 'weekend',
      source: 'default',
    });
    expect(cal.addWorkingDays('2027-02-05', 1)).toBe('2027-02-08');
  });

  it('agrees with Date#getUTCDay on weekends for any year outside the data', () => {
    fc.assert(
      fc.property(fc.oneof(utcDateArb('1900-01-01', '2003-12-31'), utcDateArb('2028-01-01', '2400-12-31')), (d) => {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        expect(cal.isWorkingDay(d)).toBe(weekday !== 0 && weekday !== 6);
      }),
    );
  });
});

describe('admin overrides', () => {
  it('make a day of an unknown year a holiday, and make that year known', () => {
    const c = createCalendar([{ date: '2027-02-08', isWorkingDay: false, note: '春节（预排）' }]);
    expect(c.isWorkingDay('2027-02-08')).toBe(false);
    expect(c.dayInfo('2027-02-08')).toEqual({
      date: '2027-02-08',
      isWorkingDay: false,
      kind: 'holiday',
      note: '春节（预排）',
      source: 'override',
    });
    expect(c.isYearKnown(2027)).toBe(true);
    expect(c.dayInfo('2027-02-09').source).toBe('default');
    expect(c.addWorkingDays('2027-02-05', 1)).toBe('2027-02-09');
    expect(c.workingDaysBetween('2027-02-05', '2027-02-12')).toBe(4);
    // The shared official calendar is untouched.
    expect(cal.isWorkingDay('2027-02-08')).toBe(true);
  });

  it('win over the official schedule in both directions', () => {
    const c = createCalendar([
      { date: '2025-10-08', isWorkingDay: true }, // official holiday (Wednesday)
      { date: '2025-10-11', isWorkingDay: false, note: '本市不调休' }, // official make-up Saturday
      { date: '2025-10-01', isWorkingDay: false }, // agrees with the official data
    ]);
    expect(c.dayInfo('2025-10-08')).toEqual({
      date: '2025-10-08',
      isWorkingDay: true,
      kind: 'workday',
      source: 'override',
    });
    expect(c.dayInfo('2025-10-11')).toEqual({
      date: '2025-10-11',
      isWorkingDay: false,
      kind: 'weekend',
      note: '本市不调休',
      source: 'override',
    });
    expect(c.dayInfo('2025-10-01')).toMatchObject({
      kind: 'holiday',
      name: '国庆节',
      source: 'override',
    });
    // 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-13, 10-14, 10-15, 10-16
    expect(c.addWorkingDays('2025-09-26', 10)).toBe('2025-10-16');
    expect(c.addWorkingDays('2025-09-26', 4)).toBe('2025-10-08');
    expect(c.workingDaysBetween('2025-10-07', '2025-10-13')).toBe(4);
  });

  it('turn a weekend into a make-up workday', () => {
    const c = createCalendar([{ date: '2027-02-06', isWorkingDay: true }]);
    expect(c.dayInfo('2027-02-06')).toMatchObject({
      isWorkingDay: true,
      kind: 'makeup_workday',
      source: 'override',
    });
  });

  it('are copied, so later edits to the input change nothing', () => {
    const input = [{ date: '2027-02-08', isWorkingDay: false }];
    const c = new WorkingCalendar(input);
    input[0]!.isWorkingDay = true;
    expect(c.isWorkingDay('2027-02-08')).toBe(false);
    expect(c.overrides()).toEqual([{ date: '2027-02-08', isWorkingDay: false }]);
  });

  it('reject bad dates and repeated dates', () => {
    expect(() => createCalendar([{ date: '2027-02-30', isWorkingDay: false }])).toThrow(RangeError);
    expect(() =>
      createCalendar([
        { date: '2027-02-08', isWorkingDay: false },
        { date: '2027-02-08', isWorkingDay: true },
      ]),
    ).toThrow(/Duplicate override for 2027-02-08/);
  });
});

describe('input validation', () => {
  const bad = [
    '2025-02-29', // 2025 is not a leap year
    '2100-02-29', // century, not a leap year
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-1-01',
    '20250101',
    '2025/01/01',
    '2025-01-01T00:00:00Z',
    ' 2025-01-01',
    '2025-01-01\n',
    '',
  ];

  it.each(bad)('rejects %j with a RangeError', (d) => {
    expect(() => cal.isWorkingDay(d)).toThrow(RangeError);
    expect(() => cal.dayInfo(d)).toThrow(/not a real calendar date in YYYY-MM-DD format/);
    expect(() => cal.addWorkingDays(d, 1)).toThrow(RangeError);
    expect(() => cal.workingDaysBetween('2025-01-01', d)).toThrow(/Invalid to date/);
    expect(() => cal.workingDaysBetween(d, '2025-01-01')).toThrow(/Invalid from date/);
    expect(isValidIsoDate(d)).toBe(false);
  });

  it('rejects values that are not strings', () => {
    for (const v of [undefined, null, 20250101, new Date('2025-01-01')]) {
      expect(() => cal.isWorkingDay(v as unknown as string)).toThrow(RangeError);
      expect(isValidIsoDate(v)).toBe(false);
    }
  });

  it('accepts leap days and the ends of the 4-digit range', () => {
    for (const d of ['2024-02-29', '2000-02-29', '0001-01-01', '0099-12-31', '9999-12-31']) {
      expect(isValidIsoDate(d)).toBe(true);
    }
    expect(cal.addWorkingDays('0099-12-31', 1)).toBe('0100-01-01'); // a Friday
  });

  it('rejects a bad n and a bad year', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => cal.addWorkingDays('2025-01-02', n)).toThrow(RangeError);
    }
    expect(() => cal.isYearKnown(2025.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('9999-12-31', 1)).toThrow(/9999-12-31/);
  });
});

describe('properties over 2025–2026', () => {
  const dateArb = utcDateArb('2025-01-01', '2026-12-31');

  it('addWorkingDays lands on a working day that workingDaysBetween counts back to n', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), (d, n) => {
        const result = cal.addWorkingDays(d, n);
        expect(cal.isWorkingDay(result)).toBe(true);
        const counted = cal.workingDaysBetween(d, result);
        if (n >= 1) {
          expect(counted).toBe(n);
          expect(result > d).toBe(true);
        } else {
          expect(counted).toBe(cal.isWorkingDay(d) ? 0 : 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('workingDaysBetween is antisymmetric and additive', () => {
    fc.assert(
      fc.property(dateArb, dateArb, dateArb, (a, b, c) => {
        expect(cal.workingDaysBetween(a, b)).toBe(-cal.workingDaysBetween(b, a) || 0);
        expect(cal.workingDaysBetween(a, c)).toBe(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c));
      }),
    );
  });
});

describe('counting working days from running counts', () => {
  it('counts (from, to] as a walk over the days would, across years, overrides and the ends of the range', () => {
    const c = createCalendar([
      { date: '2027-02-08', isWorkingDay: false },
      { date: '2027-02-13', isWorkingDay: true },
    ]);
    const DAY = 86_400_000;
    const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
    const walk = (from: string, to: string) => {
      const [low, high] = from <= to ? [from, to] : [to, from];
      let n = 0;
      for (let t = Date.parse(`${low}T00:00:00Z`) + DAY; t <= Date.parse(`${high}T00:00:00Z`); t += DAY)
        if (c.isWorkingDay(iso(t))) n++;
      return from <= to || n === 0 ? n : -n;
    };
    // A start anywhere the counts are kept (and near both ends of the range), and a span of up to
    // three blocks of 1,024 days either way, clamped to the range.
    const startArb = fc.oneof(
      utcDateArb('2024-06-01', '2028-06-30'),
      utcDateArb('1990-01-01', '2060-12-31'),
      utcDateArb('9990-01-01', '9999-12-31'),
      utcDateArb('0001-01-01', '0010-12-31'),
    );
    const [first, last] = [Date.parse('0001-01-01T00:00:00Z'), Date.parse('9999-12-31T00:00:00Z')];
    fc.assert(
      fc.property(startArb, fc.integer({ min: -3_100, max: 3_100 }), (a, span) => {
        const b = iso(Math.min(last, Math.max(first, Date.parse(`${a}T00:00:00Z`) + span * DAY)));
        expect(c.workingDaysBetween(a, b)).toBe(walk(a, b));
      }),
      { numRuns: 150 },
    );
    expect(c.workingDaysBetween('2027-02-05', '2027-02-15')).toBe(6);
    expect(c.workingDaysBetween('9999-12-01', '9999-12-31')).toBe(walk('9999-12-01', '9999-12-31'));
  });
});
