/**
 * A synthetic but realistic city on the real division tree: households of
 * recipients (低保, 特困), 低保边缘 and monitored low-income households, with
 * members, valid and unique ID numbers, disabilities, illnesses, incomes and
 * assets. Deterministic: the same options give the same households, in the
 * same order, on every machine. Streams batches so a caller can insert a
 * province-size city without holding it in memory.
 */
import { DEMO_DIBAO_STANDARD_FEN } from '../modules/policy/demo-values';
import type { Adl, AssistanceStatus, HouseholdInput, MemberInput, Relation } from '@jiuzhu/shared';
import type { DivisionRow } from '../modules/regions/divisions';
import { givenName, surnameTable, type Sex } from './names';
import { BankCardAllocator, IdNumberAllocator, PhoneAllocator, dayNumber, isoDateOfDay } from './numbers';
import { Random, weightedTable, type WeightedTable } from './random';

export type CitySize = 'demo' | 'city' | 'province';

/** A household ready for the registry, with a key that stays the same for the same seed and position. */
export type GeneratedHousehold = HouseholdInput & { key: string };

export type StatusTargets = Record<AssistanceStatus, number>;

export interface GenerateCityOptions {
  /** The city's 4-digit division code, e.g. '3503'. */
  city: string;
  /** The city's division rows (`loadCityDivisions(city)`). */
  divisions: readonly DivisionRow[];
  size: CitySize;
  seed: number;
  /** Households per yielded batch (default 1000). */
  batchSize?: number;
  /** `province` only: multiple of the `city` targets (default PROVINCE_SCALE). */
  scale?: number;
  /** People per assistance status; replaces the size's targets (tests, benchmarks). */
  targets?: Partial<StatusTargets>;
  /** The date ages are counted at (default GENERATOR_AS_OF, fixed so output does not change by the day). */
  asOf?: string;
  /**
   * Number allocators shared between the cities of one province (`newAllocators`), so ID
   * numbers, phones and bank cards stay unique across them; default: the city's own.
   */
  allocators?: Allocators;
}

/** The ID number, phone and bank card allocators of a generator. */
export type Allocators = { ids: IdNumberAllocator; phones: PhoneAllocator; cards: BankCardAllocator };

/** Fresh allocators for one seed: pass the same object to every city of a province, in a fixed order. */
export function newAllocators(seed: number, asOf = GENERATOR_AS_OF): Allocators {
  return {
    ids: new IdNumberAllocator(seed, asOf),
    phones: new PhoneAllocator(seed),
    cards: new BankCardAllocator(seed),
  };
}

/**
 * Ages are counted at this date unless `asOf` is given. Fixed, not today: the
 * same seed must give the same city tomorrow.
 */
export const GENERATOR_AS_OF = '2026-01-01';

/**
 * The 低保 standard the generated incomes are drawn around (fen per person per
 * month): the policy module's demo value. Not the city's figure, which is configuration: only
 * the yardstick that puts 低保 households below it, 边缘 households at 1.0–1.5× and
 * low-income households above.
 */
export { DEMO_DIBAO_STANDARD_FEN };

/**
 * Per-capita monthly income of each status's households, as multiples of
 * DEMO_DIBAO_STANDARD_FEN: [low, high). Holds both for all six income types
 * together and for the five without pensions. 'applicant' households fall in
 * the 低保 or the 边缘 band.
 */
export const INCOME_BANDS: Readonly<Record<AssistanceStatus, readonly [number, number]>> = {
  tekun: [0, 0.6],
  dibao: [0, 0.85],
  applicant: [0, 1.48],
  dibao_edge: [1.02, 1.48],
  low_income: [1.55, 2.8],
  none: [1.3, 4],
};

/**
 * People per status at `city` size: Putian scale, about 58,000 current
 * recipients (特困 ≈ 11% of them) among about 150,000 monitored people.
 */
export const CITY_TARGETS: Readonly<StatusTargets> = {
  dibao: 51_800,
  tekun: 6_300,
  dibao_edge: 30_000,
  low_income: 58_000,
  applicant: 2_400,
  none: 1_500,
};

/** About 300 households and 800 people, for a demo that loads in seconds. */
export const DEMO_TARGETS: Readonly<StatusTargets> = {
  dibao: 250,
  tekun: 36,
  dibao_edge: 110,
  low_income: 290,
  applicant: 70,
  none: 44,
};

export const PROVINCE_SCALE = 10;

export const STATUSES: readonly AssistanceStatus[] = [
  'dibao',
  'tekun',
  'dibao_edge',
  'low_income',
  'applicant',
  'none',
];

export function targetsFor(size: CitySize, scale = PROVINCE_SCALE): StatusTargets {
  const base = size === 'demo' ? DEMO_TARGETS : CITY_TARGETS;
  const factor = size === 'province' ? scale : 1;
  return Object.fromEntries(STATUSES.map((s) => [s, Math.round(base[s] * factor)])) as StatusTargets;
}

/** Shares of the population by county, where known (Putian: 7th census, rounded). */
const COUNTY_SHARES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '3503': { '350322': 0.27, '350303': 0.23, '350304': 0.18, '350305': 0.18, '350302': 0.14 },
};

/** Demo households gather in these townships, so a demo login there sees a full caseload. */
const DEMO_FOCUS: Readonly<Record<string, readonly string[]>> = {
  '3503': ['350302102', '350303105'], // 灵川镇, 萩芦镇
};
/** Share of demo households in each focus township. */
const DEMO_FOCUS_SHARE = 0.22;

/**
 * ID numbers are never reissued when divisions change: people registered in
 * 莆田县 before it was abolished (2002) still carry 350321.
 */
const LEGACY_ID_REGIONS: Readonly<Record<string, { code: string; counties: readonly string[]; bornBefore: number }>> = {
  '3503': { code: '350321', counties: ['350302', '350303', '350304', '350305'], bornBefore: 1995 },
};

/** Counties elsewhere in Fujian whose numbers people who moved or married in carry. */
// prettier-ignore
const FUJIAN_ELSEWHERE = ['350102', '350104', '350181', '350182', '350203', '350521', '350524', '350583', '350628', '350781'];

// ---------------------------------------------------------------------------
// Household shapes

type Needy = 'severe' | 'disability' | 'illness';

