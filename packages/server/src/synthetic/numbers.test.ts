import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateIdNumber } from '@jiuzhu/shared';
import {
  BankCardAllocator,
  DecimalPermutation,
  IdNumberAllocator,
  PhoneAllocator,
  dayNumber,
  isLuhnValid,
  isoDateOfDay,
  luhnCheckDigit,
} from './numbers';
import { Random } from './random';

describe('day numbers', () => {
  it('agree with Date for every day from 1900 to 2100', () => {
    const epoch = Date.UTC(1900, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 73_000 }), (day) => {
        const iso = new Date(epoch + day * 86_400_000).toISOString().slice(0, 10);
        return isoDateOfDay(day) === iso && dayNumber(iso) === day;
      }),
      { numRuns: 5000 },
    );
    expect(dayNumber('2000-02-29') + 1).toBe(dayNumber('2000-03-01'));
  });
});

describe('IdNumberAllocator', () => {
  it('gives valid, unique numbers of the right sex, and moves to the day before when a day is full', () => {
    const ids = new IdNumberAllocator(1, '2026-01-01');
    const seen = new Set<string>();
    for (let i = 0; i < 1200; i++) {
      const sex = i % 2 === 0 ? 'male' : 'female';
      const { idNumber, birthDate } = ids.allocate('350302', '1950-06-15', sex);
      const v = validateIdNumber(idNumber, { today: '2026-01-01' });
      expect(v.ok && v.sex === sex && v.birthDate === birthDate && v.regionCode === '350302').toBe(true);
      seen.add(idNumber);
    }
    expect(seen.size).toBe(1200);
    // 600 of each sex: 499 fit on 15 June, the rest were born a day earlier.
    const dates = [...seen].map((id) => id.slice(6, 14));
    expect(dates.filter((d) => d === '19500615').length).toBe(998);
    expect(dates.filter((d) => d === '19500614').length).toBe(202);
  });

  it('never gives a birth date after asOf', () => {
    const ids = new IdNumberAllocator(1, '2026-01-01');
    expect(ids.allocate('350303', '2026-05-01', 'female').birthDate).toBe('2026-01-01');
  });
});

describe('DecimalPermutation', () => {
  it('is a bijection', () => {
    for (const digits of [3, 4, 5]) {
      const p = new DecimalPermutation(digits, 12345);
      const out = new Set<number>();
      let outOfRange = 0;
      for (let i = 0; i < 10 ** digits; i++) {
        const v = p.apply(i);
        if (!Number.isInteger(v) || v < 0 || v >= 10 ** digits) outOfRange += 1;
        out.add(v);
      }
      expect(outOfRange).toBe(0);
      expect(out.size).toBe(10 ** digits);
    }
  });
});

describe('phones and bank cards', () => {
  it('Luhn check digits', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });

  it('are unique, well-formed mobile numbers and Luhn-valid card numbers', () => {
    const r = new Random(4);
    const phones = new PhoneAllocator(4);
    const cards = new BankCardAllocator(4);
    const p = new Set<string>();
    const c = new Set<string>();
    const bad: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const phone = phones.allocate(r);
      if (!/^1(3\d|5[0-35-9]|8\d|9[189])\d{8}$/.test(phone)) bad.push(phone);
      p.add(phone);
      const card = cards.allocate(r);
      if (!/^\d{16,19}$/.test(card.bankAccount) || !isLuhnValid(card.bankAccount) || !card.bankName)
        bad.push(card.bankAccount);
      c.add(card.bankAccount);
    }
    expect(bad).toEqual([]);
    expect(p.size).toBe(20_000);
    expect(c.size).toBe(20_000);
  });
});
