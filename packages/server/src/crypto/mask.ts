/**
 * Maskers for display and logs. When a value does not look as expected they hide more, never less:
 * short values lose their visible ends before fewer than four characters would be hidden.
 */

const SEPARATORS = /[\s-]/g;
const MIN_HIDDEN = 4;

/** Keeps `head` and `tail` code points and stars the rest; drops the ends first if too little would be hidden. */
function keepEnds(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  const n = chars.length;
  if (n - head - tail < MIN_HIDDEN) {
    head = 0;
    tail = Math.max(0, Math.min(tail, n - MIN_HIDDEN));
  }
  return chars.slice(0, head).join('') + '*'.repeat(n - head - tail) + chars.slice(n - tail).join('');
}

/** `13812345678` → `138****5678`; spaces and hyphens are dropped first. */
export function maskPhone(phone: string): string {
  return keepEnds(phone.replace(SEPARATORS, ''), 3, 4);
}

/**
 * `6222021234567891234` → `6222 **** **** 1234`. The shape is fixed, so the mask does not reveal the length;
 * accounts shorter than 12 characters keep only the last four.
 */
export function maskBankAccount(account: string): string {
  const chars = Array.from(account.replace(SEPARATORS, ''));
  if (chars.length < 12) return keepEnds(chars.join(''), 0, 4);
  return `${chars.slice(0, 4).join('')} **** **** ${chars.slice(-4).join('')}`;
}

const PROVINCE = 1;
const PREFECTURE = 2;
const COUNTY = 3;
const TOWNSHIP = 4;

// One administrative name followed by its unit. Names never contain digits, letters, punctuation or the
// street/building characters below, so a segment cannot run on into the street part of the address.
const SEGMENT =
  /^[^\s\p{P}\p{N}A-Za-zＡ-Ｚａ-ｚ路街巷弄号村组栋幢室]{1,15}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|苏木|省|市|州|盟|区|县|旗|镇|乡)/u;
// Names ending in 区 that are places inside a township, not counties.
const NOT_ADMIN = /(?:小区|社区|园区|校区|景区|厂区|片区|院区|营区)$/;

function levelOf(segment: string, previous: number): number {
  if (/(?:省|自治区|特别行政区)$/.test(segment)) return PROVINCE;
  if (/(?:街道|苏木|镇|乡)$/.test(segment)) return TOWNSHIP;
  if (/(?:地区|州|盟)$/.test(segment)) return PREFECTURE;
  // 市 is a prefecture (莆田市) or, below one, a county-level city (福清市).
  if (segment.endsWith('市')) return previous < PREFECTURE ? PREFECTURE : COUNTY;
  return COUNTY;
}

/**
 * Keeps the administrative part of an address down to the township and hides the rest:
 * `福建省莆田市城厢区灵川镇东沙村12号` → `福建省莆田市城厢区灵川镇****`. Without a township it keeps what it
 * recognised above it (`莆田市城厢区****`), and nothing if it recognised nothing (`****`). Heuristic: prefer
 * showing region names from a stored region code where the row has one.
 */
export function maskAddress(address: string): string {
  const text = address.replace(/\s/g, '');
  if (text === '') return '';
  let kept = '';
  let level = 0;
  while (level < TOWNSHIP) {
    const m = SEGMENT.exec(text.slice(kept.length));
    if (!m || NOT_ADMIN.test(m[0])) break;
    const next = levelOf(m[0], level);
    if (next <= level) break;
    kept += m[0];
    level = next;
  }
  return `${kept}****`;
}

// Two-character surnames (复姓) in use today; a three-character name starting with one keeps both characters.
const COMPOUND_SURNAMES = new Set(
  (
    '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 端木 独孤 南宫 西门 ' +
    '百里 呼延 澹台 公冶 太史 申屠 万俟 闻人 钟离 宗政 濮阳 淳于 单于 赫连 拓跋 东郭 左丘 谷梁 梁丘 闾丘 ' +
    '乐正 公羊 羊舌 鲜于 第五 仲孙 叔孙 巫马 公西 漆雕 壤驷 公良 拓拔 微生 亓官 司寇 子车 颛孙 段干 ' +
    '呼衍 东门 公输'
  ).split(' '),
);

/**
 * For public notices: keeps the surname and stars each character of the given name (`张三` → `张*`,
 * `欧阳修文` → `欧阳**`); separators such as `·` in transliterated names stay visible.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return (
    chars.slice(0, keep).join('') +
    chars
      .slice(keep)
      .map((c) => (/[\s·•.]/.test(c) ? c : '*'))
      .join('')
  );
}
