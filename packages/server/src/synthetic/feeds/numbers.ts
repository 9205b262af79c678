/**
 * Numbers that appear in department records: decoy ID numbers (near misses of a
 * real person's number), the ways departments write a valid number, unified
 * social credit codes and plates.
 */
import { computeCheckCharacter, validateIdNumber } from '@jiuzhu/shared';
import type { Random } from '../random';

/**
 * A valid number that differs from `id` in one of its first 17 digits (and so,
 * necessarily, in the check character): the sequence digits change, so the
 * region and birth date stay real. Undefined if every try was taken.
 */
export function nearMissValid(rng: Random, id: string, taken: ReadonlySet<string>): string | undefined {
  for (let tries = 0; tries < 50; tries++) {
    const body = changeDigit(rng, id.slice(0, 17), rng.pick([14, 15]));
    const candidate = body + computeCheckCharacter(body);
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}

/**
 * `id` with one of digits 7–17 changed and the check character kept: never
 * valid, because MOD 11-2 catches every single-digit substitution.
 */
export function nearMissInvalid(rng: Random, id: string, today: string): string {
  for (;;) {
    const candidate = changeDigit(rng, id.slice(0, 17), rng.int(6, 16)) + id[17]!;
    if (!validateIdNumber(candidate, { today }).ok) return candidate;
  }
}

function changeDigit(rng: Random, body: string, position: number): string {
  const old = Number(body[position]);
  const digit = (old + rng.int(1, 9)) % 10;
  return body.slice(0, position) + String(digit) + body.slice(position + 1);
}

export type IdFormat = 'lowercase_x' | 'padded' | 'legacy15' | 'fullwidth';

/** Whether a registry number can be written in `format` and still normalise back to itself. */
export function idFormatApplies(format: IdFormat, id: string): boolean {
  if (format === 'lowercase_x') return id.endsWith('X');
  if (format === 'legacy15') return id.slice(6, 8) === '19';
  return true;
}

/** How some departments write a valid number: all of these normalise (validateIdNumber) to `id`. */
export function formatIdNumber(format: IdFormat, id: string): string {
  switch (format) {
    case 'lowercase_x':
      return `${id.slice(0, 17)}x`;
    case 'padded':
      return ` ${id} `;
    case 'legacy15':
      // The pre-1999 number: 2-digit year, no check character.
      return id.slice(0, 6) + id.slice(8, 17);
    case 'fullwidth':
      return Array.from(id, (c) => (c === 'X' ? '\uFF38' : String.fromCharCode(c.charCodeAt(0) - 0x30 + 0xff10))).join(
        '',
      );
  }
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * A unified social credit code (统一社会信用代码, GB 32100-2015): registration
 * authority 9 (market regulation), type 1 (company) or 2 (individual business),
 * the 6-digit region, a 9-character organisation code (GB 11714 check) and the
 * MOD 31 check character.
 */
export function makeCreditCode(rng: Random, region6: string, individual: boolean): string {
  let org = '';
  for (let i = 0; i < 8; i++) org += String(rng.int(0, 9));
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(org[i]) * ORG_WEIGHTS[i]!;
  const c9 = 11 - (sum % 11);
  org += c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
  const first17 = `9${individual ? '2' : '1'}${region6}${org}`;
  let total = 0;
  for (let i = 0; i < 17; i++) total += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (total % 31)) % 31;
  return first17 + USCC_CHARS[check]!;
}

/** Province names and plate abbreviations by the first two digits of a division code. */
// prettier-ignore
const PROVINCES: Readonly<Record<string, readonly [string, string]>> = {
  '11': ['北京市', '京'], '12': ['天津市', '津'], '13': ['河北省', '冀'], '14': ['山西省', '晋'], '15': ['内蒙古自治区', '蒙'],
  '21': ['辽宁省', '辽'], '22': ['吉林省', '吉'], '23': ['黑龙江省', '黑'], '31': ['上海市', '沪'], '32': ['江苏省', '苏'],
  '33': ['浙江省', '浙'], '34': ['安徽省', '皖'], '35': ['福建省', '闽'], '36': ['江西省', '赣'], '37': ['山东省', '鲁'],
  '41': ['河南省', '豫'], '42': ['湖北省', '鄂'], '43': ['湖南省', '湘'], '44': ['广东省', '粤'], '45': ['广西壮族自治区', '桂'],
  '46': ['海南省', '琼'], '50': ['重庆市', '渝'], '51': ['四川省', '川'], '52': ['贵州省', '贵'], '53': ['云南省', '云'],
  '54': ['西藏自治区', '藏'], '61': ['陕西省', '陕'], '62': ['甘肃省', '甘'], '63': ['青海省', '青'], '64': ['宁夏回族自治区', '宁'],
  '65': ['新疆维吾尔自治区', '新'],
};

/** The city letter on Fujian plates; other provinces fall back to A. */
// prettier-ignore
const FUJIAN_PLATE_LETTERS: Readonly<Record<string, string>> = {
  '3501': 'A', '3502': 'D', '3503': 'B', '3504': 'G', '3505': 'C', '3506': 'E', '3507': 'H', '3508': 'F', '3509': 'J',
};

export function provinceName(cityCode: string): string {
  return PROVINCES[cityCode.slice(0, 2)]?.[0] ?? '';
}

export function platePrefix(cityCode: string): string {
  return (PROVINCES[cityCode.slice(0, 2)]?.[1] ?? '闽') + (FUJIAN_PLATE_LETTERS[cityCode] ?? 'A');
}

/** Plate letters exclude I and O, which read as 1 and 0. */
const PLATE_CHARS = Array.from('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789');

export function plateNumber(rng: Random, prefix: string, used: Set<string>): string {
  for (;;) {
    let tail = '';
    for (let i = 0; i < 5; i++) tail += i < 4 && rng.bernoulli(0.6) ? String(rng.int(0, 9)) : rng.pick(PLATE_CHARS);
    const plate = prefix + tail;
    if (!used.has(plate)) {
      used.add(plate);
      return plate;
    }
  }
}
