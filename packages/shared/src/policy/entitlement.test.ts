import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  changeAllowed,
  entitlementFor,
  entitlementSeries,
  monthRange,
  summarise,
  type EntitlementChange,
  type EntitlementChangeType,
} from './entitlement';

const A = ['h1', 'h2', 'h3'];

describe('entitlement month by month', () => {
  it('follows enrolment → amount change → suspension → resumption → gradual exit → end', () => {
    const changes: EntitlementChange[] = [
      { seq: 1, type: 'enrolled', effectiveMonth: '2025-01', amountFen: 60_000, members: A },
      { seq: 2, type: 'amount_changed', effectiveMonth: '2025-04', amountFen: 45_000 },
      { seq: 3, type: 'suspended', effectiveMonth: '2025-06' },
      { seq: 4, type: 'resumed', effectiveMonth: '2025-08' },
      { seq: 5, type: 'members_changed', effectiveMonth: '2025-09', amountFen: 30_000, members: ['h1', 'h2'] },
      { seq: 6, type: 'gradual_exit_started', effectiveMonth: '2025-11', months: 3 },
    ];
    const series = entitlementSeries(changes, '2024-12', '2026-03');
    const by = Object.fromEntries(series.map((e) => [e.month, [e.state, e.amountFen]]));
    expect(by).toEqual({
      '2024-12': ['pending', 0],
      '2025-01': ['active', 60_000],
      '2025-02': ['active', 60_000],
      '2025-03': ['active', 60_000],
      '2025-04': ['active', 45_000],
      '2025-05': ['active', 45_000],
      '2025-06': ['suspended', 0],
      '2025-07': ['suspended', 0],
      '2025-08': ['active', 45_000],
      '2025-09': ['active', 30_000],
      '2025-10': ['active', 30_000],
      '2025-11': ['gradual_exit', 30_000],
      '2025-12': ['gradual_exit', 30_000],
      '2026-01': ['gradual_exit', 30_000],
      '2026-02': ['ended', 0],
      '2026-03': ['ended', 0],
    });
    expect(entitlementFor(changes, '2025-10').members).toEqual(['h1', 'h2']);
    expect(entitlementFor(changes, '2025-08').members).toEqual(A);
    expect(summarise(changes)).toMatchObject({
      status: 'gradual_exit',
      endsMonth: '2026-02',
      monthlyAmountFen: 30_000,
    });
    // An end decided in December 2025 takes effect from January 2026: December is still paid.
    const ended = [...changes, { seq: 7, type: 'ended' as const, effectiveMonth: '2026-01' }];
    expect(entitlementFor(ended, '2025-12')).toMatchObject({ state: 'gradual_exit', amountFen: 30_000 });
    expect(entitlementFor(ended, '2026-01')).toMatchObject({ state: 'ended', amountFen: 0 });
    expect(summarise(ended)).toMatchObject({ status: 'ended', endsMonth: '2026-01' });
  });

  it('pays a one-off grant in its month only, and a zero-month gradual exit ends at once', () => {
    const grant: EntitlementChange[] = [
      { seq: 1, type: 'enrolled', effectiveMonth: '2026-03', amountFen: 0, oneOffFen: 150_000, members: ['x'] },
    ];
    expect(entitlementFor(grant, '2026-03').amountFen).toBe(150_000);
    expect(entitlementFor(grant, '2026-04').amountFen).toBe(0);
    const exit: EntitlementChange[] = [
      { seq: 1, type: 'enrolled', effectiveMonth: '2026-01', amountFen: 10_000, members: ['x'] },
      { seq: 2, type: 'gradual_exit_started', effectiveMonth: '2026-03', months: 0 },
    ];
    expect(entitlementFor(exit, '2026-02').amountFen).toBe(10_000);
    expect(entitlementFor(exit, '2026-03').state).toBe('ended');
  });

  it('refuses lists that do not start with enrolled and malformed months', () => {
    expect(() => entitlementFor([{ seq: 1, type: 'suspended', effectiveMonth: '2026-01' }], '2026-01')).toThrow();
    expect(() => entitlementFor([], '2026-13')).toThrow();
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

const month = fc
  .record({ y: fc.integer({ min: 2015, max: 2030 }), m: fc.integer({ min: 1, max: 12 }) })
  .map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}`);
const later: EntitlementChangeType[] = [
  'amount_changed',
  'members_changed',
  'suspended',
  'resumed',
  'gradual_exit_started',
  'ended',
];
/** A history as the server writes it: enrolled first, effective months never going back, only allowed changes. */
const history = fc
  .record({
    start: month,
    amount: fc.integer({ min: 0, max: 500_000 }),
    steps: fc.array(
      fc.record({
        type: fc.constantFrom(...later),
        gap: fc.integer({ min: 0, max: 14 }),
        amount: fc.integer({ min: 0, max: 500_000 }),
        months: fc.integer({ min: 0, max: 6 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ start, amount, steps }) => {
    const changes: EntitlementChange[] = [
      { seq: 1, type: 'enrolled', effectiveMonth: start, amountFen: amount, members: ['a'] },
    ];
    let m = start;
    for (const s of steps) {
      if (!changeAllowed(summarise(changes).status, s.type)) continue;
      m = addMonths(m, s.gap);
      changes.push({
        seq: changes.length + 1,
        type: s.type,
        effectiveMonth: m,
        amountFen: s.type === 'amount_changed' || s.type === 'members_changed' ? s.amount : null,
        members: s.type === 'members_changed' ? ['a', String(s.amount)] : null,
        months: s.type === 'gradual_exit_started' ? s.months : null,
      });
    }
    return changes;
  });

describe('entitlement properties', () => {
  it('pays nothing before the start, nothing while suspended or ended, and never more than the amount in force', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: -3, max: 120 }), (changes, offset) => {
        const m = addMonths(changes[0]!.effectiveMonth, offset);
        const e = entitlementFor(changes, m);
        if (offset < 0) expect(e.state).toBe('pending');
        if (e.state === 'suspended' || e.state === 'ended' || e.state === 'pending') expect(e.amountFen).toBe(0);
        else expect(e.amountFen).toBe(e.monthlyAmountFen);
        expect(Number.isSafeInteger(e.amountFen) && e.amountFen >= 0).toBe(true);
      }),
    );
  });

  it('once ended, every later month is ended; the summary agrees with the far future', () => {
    fc.assert(
      fc.property(history, (changes) => {
        const start = changes[0]!.effectiveMonth;
        const months = entitlementSeries(changes, start, addMonths(start, 12 * 15));
        const firstEnd = months.findIndex((e) => e.state === 'ended');
        if (firstEnd >= 0) expect(months.slice(firstEnd).every((e) => e.state === 'ended')).toBe(true);
        const s = summarise(changes);
        const last = months[months.length - 1]!;
        if (s.endsMonth) {
          expect(last.state).toBe('ended');
          expect(months[firstEnd]!.month).toBe(s.endsMonth);
        } else expect(last.state).toBe(s.status);
      }),
    );
  });

  it('a gradual exit pays exactly its months (unless suspended or ended earlier)', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 0, max: 6 }), (start, amt, n) => {
        const exitFrom = addMonths(start, 2);
        const changes: EntitlementChange[] = [
          { seq: 1, type: 'enrolled', effectiveMonth: start, amountFen: amt, members: ['a'] },
          { seq: 2, type: 'gradual_exit_started', effectiveMonth: exitFrom, months: n },
        ];
        const paid = entitlementSeries(changes, exitFrom, addMonths(exitFrom, 10)).filter((e) => e.amountFen > 0);
        expect(paid.length).toBe(n);
      }),
    );
  });

  it('is independent of the order the changes are given in (seq decides)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 60 }), (changes, offset) => {
        const m = addMonths(changes[0]!.effectiveMonth, offset);
        expect(entitlementFor([...changes].reverse(), m)).toEqual(entitlementFor(changes, m));
      }),
    );
  });
});
