import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  computeCheckCharacter,
  isPlausibleRegionCode,
  isValidIdNumber,
  makeIdNumber,
  maskIdNumber,
  normalizeIdNumber,
  validateIdNumber,
  type IdNumberFailureReason,
  type IdNumberInvalid,
} from './index.ts';

/** The example printed in GB 11643-1999. */
const EXAMPLE = '11010519491231002X';
const TODAY = '2025-06-30';
const opts = { today: TODAY };

function rejected(raw: string, options: Parameters<typeof validateIdNumber>[1] = opts): IdNumberInvalid {
  const result = validateIdNumber(raw, options);
  if (result.ok) throw new Error(`expected ${raw} to be rejected, but it was accepted`);
  return result;
}

describe('the GB 11643-1999 example', () => {
  it('is valid: female, born 1949-12-31, region 110105', () => {
    expect(validateIdNumber(EXAMPLE, opts)).toEqual({
      ok: true,
      idNumber: EXAMPLE,
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
      converted15: false,
    });
    expect(computeCheckCharacter(EXAMPLE.slice(0, 17))).toBe('X');
    expect(isValidIdNumber(EXAMPLE)).toBe(true);
  });

  // Every single-character substitution, with the reasons that make sense for
  // the part of the number the change lands in.
  const allowedReasons = (position: number, replacement: string): IdNumberFailureReason[] => {
    if (replacement === 'X' && position < 17) return ['characters'];
    if (position < 6) return ['region', 'check_character'];
    if (position < 14) return ['birth_date', 'future_birth_date', 'check_character'];
    return ['check_character'];
  };
  const variants = [...EXAMPLE].flatMap((original, position) =>
    [...'0123456789X']
      .filter((c) => c !== original)
      .map((replacement) => ({
        position,
        replacement,
        id: EXAMPLE.slice(0, position) + replacement + EXAMPLE.slice(position + 1),
      })),
  );

  it('has 180 single-character variants (18 positions × 10 other characters)', () => {
    expect(variants).toHaveLength(180);
    expect(new Set(variants.map((v) => v.id)).size).toBe(180);
  });

  it.each(variants)('rejects $id (position $position → $replacement)', ({ id, position, replacement }) => {
    const result = rejected(id);
    expect(allowedReasons(position, replacement)).toContain(result.reason);
    if (result.reason === 'check_character') {
      const expected = computeCheckCharacter(id.slice(0, 17));
      expect(result.expected).toBe(expected);
      expect(result.message['zh-CN']).toContain(`最后一位应为 ${expected}，实际为 ${id[17]}`);
    }
  });

  it('rejects every transposition of two adjacent, different characters', () => {
    for (let i = 0; i < 17; i++) {
      if (EXAMPLE[i] === EXAMPLE[i + 1]) continue;
      const swapped = EXAMPLE.slice(0, i) + EXAMPLE[i + 1] + EXAMPLE[i] + EXAMPLE.slice(i + 2);
      expect(isValidIdNumber(swapped, opts), swapped).toBe(false);
    }
  });
});

describe('normalizeIdNumber', () => {
  it('accepts a lower-case x and uppercases it', () => {
    expect(normalizeIdNumber('11010519491231002x')).toBe(EXAMPLE);
    expect(validateIdNumber('11010519491231002x', opts)).toMatchObject({ ok: true, idNumber: EXAMPLE });
  });

  it('trims, drops inner (also full-width and zero-width) spaces and converts full-width characters', () => {
    expect(normalizeIdNumber('  110105 19491231\u3000002x\t')).toBe(EXAMPLE);
    expect(normalizeIdNumber('\uFEFF110105\u200B19491231002X')).toBe(EXAMPLE);
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe(EXAMPLE);
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe(EXAMPLE);
    expect(validateIdNumber(' １１０１０５ １９４９１２３１ ００２ｘ ', opts)).toMatchObject({
      ok: true,
      idNumber: EXAMPLE,
    });
  });

  it('uppercases only a trailing x and is idempotent', () => {
    expect(normalizeIdNumber('1101x5')).toBe('1101x5');
    fc.assert(fc.property(fc.string(), (s) => normalizeIdNumber(normalizeIdNumber(s)) === normalizeIdNumber(s)));
  });
});

