/**
 * Chinese resident ID numbers (居民身份证号码, GB 11643-1999).
 *
 * 18 characters: a 6-digit region code (GB/T 2260), the birth date YYYYMMDD, a
 * 3-digit sequence whose last digit gives the sex (odd = male), and a check
 * character (ISO 7064 MOD 11-2; 0–9 or X). The older 15-digit numbers have a
 * 2-digit year (always 19xx) and no check character; they are converted to 18.
 *
 * Used by the server and by web forms alike, so this file is pure: no I/O, no
 * Node APIs, dates handled as plain 'YYYY-MM-DD' strings.
 */

export type IdNumberSex = 'male' | 'female';

export type IdNumberFailureReason =
  'empty' | 'length' | 'characters' | 'region' | 'birth_date' | 'future_birth_date' | 'check_character';

/** A message for the person at the counter, in both UI languages. */
export interface IdNumberMessage {
  'zh-CN': string;
  'en-US': string;
}

export interface IdNumberValid {
  ok: true;
  /** The normalised 18-character number (15-digit numbers converted). */
  idNumber: string;
  regionCode: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  sex: IdNumberSex;
  /** True when the input was a 15-digit legacy number. */
  converted15: boolean;
}

export interface IdNumberInvalid {
  ok: false;
  reason: IdNumberFailureReason;
  /** With `check_character`: the character the last position should hold. */
  expected?: string;
  message: IdNumberMessage;
}

export type IdNumberValidation = IdNumberValid | IdNumberInvalid;

export interface IdNumberOptions {
  /** 'YYYY-MM-DD'; defaults to the current date in China (UTC+8). */
  today?: string;
  /**
   * Replaces the default structural region check. ID numbers are never
   * reissued when divisions are merged or renamed, so a lookup must accept
   * abolished codes too (e.g. 350321, the former 莆田县), not only the
   * current GB/T 2260 edition.
   */
  regionExists?: (code6: string) => boolean;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** Province-level prefixes of GB/T 2260, including 台湾 71, 香港 81 and 澳门 82. */
// prettier-ignore
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/**
 * Provinces whose codes may have '00' in the city part: the municipalities
 * (北京 天津 上海 重庆) have no prefecture level, and 71/81/82 have no
 * subdivisions in GB/T 2260 at all, so 810000 is the code a number carries.
 */
const NO_PREFECTURE_LEVEL: ReadonlySet<string> = new Set(['11', '12', '31', '50', '71', '81', '82']);

const EARLIEST_BIRTH_DATE = '1900-01-01';
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000; // no daylight saving in China since 1991

/**
 * Trims, drops every inner space (also full-width and zero-width ones pasted
 * from spreadsheets or chat), turns full-width digits and Ｘ/ｘ into ASCII,
 * and uppercases a trailing x. Never rejects anything: that is validation's job.
 */
export function normalizeIdNumber(raw: string): string {
  const compact = raw
    .replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/\uFF38/g, 'X')
    .replace(/\uFF58/g, 'x');
  return compact.endsWith('x') ? `${compact.slice(0, -1)}X` : compact;
}

/** The ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function computeCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * The default region check, used when no division list is at hand (e.g. in a
 * web form): a real province prefix, and a non-'00' city part unless the
 * province has no prefecture level. City- and county-level codes ending in
 * 00 pass, because such numbers were really issued.
 */
export function isPlausibleRegionCode(code6: string): boolean {
  if (!/^\d{6}$/.test(code6)) return false;
  const province = code6.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) return false;
  return code6.slice(2, 4) !== '00' || NO_PREFECTURE_LEVEL.has(province);
}