interface Draft {
  relation: Relation;
  sex: Sex;
  age: number;
  surname: string;
  needy?: Needy;
  /** An adult child counted as a member because still in full-time education. */
  student?: boolean;
  /** Married in: more often carries an ID number from another county. */
  marriedIn?: boolean;
}

type ShapeName =
  | 'single_elderly'
  | 'single_needy_adult'
  | 'elderly_couple'
  | 'single_parent'
  | 'couple_children_needy'
  | 'disabled_with_parents'
  | 'grandparents_grandchildren'
  | 'three_generations'
  | 'couple_children'
  | 'extended_family'
  | 'single_adult'
  | 'tekun_siblings'
  | 'tekun_minor'
  | 'tekun_disabled_adult';

const DIBAO_SHAPES: ReadonlyArray<readonly [ShapeName, number]> = [
  ['single_elderly', 0.27],
  ['single_needy_adult', 0.1],
  ['elderly_couple', 0.16],
  ['single_parent', 0.1],
  ['couple_children_needy', 0.13],
  ['disabled_with_parents', 0.1],
  ['grandparents_grandchildren', 0.07],
  ['three_generations', 0.07],
];

const LOW_INCOME_SHAPES: ReadonlyArray<readonly [ShapeName, number]> = [
  ['single_elderly', 0.05],
  ['elderly_couple', 0.12],
  ['single_parent', 0.05],
  ['couple_children_needy', 0.06],
  ['couple_children', 0.38],
  ['disabled_with_parents', 0.03],
  ['grandparents_grandchildren', 0.03],
  ['three_generations', 0.1],
  ['extended_family', 0.14],
  ['single_adult', 0.04],
];

const SHAPES: Readonly<Record<AssistanceStatus, WeightedTable<ShapeName>>> = {
  tekun: weightedTable<ShapeName>([
    ['single_elderly', 0.7],
    ['tekun_disabled_adult', 0.23],
    ['tekun_minor', 0.02],
    ['tekun_siblings', 0.05],
  ]),
  dibao: weightedTable(DIBAO_SHAPES),
  applicant: weightedTable(DIBAO_SHAPES),
  dibao_edge: weightedTable<ShapeName>([
    ['single_elderly', 0.08],
    ['elderly_couple', 0.14],
    ['single_parent', 0.08],
    ['couple_children_needy', 0.22],
    ['couple_children', 0.18],
    ['disabled_with_parents', 0.08],
    ['grandparents_grandchildren', 0.05],
    ['three_generations', 0.1],
    ['extended_family', 0.04],
    ['single_adult', 0.03],
  ]),
  low_income: weightedTable(LOW_INCOME_SHAPES),
  none: weightedTable(LOW_INCOME_SHAPES),
};

// ---------------------------------------------------------------------------
// Health and abilities

type DisabilityType = NonNullable<MemberInput['disability']>['type'];

/** Digit of the type in a 残疾人证 number (ID number + type digit + grade digit). */
const DISABILITY_TYPE_DIGIT: Readonly<Record<DisabilityType, number>> = {
  visual: 1,
  hearing: 2,
  speech: 3,
  physical: 4,
  intellectual: 5,
  mental: 6,
  multiple: 7,
};

const DISABILITY_TYPES_BY_AGE: Readonly<Record<'child' | 'adult' | 'elderly', WeightedTable<DisabilityType>>> = {
  child: weightedTable<DisabilityType>([
    ['intellectual', 0.3],
    ['physical', 0.2],
    ['hearing', 0.15],
    ['multiple', 0.15],
    ['mental', 0.1],
    ['speech', 0.05],
    ['visual', 0.05],
  ]),
  adult: weightedTable<DisabilityType>([
    ['physical', 0.38],
    ['mental', 0.2],
    ['intellectual', 0.17],
    ['visual', 0.08],
    ['hearing', 0.07],
    ['multiple', 0.07],
    ['speech', 0.03],
  ]),
  elderly: weightedTable<DisabilityType>([
    ['physical', 0.5],
    ['visual', 0.18],
    ['hearing', 0.18],
    ['multiple', 0.06],
    ['mental', 0.04],
    ['intellectual', 0.02],
    ['speech', 0.02],
  ]),
};

/** Severe enough to mean no work ability under 特困人员认定办法. */
const SEVERE_TYPES = weightedTable<DisabilityType>([
  ['intellectual', 0.3],
  ['mental', 0.3],
  ['physical', 0.25],
  ['multiple', 0.08],
  ['visual', 0.07],
]);

const GRADES_ANY = weightedTable<number>([
  [1, 0.12],
  [2, 0.28],
  [3, 0.3],
  [4, 0.3],
]);
const GRADES_NEEDY = weightedTable<number>([
  [1, 0.25],
  [2, 0.4],
  [3, 0.25],
  [4, 0.1],
]);

const ILLNESSES_BY_AGE: Readonly<Record<'child' | 'adult' | 'elderly', WeightedTable<string>>> = {
  child: weightedTable<string>([
    ['白血病', 0.3],
    ['先天性心脏病', 0.25],
    ['重型地中海贫血', 0.12],
    ['恶性肿瘤', 0.12],
    ['血友病', 0.08],
    ['苯丙酮尿症', 0.05],
    ['尿毒症', 0.08],
  ]),
  adult: weightedTable<string>([
    ['恶性肿瘤', 0.28],
    ['尿毒症', 0.2],
    ['脑卒中后遗症', 0.1],
    ['白血病', 0.07],
    ['系统性红斑狼疮', 0.06],
    ['再生障碍性贫血', 0.05],
    ['肝硬化失代偿期', 0.08],
    ['器官移植术后抗排异治疗', 0.04],
    ['耐多药肺结核', 0.04],
    ['重症肌无力', 0.03],
    ['慢性心力衰竭', 0.05],
  ]),
  elderly: weightedTable<string>([
    ['恶性肿瘤', 0.26],
    ['脑卒中后遗症', 0.24],
    ['尿毒症', 0.1],
    ['慢性心力衰竭', 0.1],
    ['帕金森病', 0.07],
    ['阿尔茨海默病', 0.08],
    ['慢性阻塞性肺疾病', 0.1],
    ['肝硬化失代偿期', 0.05],
  ]),
};

type Group = 'recipient' | 'edge' | 'other';
const GROUP: Readonly<Record<AssistanceStatus, Group>> = {
  dibao: 'recipient',
  tekun: 'recipient',
  applicant: 'recipient',
  dibao_edge: 'edge',
  low_income: 'other',
  none: 'other',
};