describe('15-digit legacy numbers', () => {
  it('converts 110105491231002 to the standard example', () => {
    // Hand computation of the check character of 11010519491231002:
    //   digits  1 1  0 1 0 5 1 9 4 9 1 2  3 1 0 0 2
    //   weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    //   7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → 'X'
    expect(validateIdNumber('110105491231002', opts)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
      converted15: true,
    });
  });

  it('converts 350321800101123 (old 莆田县 code) to 350321198001011233, male', () => {
    //   digits  3 5  0 3  2 1 1 9 8 0 0 1  0 1 1 2 3
    //   weights 7 9 10 5  8 4 2 1 6 3 7 9 10 5 8 4 2
    //   21+45+0+15+16+4+2+9+48+0+0+9+0+5+8+8+6 = 196; 196 mod 11 = 9 → '3'
    const result = validateIdNumber('350321800101123', opts);
    expect(result).toEqual({
      ok: true,
      idNumber: '350321198001011233',
      regionCode: '350321',
      birthDate: '1980-01-01',
      sex: 'male',
      converted15: true,
    });
    expect(isValidIdNumber('350321198001011233', opts)).toBe(true);
  });

  it('checks the region and birth date of a 15-digit number and allows no X', () => {
    expect(rejected('990105491231002').reason).toBe('region');
    const badDate = rejected('110105491331002');
    expect(badDate.reason).toBe('birth_date');
    expect(badDate.message['zh-CN']).toBe('出生日期 491331 不是有效日期');
    expect(rejected('11010549123100X').reason).toBe('characters');
  });
});

describe('rejections and their messages', () => {
  it('empty input', () => {
    for (const raw of ['', '   ', '\u3000', null, undefined]) {
      const result = validateIdNumber(raw, opts);
      expect(result).toMatchObject({ ok: false, reason: 'empty' });
    }
  });

  it('lengths other than 15 and 18', () => {
    const short = rejected(EXAMPLE.slice(0, 17));
    expect(short.reason).toBe('length');
    expect(short.message['zh-CN']).toBe('长度应为18位（或15位旧号码），实际为17位');
    expect(short.message['en-US']).toContain('17');
    expect(rejected(`${EXAMPLE}1`).reason).toBe('length');
    expect(rejected('1101051949123').reason).toBe('length');
  });

  it('letters or an X other than last', () => {
    const letter = rejected('110105194912A1002X');
    expect(letter.reason).toBe('characters');
    expect(letter.message['zh-CN']).toBe('第13位“A”不是数字');
    const x = rejected('1101051949X231002X');
    expect(x.reason).toBe('characters');
    expect(x.message['zh-CN']).toContain('只有最后一位可以是X');
    expect(rejected('11010519491231002-').reason).toBe('characters');
  });

  it('a region code that is not plausible', () => {
    const result = rejected(makeIdNumber('350301', '1980-01-01', '123').replace(/^350301/, '350001'));
    expect(result.reason).toBe('region');
    expect(result.message['zh-CN']).toBe('前6位地区代码 350001 不存在');
  });

  it('a birth date that is not a calendar date', () => {
    const result = rejected('110105194913310020');
    expect(result.reason).toBe('birth_date');
    expect(result.message['zh-CN']).toBe('出生日期 19491331 不是有效日期');
    expect(rejected('110105190002290020').reason).toBe('birth_date'); // 1900 was not a leap year
    expect(validateIdNumber(makeIdNumber('110105', '2000-02-29', '002'), opts).ok).toBe(true);
  });

  it('a birth date before 1900', () => {
    const first17 = '11010518991231002';
    const result = rejected(first17 + computeCheckCharacter(first17));
    expect(result.reason).toBe('birth_date');
    expect(result.message['zh-CN']).toContain('早于1900年1月1日');
  });

  it('a birth date after today', () => {
    const tomorrow = makeIdNumber('350302', '2025-07-01', '001');
    const result = rejected(tomorrow, { today: TODAY });
    expect(result.reason).toBe('future_birth_date');
    expect(result.message['zh-CN']).toBe('出生日期 20250701 晚于今天');
    expect(isValidIdNumber(tomorrow, { today: '2025-07-01' })).toBe(true);
  });

  it('a wrong check character says which character was expected', () => {
    const result = rejected('110105194912310023');
    expect(result).toMatchObject({ reason: 'check_character', expected: 'X' });
    expect(result.message['zh-CN']).toContain('校验码错误：最后一位应为 X，实际为 3');
    expect(result.message['en-US']).toContain('should be X, not 3');
  });

  it('rejects an opts.today that is not a date', () => {
    expect(() => validateIdNumber(EXAMPLE, { today: '2025-02-30' })).toThrow(RangeError);
    expect(() => validateIdNumber(EXAMPLE, { today: '20250630' })).toThrow(RangeError);
  });
});

describe('the default today', () => {
  afterEach(() => vi.useRealTimers());

  it('is the date in China, not in the host time zone', () => {
    const bornJuly1 = makeIdNumber('350302', '2025-07-01', '001');
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-06-30T15:59:59Z')); // 23:59:59 on 30 June in China
    expect(validateIdNumber(bornJuly1)).toMatchObject({ ok: false, reason: 'future_birth_date' });
    vi.setSystemTime(new Date('2025-06-30T16:00:00Z')); // 00:00 on 1 July in China
    expect(validateIdNumber(bornJuly1)).toMatchObject({ ok: true });
  });
});

