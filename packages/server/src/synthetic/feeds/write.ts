/**
 * Department feed files for a generated city, with planted events whose outcome
 * is known and decoys that must not raise a signal, plus the ground truth the
 * data-collision tests check recall and precision against (FORMATS.md).
 *
 * One pass over the households fills small samples of the people each kind of
 * event is planted on, so memory stays a fraction of the city's; then every
 * file is built in memory (a few thousand rows at city size) and written.
 * Deterministic: the same households, seed and as-of date give byte-identical
 * files. The city's own random stream is never touched.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeIdNumber, validateIdNumber, type AssistanceStatus } from '@jiuzhu/shared';
import { DEMO_DIBAO_STANDARD_FEN, GENERATOR_AS_OF, type GeneratedHousehold } from '../city';
import { fullName, surnameTable, type Sex } from '../names';
import { dayNumber, isoDateOfDay } from '../numbers';
import { Random, weightedTable, type WeightedTable } from '../random';
import {
  CUSTODY_TYPES,
  DISABILITY_LEAD_MAX_GRADE,
  DISABILITY_TYPE_DIGIT,
  EXEMPT_VEHICLE_TYPES,
  FEED_NAMES,
  FEED_SPECS,
  GROUND_TRUTH_FILE,
  LEAD_STATUSES,
  MEDICAL_SELF_PAID_LEAD_FEN,
  MEDICAL_WINDOW_MONTHS,
  RECIPIENT_STATUSES,
  STOPPING_CUSTODY_TYPES,
  VEHICLE_TYPES,
  WAGE_REVIEW_FACTOR,
  WAGE_REVIEW_THRESHOLD_FEN,
  type DisabilityType,
  type FeedName,
  type VehicleType,
} from './catalogue';
import { csvField, csvLine } from './csv';
import {
  countTruth,
  truthRecord,
  ID_FORMATS,
  type BadRowType,
  type DecoyType,
  type Expected,
  type FeedCounts,
  type FeedKind,
  type SignalOutcome,
  type TruthBody,
  type TruthRecord,
} from './truth';
import {
  formatIdNumber,
  idFormatApplies,
  makeCreditCode,
  nearMissInvalid,
  nearMissValid,
  platePrefix,
  plateNumber,
  provinceName,
} from './numbers';

type HouseholdSource =
  | Iterable<GeneratedHousehold | readonly GeneratedHousehold[]>
  | AsyncIterable<GeneratedHousehold | readonly GeneratedHousehold[]>;

export interface WriteFeedsOptions {
  /** The registry's people: an array of households, or the batches of `generateCity`. */
  households: HouseholdSource;
  seed: number;
  /** Created if missing; existing feed files in it are overwritten. */
  outDir: string;
  /** Events happen up to this date (YYYY-MM-DD, default GENERATOR_AS_OF); bad rows lie 10 years after it. */
  asOf?: string;
}

export interface WriteFeedsResult {
  outDir: string;
  files: { file: string; rows: number; bytes: number }[];
  counts: FeedCounts;
  households: number;
  people: number;
  ms: number;
}

/**
 * Writes the feed files (layouts in FORMATS.md) and `ground-truth.json` into `outDir`; returns what it wrote.
 *
 * ```ts
 * await writeFeeds({ households: generateCity({ city: '3503', divisions, size: 'city', seed: 1 }), seed: 1, outDir });
 * ```
 */
export async function writeFeeds(options: WriteFeedsOptions): Promise<WriteFeedsResult> {
  const started = performance.now();
  const asOf = options.asOf ?? GENERATOR_AS_OF;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || isoDateOfDay(dayNumber(asOf)) !== asOf) {
    throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  }
  const builder = new FeedBuilder(options.seed, asOf);
  for await (const item of options.households) {
    if (Array.isArray(item)) for (const h of item as readonly GeneratedHousehold[]) builder.addHousehold(h);
    else builder.addHousehold(item as GeneratedHousehold);
  }
  if (builder.people === 0) throw new Error('writeFeeds needs a city with people in it');
  const output = builder.build();

  await mkdir(options.outDir, { recursive: true });
  for (const f of output.files) await writeFile(join(options.outDir, f.file), f.text, 'utf8');
  await writeFile(join(options.outDir, GROUND_TRUTH_FILE), output.truthText, 'utf8');
  return {
    outDir: options.outDir,
    files: output.files.map((f) => ({ file: f.file, rows: f.rows, bytes: Buffer.byteLength(f.text) })),
    counts: output.counts,
    households: builder.households,
    people: builder.people,
    ms: Math.round(performance.now() - started),
  };
}

// ---------------------------------------------------------------------------

interface Person {
  id: string;
  name: string;
  sex: Sex;
  age: number;
  /** 9-digit township code of the household (or, for people not in the registry, of where they live). */
  township: string;
  /** Registry people only. */
  status?: AssistanceStatus;
  householdKey?: string;
  householdSize: number;
  disability?: { type: DisabilityType; grade: number };
}

type Values = Record<string, string | number>;

interface Draft {
  values: Values;
  truth: TruthBody;
  /** Bad rows: the line exactly as written, from the row's values (id_number and name included). */
  raw?: (recordId: string, values: Values) => string;
}

/**
 * A uniform sample of the people who qualify for a kind of event: a Bernoulli
 * sample (a quarter of them) for large cities and a reservoir for small ones,
 * whichever is larger. `take` hands out people no other event has used.
 */
class Pool {
  private seen = 0;
  private readonly sampled: Person[] = [];
  private readonly reservoir: Person[] = [];
  private order: Person[] | undefined;
  private cursor = 0;

  constructor(
    private readonly rng: Random,
    private readonly rate = 0.25,
    private readonly capacity = 512,
  ) {}

  add(p: Person): void {
    this.seen++;
    if (this.rng.next() < this.rate) this.sampled.push(p);
    if (this.reservoir.length < this.capacity) this.reservoir.push(p);
    else {
      const j = this.rng.int(0, this.seen - 1);
      if (j < this.capacity) this.reservoir[j] = p;
    }
  }

  private candidates(): Person[] {
    if (!this.order) {
      const list = this.sampled.length >= this.reservoir.length ? this.sampled : this.reservoir;
      this.order = this.rng.shuffle([...list]);
    }
    return this.order;
  }

  take(n: number, used: Set<string>): Person[] {
    const list = this.candidates();
    const out: Person[] = [];
    while (out.length < n && this.cursor < list.length) {
      const p = list[this.cursor++]!;
      if (used.has(p.id)) continue;
      used.add(p.id);
      out.push(p);
    }
    return out;
  }

  /** Any candidate, used or not: the person a decoy imitates. */
  pick(rng: Random): Person | undefined {
    const list = this.candidates();
    return list.length > 0 ? rng.pick(list) : undefined;
  }
}

type PoolName =
  /** Recipients aged 50 or more: deaths. */
  | 'recipientElderly'
  /** Recipients aged 18–70: custody, vehicles, property, business. */
  | 'recipientAdult'
  /** 低保 recipients of working age, able to work, not in school: wages. */
  | 'recipientWorker'
  /** The unique largest earner (wage + business > 0) of a non-recipient household of 2 or more, aged 18–64. */
  | 'breadwinner'
  /** Non-recipients aged 60 or more without wage or business income. */
  | 'nonEarner'
  /** Non-recipients aged 18–70: records that only matter for recipients. */
  | 'nonRecipientAdult'
  /** Non-recipients aged 2 or more without a disability: medical bills, new certificates. */
  | 'nonRecipientHealthy'
  /** Non-recipients with a grade 3–4 disability: regraded certificates. */
  | 'nonRecipientGrade34';

