/**
 * What the synthetic department feeds contain: one spec per file (columns, which
 * dates may not lie in the future, which columns are amounts in fen), the code
 * tables the records use, and the demo rule parameters the ground truth was
 * labelled with. The data-collision engine's rules are data in the database;
 * these constants are only what its default rule set must equal for the
 * planted outcomes to hold. FORMATS.md describes every column.
 */
import { DEMO_DIBAO_STANDARD_FEN } from '../city';

export type FeedFormat = 'csv' | 'jsonl';

export interface FeedSpec {
  /** File name in the output directory: `<source>.<record kind>.<ext>`. */
  readonly file: string;
  /** The sending department. */
  readonly source: string;
  readonly format: FeedFormat;
  /** CSV: the header, in order. JSON Lines: the keys of every object, in order. */
  readonly columns: readonly string[];
  /** The date the event happened on: the column every rule window is counted on. */
  readonly eventDate: string;
  /** Date columns (YYYY-MM-DD) that cannot lie after the as-of date. */
  readonly pastDates: readonly string[];
  /** Date columns that may lie in the future (planned dates). */
  readonly plannedDates: readonly string[];
  /** Integer fen, never negative. */
  readonly amounts: readonly string[];
}

const ID = ['record_id', 'id_number', 'name'] as const;

export const FEED_SPECS = {
  deaths: {
    file: 'public_security.deaths.csv',
    source: 'public_security',
    format: 'csv',
    columns: [...ID, 'death_date', 'cause_category', 'death_place', 'hukou_region'],
    eventDate: 'death_date',
    pastDates: ['death_date'],
    plannedDates: [],
    amounts: [],
  },
  cremations: {
    file: 'funeral.cremations.csv',
    source: 'funeral',
    format: 'csv',
    columns: [...ID, 'cremation_date', 'death_date', 'funeral_home'],
    eventDate: 'cremation_date',
    pastDates: ['cremation_date', 'death_date'],
    plannedDates: [],
    amounts: [],
  },
  detentions: {
    file: 'public_security.detentions.csv',
    source: 'public_security',
    format: 'csv',
    columns: [...ID, 'start_date', 'custody_type', 'expected_end_date', 'institution'],
    eventDate: 'start_date',
    pastDates: ['start_date'],
    plannedDates: ['expected_end_date'],
    amounts: [],
  },
  vehicles: {
    file: 'vehicles.registrations.csv',
    source: 'vehicles',
    format: 'csv',
    columns: [
      ...ID,
      'register_date',
      'plate_no',
      'vehicle_type',
      'vehicle_type_name',
      'brand_model',
      'purchase_price_fen',
    ],
    eventDate: 'register_date',
    pastDates: ['register_date'],
    plannedDates: [],
    amounts: ['purchase_price_fen'],
  },
  realEstate: {
    file: 'real_estate.registrations.csv',
    source: 'real_estate',
    format: 'csv',
    columns: [
      ...ID,
      'register_date',
      'certificate_no',
      'address',
      'building_area_m2',
      'usage',
      'acquisition',
      'price_fen',
    ],
    eventDate: 'register_date',
    pastDates: ['register_date'],
    plannedDates: [],
    amounts: ['price_fen'],
  },
  business: {
    file: 'market.business_registrations.csv',
    source: 'market',
    format: 'csv',
    columns: [
      ...ID,
      'register_date',
      'credit_code',
      'business_name',
      'business_type',
      'role',
      'registered_capital_fen',
    ],
    eventDate: 'register_date',
    pastDates: ['register_date'],
    plannedDates: [],
    amounts: ['registered_capital_fen'],
  },
  medical: {
    file: 'medical_insurance.expenses.jsonl',
    source: 'medical_insurance',
    format: 'jsonl',
    columns: [
      ...ID,
      'settlement_date',
      'hospital',
      'visit_type',
      'diagnosis',
      'total_fen',
      'insurance_paid_fen',
      'self_paid_fen',
    ],
    eventDate: 'settlement_date',
    pastDates: ['settlement_date'],
    plannedDates: [],
    amounts: ['total_fen', 'insurance_paid_fen', 'self_paid_fen'],
  },
  disability: {
    file: 'disability.certificates.csv',
    source: 'disability',
    format: 'csv',
    columns: [...ID, 'issue_date', 'certificate_no', 'disability_type', 'disability_grade', 'change'],
    eventDate: 'issue_date',
    pastDates: ['issue_date'],
    plannedDates: [],
    amounts: [],
  },
  wages: {
    file: 'hrss.wages.csv',
    source: 'hrss',
    format: 'csv',
    columns: [...ID, 'pay_date', 'wage_month', 'employer_name', 'employer_credit_code', 'monthly_wage_fen'],
    eventDate: 'pay_date',
    pastDates: ['pay_date'],
    plannedDates: [],
    amounts: ['monthly_wage_fen'],
  },
} as const satisfies Record<string, FeedSpec>;