export function validateIdNumber(raw: string | null | undefined, opts: IdNumberOptions = {}): IdNumberValidation {
  const today = opts.today ?? chinaToday();
  if (!isRealDate(today)) throw new RangeError(`opts.today must be a YYYY-MM-DD date, got "${today}"`);

  const id = normalizeIdNumber(raw ?? '');
  if (id === '') return fail('empty', '请输入身份证号码', 'Please enter the ID number.');

  const length = Array.from(id).length;
  if (length !== 18 && length !== 15) {
    return fail(
      'length',
      `长度应为18位（或15位旧号码），实际为${length}位`,
      `An ID number has 18 characters (15 for an old-style number); this one has ${length}.`,
    );
  }

  const badAt = Array.from(id).findIndex((c, i) => !/\d/.test(c) && !(c === 'X' && i === 17));
  if (badAt >= 0) {
    const c = Array.from(id)[badAt]!;
    const zh =
      c === 'X'
        ? length === 18
          ? `第${badAt + 1}位不能是X，只有最后一位可以是X`
          : `15位旧号码只能由数字组成，第${badAt + 1}位是X`
        : `第${badAt + 1}位“${c}”不是数字`;
    const en =
      c === 'X'
        ? length === 18
          ? `Character ${badAt + 1} is X; only the last character may be X.`
          : `An old 15-digit number has digits only; character ${badAt + 1} is X.`
        : `Character ${badAt + 1} ("${c}") is not a digit.`;
    return fail('characters', zh, en);
  }

  const converted15 = length === 15;
  const regionCode = id.slice(0, 6);
  const dateDigits = converted15 ? id.slice(6, 12) : id.slice(6, 14);
  const yyyymmdd = converted15 ? `19${dateDigits}` : dateDigits;
  const sequence = converted15 ? id.slice(12, 15) : id.slice(14, 17);

  const regionExists = opts.regionExists ?? isPlausibleRegionCode;
  if (!regionExists(regionCode)) {
    return fail(
      'region',
      `前6位地区代码 ${regionCode} 不存在`,
      `The region code ${regionCode} (the first 6 digits) does not exist.`,
    );
  }

  const birthDate = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (!isRealDate(birthDate)) {
    return fail(
      'birth_date',
      `出生日期 ${dateDigits} 不是有效日期`,
      `The birth date ${dateDigits} is not a valid date.`,
    );
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return fail(
      'birth_date',
      `出生日期 ${dateDigits} 早于1900年1月1日`,
      `The birth date ${dateDigits} is before 1 January 1900.`,
    );
  }
  if (birthDate > today) {
    return fail(
      'future_birth_date',
      `出生日期 ${dateDigits} 晚于今天`,
      `The birth date ${dateDigits} is later than today.`,
    );
  }

  const first17 = `${regionCode}${yyyymmdd}${sequence}`;
  const expected = computeCheckCharacter(first17);
  if (!converted15 && id[17] !== expected) {
    const actual = id[17]!;
    return {
      ...fail(
        'check_character',
        // A wrong check character almost always means a typo in the first 17
        // digits; a clerk who "fixes" the last one gets a valid but wrong number.
        `校验码错误：最后一位应为 ${expected}，实际为 ${actual}。请先核对前17位是否录错，不要直接改最后一位`,
        `Wrong check character: the last character should be ${expected}, not ${actual}. ` +
          'Check the first 17 digits for a typo first; do not just change the last character.',
      ),
      expected,
    };
  }

  return {
    ok: true,
    idNumber: `${first17}${expected}`,
    regionCode,
    birthDate,
    sex: Number(sequence[2]) % 2 === 1 ? 'male' : 'female',
    converted15,
  };
}

export function isValidIdNumber(raw: string | null | undefined, opts?: IdNumberOptions): boolean {
  return validateIdNumber(raw, opts).ok;
}

/**
 * For display and logs: an 18-character number shows its first 4 and last 4
 * characters (3503**********123X). Any other input keeps at most a quarter of
 * its length, and never more than 4, at each end, so no input reveals more
 * than 8 characters.
 */
export function maskIdNumber(id: string): string {
  const chars = Array.from(normalizeIdNumber(id));
  const keep = Math.min(4, Math.floor(chars.length / 4));
  return chars.map((c, i) => (i < keep || i >= chars.length - keep ? c : '*')).join('');
}

/**
 * A valid 18-character number, for generators and tests. Throws when the
 * region is not structurally plausible, the date is not a real date from
 * 1900-01-01 on, or the sequence is not 3 digits (0–999 as a number).
 */
export function makeIdNumber(regionCode6: string, birthDate: string, sequence3: string | number): string {
  if (!isPlausibleRegionCode(regionCode6)) throw new RangeError(`not a plausible region code: "${regionCode6}"`);
  if (!isRealDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE) {
    throw new RangeError(`birth date must be a YYYY-MM-DD date from ${EARLIEST_BIRTH_DATE} on, got "${birthDate}"`);
  }
  const sequence = typeof sequence3 === 'number' ? String(sequence3).padStart(3, '0') : sequence3;
  if (!/^\d{3}$/.test(sequence)) throw new RangeError(`sequence must be 3 digits (0–999), got "${sequence3}"`);
  const first17 = `${regionCode6}${birthDate.replace(/-/g, '')}${sequence}`;
  return `${first17}${computeCheckCharacter(first17)}`;
}

function fail(reason: IdNumberFailureReason, zh: string, en: string): IdNumberInvalid {
  return { ok: false, reason, message: { 'zh-CN': zh, 'en-US': en } };
}

/** True for a real calendar date written 'YYYY-MM-DD' with a four-digit year. */
function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= daysInMonth;
}

/** Today's date in China, whatever the host's time zone (a UTC server, a browser abroad). */
function chinaToday(): string {
  return new Date(Date.now() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}