const POOL_NAMES: readonly PoolName[] = [
  'recipientElderly',
  'recipientAdult',
  'recipientWorker',
  'breadwinner',
  'nonEarner',
  'nonRecipientAdult',
  'nonRecipientHealthy',
  'nonRecipientGrade34',
];

const RECORD_PREFIX: Readonly<Record<FeedName, string>> = {
  deaths: 'DTH',
  cremations: 'CRM',
  detentions: 'CUS',
  vehicles: 'VEH',
  realEstate: 'EST',
  business: 'BIZ',
  medical: 'MED',
  disability: 'DIS',
  wages: 'WAG',
};

const KIND_OF_FILE: Readonly<Record<FeedName, FeedKind>> = {
  deaths: 'death',
  cremations: 'cremation',
  detentions: 'prison',
  vehicles: 'vehicle',
  realEstate: 'property',
  business: 'business',
  medical: 'medical',
  disability: 'disability',
  wages: 'wage',
};

// prettier-ignore
const ROADS = ['人民路', '建设路', '胜利路', '文献路', '学园路', '东园路', '荔华路', '梅园路', '延寿路', '城港大道', '镇海路', '九华路'];
// prettier-ignore
const ESTATES = ['锦江华府', '兰溪名苑', '滨海新城', '紫荆花园', '木兰春晓', '东方名城', '壶兰花园', '城南世家', '荔景苑', '海岸明珠'];
// prettier-ignore
const FIRM_WORDS = ['鑫达', '华兴', '永丰', '恒信', '金源', '宏盛', '顺发', '联合', '新力', '盛世', '荔丰', '兴达'];
// prettier-ignore
const INDUSTRIES = ['鞋业', '工艺品', '食品', '物流', '建筑工程', '电子', '服装', '家具', '物业管理', '保洁服务', '纺织', '木雕'];
// prettier-ignore
const SHOPS = ['小吃店', '便利店', '水果店', '五金店', '理发店', '早餐店', '汽车修理部', '服装店', '茶叶店', '海鲜摊'];
// prettier-ignore
const DIAGNOSES = ['恶性肿瘤', '尿毒症', '脑卒中', '冠心病', '股骨骨折', '白血病', '重症肺炎', '糖尿病并发症', '肝硬化', '先天性心脏病'];

const BRANDS: Readonly<Record<string, readonly string[]>> = {
  K33: ['比亚迪 秦PLUS', '吉利 帝豪', '大众 朗逸', '丰田 卡罗拉', '日产 轩逸'],
  K31: ['五菱 宏光', '长安 欧尚', '别克 GL8'],
  K41: ['五菱 之光', '长安 之星'],
  H31: ['福田 时代', '江淮 康铃', '五十铃 轻卡'],
  M11: ['宗申 普通三轮', '隆鑫 普通三轮'],
  M12: ['福田五星 轻便三轮', '宗申 轻便三轮'],
  M14: ['宗申 载货三轮', '大运 载货三轮'],
  X99: ['嘉陵 残疾人机动轮椅车', '轻骑 残疾人机动轮椅车'],
};

const NON_EXEMPT = VEHICLE_TYPES.filter((t) => !t.exempt);
const EXEMPT = VEHICLE_TYPES.filter((t) => t.exempt);

const DISABILITY_BY_AGE: Readonly<Record<'child' | 'adult' | 'elderly', WeightedTable<DisabilityType>>> = {
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
    ['physical', 0.4],
    ['mental', 0.2],
    ['intellectual', 0.1],
    ['visual', 0.1],
    ['hearing', 0.1],
    ['multiple', 0.07],
    ['speech', 0.03],
  ]),
  elderly: weightedTable<DisabilityType>([
    ['physical', 0.5],
    ['visual', 0.2],
    ['hearing', 0.2],
    ['multiple', 0.06],
    ['mental', 0.04],
  ]),
};
/**
 * Grade-3 decoys avoid intellectual and mental disabilities: POLICY lets those
 * people be enrolled alone, so a city may well make them a lead too.
 */
const GRADE3_DECOY_TYPES: readonly DisabilityType[] = ['physical', 'visual', 'hearing', 'speech'];

const CAUSES = weightedTable<string>([
  ['illness', 0.82],
  ['accident', 0.12],
  ['other', 0.06],
]);
const PLACES = weightedTable<string>([
  ['hospital', 0.55],
  ['home', 0.4],
  ['elsewhere', 0.05],
]);

const T_MED = MEDICAL_SELF_PAID_LEAD_FEN;
const T_WAGE = WAGE_REVIEW_THRESHOLD_FEN;
const floor100 = (fen: number): number => Math.floor(fen / 100) * 100;
const ceil100 = (fen: number): number => Math.ceil(fen / 100) * 100;
/** 1234500 → '12,345.00' (no locale data involved, so the same on every machine). */
function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** 'a dibao recipient', 'a low_income person', 'a person without assistance status': for the reasons. */
function who(p: Person): string {
  if ((RECIPIENT_STATUSES as readonly string[]).includes(p.status!)) return `a ${p.status} recipient`;
  return p.status === 'none' ? 'a person without assistance status' : `a ${p.status} person`;
}

function whose(p: Person): string {
  return `${who(p)}'s`;
}