export type FeedName = keyof typeof FEED_SPECS;
/** Output order: the ground truth lists files in this order. */
export const FEED_NAMES = Object.keys(FEED_SPECS) as FeedName[];
export const GROUND_TRUTH_FILE = 'ground-truth.json';

// ---------------------------------------------------------------------------
// The demo rule set the ground truth is labelled with.

/** Enrolled statuses: their people are insured, and a record can stop or review them. */
export const RECIPIENT_STATUSES = ['dibao', 'tekun'] as const;
/** Registry people a lead can be raised for. Applicants get no planted record, so either reading of them is safe. */
export const LEAD_STATUSES = ['dibao_edge', 'low_income', 'none'] as const;

/** A recipient's monthly wage at or above standard × k asks for a review. */
export const WAGE_REVIEW_FACTOR = 1.5;
export const WAGE_REVIEW_THRESHOLD_FEN = Math.round(DEMO_DIBAO_STANDARD_FEN * WAGE_REVIEW_FACTOR);

/** Demo value: self-paid medical expenses of one person at or above this over the window raise a lead. */
export const MEDICAL_SELF_PAID_LEAD_FEN = 2_000_000;
/** The window ends on the as-of date (inclusive) and starts 12 months earlier (exclusive). */
export const MEDICAL_WINDOW_MONTHS = 12;

/** A new or changed disability certificate of this grade or more severe (1 is the most severe) raises a lead. */
export const DISABILITY_LEAD_MAX_GRADE = 2;

export type DisabilityType = 'visual' | 'hearing' | 'speech' | 'physical' | 'intellectual' | 'mental' | 'multiple';

/** Digit of the type in a 残疾人证 number (ID number + type digit + grade digit), as the registry generator writes it. */
export const DISABILITY_TYPE_DIGIT: Readonly<Record<DisabilityType, number>> = {
  visual: 1,
  hearing: 2,
  speech: 3,
  physical: 4,
  intellectual: 5,
  mental: 6,
  multiple: 7,
};

export interface VehicleType {
  readonly code: string;
  readonly name: string;
  /** Exempt types are not counted as a vehicle asset: no review. */
  readonly exempt: boolean;
}

/**
 * Vehicle type codes of GA/T 16.4 (K 客车, H 货车, M 摩托车), plus X99 for the
 * 残疾人机动轮椅车, which is this generator's own code (X = 其他).
 */
export const VEHICLE_TYPES: readonly VehicleType[] = [
  { code: 'K33', name: '小型轿车', exempt: false },
  { code: 'K31', name: '小型普通客车', exempt: false },
  { code: 'K41', name: '微型普通客车', exempt: false },
  { code: 'H31', name: '轻型普通货车', exempt: false },
  { code: 'M11', name: '普通正三轮摩托车', exempt: true },
  { code: 'M12', name: '轻便正三轮摩托车', exempt: true },
  { code: 'M14', name: '正三轮载货摩托车', exempt: true },
  { code: 'X99', name: '残疾人机动轮椅车', exempt: true },
];
export const EXEMPT_VEHICLE_TYPES: readonly string[] = VEHICLE_TYPES.filter((t) => t.exempt).map((t) => t.code);

/** Custody that removes a person from the household (POLICY: prison, compulsory rehabilitation): stop. */
export const STOPPING_CUSTODY_TYPES = ['prison', 'compulsory_rehab'] as const;
export const CUSTODY_TYPES = ['prison', 'compulsory_rehab', 'admin_detention'] as const;