describe('region check', () => {
  it('structural by default: a real province, and a city part only municipalities and 71/81/82 may leave 00', () => {
    for (const code of ['110105', '110000', '500101', '350302', '350300', '350321', '810000', '820000', '710000']) {
      expect(isPlausibleRegionCode(code), code).toBe(true);
    }
    for (const code of ['000000', '100101', '160101', '990101', '350000', '350099', '830000', '35030', 'abcdef']) {
      expect(isPlausibleRegionCode(code), code).toBe(false);
    }
  });

  it('uses regionExists instead of the structural check when given', () => {
    const known = new Set(['350302', '350321', '990101']);
    const asked: string[] = [];
    const regionExists = (code: string) => {
      asked.push(code);
      return known.has(code);
    };
    const first17 = '35039919800101123';
    const unknown = rejected(first17 + computeCheckCharacter(first17), { today: TODAY, regionExists });
    expect(unknown.reason).toBe('region');
    expect(unknown.message['zh-CN']).toBe('前6位地区代码 350399 不存在');
    expect(asked).toEqual(['350399']);

    // The lookup has the last word both ways: it may accept what the structural check would not.
    const odd = '99010119800101123';
    expect(validateIdNumber(odd + computeCheckCharacter(odd), { today: TODAY, regionExists })).toMatchObject({
      ok: true,
      regionCode: '990101',
    });
    expect(validateIdNumber('350321800101123', { today: TODAY, regionExists })).toMatchObject({ ok: true });
  });
});

describe('maskIdNumber', () => {
  it('shows the first 4 and last 4 characters of an 18-character number', () => {
    expect(maskIdNumber('35030219800101123X')).toBe('3503**********123X');
    expect(maskIdNumber(' 35030219800101123x ')).toBe('3503**********123X');
    expect(maskIdNumber('350321800101123')).toBe('350*********123');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
  });

  it('never reveals more than 8 characters, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const masked = Array.from(maskIdNumber(s));
        const source = Array.from(normalizeIdNumber(s));
        expect(masked).toHaveLength(source.length);
        expect(masked.filter((c, i) => c !== '*' || source[i] === '*').length).toBeLessThanOrEqual(8);
      }),
    );
  });
});

describe('makeIdNumber', () => {
  const PROVINCES = [
    ...['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37'],
    ...['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'],
    ...['71', '81', '82'],
  ];
  const pad2 = (n: number) => String(n).padStart(2, '0');
  const regionArb = fc
    .tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .map(([p, city, county]) => `${p}${pad2(city)}${pad2(county)}`);
  const dateArb = (min: string, max: string) =>
    fc
      .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  const sequenceArb = fc.integer({ min: 0, max: 999 });

  it('always makes a valid number that round-trips region, birth date and sex', () => {
    fc.assert(
      fc.property(regionArb, dateArb('1900-01-01', TODAY), sequenceArb, (region, birthDate, sequence) => {
        const id = makeIdNumber(region, birthDate, sequence);
        expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(validateIdNumber(id, opts)).toEqual({
          ok: true,
          idNumber: id,
          regionCode: region,
          birthDate,
          sex: sequence % 2 === 1 ? 'male' : 'female',
          converted15: false,
        });
      }),
    );
  });

  it('makes numbers that no single-character substitution leaves valid', () => {
    fc.assert(
      fc.property(
        regionArb,
        dateArb('1900-01-01', TODAY),
        sequenceArb,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (region, birthDate, sequence, position, replacement) => {
          const id = makeIdNumber(region, birthDate, sequence);
          fc.pre(id[position] !== replacement);
          const typo = id.slice(0, position) + replacement + id.slice(position + 1);
          expect(isValidIdNumber(typo, opts)).toBe(false);
        },
      ),
    );
  });

  it('agrees with the 15-digit conversion for people born in the 1900s', () => {
    fc.assert(
      fc.property(regionArb, dateArb('1900-01-01', '1999-12-31'), sequenceArb, (region, birthDate, sequence) => {
        const id = makeIdNumber(region, birthDate, sequence);
        const legacy = id.slice(0, 6) + id.slice(8, 17);
        expect(validateIdNumber(legacy, opts)).toMatchObject({ ok: true, idNumber: id, converted15: true });
      }),
    );
  });

  it('never throws and accepts only numbers that re-validate to themselves, for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{15}$|^\d{17}[\dXx]$/)), (raw) => {
        const result = validateIdNumber(raw, opts);
        if (result.ok) expect(validateIdNumber(result.idNumber, opts)).toEqual({ ...result, converted15: false });
      }),
    );
  });

  it('accepts a 3-digit string or 0–999 as the sequence and refuses impossible input', () => {
    expect(makeIdNumber('110105', '1949-12-31', '002')).toBe(EXAMPLE);
    expect(makeIdNumber('110105', '1949-12-31', 2)).toBe(EXAMPLE);
    expect(() => makeIdNumber('990101', '1980-01-01', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('350302', '1980-02-30', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('350302', '1899-12-31', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('350302', '1980-01-01', 1000)).toThrow(RangeError);
    expect(() => makeIdNumber('350302', '1980-01-01', '12')).toThrow(RangeError);
    expect(() => computeCheckCharacter('1101051949123100')).toThrow(RangeError);
  });
});