function ageAt(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** '莆田市城厢区…' → '莆田市'. */
function cityNameOf(address: string): string {
  return /^(.{2,10}?(?:市|州|盟|地区))/.exec(address)?.[1] ?? '';
}

/** `total` (a multiple of 100) in `parts` positive amounts, each a multiple of 100 and below `max`. */
function split(rng: Random, total: number, parts: number, max: number): number[] {
  for (let k = parts; ; k++) {
    for (let tries = 0; tries < 20; tries++) {
      const weights = Array.from({ length: k }, () => rng.float(0.5, 1.5));
      const sum = weights.reduce((a, b) => a + b, 0);
      const out = weights.map((w) => floor100((total * w) / sum));
      out[k - 1]! += total - out.reduce((a, b) => a + b, 0);
      if (out.every((x) => x > 0 && x < max)) return out;
    }
  }
}

class FeedBuilder {
  people = 0;
  households = 0;
  private readonly rng: Random;
  private readonly asOfDay: number;
  /** Registry numbers and every number a decoy has been given. */
  private readonly taken = new Set<string>();
  /** Registry people who already have an event: one each. */
  private readonly used = new Set<string>();
  private readonly pools: Record<PoolName, Pool>;
  private readonly townships = new Set<string>();
  private readonly plates = new Set<string>();
  private readonly drafts = Object.fromEntries(FEED_NAMES.map((n) => [n, [] as Draft[]])) as Record<FeedName, Draft[]>;
  private cityCode = '';
  private cityName = '';
  private province = '';
  private surnames: WeightedTable<string> | undefined;
  private eventSeq = 0;

  constructor(
    private readonly seed: number,
    private readonly asOf: string,
  ) {
    this.rng = new Random(`jiuzhu-feeds:${seed}`);
    this.asOfDay = dayNumber(asOf);
    const poolRng = this.rng.fork('pools');
    this.pools = Object.fromEntries(POOL_NAMES.map((n) => [n, new Pool(poolRng.fork(n))])) as Record<PoolName, Pool>;
  }

  addHousehold(h: GeneratedHousehold): void {
    if (this.households === 0) {
      this.cityCode = h.regionCode.slice(0, 4);
      this.cityName = cityNameOf(h.address);
      this.province = provinceName(this.cityCode);
      this.surnames = surnameTable(this.cityCode);
    }
    this.households++;
    this.townships.add(h.regionCode.slice(0, 9));
    const status = h.assistanceStatus;
    const recipient = (RECIPIENT_STATUSES as readonly string[]).includes(status);
    const leadable = (LEAD_STATUSES as readonly string[]).includes(status);
    const earned = h.members.map((m) => (m.income.wage ?? 0) + (m.income.business ?? 0));
    let top = -1;
    let topEarned = 0;
    let unique = false;
    earned.forEach((e, i) => {
      if (e > topEarned) [top, topEarned, unique] = [i, e, true];
      else if (e === topEarned && e > 0) unique = false;
    });

    h.members.forEach((m, i) => {
      this.people++;
      this.taken.add(m.idNumber);
      if (!recipient && !leadable) return;
      const birthDate = birthDateOf(m.idNumber);
      const age = ageAt(birthDate, this.asOf);
      const p: Person = {
        id: m.idNumber,
        name: m.name,
        sex: Number(m.idNumber[16]) % 2 === 1 ? 'male' : 'female',
        age,
        township: h.regionCode.slice(0, 9),
        status,
        householdKey: h.key,
        householdSize: h.members.length,
        ...(m.disability ? { disability: { type: m.disability.type, grade: m.disability.grade } } : {}),
      };
      const pools = this.pools;
      if (recipient) {
        if (age >= 50) pools.recipientElderly.add(p);
        if (age >= 18 && age <= 70) pools.recipientAdult.add(p);
        if (status === 'dibao' && age >= 18 && age <= 59 && m.workAbility !== 'none' && m.schoolStatus === 'none') {
          pools.recipientWorker.add(p);
        }
      } else {
        if (age >= 2 && !m.disability) pools.nonRecipientHealthy.add(p);
        if (age >= 2 && m.disability && m.disability.grade >= 3) pools.nonRecipientGrade34.add(p);
        if (age >= 18 && age <= 70) pools.nonRecipientAdult.add(p);
        if (h.members.length >= 2 && i === top && unique && age >= 18 && age <= 64) pools.breadwinner.add(p);
        if (earned[i] === 0 && age >= 60) pools.nonEarner.add(p);
      }
    });
  }

  build(): { files: { file: string; rows: number; text: string }[]; counts: FeedCounts; truthText: string } {
    // A few hundred of each kind at city size (150,000 people), at least 4 at demo size.
    const unit = this.people / 500;
    const n = (share: number): number => Math.max(4, Math.round(unit * share));
    const plan = {
      main: n(1),
      half: n(0.5),
      quarter: n(0.25),
      third: n(1 / 3),
      idDecoys: Math.max(1, Math.round(unit / 10)),
      background: n(1),
    };
    // Forks in a fixed order: each part has its own stream, so a change to one leaves the others alone.
    this.deaths(this.rng.fork('deaths'), plan);
    this.custody(this.rng.fork('custody'), plan);
    this.vehicles(this.rng.fork('vehicles'), plan);
    this.realEstate(this.rng.fork('real-estate'), plan);
    this.business(this.rng.fork('business'), plan);
    const below = this.medical(this.rng.fork('medical'), plan);
    this.disability(this.rng.fork('disability'), plan);
    this.wages(this.rng.fork('wages'), plan);
    this.idDecoys(this.rng.fork('id-decoys'), plan, below);
    this.badRows(this.rng.fork('bad-rows'));
    this.idFormats(this.rng.fork('id-formats'));
    return this.render(this.rng.fork('order'));
  }

  // -- helpers -------------------------------------------------------------

  private event(): string {
    this.eventSeq++;
    return `E${String(this.eventSeq).padStart(6, '0')}`;
  }

  private day(rng: Random, from: number, to: number): string {
    return isoDateOfDay(this.asOfDay - rng.int(from, to));
  }

  private add(file: FeedName, id: string, name: string, values: Values, truth: TruthBody, raw?: Draft['raw']): void {
    this.drafts[file].push({ values: { id_number: id, name, ...values }, truth, ...(raw ? { raw } : {}) });
  }

  private matched(
    p: Person,
    kind: FeedKind,
    expected: Expected,
    signals: SignalOutcome[],
    event: string,
    reason: string,
    decoy?: DecoyType,
  ): TruthBody {
    return {
      id_number_hash_input: p.id,
      kind,
      expected,
      signals,
      event,
      reason,
      ...(decoy ? { decoy } : {}),
      status: p.status!,
      household_key: p.householdKey!,
    };
  }

  /** A person nobody in the registry is: a fresh valid number, a name of the city's surnames unless given. */
  private stranger(rng: Random, minAge: number, maxAge: number, like?: Person): Person {
    const age = like ? Math.max(minAge, Math.min(maxAge, like.age + rng.int(-3, 3))) : rng.int(minAge, maxAge);
    const sex: Sex = like?.sex ?? (rng.bernoulli(0.5) ? 'male' : 'female');
    const township = rng.pick([...this.townships].sort());
    const year = Number(this.asOf.slice(0, 4)) - age - 1;
    const birthDate = isoDateOfDay(dayNumber(`${year}-${this.asOf.slice(5, 7)}-01`) + rng.int(0, 364));
    let id: string;
    do id = makeIdNumber(township.slice(0, 6), birthDate, rng.int(1, 499) * 2 + (sex === 'male' ? 1 : 0));
    while (this.taken.has(id));
    this.taken.add(id);
    const name = like?.name ?? fullName(rng, this.surnames!, sex, Number(birthDate.slice(0, 4)));
    return {
      id,
      name,
      sex,
      age: ageAt(birthDate, this.asOf),
      township,
      householdSize: 1,
    };
  }

  // -- payloads ------------------------------------------------------------

  private deathFacts(rng: Random): { death: string; cremation: string; cause: string; place: string } {
    const back = rng.int(5, 120);
    return {
      death: isoDateOfDay(this.asOfDay - back),
      cremation: isoDateOfDay(this.asOfDay - back + rng.int(1, 4)),
      cause: rng.from(CAUSES),
      place: rng.from(PLACES),
    };
  }

  private deathValues(facts: ReturnType<FeedBuilder['deathFacts']>, p: Person): Values {
    return { death_date: facts.death, cause_category: facts.cause, death_place: facts.place, hukou_region: p.township };
  }

  private cremationValues(rng: Random, facts: ReturnType<FeedBuilder['deathFacts']>): Values {
    return {
      cremation_date: facts.cremation,
      death_date: facts.death,
      funeral_home: rng.bernoulli(0.7) ? `${this.cityName}殡仪馆` : `${this.cityName}第二殡仪馆`,
    };
  }

  private custodyValues(rng: Random, type: 'prison' | 'compulsory_rehab' | 'admin_detention', p: Person): Values {
    const start = this.asOfDay - rng.int(0, type === 'admin_detention' ? 60 : 150);
    const end =
      type === 'prison'
        ? start + rng.int(1, 8) * 365 + rng.int(0, 180)
        : type === 'compulsory_rehab'
          ? start + 730
          : start + rng.int(5, 15);
    const institution =
      type === 'prison'
        ? p.sex === 'female'
          ? `${this.province}女子监狱`
          : `${this.province}第${rng.pick(['一', '二', '三'])}监狱`
        : type === 'compulsory_rehab'
          ? `${this.cityName}强制隔离戒毒所`
          : `${this.cityName}拘留所`;
    return {
      start_date: isoDateOfDay(start),
      custody_type: type,
      expected_end_date: isoDateOfDay(end),
      institution,
    };
  }

  private vehicleValues(rng: Random, type: VehicleType): Values {
    const price =
      type.code === 'X99'
        ? rng.int(80, 150) * 10_000
        : type.exempt
          ? rng.int(40, 150) * 10_000
          : floor100(rng.lognormal(9_000_000, 0.5));
    return {
      register_date: this.day(rng, 0, 180),
      plate_no: plateNumber(rng, platePrefix(this.cityCode), this.plates),
      vehicle_type: type.code,
      vehicle_type_name: type.name,
      brand_model: rng.pick(BRANDS[type.code] ?? ['—']),
      purchase_price_fen: Math.max(100_000, price),
    };
  }

  private propertyValues(rng: Random): Values {
    const date = this.day(rng, 0, 180);
    const usage = rng.weighted<string>([
      ['residential', 0.8],
      ['commercial', 0.1],
      ['parking', 0.1],
    ]);
    const acquisition = rng.weighted<string>([
      ['purchase', 0.6],
      ['inheritance', 0.25],
      ['gift', 0.1],
      ['self_built', 0.05],
    ]);
    const area = usage === 'parking' ? rng.int(1200, 2500) : rng.int(3500, 14000);
    const price =
      acquisition === 'purchase'
        ? floor100((area / 100) * rng.int(6_000, 15_000) * 100 * (usage === 'parking' ? 0.5 : 1))
        : 0;
    return {
      register_date: date,
      certificate_no: `${platePrefix(this.cityCode).slice(0, 1)}(${date.slice(0, 4)})${this.cityName}不动产权第${String(rng.int(1, 9_999_999)).padStart(7, '0')}号`,
      address: this.propertyAddress(rng),
      building_area_m2: (area / 100).toFixed(2),
      usage,
      acquisition,
      price_fen: price,
    };
  }

  private propertyAddress(rng: Random): string {
    return `${this.cityName}${rng.pick(ROADS)}${rng.int(1, 399)}号${rng.pick(ESTATES)}${rng.int(1, 30)}幢${rng.int(1, 32)}0${rng.int(1, 4)}室`;
  }

  private businessValues(rng: Random, p: Person): Values {
    const individual = rng.bernoulli(0.7);
    return {
      register_date: this.day(rng, 0, 180),
      credit_code: makeCreditCode(rng, p.township.slice(0, 6), individual),
      business_name: individual
        ? `${this.cityName}${p.name.slice(0, 1)}记${rng.pick(SHOPS)}`
        : `${this.cityName}${rng.pick(FIRM_WORDS)}${rng.pick(INDUSTRIES)}有限公司`,
      business_type: individual ? 'individual' : 'company',
      role: individual ? 'operator' : rng.bernoulli(0.6) ? 'legal_representative' : 'shareholder',
      registered_capital_fen: individual ? rng.int(1, 10) * 1_000_000 : rng.int(10, 500) * 1_000_000,
    };
  }

  private medicalValues(rng: Random, date: string, selfPaid: number): Values {
    const insurancePaid = floor100(selfPaid * rng.float(0.8, 3));
    return {
      settlement_date: date,
      hospital: rng.pick([
        `${this.cityName}第一医院`,
        `${this.cityName}第二医院`,
        `${this.cityName}中医院`,
        `${this.cityName}妇幼保健院`,
        `${this.province}立医院`,
      ]),
      visit_type: selfPaid >= 300_000 ? 'inpatient' : rng.bernoulli(0.5) ? 'outpatient_chronic' : 'outpatient',
      diagnosis: rng.pick(DIAGNOSES),
      total_fen: insurancePaid + selfPaid,
      insurance_paid_fen: insurancePaid,
      self_paid_fen: selfPaid,
    };
  }

  private disabilityValues(
    id: string,
    date: string,
    type: DisabilityType,
    grade: number,
    change: 'new' | 'regrade',
  ): Values {
    return {
      issue_date: date,
      certificate_no: `${id}${DISABILITY_TYPE_DIGIT[type]}${grade}`,
      disability_type: type,
      disability_grade: grade,
      change,
    };
  }

  private wageValues(rng: Random, p: Person, amount: number): Values {
    // Paid in the month before the as-of month, for the month before that: never after the as-of date.
    const asOfMonth = dayNumber(`${this.asOf.slice(0, 7)}-01`);
    const payMonthStart = dayNumber(`${isoDateOfDay(asOfMonth - 1).slice(0, 7)}-01`);
    const wageMonth = isoDateOfDay(payMonthStart - 1).slice(0, 7);
    return {
      pay_date: isoDateOfDay(payMonthStart + rng.int(4, 19)),
      wage_month: wageMonth,
      employer_name: `${this.cityName}${rng.pick(FIRM_WORDS)}${rng.pick(INDUSTRIES)}有限公司`,
      employer_credit_code: makeCreditCode(rng, p.township.slice(0, 6), false),
      monthly_wage_fen: amount,
    };
  }

  // -- planted events and decoys ---------------------------------------------

  private deaths(rng: Random, plan: Plan): void {
    const { recipientElderly, breadwinner, nonEarner } = this.pools;
    recipientElderly.take(plan.main, this.used).forEach((p, i) => {
      const event = this.event();
      const facts = this.deathFacts(rng);
      const why = `death of ${who(p)}: stop; insured recipient: claim prompt (cause ${facts.cause})`;
      this.add('deaths', p.id, p.name, this.deathValues(facts, p), {
        ...this.matched(p, 'death', 'stop', ['stop', 'claim_prompt'], event, why),
      });
      if (i % 2 === 0) {
        this.add(
          'cremations',
          p.id,
          p.name,
          this.cremationValues(rng, facts),
          this.matched(
            p,
            'cremation',
            'stop',
            ['stop', 'claim_prompt'],
            event,
            `${why}; the same death as a deaths row`,
          ),
        );
      }
    });
    // Deaths the funeral home reports before public security does.
    for (const p of recipientElderly.take(plan.quarter, this.used)) {
      const facts = this.deathFacts(rng);
      const why = `cremation of ${who(p)}, no public-security death record yet: stop; claim prompt`;
      this.add(
        'cremations',
        p.id,
        p.name,
        this.cremationValues(rng, facts),
        this.matched(p, 'cremation', 'stop', ['stop', 'claim_prompt'], this.event(), why),
      );
    }
    breadwinner.take(plan.main, this.used).forEach((p, i) => {
      const event = this.event();
      const facts = this.deathFacts(rng);
      const why = `death of the main earner of a household of ${p.householdSize} (status ${p.status}): lead for the household`;
      this.add(
        'deaths',
        p.id,
        p.name,
        this.deathValues(facts, p),
        this.matched(p, 'death', 'lead', ['lead'], event, why),
      );
      if (i % 2 === 1) {
        this.add(
          'cremations',
          p.id,
          p.name,
          this.cremationValues(rng, facts),
          this.matched(p, 'cremation', 'lead', ['lead'], event, `${why}; the same death as a deaths row`),
        );
      }
    });
    nonEarner.take(plan.half, this.used).forEach((p, i) => {
      const event = this.event();
      const facts = this.deathFacts(rng);
      const why = `death of ${who(p)} without earnings: not a recipient, not a breadwinner`;
      this.add(
        'deaths',
        p.id,
        p.name,
        this.deathValues(facts, p),
        this.matched(p, 'death', 'none', [], event, why, 'not_recipient'),
      );
      if (i % 2 === 0) {
        this.add(
          'cremations',
          p.id,
          p.name,
          this.cremationValues(rng, facts),
          this.matched(p, 'cremation', 'none', [], event, why, 'not_recipient'),
        );
      }
    });
  }

  private custody(rng: Random, plan: Plan): void {
    const { recipientAdult, nonRecipientAdult } = this.pools;
    recipientAdult.take(plan.main, this.used).forEach((p, i) => {
      const type = i % 5 === 1 ? 'compulsory_rehab' : 'prison';
      const why = `${type === 'prison' ? 'prison sentence' : 'compulsory rehabilitation'} of ${who(p)}: no longer a household member, stop`;
      this.add(
        'detentions',
        p.id,
        p.name,
        this.custodyValues(rng, type, p),
        this.matched(p, 'prison', 'stop', ['stop'], this.event(), why),
      );
    });
    for (const p of recipientAdult.take(plan.main, this.used)) {
      const why = `administrative detention (≤ 15 days) of ${who(p)}: still a household member`;
      this.add(
        'detentions',
        p.id,
        p.name,
        this.custodyValues(rng, 'admin_detention', p),
        this.matched(p, 'detention', 'none', [], this.event(), why, 'short_detention'),
      );
    }
    for (const p of nonRecipientAdult.take(plan.half, this.used)) {
      const why = `prison sentence of ${who(p)}: no enrolment to stop`;
      this.add(
        'detentions',
        p.id,
        p.name,
        this.custodyValues(rng, 'prison', p),
        this.matched(p, 'prison', 'none', [], this.event(), why, 'not_recipient'),
      );
    }
  }

  private vehicles(rng: Random, plan: Plan): void {
    const { recipientAdult, nonRecipientAdult } = this.pools;
    for (const p of recipientAdult.take(plan.main, this.used)) {
      const type = rng.pick(NON_EXEMPT);
      const why = `${type.code} ${type.name} registered to ${who(p)}: not an exempt type, review`;
      this.add(
        'vehicles',
        p.id,
        p.name,
        this.vehicleValues(rng, type),
        this.matched(p, 'vehicle', 'review', ['review'], this.event(), why),
      );
    }
    recipientAdult.take(plan.main, this.used).forEach((p, i) => {
      const type = EXEMPT[i % EXEMPT.length]!;
      const why = `${type.code} ${type.name} registered to ${who(p)}: exempt type`;
      this.add(
        'vehicles',
        p.id,
        p.name,
        this.vehicleValues(rng, type),
        this.matched(p, 'vehicle', 'none', [], this.event(), why, 'exempt_vehicle'),
      );
    });
    for (const p of nonRecipientAdult.take(plan.half, this.used)) {
      const type = rng.pick(NON_EXEMPT);
      const why = `${type.code} ${type.name} registered to ${who(p)}: no enrolment to review`;
      this.add(
        'vehicles',
        p.id,
        p.name,
        this.vehicleValues(rng, type),
        this.matched(p, 'vehicle', 'none', [], this.event(), why, 'not_recipient'),
      );
    }
  }

  private realEstate(rng: Random, plan: Plan): void {
    const { recipientAdult, nonRecipientAdult } = this.pools;
    for (const p of recipientAdult.take(plan.main, this.used)) {
      const values = this.propertyValues(rng);
      const why = `${values.usage} property (${values.acquisition}) registered to ${who(p)}: review`;
      this.add(
        'realEstate',
        p.id,
        p.name,
        values,
        this.matched(p, 'property', 'review', ['review'], this.event(), why),
      );
    }
    for (const p of nonRecipientAdult.take(plan.half, this.used)) {
      const why = `property registered to ${who(p)}: no enrolment to review`;
      this.add(
        'realEstate',
        p.id,
        p.name,
        this.propertyValues(rng),
        this.matched(p, 'property', 'none', [], this.event(), why, 'not_recipient'),
      );
    }
  }

  private business(rng: Random, plan: Plan): void {
    const { recipientAdult, nonRecipientAdult } = this.pools;
    for (const p of recipientAdult.take(plan.main, this.used)) {
      const values = this.businessValues(rng, p);
      const why = `${values.business_type} business registered with ${who(p)} as ${values.role}: review`;
      this.add('business', p.id, p.name, values, this.matched(p, 'business', 'review', ['review'], this.event(), why));
    }
    for (const p of nonRecipientAdult.take(plan.half, this.used)) {
      const why = `business registered with ${who(p)}: no enrolment to review`;
      this.add(
        'business',
        p.id,
        p.name,
        this.businessValues(rng, p),
        this.matched(p, 'business', 'none', [], this.event(), why, 'not_recipient'),
      );
    }
  }

  /** Returns the below-threshold people and their sums: the ID decoys top them up. */
  private medical(rng: Random, plan: Plan): { p: Person; sum: number }[] {
    const { nonRecipientHealthy } = this.pools;
    const inWindow = (): string => this.day(rng, 0, 300);
    const window = `the ${MEDICAL_WINDOW_MONTHS} months to ${this.asOf}`;
    nonRecipientHealthy.take(plan.main, this.used).forEach((p, i) => {
      const total = i === 0 ? T_MED : ceil100(T_MED * rng.float(1.02, 2.2));
      const k = Math.min(6, Math.max(2, Math.ceil(total / (0.75 * T_MED)) + rng.int(0, 2)));
      const parts = split(rng, total, k, T_MED);
      const event = this.event();
      const why =
        `self-paid ${yuanText(total)} yuan in ${parts.length} settlements within ${window}` +
        `${i === 0 ? ', exactly' : ''} ≥ ${yuanText(T_MED)}: lead (each settlement alone is below)`;
      for (const amount of parts) {
        this.add(
          'medical',
          p.id,
          p.name,
          this.medicalValues(rng, inWindow(), amount),
          this.matched(p, 'medical', 'lead', ['lead'], event, why),
        );
      }
    });
    const below: { p: Person; sum: number }[] = [];
    nonRecipientHealthy.take(plan.main, this.used).forEach((p, i) => {
      const total = i === 0 ? T_MED - 100 : floor100(T_MED * rng.float(0.25, 0.95));
      const parts = split(rng, total, rng.int(2, 4), T_MED);
      const event = this.event();
      const why = `self-paid ${yuanText(total)} yuan in ${parts.length} settlements within ${window}: below ${yuanText(T_MED)}`;
      for (const amount of parts) {
        this.add(
          'medical',
          p.id,
          p.name,
          this.medicalValues(rng, inWindow(), amount),
          this.matched(p, 'medical', 'none', [], event, why, 'below_threshold'),
        );
      }
      below.push({ p, sum: total });
    });
    for (const p of nonRecipientHealthy.take(plan.main, this.used)) {
      const recent = floor100(T_MED * rng.float(0.3, 0.85));
      const old = Math.max(floor100(T_MED * rng.float(0.4, 0.9)), ceil100(T_MED * 1.05 - recent));
      const recentParts = split(rng, recent, rng.int(1, 3), T_MED);
      const oldParts = split(rng, old, rng.int(1, 2), T_MED);
      const event = this.event();
      const why =
        `self-paid ${yuanText(recent)} yuan within ${window}, ${yuanText(old)} more 14–20 months before it: ` +
        `only a sum that wrongly includes the older settlements reaches ${yuanText(T_MED)}`;
      for (const amount of recentParts) {
        this.add(
          'medical',
          p.id,
          p.name,
          this.medicalValues(rng, inWindow(), amount),
          this.matched(p, 'medical', 'none', [], event, why, 'outside_window'),
        );
      }
      for (const amount of oldParts) {
        this.add(
          'medical',
          p.id,
          p.name,
          this.medicalValues(rng, this.day(rng, 430, 600), amount),
          this.matched(p, 'medical', 'none', [], event, why, 'outside_window'),
        );
      }
    }
    return below;
  }

  private newDisability(rng: Random, age: number): DisabilityType {
    return rng.from(DISABILITY_BY_AGE[age < 18 ? 'child' : age < 60 ? 'adult' : 'elderly']);
  }

  private disability(rng: Random, plan: Plan): void {
    const { nonRecipientHealthy, nonRecipientGrade34 } = this.pools;
    const issued = (): string => this.day(rng, 0, 180);
    nonRecipientHealthy.take(plan.main, this.used).forEach((p, i) => {
      const type = this.newDisability(rng, p.age);
      const grade = (i % 2) + 1;
      const why = `new ${type} disability certificate, grade ${grade} (≤ ${DISABILITY_LEAD_MAX_GRADE}), for ${who(p)}: lead`;
      this.add(
        'disability',
        p.id,
        p.name,
        this.disabilityValues(p.id, issued(), type, grade, 'new'),
        this.matched(p, 'disability', 'lead', ['lead'], this.event(), why),
      );
    });
    for (const p of nonRecipientGrade34.take(plan.third, this.used)) {
      const { type, grade: was } = p.disability!;
      const grade = rng.int(1, DISABILITY_LEAD_MAX_GRADE);
      const why = `${type} disability regraded from ${was} to ${grade} for ${who(p)}: lead`;
      this.add(
        'disability',
        p.id,
        p.name,
        this.disabilityValues(p.id, issued(), type, grade, 'regrade'),
        this.matched(p, 'disability', 'lead', ['lead'], this.event(), why),
      );
    }
    nonRecipientHealthy.take(plan.main, this.used).forEach((p, i) => {
      const grade = 3 + (i % 2);
      const type = grade === 3 ? rng.pick(GRADE3_DECOY_TYPES) : this.newDisability(rng, p.age);
      const why = `new ${type} disability certificate, grade ${grade}: above the lead grade`;
      this.add(
        'disability',
        p.id,
        p.name,
        this.disabilityValues(p.id, issued(), type, grade, 'new'),
        this.matched(p, 'disability', 'none', [], this.event(), why, 'grade_3_4'),
      );
    });
  }

  private wages(rng: Random, plan: Plan): void {
    const { recipientWorker, nonRecipientAdult } = this.pools;
    const line = `${WAGE_REVIEW_FACTOR} × ${yuanText(DEMO_DIBAO_STANDARD_FEN)} = ${yuanText(T_WAGE)} yuan`;
    recipientWorker.take(plan.main, this.used).forEach((p, i) => {
      const amount = i === 0 ? T_WAGE : ceil100(T_WAGE * rng.float(1, 3));
      const why = `monthly wage ${yuanText(amount)} yuan of ${who(p)}${i === 0 ? ', exactly' : ''} ≥ ${line}: review`;
      this.add(
        'wages',
        p.id,
        p.name,
        this.wageValues(rng, p, amount),
        this.matched(p, 'wage', 'review', ['review'], this.event(), why),
      );
    });
    recipientWorker.take(plan.main, this.used).forEach((p, i) => {
      const amount = i === 0 ? T_WAGE - 100 : floor100(T_WAGE * rng.float(0.3, 0.99));
      const why = `monthly wage ${yuanText(amount)} yuan of ${who(p)} < ${line}`;
      this.add(
        'wages',
        p.id,
        p.name,
        this.wageValues(rng, p, amount),
        this.matched(p, 'wage', 'none', [], this.event(), why, 'below_threshold'),
      );
    });
    for (const p of nonRecipientAdult.take(plan.half, this.used)) {
      const amount = ceil100(T_WAGE * rng.float(1, 4));
      const why = `monthly wage ${yuanText(amount)} yuan of ${who(p)}: no enrolment to review`;
      this.add(
        'wages',
        p.id,
        p.name,
        this.wageValues(rng, p, amount),
        this.matched(p, 'wage', 'none', [], this.event(), why, 'not_recipient'),
      );
    }
  }

  /**
   * In every file: invalid near misses, valid near misses and namesakes of
   * registry people, each carrying a record that would raise a signal if it
   * were matched to the person it imitates; then strangers.
   */
  private idDecoys(rng: Random, plan: Plan, below: { p: Person; sum: number }[]): void {
    const pools = this.pools;
    const recipients = (pool: Pool, make: (subject: Person) => Values): DecoyMaker => ({
      source: () => pool.pick(rng),
      record: (subject) => ({ values: make(subject), lead: false }),
    });
    const makers: Record<FeedName, DecoyMaker> = {
      deaths: recipients(pools.recipientElderly, (s) => this.deathValues(this.deathFacts(rng), s)),
      cremations: recipients(pools.recipientElderly, () => this.cremationValues(rng, this.deathFacts(rng))),
      detentions: recipients(pools.recipientAdult, (s) => this.custodyValues(rng, 'prison', s)),
      vehicles: recipients(pools.recipientAdult, () => this.vehicleValues(rng, rng.pick(NON_EXEMPT))),
      realEstate: recipients(pools.recipientAdult, () => this.propertyValues(rng)),
      business: recipients(pools.recipientAdult, (s) => this.businessValues(rng, s)),
      wages: recipients(pools.recipientWorker, (s) => this.wageValues(rng, s, ceil100(T_WAGE * rng.float(1.2, 3)))),
      disability: {
        source: () => pools.nonRecipientHealthy.pick(rng),
        record: (subject, id) => {
          const type = this.newDisability(rng, subject.age);
          const grade = rng.int(1, DISABILITY_LEAD_MAX_GRADE);
          return { values: this.disabilityValues(id, this.day(rng, 0, 180), type, grade, 'new'), lead: true };
        },
      },
      medical: {
        // A settlement that would lift a below-threshold person over the line if it were matched to them.
        source: (i) => below[i % Math.max(1, below.length)]?.p,
        record: (_subject, _id, imitated) => {
          const sum = below.find((b) => b.p === imitated)?.sum ?? 0;
          const amount = Math.min(T_MED - 100, T_MED - sum + rng.int(1, 2000) * 100);
          return { values: this.medicalValues(rng, this.day(rng, 0, 300), amount), lead: false };
        },
      },
    };

    for (const file of FEED_NAMES) {
      const maker = makers[file];
      const kind = KIND_OF_FILE[file];
      for (let i = 0; i < plan.idDecoys; i++) {
        const source = maker.source(i);
        if (!source) break;

        const invalid = nearMissInvalid(rng, source.id, this.asOf);
        const failure = validateIdNumber(invalid, { today: this.asOf });
        this.add(file, invalid, source.name, maker.record(source, invalid, source).values, {
          id_number_hash_input: null,
          kind,
          expected: 'quarantine',
          signals: [],
          event: this.event(),
          reason: `${whose(source)} number with one digit changed: invalid (${failure.ok ? '?' : failure.reason})`,
          decoy: 'invalid_id',
          decoy_of: source.id,
          column: 'id_number',
        });

        const near = nearMissValid(rng, source.id, this.taken);
        if (near) {
          this.taken.add(near);
          const record = maker.record(source, near, source);
          this.add(file, near, source.name, record.values, {
            id_number_hash_input: near,
            kind,
            expected: 'unmatched',
            signals: [],
            event: this.event(),
            reason: `${whose(source)} name, and the number with one sequence digit changed and the check recomputed: valid but nobody's`,
            decoy: 'near_miss_valid',
            decoy_of: source.id,
            unmatched_lead: record.lead,
          });
        }

        const twin = this.stranger(rng, Math.max(2, source.age - 3), source.age + 3, source);
        const record = maker.record(twin, twin.id, source);
        this.add(file, twin.id, twin.name, record.values, {
          id_number_hash_input: twin.id,
          kind,
          expected: 'unmatched',
          signals: [],
          event: this.event(),
          reason: `the same name as ${who(source)}, a number nobody in the registry has`,
          decoy: 'same_name',
          decoy_of: source.id,
          unmatched_lead: record.lead,
        });
      }
      this.background(rng, file, plan);
    }
  }

  /** Records of people the registry does not know: most rows of a real feed. */
  private background(rng: Random, file: FeedName, plan: Plan): void {
    const add = (p: Person, values: Values, kind: FeedKind, lead: boolean, event = this.event()): void =>
      this.add(file, p.id, p.name, values, {
        id_number_hash_input: p.id,
        kind,
        expected: 'unmatched',
        signals: [],
        event,
        reason: 'nobody in the registry has this number',
        decoy: 'not_in_registry',
        unmatched_lead: lead,
      });
    if (file === 'medical') {
      // Fewer people, several settlements each: half of them over the threshold.
      for (let i = 0; i < Math.max(4, Math.round(plan.background / 2)); i++) {
        const p = this.stranger(rng, 2, 90);
        const total = i % 2 === 0 ? ceil100(T_MED * rng.float(1.05, 2)) : floor100(T_MED * rng.float(0.2, 0.9));
        const event = this.event();
        for (const amount of split(rng, total, rng.int(2, 4), T_MED)) {
          add(p, this.medicalValues(rng, this.day(rng, 0, 300), amount), 'medical', total >= T_MED, event);
        }
      }
      return;
    }
    for (let i = 0; i < plan.background; i++) {
      switch (file) {
        case 'deaths': {
          const p = this.stranger(rng, 40, 98);
          add(p, this.deathValues(this.deathFacts(rng), p), 'death', false);
          break;
        }
        case 'cremations':
          add(this.stranger(rng, 40, 98), this.cremationValues(rng, this.deathFacts(rng)), 'cremation', false);
          break;
        case 'detentions': {
          const p = this.stranger(rng, 18, 65);
          const type = rng.pick(CUSTODY_TYPES);
          add(p, this.custodyValues(rng, type, p), type === 'admin_detention' ? 'detention' : 'prison', false);
          break;
        }
        case 'vehicles':
          add(this.stranger(rng, 18, 75), this.vehicleValues(rng, rng.pick(VEHICLE_TYPES)), 'vehicle', false);
          break;
        case 'realEstate':
          add(this.stranger(rng, 22, 80), this.propertyValues(rng), 'property', false);
          break;
        case 'business': {
          const p = this.stranger(rng, 20, 70);
          add(p, this.businessValues(rng, p), 'business', false);
          break;
        }
        case 'disability': {
          const p = this.stranger(rng, 2, 90);
          const grade = rng.int(1, 4);
          const type = grade === 3 ? rng.pick(GRADE3_DECOY_TYPES) : this.newDisability(rng, p.age);
          const values = this.disabilityValues(p.id, this.day(rng, 0, 180), type, grade, 'new');
          add(p, values, 'disability', grade <= DISABILITY_LEAD_MAX_GRADE);
          break;
        }
        case 'wages': {
          const p = this.stranger(rng, 18, 60);
          add(p, this.wageValues(rng, p, floor100(T_WAGE * rng.float(0.5, 5))), 'wage', false);
          break;
        }
      }
    }
  }

  /**
   * A handful of rows that must be quarantined, each on a registry person for
   * whom the row would otherwise raise a signal: a row that slips through
   * shows up as a false signal, not only as a wrong count.
   */
  private badRows(rng: Random): void {
    const { recipientElderly, recipientAdult, recipientWorker, nonRecipientHealthy } = this.pools;
    const future = (): string => isoDateOfDay(this.asOfDay + 3650 + rng.int(0, 300));
    const columns = (file: FeedName): readonly string[] => FEED_SPECS[file].columns;
    /** The row's fields in column order, for rows whose shape is the fault. */
    const fields = (file: FeedName, recordId: string, values: Values): string[] =>
      columns(file).map((c) => (c === 'record_id' ? recordId : String(values[c] ?? '')));
    const bad = (
      file: FeedName,
      pool: Pool,
      makeValues: (p: Person) => Values,
      type: BadRowType,
      column: string | null,
      reason: string,
      raw?: Draft['raw'],
    ): void => {
      const p = pool.take(1, this.used)[0];
      if (!p) return;
      const values = makeValues(p);
      const truth: TruthBody = {
        id_number_hash_input: p.id,
        kind: file === 'detentions' && values.custody_type === 'admin_detention' ? 'detention' : KIND_OF_FILE[file],
        expected: 'quarantine',
        signals: [],
        event: this.event(),
        reason,
        bad: type,
        column,
        status: p.status!,
        household_key: p.householdKey!,
      };
      this.add(file, p.id, p.name, values, truth, raw);
    };
    const n = (file: FeedName): number => columns(file).length;

    bad(
      'deaths',
      recipientElderly,
      (p) => ({ ...this.deathValues(this.deathFacts(rng), p), death_date: future() }),
      'future_date',
      'death_date',
      'death_date lies in the future',
    );
    bad(
      'cremations',
      recipientElderly,
      () => ({ ...this.cremationValues(rng, this.deathFacts(rng)), cremation_date: future() }),
      'future_date',
      'cremation_date',
      'cremation_date lies in the future',
    );
    bad(
      'detentions',
      recipientAdult,
      (p) => this.custodyValues(rng, 'prison', p),
      'column_count',
      null,
      `expected ${n('detentions')} columns, found ${n('detentions') - 1}`,
      (id, values) => csvLine(fields('detentions', id, values).slice(0, -1)),
    );
    bad(
      'vehicles',
      recipientAdult,
      () => ({ ...this.vehicleValues(rng, rng.pick(NON_EXEMPT)), purchase_price_fen: '12.5万' }),
      'non_numeric_amount',
      'purchase_price_fen',
      'purchase_price_fen is not an integer',
    );
    // An address with an ASCII comma that the exporting system did not quote.
    bad(
      'realEstate',
      recipientAdult,
      () => ({
        ...this.propertyValues(rng),
        address: `${this.cityName}${rng.pick(ROADS)}${rng.int(1, 99)}号,${rng.pick(ESTATES)}${rng.int(1, 30)}幢`,
      }),
      'column_count',
      null,
      `expected ${n('realEstate')} columns, found ${n('realEstate') + 1}`,
      (id, values) =>
        fields('realEstate', id, values)
          .map((f, i) => (columns('realEstate')[i] === 'address' ? f : csvField(f)))
          .join(','),
    );
    bad(
      'business',
      recipientAdult,
      (p) => ({ ...this.businessValues(rng, p), registered_capital_fen: '50万元' }),
      'non_numeric_amount',
      'registered_capital_fen',
      'registered_capital_fen is not an integer',
    );
    bad(
      'wages',
      recipientWorker,
      (p) => this.wageValues(rng, p, -ceil100(T_WAGE * rng.float(1.2, 2))),
      'negative_amount',
      'monthly_wage_fen',
      'monthly_wage_fen is negative',
    );
    bad(
      'wages',
      recipientWorker,
      (p) => this.wageValues(rng, p, ceil100(T_WAGE * rng.float(1.2, 2))),
      'column_count',
      null,
      `expected ${n('wages')} columns, found ${n('wages') - 1}`,
      (id, values) =>
        csvLine(fields('wages', id, values).filter((_, i) => columns('wages')[i] !== 'employer_credit_code')),
    );
    bad(
      'disability',
      nonRecipientHealthy,
      (p) => this.disabilityValues(p.id, future(), 'physical', 1, 'new'),
      'future_date',
      'issue_date',
      'issue_date lies in the future',
    );
    // Medical: each on a person of their own, each row alone at or above the lead threshold.
    const bigBill = (): Values => this.medicalValues(rng, this.day(rng, 0, 300), ceil100(T_MED * rng.float(1, 1.5)));
    bad(
      'medical',
      nonRecipientHealthy,
      () => {
        const values = bigBill();
        return { ...values, self_paid_fen: -Number(values.self_paid_fen) };
      },
      'negative_amount',
      'self_paid_fen',
      'self_paid_fen is negative',
    );
    bad(
      'medical',
      nonRecipientHealthy,
      () => {
        const values = bigBill();
        return { ...values, self_paid_fen: yuanText(Number(values.self_paid_fen)) };
      },
      'non_numeric_amount',
      'self_paid_fen',
      'self_paid_fen is a string, not an integer',
    );
    bad(
      'medical',
      nonRecipientHealthy,
      bigBill,
      'malformed_json',
      null,
      'the line is cut off: not a JSON object',
      (id, values) => {
        const text = jsonLine(columns('medical'), id, values);
        return text.slice(0, text.indexOf('"hospital"') + 14);
      },
    );
  }

  /** A few matched rows carry their number as some departments write it; all normalise to the registry's. */
  private idFormats(rng: Random): void {
    const rows: Draft[] = [];
    for (const file of FEED_NAMES) {
      for (const d of this.drafts[file]) if (d.truth.status && !d.truth.bad && !d.raw) rows.push(d);
    }
    rng.shuffle(rows);
    const each = Math.max(2, Math.round(rows.length * 0.004));
    const done = new Set<Draft>();
    for (const format of ID_FORMATS) {
      let count = 0;
      for (const d of rows) {
        if (count >= each) break;
        const id = d.truth.id_number_hash_input!;
        if (done.has(d) || !idFormatApplies(format, id)) continue;
        d.values.id_number = formatIdNumber(format, id);
        d.truth.id_format = format;
        done.add(d);
        count++;
      }
    }
  }

  // -- output ----------------------------------------------------------------

  private render(rng: Random): {
    files: { file: string; rows: number; text: string }[];
    counts: FeedCounts;
    truthText: string;
  } {
    const records: TruthRecord[] = [];
    const files: { file: string; format: string; rows: number; text: string }[] = [];
    for (const name of FEED_NAMES) {
      const spec = FEED_SPECS[name];
      const rows = rng.shuffle(this.drafts[name]);
      const lines: string[] = spec.format === 'csv' ? [csvLine(spec.columns)] : [];
      rows.forEach((d, i) => {
        const recordId = `${RECORD_PREFIX[name]}${String(i + 1).padStart(7, '0')}`;
        const line = lines.length + 1;
        lines.push(
          d.raw
            ? d.raw(recordId, d.values)
            : spec.format === 'csv'
              ? csvLine(spec.columns.map((c) => (c === 'record_id' ? recordId : (d.values[c] ?? ''))))
              : jsonLine(spec.columns, recordId, d.values),
        );
        records.push(truthRecord(spec.file, line, recordId, d.truth));
      });
      files.push({ file: spec.file, format: spec.format, rows: rows.length, text: `${lines.join('\n')}\n` });
    }
    const counts = countTruth(records, files);
    const [y, m, d] = this.asOf.split('-');
    const windowStart = `${Number(y) - 1}-${m}-${m === '02' && d === '29' ? '28' : d}`;
    const head = {
      version: 1 as const,
      seed: this.seed,
      asOf: this.asOf,
      households: this.households,
      people: this.people,
      rules: {
        recipientStatuses: RECIPIENT_STATUSES,
        leadStatuses: LEAD_STATUSES,
        dibaoStandardFen: DEMO_DIBAO_STANDARD_FEN,
        wageReviewFactor: WAGE_REVIEW_FACTOR,
        wageReviewThresholdFen: T_WAGE,
        medicalSelfPaidLeadFen: T_MED,
        medicalWindowMonths: MEDICAL_WINDOW_MONTHS,
        medicalWindow: { after: windowStart, through: this.asOf },
        disabilityLeadMaxGrade: DISABILITY_LEAD_MAX_GRADE,
        exemptVehicleTypes: EXEMPT_VEHICLE_TYPES,
        stoppingCustodyTypes: STOPPING_CUSTODY_TYPES,
      },
      files: files.map((f) => ({
        file: f.file,
        format: f.format,
        rows: f.rows,
        bytes: Buffer.byteLength(f.text),
        sha256: createHash('sha256').update(f.text).digest('hex'),
      })),
      counts,
    };
    const headText = JSON.stringify(head, null, 2);
    const truthText =
      `${headText.slice(0, -2)},\n  "records": [\n` +
      records.map((r) => `    ${JSON.stringify(r)}`).join(',\n') +
      '\n  ]\n}\n';
    return { files, counts, truthText };
  }
}

type Plan = { main: number; half: number; quarter: number; third: number; idDecoys: number; background: number };

interface DecoyMaker {
  /** The registry person the i-th decoy imitates. */
  source: (i: number) => Person | undefined;
  /**
   * A record for `subject` (the imitated person, or a namesake) under number `id` that would raise a signal if it
   * were matched to `imitated`; `lead`: a lead rule that needs no registry data would fire on it.
   */
  record: (subject: Person, id: string, imitated: Person) => { values: Values; lead: boolean };
}

function jsonLine(columns: readonly string[], recordId: string, values: Values): string {
  const obj: Record<string, string | number> = {};
  for (const c of columns) obj[c] = c === 'record_id' ? recordId : (values[c] ?? '');
  return JSON.stringify(obj);
}