/** Chance of a disability / a serious illness by group and age band, besides the shapes' needy members. */
const BASE_RATES: Readonly<Record<Group, { disability: readonly number[]; illness: readonly number[] }>> = {
  recipient: { disability: [0.02, 0.04, 0.07], illness: [0.008, 0.02, 0.035] },
  edge: { disability: [0.02, 0.035, 0.07], illness: [0.006, 0.015, 0.03] },
  other: { disability: [0.01, 0.02, 0.05], illness: [0.004, 0.01, 0.02] },
};

/** The six indicators in the order people usually lose them (bathing first, eating last). */
const ADL_ORDER: readonly (keyof Adl)[] = ['bathing', 'walking', 'dressing', 'transfer', 'toileting', 'eating'];

// ---------------------------------------------------------------------------
// Addresses

// prettier-ignore
const ROADS = ['人民路', '建设路', '胜利路', '文化路', '学园路', '东园路', '西园路', '南门路', '新华路', '和平路', '中山路', '解放路'];
// prettier-ignore
const ESTATES = ['和平小区', '幸福家园', '阳光花园', '金山花园', '锦绣苑', '凤凰新村', '东方花园', '滨江小区', '新城公寓', '荔园小区'];

/** '云庄村委会' → '云庄村', '何寨社区居委会' → '何寨社区'. */
export function shortVillageName(name: string): string {
  return name
    .replace(/村民委员会$|村委会$/, '村')
    .replace(/社区居民委员会$|社区居委会$/, '社区')
    .replace(/居民委员会$|居委会$/, '社区');
}

// ---------------------------------------------------------------------------

interface Village {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
  townshipName: string;
  urban: boolean;
}

interface Person {
  member: MemberInput;
  sex: Sex;
  age: number;
  draft: Draft;
}

