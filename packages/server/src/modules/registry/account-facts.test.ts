import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountCheck, accountValidFrom, luhnValid } from './account-facts';

/** The check as the payroll made it from the decrypted number before the facts were stored. */
function validFromNumber(account: string, luhnPrefixes: readonly string[]): boolean {
  if (!/^\d{12,19}$/.test(account)) return false;
  if ((account.length === 16 || account.length === 19) && luhnPrefixes.some((p) => account.startsWith(p)))
    return luhnValid(account);
  return true;
}

describe('stored account facts', () => {
  it('decide validity as the number itself does, for any configured prefixes up to 8 digits', () => {
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
    const account = fc.oneof(digits(10, 21), digits(16, 16), digits(19, 19), fc.string({ maxLength: 20 }));
    const prefixes = fc.array(fc.oneof(digits(1, 8), fc.constantFrom('62', '622127')), { maxLength: 3 });
    fc.assert(
      fc.property(account, prefixes, (a, p) => {
        const { check, iin } = accountCheck(a);
        expect(accountValidFrom(check, iin, p)).toBe(validFromNumber(a, p));
      }),
      { numRuns: 5000 },
    );
  });

  it('keep the issuer prefix only of a card number failing its check digit', () => {
    expect(accountCheck('6221270000000001')).toEqual({ check: 'luhn_failed', iin: '62212700' });
    expect(accountCheck('6221270000000000').check).toBe(luhnValid('6221270000000000') ? 'ok' : 'luhn_failed');
    expect(accountCheck('12345678901')).toEqual({ check: 'bad_format', iin: null });
    expect(accountCheck('123456789012')).toEqual({ check: 'ok', iin: null });
  });
});
