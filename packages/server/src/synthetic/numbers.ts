/**
 * Personal numbers that must be unique across a generated city: resident ID
 * numbers (per county, birth date and sex, as real sequence numbers are
 * assigned), mobile numbers and bank card numbers. Uniqueness comes from
 * counters pushed through keyed permutations, so nothing grows with the
 * number of people except one small counter array per ID region.
 */
import { makeIdNumber } from '@jiuzhu/shared';
import { hashString, weightedTable, type Random, type WeightedTable } from './random';
import type { Sex } from './names';

/**
 * Days since 1900-01-01 for a 'YYYY-MM-DD' date, and back: integer civil-calendar
 * arithmetic (H. Hinnant's days_from_civil), millions of times faster than Date parsing.
 */
export function dayNumber(isoDate: string): number {
  const y0 = Number(isoDate.slice(0, 4));
  const m = Number(isoDate.slice(5, 7));
  const d = Number(isoDate.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 693901; // 693901 = days from 0000-03-01 to 1900-01-01
}

export function isoDateOfDay(day: number): string {
  const z = day + 693901;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Sequence slots per region, birth date and sex: 3-digit sequences 002–999 of one parity (000/001 unused). */
const SLOTS = 499;
/** Coprime with SLOTS (a prime): successive people of one day get scattered sequence numbers. */
const STRIDE = 173;

/**
 * Allocates ID numbers that are unique and valid (GB 11643-1999). When all
 * 499 sequences of a region, day and sex are taken (only at very large sizes),
 * the birth date moves one day earlier; the caller must use the returned date.
 */
export class IdNumberAllocator {
  private readonly used = new Map<string, Uint16Array>();
  private readonly lastDay: number;
  private readonly seedHash: number;

  constructor(seed: number, asOf: string) {
    this.lastDay = dayNumber(asOf);
    this.seedHash = hashString(`ids:${seed}`);
  }

  allocate(region6: string, birthDate: string, sex: Sex): { idNumber: string; birthDate: string } {
    let counters = this.used.get(region6);
    if (!counters) {
      counters = new Uint16Array((this.lastDay + 1) * 2);
      this.used.set(region6, counters);
    }
    let day = Math.min(dayNumber(birthDate), this.lastDay);
    const parity = sex === 'male' ? 1 : 0;
    for (;;) {
      if (day < 0) throw new RangeError(`no ID sequence left for region ${region6} near ${birthDate}`);
      const index = day * 2 + parity;
      const k = counters[index]!;
      if (k < SLOTS) {
        counters[index] = k + 1;
        const base = mix32(index, this.seedHash ^ Number(region6)) % SLOTS;
        const slot = 1 + ((base + k * STRIDE) % SLOTS);
        const date = isoDateOfDay(day);
        return { idNumber: makeIdNumber(region6, date, slot * 2 + parity), birthDate: date };
      }
      day -= 1;
    }
  }
}

function mix32(x: number, key: number): number {
  let h = (x ^ key) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A keyed bijection on [0, 10^digits) (a decimal Feistel network with cycle
 * walking), so counters 0, 1, 2… become numbers that look random but never repeat.
 */
export class DecimalPermutation {
  private readonly half: number;
  private readonly domain: number;
  private readonly limit: number;

  constructor(
    digits: number,
    private readonly key: number,
  ) {
    if (digits < 2 || digits > 14) throw new RangeError('DecimalPermutation supports 2–14 digits');
    this.half = 10 ** Math.ceil(digits / 2);
    this.domain = this.half * this.half;
    this.limit = 10 ** digits;
  }

  apply(value: number): number {
    if (!Number.isInteger(value) || value < 0 || value >= this.limit) throw new RangeError(`out of range: ${value}`);
    let x = value;
    do x = this.round(x);
    while (x >= this.limit);
    return x;
  }

  private round(x: number): number {
    let left = Math.floor(x / this.half);
    let right = x % this.half;
    for (let r = 0; r < 4; r++) {
      const next = (left + (mix32(right, this.key + r * 0x9e3779b9) % this.half)) % this.half;
      left = right;
      right = next;
    }
    return left * this.half + right;
  }
}

/** Mobile prefixes of the three carriers (13x, 15x, 18x, 19x). */
// prettier-ignore
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '198', '199',
] as const;

export class PhoneAllocator {
  private readonly counters = new Map<string, number>();
  private readonly permutations = new Map<string, DecimalPermutation>();

  constructor(private readonly seed: number) {}

  allocate(rng: Random): string {
    const prefix = rng.pick(MOBILE_PREFIXES);
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    let perm = this.permutations.get(prefix);
    if (!perm) {
      perm = new DecimalPermutation(8, hashString(`phone:${this.seed}:${prefix}`));
      this.permutations.set(prefix, perm);
    }
    return prefix + String(perm.apply(n)).padStart(8, '0');
  }
}

export interface BankProduct {
  readonly bankName: string;
  /** Issuer identification number (BIN), the card's first 6 digits. */
  readonly bin: string;
  /** Card length including the Luhn check digit. */
  readonly length: number;
}

/**
 * Debit cards people in Fujian are paid on: rural credit (农商行) and postal
 * savings cards dominate among recipients. The BINs are the issuers' common
 * UnionPay debit ranges (BIN-like: plausible, not guaranteed current).
 */
export const BANK_PRODUCTS: ReadonlyArray<readonly [BankProduct, number]> = [
  [{ bankName: '莆田农村商业银行', bin: '622127', length: 19 }, 30],
  [{ bankName: '中国邮政储蓄银行', bin: '621799', length: 19 }, 22],
  [{ bankName: '中国农业银行', bin: '622848', length: 19 }, 20],
  [{ bankName: '中国建设银行', bin: '621700', length: 19 }, 9],
  [{ bankName: '中国工商银行', bin: '622202', length: 19 }, 8],
  [{ bankName: '中国银行', bin: '621661', length: 19 }, 5],
  [{ bankName: '兴业银行', bin: '622909', length: 18 }, 4],
  [{ bankName: '招商银行', bin: '622588', length: 16 }, 2],
];

/** The Luhn (mod 10) check digit for a card number without it. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isLuhnValid(card: string): boolean {
  return /^\d+$/.test(card) && luhnCheckDigit(card.slice(0, -1)) === card.slice(-1);
}

export class BankCardAllocator {
  private readonly table: WeightedTable<BankProduct> = weightedTable(BANK_PRODUCTS);
  private readonly counters = new Map<string, number>();
  private readonly permutations = new Map<string, DecimalPermutation>();

  constructor(private readonly seed: number) {}

  allocate(rng: Random): { bankAccount: string; bankName: string } {
    const product = rng.from(this.table);
    const digits = product.length - product.bin.length - 1;
    const n = this.counters.get(product.bin) ?? 0;
    this.counters.set(product.bin, n + 1);
    let perm = this.permutations.get(product.bin);
    if (!perm) {
      perm = new DecimalPermutation(digits, hashString(`card:${this.seed}:${product.bin}`));
      this.permutations.set(product.bin, perm);
    }
    const body = product.bin + String(perm.apply(n)).padStart(digits, '0');
    return { bankAccount: body + luhnCheckDigit(body), bankName: product.bankName };
  }
}