function ageAt(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function band(age: number): 0 | 1 | 2 {
  return age < 18 ? 0 : age < 60 ? 1 : 2;
}

function bandName(age: number): 'child' | 'adult' | 'elderly' {
  return age < 18 ? 'child' : age < 60 ? 'adult' : 'elderly';
}

const yuan = (fen: number): number => Math.max(0, Math.floor(fen / 100) * 100);

const CHILD_COUNT = weightedTable<number>([
  [1, 0.4],
  [2, 0.45],
  [3, 0.15],
]);
const SINGLE_PARENT_CHILDREN = weightedTable<number>([
  [1, 0.55],
  [2, 0.35],
  [3, 0.1],
]);
const GRANDCHILD_COUNT = weightedTable<number>([
  [1, 0.6],
  [2, 0.35],
  [3, 0.05],
]);
const PARENTS_LEFT = weightedTable<'both' | 'mother' | 'father'>([
  ['both', 0.55],
  ['mother', 0.3],
  ['father', 0.15],
]);
const GRANDPARENTS_LEFT = weightedTable<'both' | 'grandmother' | 'grandfather'>([
  ['both', 0.6],
  ['grandmother', 0.3],
  ['grandfather', 0.1],
]);
const SEVERE_MENTAL_GRADES = weightedTable<number>([
  [1, 0.3],
  [2, 0.4],
  [3, 0.3],
]);
const SEVERE_PHYSICAL_GRADES = weightedTable<number>([
  [1, 0.4],
  [2, 0.6],
]);
const SENIOR_SCHOOL = weightedTable<MemberInput['schoolStatus']>([
  ['senior', 0.55],
  ['vocational', 0.38],
  ['none', 0.07],
]);

/** Chance that the head has a bank card on file, by group; other adults 15%. */
const HEAD_CARD_CHANCE: Readonly<Record<Group, number>> = { recipient: 0.95, edge: 0.85, other: 0.75 };

interface AssetProfile {
  /** Chance of no savings at all. */
  zero: number;
  /** Median savings of those with some, yuan. */
  median: number;
  vehicle: number;
  property: number;
  business: number;
  securities: number;
}

const ASSET_PROFILES: Readonly<Record<AssistanceStatus, AssetProfile>> = {
  tekun: { zero: 0.45, median: 2_000, vehicle: 0.005, property: 0.001, business: 0.001, securities: 0.001 },
  dibao: { zero: 0.3, median: 4_000, vehicle: 0.01, property: 0.003, business: 0.005, securities: 0.002 },
  applicant: { zero: 0.25, median: 6_000, vehicle: 0.02, property: 0.005, business: 0.01, securities: 0.003 },
  dibao_edge: { zero: 0.15, median: 12_000, vehicle: 0.04, property: 0.02, business: 0.02, securities: 0.01 },
  low_income: { zero: 0.08, median: 30_000, vehicle: 0.12, property: 0.06, business: 0.05, securities: 0.03 },
  none: { zero: 0.05, median: 50_000, vehicle: 0.2, property: 0.1, business: 0.08, securities: 0.05 },
};

function addIncomeOf(p: Person, key: keyof MemberInput['income'], fen: number): void {
  if (fen > 0) p.member.income[key] = (p.member.income[key] ?? 0) + fen;
}

function addAssetOf(p: Person, key: keyof MemberInput['assets'], fen: number): void {
  if (fen > 0) p.member.assets[key] = (p.member.assets[key] ?? 0) + fen;
}

/** 0 self-care, 1 partial, 2 complete loss, with the given chances. */
function careLevel(rng: Random, partial: number, complete: number): number {
  const r = rng.next();
  return r < complete ? 2 : r < complete + partial ? 1 : 0;
}

function minAge(drafts: readonly Draft[]): number {
  let min = Infinity;
  for (const d of drafts) if (d.age < min) min = d.age;
  return min;
}

class CityGenerator {
  private readonly rng: Random;
  private readonly ids: IdNumberAllocator;
  private readonly phones: PhoneAllocator;
  private readonly cards: BankCardAllocator;
  private readonly surnames: WeightedTable<string>;
  private readonly cityName: string;
  private readonly countyTable: WeightedTable<string>;
  private readonly villagesByCounty = new Map<string, Village[]>();
  private readonly focus: { villages: WeightedTable<Village> }[] = [];
  private readonly otherCounties: readonly string[];
  private readonly asOf: string;
  private readonly asOfDay: number;

  constructor(private readonly options: GenerateCityOptions) {
    const { city, divisions, seed } = options;
    this.asOf = options.asOf ?? GENERATOR_AS_OF;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.asOf) || Number.isNaN(dayNumber(this.asOf))) {
      throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${this.asOf}"`);
    }
    this.asOfDay = dayNumber(this.asOf);
    this.rng = new Random(`jiuzhu-city:${city}:${seed}`);
    const allocators = options.allocators ?? newAllocators(seed, this.asOf);
    this.ids = allocators.ids;
    this.phones = allocators.phones;
    this.cards = allocators.cards;
    this.surnames = surnameTable(city);

    const byCode = new Map(divisions.map((d) => [d.code, d]));
    const cityRow = byCode.get(city);
    if (!cityRow) throw new Error(`the divisions do not contain the city ${city}`);
    this.cityName = cityRow.name;
    for (const row of divisions) {
      // 虚拟社区/虚拟生活区 are statistical placeholders (development zones, state farms), not places people live.
      if (row.level !== 'village' || !row.code.startsWith(city) || row.name.includes('虚拟')) continue;
      const township = row.parentCode ? byCode.get(row.parentCode) : undefined;
      const county = township?.parentCode ? byCode.get(township.parentCode) : undefined;
      if (!township || !county) continue;
      const village: Village = {
        code: row.code,
        name: shortVillageName(row.name),
        countyCode: county.code,
        countyName: county.name,
        townshipName: township.name,
        // GB/T 10114: 001–199 are residents' committees (社区), 200–399 villagers' committees (村).
        urban: Number(row.code.slice(9, 12)) < 200,
      };
      const list = this.villagesByCounty.get(county.code) ?? [];
      list.push(village);
      this.villagesByCounty.set(county.code, list);
    }
    if (this.villagesByCounty.size === 0) throw new Error(`the divisions of ${city} contain no villages`);
    const counties = [...this.villagesByCounty.keys()].sort();
    const shares = COUNTY_SHARES[city];
    this.countyTable = weightedTable(
      counties.map((c) => [c, shares?.[c] ?? (shares ? 0 : this.villagesByCounty.get(c)!.length)] as const),
    );
    this.otherCounties = counties;

    if (options.size === 'demo') {
      const focusCodes =
        DEMO_FOCUS[city] ??
        divisions
          .filter((d) => d.level === 'township' && divisions.some((v) => v.parentCode === d.code))
          .slice(0, 2)
          .map((d) => d.code);
      for (const code of focusCodes) {
        const villages = [...this.villagesByCounty.values()].flat().filter((v) => v.code.startsWith(code));
        if (villages.length === 0) continue;
        // A few villages hold most of the caseload, as in a real township.
        villages.sort((a, b) => (a.code < b.code ? -1 : 1));
        this.focus.push({ villages: weightedTable(villages.map((v, i) => [v, 1 / (i + 1) ** 0.8] as const)) });
      }
    }
  }

  *households(): Generator<GeneratedHousehold[], void, undefined> {
    const { seed } = this.options;
    const batchSize = Math.max(1, Math.floor(this.options.batchSize ?? 1000));
    const targets = { ...targetsFor(this.options.size, this.options.scale), ...this.options.targets };
    const remaining = STATUSES.map((s) => Math.max(0, targets[s] ?? 0));
    let batch: GeneratedHousehold[] = [];
    let n = 0;
    for (;;) {
      // Sampling without replacement in proportion to the people still to place:
      // the statuses are mixed through the stream, and each ends near its target.
      let total = 0;
      for (const r of remaining) total += Math.max(0, r);
      if (total <= 0) break;
      let pick = this.rng.next() * total;
      let s = 0;
      for (; s < remaining.length - 1; s++) {
        const r = Math.max(0, remaining[s]!);
        if (pick < r) break;
        pick -= r;
      }
      while (remaining[s]! <= 0) s = (s + 1) % remaining.length;
      const status = STATUSES[s]!;
      n += 1;
      const household = this.household(`G${seed}-${String(n).padStart(6, '0')}`, status);
      remaining[s]! -= household.members.length;
      batch.push(household);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  private village(): Village {
    const rng = this.rng;
    if (this.focus.length > 0) {
      const r = rng.next();
      const index = Math.floor(r / DEMO_FOCUS_SHARE);
      if (index < this.focus.length) return rng.from(this.focus[index]!.villages);
    }
    const county = rng.from(this.countyTable);
    return rng.pick(this.villagesByCounty.get(county)!);
  }

  private address(v: Village): string {
    const rng = this.rng;
    const place = `${this.cityName}${v.countyName}${v.townshipName}${v.name}`;
    if (!v.urban) return `${place}${rng.int(1, 12)}组${rng.int(1, 160)}号`;
    if (rng.bernoulli(0.5)) return `${place}${rng.pick(ROADS)}${rng.int(1, 320)}号`;
    return `${place}${rng.pick(ESTATES)}${rng.int(1, 24)}幢${rng.int(1, 9)}0${rng.int(1, 4)}室`;
  }

  private household(key: string, status: AssistanceStatus): GeneratedHousehold {
    const rng = this.rng;
    const village = this.village();
    const shape = rng.from(SHAPES[status]);
    const drafts = this.shape(shape, status);
    let hukou: 'urban' | 'rural' = village.urban ? 'urban' : 'rural';
    if (rng.bernoulli(0.08)) hukou = hukou === 'urban' ? 'rural' : 'urban';
    const people = drafts.map((d) => this.person(d, status, village, hukou));
    this.addIncome(people, status, hukou);
    this.addAssets(people, status);
    return {
      key,
      regionCode: village.code,
      address: this.address(village),
      assistanceStatus: status,
      members: people.map((p) => p.member),
    };
  }

  // -- shapes ---------------------------------------------------------------

  private elderlyAge(mean: number): number {
    return this.rng.normalInt(mean, 8, 60, 100);
  }

  private spouseOf(head: Draft, ageGap = 3): Draft {
    const rng = this.rng;
    const sex: Sex = head.sex === 'male' ? 'female' : 'male';
    // Husbands are on average a few years older than their wives.
    const gap = rng.normalInt(ageGap, 3, -5, 14);
    const age = Math.max(20, head.sex === 'male' ? head.age - gap : head.age + gap);
    return { relation: 'spouse', sex, age: Math.min(age, 100), surname: rng.from(this.surnames), marriedIn: true };
  }

  /** Children of a couple (or single parent): 20–40 years younger than each parent, up to 22 (students). */
  private children(
    count: number,
    parentAges: number[],
    surname: string,
    relation: Relation = 'child',
    /** The other parent's surname, which a few children carry. */
    otherSurname?: string,
  ): Draft[] {
    const rng = this.rng;
    const oldest = Math.min(22, Math.min(...parentAges) - 20);
    const youngest = Math.max(0, Math.max(...parentAges) - 40);
    const out: Draft[] = [];
    if (oldest < youngest) return out;
    for (let i = 0; i < count; i++) {
      const age = rng.int(youngest, oldest);
      const sex: Sex = rng.bernoulli(0.53) ? 'male' : 'female';
      out.push({
        relation,
        sex,
        age,
        surname: otherSurname && rng.bernoulli(0.05) ? otherSurname : surname,
        ...(age >= 18 ? { student: true } : {}),
      });
    }
    return out.sort((a, b) => b.age - a.age);
  }

  private childCount(): number {
    return this.rng.from(CHILD_COUNT);
  }

  private draftHead(sex: Sex, age: number): Draft {
    return { relation: 'head', sex, age, surname: this.rng.from(this.surnames) };
  }

  private markNeedy(members: Draft[], weights: readonly number[], severe = false): void {
    const rng = this.rng;
    const candidates = members.map((m, i) => [i, weights[i] ?? 0] as const).filter(([, w]) => w > 0);
    if (candidates.length === 0) return;
    const target = members[rng.weighted(candidates)]!;
    target.needy = rng.bernoulli(severe ? 0.85 : 0.55) ? (severe ? 'severe' : 'disability') : 'illness';
  }

  private shape(shape: ShapeName, status: AssistanceStatus): Draft[] {
    const rng = this.rng;
    const surname = (): string => rng.from(this.surnames);
    switch (shape) {
      case 'single_elderly': {
        // Rural 五保 were mostly men who never married; among 低保 elderly, widows outnumber widowers.
        const male = rng.bernoulli(status === 'tekun' ? 0.65 : 0.45);
        return [this.draftHead(male ? 'male' : 'female', this.elderlyAge(status === 'tekun' ? 76 : 74))];
      }
      case 'single_needy_adult': {
        const head = this.draftHead(rng.bernoulli(0.6) ? 'male' : 'female', rng.normalInt(46, 9, 18, 59));
        head.needy = rng.bernoulli(0.6) ? 'disability' : 'illness';
        return [head];
      }
      case 'single_adult':
        return [this.draftHead(rng.bernoulli(0.6) ? 'male' : 'female', rng.normalInt(45, 10, 22, 59))];
      case 'elderly_couple': {
        const husband = this.draftHead('male', this.elderlyAge(72));
        const wife = this.spouseOf(husband);
        wife.age = Math.max(55, wife.age);
        if (rng.bernoulli(0.85)) return [husband, wife];
        return [
          { ...wife, relation: 'head', marriedIn: false },
          { ...husband, relation: 'spouse', marriedIn: true },
        ];
      }
      case 'single_parent': {
        const head = this.draftHead(rng.bernoulli(0.65) ? 'female' : 'male', rng.normalInt(42, 7, 26, 58));
        // Children mostly carry the father's surname, also when the mother heads the household.
        const childSurname = head.sex === 'male' || rng.bernoulli(0.15) ? head.surname : surname();
        const kids = this.children(rng.from(SINGLE_PARENT_CHILDREN), [head.age], childSurname);
        return [head, ...kids];
      }
      case 'couple_children':
      case 'couple_children_needy': {
        const husband = this.draftHead('male', rng.normalInt(42, 7, 25, 60));
        const wife = this.spouseOf(husband, 2);
        const kids = this.children(this.childCount(), [husband.age, wife.age], husband.surname, 'child', wife.surname);
        const members = rng.bernoulli(0.88)
          ? [husband, wife]
          : [
              { ...wife, relation: 'head' as const },
              { ...husband, relation: 'spouse' as const },
            ];
        const all = [...members, ...kids];
        if (shape === 'couple_children_needy') this.markNeedy(all, [0.45, 0.3, ...kids.map(() => 0.25 / kids.length)]);
        return all;
      }
      case 'disabled_with_parents': {
        const which = rng.from(PARENTS_LEFT);
        const father = this.draftHead('male', rng.normalInt(68, 8, 50, 95));
        const mother = this.spouseOf(father);
        mother.age = Math.max(45, mother.age);
        const parents =
          which === 'both'
            ? [father, mother]
            : which === 'father'
              ? [father]
              : [{ ...mother, relation: 'head' as const, marriedIn: false }];
        // An adult child, 20–40 years younger than each parent.
        const oldestParent = Math.max(...parents.map((p) => p.age));
        const youngestChild = Math.max(16, oldestParent - 40);
        const adult: Draft = {
          relation: 'child',
          sex: rng.bernoulli(0.6) ? 'male' : 'female',
          age: rng.int(youngestChild, Math.max(youngestChild, minAge(parents) - 20)),
          surname: father.surname,
        };
        adult.needy = rng.bernoulli(0.85) ? 'severe' : 'illness';
        return [...parents, adult];
      }
      case 'grandparents_grandchildren': {
        // Left-behind children (留守儿童) whose parents work away, are dead or in prison.
        const grandfather = this.draftHead('male', rng.normalInt(68, 6, 56, 88));
        const grandmother = this.spouseOf(grandfather);
        grandmother.age = Math.max(52, grandmother.age);
        const which = rng.from(GRANDPARENTS_LEFT);
        const elders =
          which === 'both'
            ? [grandfather, grandmother]
            : which === 'grandfather'
              ? [grandfather]
              : [{ ...grandmother, relation: 'head' as const, marriedIn: false }];
        const youngestElder = minAge(elders);
        const count = rng.from(GRANDCHILD_COUNT);
        const kids: Draft[] = [];
        // Grandchildren 42–70 years younger than the younger grandparent, and minors.
        const oldestKid = Math.max(1, Math.min(17, youngestElder - 42));
        const youngestKid = Math.max(1, Math.min(oldestKid, youngestElder - 70));
        for (let i = 0; i < count; i++) {
          const age = rng.int(youngestKid, oldestKid);
          kids.push({
            relation: 'grandchild',
            sex: rng.bernoulli(0.53) ? 'male' : 'female',
            age,
            surname: which === 'grandmother' && rng.bernoulli(0.5) ? surname() : grandfather.surname,
          });
        }
        return [...elders, ...kids.sort((a, b) => b.age - a.age)];
      }
      case 'three_generations': {
        const head = this.draftHead(rng.bernoulli(0.8) ? 'male' : 'female', rng.normalInt(45, 7, 28, 60));
        const members: Draft[] = [head];
        if (rng.bernoulli(0.8)) members.push(this.spouseOf(head, 2));
        const [father, mother] = head.sex === 'male' ? [head, members[1]] : [members[1], head];
        const kids = this.children(
          rng.int(1, 2),
          members.map((m) => m.age),
          father?.surname ?? surname(),
          'child',
          mother?.surname,
        );
        const parentSex: Sex = rng.bernoulli(0.65) ? 'female' : 'male';
        const parent: Draft = {
          relation: 'parent',
          sex: parentSex,
          age: Math.min(100, head.age + rng.int(21, 36)),
          surname: parentSex === 'male' ? head.surname : surname(),
        };
        const all = [...members, ...kids, parent];
        if (rng.bernoulli(0.7)) {
          const w = all.map((m) =>
            m.relation === 'parent'
              ? 0.4
              : m.relation === 'head'
                ? 0.3
                : m.relation === 'spouse'
                  ? 0.15
                  : 0.15 / kids.length,
          );
          this.markNeedy(all, w);
        }
        return all;
      }
      case 'extended_family': {
        // Grandparents, a married son, his wife and their children: headed by the grandfather or the son.
        const grandfather = this.draftHead('male', rng.normalInt(66, 6, 52, 85));
        const grandmother = this.spouseOf(grandfather);
        const elders = rng.bernoulli(0.75) ? [grandfather, grandmother] : [grandfather];
        const youngestSon = Math.max(22, grandfather.age - 40);
        const sonAge = rng.int(youngestSon, Math.max(youngestSon, minAge(elders) - 22));
        const son: Draft = { relation: 'child', sex: 'male', age: sonAge, surname: grandfather.surname };
        const wife: Draft = { ...this.spouseOf(son, 2), relation: 'daughter_in_law' };
        const grandkids = this.children(
          rng.int(1, 2),
          [son.age, wife.age],
          son.surname,
          'grandchild',
          wife.surname,
        ).filter((k) => k.age < 18);
        if (rng.bernoulli(0.5)) return [...elders, son, wife, ...grandkids];
        const sonHead: Draft = { ...son, relation: 'head' };
        const elderParents = elders.map((e) => ({ ...e, relation: 'parent' as const }));
        return [
          sonHead,
          { ...wife, relation: 'spouse' },
          ...grandkids.map((k) => ({ ...k, relation: 'child' as const })),
          ...elderParents,
        ];
      }
      case 'tekun_siblings': {
        const head = this.draftHead(rng.bernoulli(0.7) ? 'male' : 'female', this.elderlyAge(75));
        const sibling: Draft = {
          relation: 'sibling',
          sex: rng.bernoulli(0.6) ? 'male' : 'female',
          age: Math.max(60, Math.min(100, head.age + rng.int(-8, 8))),
          surname: head.surname,
        };
        return [head, sibling];
      }
      case 'tekun_minor':
        return [this.draftHead(rng.bernoulli(0.55) ? 'male' : 'female', rng.int(4, 15))];
      case 'tekun_disabled_adult': {
        const head = this.draftHead(rng.bernoulli(0.6) ? 'male' : 'female', rng.normalInt(42, 10, 18, 59));
        head.needy = 'severe';
        return [head];
      }
    }
  }

  // -- people ---------------------------------------------------------------

  private birthDay(age: number): number {
    const year = Number(this.asOf.slice(0, 4)) - age;
    let monthDay = this.asOf.slice(5);
    if (monthDay === '02-29') monthDay = '02-28';
    // Born in the 365 days up to the birthday that makes them `age` at asOf.
    return dayNumber(`${year}-${monthDay}`) - this.rng.int(0, 364);
  }

  private idRegion(countyCode: string, birthYear: number, draft: Draft): string {
    const rng = this.rng;
    const legacy = LEGACY_ID_REGIONS[this.options.city];
    if (legacy && birthYear < legacy.bornBefore && legacy.counties.includes(countyCode) && rng.bernoulli(0.08)) {
      return legacy.code;
    }
    if (draft.marriedIn && rng.bernoulli(0.12)) {
      const others = this.otherCounties.filter((c) => c !== countyCode);
      if (others.length > 0) return rng.pick(others);
    }
    if (birthYear < 1990 && this.options.city.startsWith('35') && rng.bernoulli(0.01))
      return rng.pick(FUJIAN_ELSEWHERE);
    return countyCode;
  }

  private person(draft: Draft, status: AssistanceStatus, village: Village, hukou: 'urban' | 'rural'): Person {
    const rng = this.rng;
    const day = Math.min(this.birthDay(draft.age), this.asOfDay);
    const wantedDate = isoDateOfDay(day);
    const region6 = this.idRegion(village.countyCode, Number(wantedDate.slice(0, 4)), draft);
    const { idNumber, birthDate } = this.ids.allocate(region6, wantedDate, draft.sex);
    const age = ageAt(birthDate, this.asOf);
    const birthYear = Number(birthDate.slice(0, 4));
    const group = GROUP[status];
    const b = band(age);

    const member: MemberInput = {
      name: draft.surname + givenName(rng, draft.sex, birthYear),
      idNumber,
      relation: draft.relation,
      hukouType: draft.marriedIn && rng.bernoulli(0.1) ? (hukou === 'urban' ? 'rural' : 'urban') : hukou,
      workAbility: 'full',
      schoolStatus: 'none',
      income: {},
      assets: {},
    };

    // Disability and illness.
    const extraElderly = status === 'tekun' && b === 2 ? 0.15 : 0;
    let disability: MemberInput['disability'];
    if (draft.needy === 'severe') {
      disability = this.severeDisability(idNumber);
    } else if (draft.needy === 'disability' || rng.bernoulli(BASE_RATES[group].disability[b]! + extraElderly)) {
      const type = rng.from(DISABILITY_TYPES_BY_AGE[bandName(age)]);
      const grade = rng.from(draft.needy === 'disability' ? GRADES_NEEDY : GRADES_ANY);
      disability = { type, grade, certificateNo: `${idNumber}${DISABILITY_TYPE_DIGIT[type]}${grade}` };
    }
    if (disability) member.disability = disability;
    if (draft.needy === 'illness' || rng.bernoulli(BASE_RATES[group].illness[b]!)) {
      member.seriousIllness = rng.from(ILLNESSES_BY_AGE[bandName(age)]);
    }

    member.workAbility = this.workAbility(age, status, member);
    member.schoolStatus = this.school(age, draft, member);
    const adl = this.adl(age, status, member);
    if (adl) member.adl = adl;

    // Contact and payment details: most heads, some other adults.
    const isHead = draft.relation === 'head';
    const phoneChance = isHead && age >= 16 ? (age >= 80 ? 0.6 : 0.9) : age >= 18 && age < 75 ? 0.65 : 0;
    if (phoneChance > 0 && rng.bernoulli(phoneChance)) member.phone = this.phones.allocate(rng);
    const cardChance = isHead ? HEAD_CARD_CHANCE[group] : age >= 18 ? 0.15 : 0;
    if (cardChance > 0 && rng.bernoulli(cardChance)) {
      const card = this.cards.allocate(rng);
      member.bankAccount = card.bankAccount;
      member.bankName = card.bankName;
    }
    return { member, sex: draft.sex, age, draft };
  }

  private severeDisability(idNumber: string): NonNullable<MemberInput['disability']> {
    const rng = this.rng;
    const type = rng.from(SEVERE_TYPES);
    const grade =
      type === 'intellectual' || type === 'mental'
        ? rng.from(SEVERE_MENTAL_GRADES)
        : type === 'visual'
          ? 1
          : rng.from(SEVERE_PHYSICAL_GRADES);
    return { type, grade, certificateNo: `${idNumber}${DISABILITY_TYPE_DIGIT[type]}${grade}` };
  }

  /** Consistent with age, disability and illness; 特困 people have none by definition. */
  private workAbility(age: number, status: AssistanceStatus, m: MemberInput): MemberInput['workAbility'] {
    const rng = this.rng;
    if (status === 'tekun' || age < 16 || age >= 70) return 'none';
    let ability: MemberInput['workAbility'] = age >= 60 ? (rng.bernoulli(0.7) ? 'partial' : 'none') : 'full';
    const d = m.disability;
    if (d) {
      const mentalOrIntellectual = d.type === 'intellectual' || d.type === 'mental';
      if (d.grade <= 2 || (d.grade === 3 && mentalOrIntellectual)) ability = 'none';
      else if (d.grade === 3) ability = ability === 'none' ? 'none' : 'partial';
      else if (ability === 'full' && rng.bernoulli(0.6)) ability = 'partial';
    }
    if (m.seriousIllness && ability !== 'none') ability = rng.bernoulli(0.6) ? 'none' : 'partial';
    if (ability === 'full' && GROUP[status] === 'recipient' && rng.bernoulli(0.1)) ability = 'partial';
    return ability;
  }

  private school(age: number, draft: Draft, m: MemberInput): MemberInput['schoolStatus'] {
    const rng = this.rng;
    const severeIntellectual =
      m.disability && m.disability.grade <= 2 && ['intellectual', 'multiple'].includes(m.disability.type);
    if (age < 3) return 'none';
    if (age <= 5) return rng.bernoulli(0.9) ? 'preschool' : 'none';
    if (severeIntellectual && age < 18 && rng.bernoulli(0.5)) return 'none';
    if (age <= 11) return 'primary';
    if (age <= 14) return 'junior';
    if (age <= 17) {
      return rng.from(SENIOR_SCHOOL);
    }
    if (draft.student && age <= 22) return rng.bernoulli(0.7) ? 'college' : 'vocational';
    if (draft.student && age <= 25) return rng.bernoulli(0.8) ? 'college' : 'graduate';
    return 'none';
  }

  /**
   * Recorded for those whose self-care matters to the rules: 特困 people and
   * adults who are elderly, disabled or seriously ill. Others: undefined (= self-care).
   */
  private adl(age: number, status: AssistanceStatus, m: MemberInput): Adl | undefined {
    const rng = this.rng;
    const relevant = status === 'tekun' || (age >= 16 && (age >= 60 || m.disability || m.seriousIllness));
    if (!relevant) return undefined;
    // The worst of the levels age, disability and illness lead to.
    const levels: number[] = [];
    const draw = (partial: number, complete: number): number => careLevel(rng, partial, complete);
    if (age >= 90) levels.push(draw(0.35, 0.25));
    else if (age >= 80) levels.push(draw(0.25, 0.1));
    else if (age >= 70) levels.push(draw(0.12, 0.04));
    else if (age >= 60) levels.push(draw(0.05, 0.01));
    const d = m.disability;
    if (d && age >= 6) {
      const [p, c] =
        d.grade === 1 ? [0.3, 0.5] : d.grade === 2 ? [0.4, 0.15] : d.grade === 3 ? [0.15, 0.02] : [0.05, 0];
      levels.push(draw(p!, c!));
    }
    if (m.seriousIllness) levels.push(m.seriousIllness === '脑卒中后遗症' ? draw(0.45, 0.35) : draw(0.15, 0.05));
    const level = Math.max(0, ...levels);
    const unmet = level === 0 ? 0 : level === 1 ? rng.int(1, 3) : rng.int(4, 6);
    const order = [...ADL_ORDER];
    // Mostly the usual order of loss, sometimes another indicator goes first.
    if (unmet > 0 && rng.bernoulli(0.2)) {
      const i = rng.int(0, 5);
      const j = rng.int(0, 5);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const adl: Adl = { eating: true, dressing: true, transfer: true, toileting: true, walking: true, bathing: true };
    for (let i = 0; i < unmet; i++) adl[order[i]!] = false;
    return adl;
  }

  // -- money ----------------------------------------------------------------

  private addIncome(people: Person[], status: AssistanceStatus, hukou: 'urban' | 'rural'): void {
    const rng = this.rng;
    const n = people.length;
    const standard = DEMO_DIBAO_STANDARD_FEN;
    const effective: AssistanceStatus =
      status === 'applicant' ? (rng.bernoulli(0.65) ? 'dibao' : 'dibao_edge') : status;
    const [lo, hi] = INCOME_BANDS[effective];

    // Pensions: the residents' basic pension for most elderly; a retirement pension for some urban ones.
    const pensions = people.map((p) => {
      if (p.age < 60) return 0;
      if (GROUP[status] === 'other' && p.member.hukouType === 'urban' && rng.bernoulli(0.4))
        return rng.int(1500, 3200) * 100;
      return rng.int(150, 280) * 100;
    });
    let pensionTotal = pensions.reduce((a, b) => a + b, 0);
    const maxPensionShare = (hi - lo) * 0.6;
    if (pensionTotal > maxPensionShare * standard * n) {
      const factor = (maxPensionShare * standard * n) / pensionTotal;
      for (let i = 0; i < n; i++) pensions[i] = yuan(pensions[i]! * factor);
      pensionTotal = pensions.reduce((a, b) => a + b, 0);
    }
    const pensionShare = pensionTotal / (standard * n);

    // Other income: per capita in [lo, hi − pension share), so the band holds with and without pensions.
    const top = hi - pensionShare - 0.01;
    let ratio: number;
    if (lo === 0) ratio = rng.bernoulli(effective === 'tekun' ? 0.5 : 0.2) ? 0 : rng.float(0, top);
    // The margin above `lo` absorbs the rounding of each amount down to whole yuan.
    else ratio = rng.float(lo + 0.02, Math.max(lo + 0.021, top));
    const budget = ratio * standard * n;

    const earners = people.filter(
      (p) => p.age >= 18 && p.age < 65 && p.member.workAbility !== 'none' && p.member.schoolStatus === 'none',
    );
    const rural = hukou === 'rural';
    const hasEarners = earners.length > 0;
    const shares: Record<'wage' | 'business' | 'transfer' | 'property' | 'other', number> = {
      wage: hasEarners ? (rural ? rng.float(0.4, 0.9) : rng.float(0.7, 1)) : 0,
      // Farming or a small trade needs someone able to work.
      business: !hasEarners ? 0 : rural ? rng.float(0, 0.5) : rng.bernoulli(0.1) ? rng.float(0, 0.3) : 0,
      transfer: hasEarners ? rng.float(0, 0.2) : rng.float(0.4, 1),
      // Rent for contracted land (土地流转) is common where nobody farms it any more.
      property: rural && !hasEarners ? rng.float(0, 0.3) : rng.bernoulli(0.12) ? rng.float(0, 0.15) : 0,
      other: rng.bernoulli(0.25) ? rng.float(0, 0.15) : 0,
    };
    const sum = shares.wage + shares.business + shares.transfer + shares.property + shares.other;
    const amounts = { wage: 0, business: 0, transfer: 0, property: 0, other: 0 };
    let largest: keyof typeof amounts = 'transfer';
    for (const k of Object.keys(amounts) as (keyof typeof amounts)[]) {
      amounts[k] = sum > 0 ? yuan((budget * shares[k]) / sum) : 0;
      if (amounts[k] > amounts[largest]) largest = k;
    }
    // Nobody declares 3 yuan of rent: amounts under 30 yuan join the largest source.
    for (const k of Object.keys(amounts) as (keyof typeof amounts)[]) {
      if (k !== largest && amounts[k] > 0 && amounts[k] < 3_000) {
        amounts[largest] += amounts[k];
        amounts[k] = 0;
      }
    }

    const head = people[0]!;
    const add = addIncomeOf;
    const wageTotal = amounts.wage;
    if (wageTotal > 0) {
      const weights = earners.map((p) => (p.member.workAbility === 'full' ? 1 : 0.45) * rng.float(0.7, 1.3));
      const weightSum = weights.reduce((a, b) => a + b, 0);
      earners.forEach((p, i) => add(p, 'wage', yuan((wageTotal * weights[i]!) / weightSum)));
    }
    add(earners.includes(head) ? head : (earners[0] ?? head), 'business', amounts.business);
    // Support from children living elsewhere (赡养费) goes to the eldest member.
    const eldest = people.reduce((a, b) => (b.age > a.age ? b : a));
    add(eldest.age >= 60 ? eldest : head, 'transfer', amounts.transfer);
    add(head, 'property', amounts.property);
    add(head, 'other', amounts.other);
    people.forEach((p, i) => add(p, 'pension', pensions[i]!));
  }

  private addAssets(people: Person[], status: AssistanceStatus): void {
    const rng = this.rng;
    const n = people.length;
    const head = people[0]!;
    const spouse = people.find((p) => p.draft.relation === 'spouse');
    const standard = DEMO_DIBAO_STANDARD_FEN;
    const profile = ASSET_PROFILES[status];
    const recipient = GROUP[status] === 'recipient';
    const put = addAssetOf;

    if (!rng.bernoulli(profile.zero)) {
      let deposits = rng.lognormal(profile.median * 100, 1);
      // Recipients' savings stay within what a typical local limit allows (about 20 months of the standard each).
      if (recipient) deposits = Math.min(deposits, 20 * standard * n * rng.float(0.5, 1));
      deposits = yuan(deposits);
      if (spouse && rng.bernoulli(0.4)) {
        const part = yuan(deposits * rng.float(0.2, 0.5));
        put(spouse, 'deposits', part);
        put(head, 'deposits', deposits - part);
      } else put(head, 'deposits', deposits);
    }
    if (rng.bernoulli(profile.securities)) put(head, 'securities', yuan(rng.lognormal(20_000_00, 0.8)));
    if (rng.bernoulli(profile.vehicle)) {
      // For recipients an old motorcycle or an electric tricycle; otherwise mostly a car.
      put(head, 'vehicles', yuan(recipient ? rng.int(1_500, 8_000) * 100 : rng.lognormal(45_000_00, 0.5)));
    }
    if (rng.bernoulli(profile.property)) put(head, 'property', yuan(rng.lognormal(300_000_00, 0.5)));
    if (rng.bernoulli(profile.business))
      put(head, 'business', yuan(rng.lognormal(recipient ? 5_000_00 : 50_000_00, 0.7)));
  }
}

/**
 * Generates the city in batches of households. The generator object is lazy:
 * nothing is computed until the first batch is requested.
 *
 * ```ts
 * for (const batch of generateCity({ city: '3503', divisions, size: 'city', seed: 1 })) await insert(batch);
 * ```
 */
export function* generateCity(options: GenerateCityOptions): Generator<GeneratedHousehold[], void, undefined> {
  yield* new CityGenerator(options).households();
}

/** Every household of a (small) city at once: tests and the demo. */
export function generateAll(options: GenerateCityOptions): GeneratedHousehold[] {
  const out: GeneratedHousehold[] = [];
  for (const batch of generateCity(options)) for (const h of batch) out.push(h);
  return out;
}
