/**
 * The ground truth of the synthetic feeds: what the data-collision engine must
 * make of every data row (FORMATS.md, "Ground truth"), and its counts.
 */
import type { AssistanceStatus } from '@jiuzhu/shared';
import type { IdFormat } from './numbers';

export type SignalOutcome = 'stop' | 'review' | 'lead' | 'claim_prompt';
/** What the engine must do with a row: raise these signals, nothing, keep it unmatched, or quarantine it. */
export type Expected = SignalOutcome | 'none' | 'unmatched' | 'quarantine';
export type FeedKind =
  | 'death'
  | 'cremation'
  | 'prison'
  | 'detention'
  | 'vehicle'
  | 'property'
  | 'business'
  | 'medical'
  | 'disability'
  | 'wage';
export type DecoyType =
  | 'invalid_id'
  | 'near_miss_valid'
  | 'same_name'
  | 'not_in_registry'
  | 'exempt_vehicle'
  | 'below_threshold'
  | 'outside_window'
  | 'grade_3_4'
  | 'short_detention'
  | 'not_recipient';
export type BadRowType = 'column_count' | 'future_date' | 'negative_amount' | 'non_numeric_amount' | 'malformed_json';

export const SIGNAL_OUTCOMES: readonly SignalOutcome[] = ['stop', 'review', 'lead', 'claim_prompt'];
export const EXPECTED_VALUES: readonly Expected[] = [...SIGNAL_OUTCOMES, 'none', 'unmatched', 'quarantine'];
export const FEED_KINDS: readonly FeedKind[] = [
  'death',
  'cremation',
  'prison',
  'detention',
  'vehicle',
  'property',
  'business',
  'medical',
  'disability',
  'wage',
];
export const DECOY_TYPES: readonly DecoyType[] = [
  'invalid_id',
  'near_miss_valid',
  'same_name',
  'not_in_registry',
  'exempt_vehicle',
  'below_threshold',
  'outside_window',
  'grade_3_4',
  'short_detention',
  'not_recipient',
];
export const BAD_ROW_TYPES: readonly BadRowType[] = [
  'column_count',
  'future_date',
  'negative_amount',
  'non_numeric_amount',
  'malformed_json',
];
export const ID_FORMATS: readonly IdFormat[] = ['lowercase_x', 'padded', 'legacy15', 'fullwidth'];

/** One data row of one file and what the engine must make of it. */
export interface TruthRecord {
  file: string;
  /** 1-based line in the file; a CSV's header is line 1, a JSON Lines file has none. */
  line: number;
  record_id: string;
  /** The normalised number the engine hashes (validateIdNumber(...).idNumber); null when the number is invalid. */
  id_number_hash_input: string | null;
  kind: FeedKind;
  /** The main outcome; `signals` lists every signal (a recipient's death: stop and claim_prompt). */
  expected: Expected;
  signals: SignalOutcome[];
  /** Rows of one happening share it (a death and its cremation; one person's medical bills). */
  event: string;
  reason: string;
  decoy?: DecoyType;
  /** near_miss_valid, invalid_id, same_name: the registry number the decoy imitates. */
  decoy_of?: string;
  bad?: BadRowType;
  /** With expected 'quarantine': the offending column (null when the whole row is malformed). */
  column?: string | null;
  /** The matched registry person's status and household key. */
  status?: AssistanceStatus;
  household_key?: string;
  /** How the department wrote a valid number that is not already normalised. */
  id_format?: IdFormat;
  /** Unmatched rows: whether a lead rule that needs no registry data (grade ≤ 2, medical sum) would fire. */
  unmatched_lead?: boolean;
}

export interface FeedCounts {
  rows: Record<string, number>;
  byKind: Record<FeedKind, Partial<Record<Expected, number>>>;
  byExpected: Partial<Record<Expected, number>>;
  byDecoy: Partial<Record<DecoyType, number>>;
  byBad: Partial<Record<BadRowType, number>>;
  byIdFormat: Partial<Record<IdFormat, number>>;
  /** Distinct (event, outcome) pairs: what an engine that merges the rows of one event raises. */
  signals: Record<SignalOutcome, number>;
  events: number;
}

export interface GroundTruth {
  version: 1;
  seed: number;
  asOf: string;
  households: number;
  people: number;
  rules: Record<string, unknown>;
  files: { file: string; format: string; rows: number; bytes: number; sha256: string }[];
  counts: FeedCounts;
  records: TruthRecord[];
}

export type TruthBody = Omit<TruthRecord, 'file' | 'line' | 'record_id'>;

/** Fixed key order, so the file is byte-identical for a seed. */
export function truthRecord(file: string, line: number, recordId: string, t: TruthBody): TruthRecord {
  const r: TruthRecord = {
    file,
    line,
    record_id: recordId,
    id_number_hash_input: t.id_number_hash_input,
    kind: t.kind,
    expected: t.expected,
    signals: t.signals,
    event: t.event,
    reason: t.reason,
  };
  if (t.decoy) r.decoy = t.decoy;
  if (t.decoy_of) r.decoy_of = t.decoy_of;
  if (t.bad) r.bad = t.bad;
  if (t.column !== undefined) r.column = t.column;
  if (t.status) r.status = t.status;
  if (t.household_key) r.household_key = t.household_key;
  if (t.id_format) r.id_format = t.id_format;
  if (t.unmatched_lead !== undefined) r.unmatched_lead = t.unmatched_lead;
  return r;
}

export function countTruth(
  records: readonly TruthRecord[],
  files: readonly { file: string; rows: number }[],
): FeedCounts {
  const counts: FeedCounts = {
    rows: Object.fromEntries(files.map((f) => [f.file, f.rows])),
    byKind: Object.fromEntries(FEED_KINDS.map((k) => [k, {}])) as FeedCounts['byKind'],
    byExpected: {},
    byDecoy: {},
    byBad: {},
    byIdFormat: {},
    signals: { stop: 0, review: 0, lead: 0, claim_prompt: 0 },
    events: 0,
  };
  const bump = <K extends string>(o: Partial<Record<K, number>>, k: K): void => {
    o[k] = (o[k] ?? 0) + 1;
  };
  const pairs = new Set<string>();
  const events = new Set<string>();
  for (const r of records) {
    bump(counts.byKind[r.kind], r.expected);
    bump(counts.byExpected, r.expected);
    if (r.decoy) bump(counts.byDecoy, r.decoy);
    if (r.bad) bump(counts.byBad, r.bad);
    if (r.id_format) bump(counts.byIdFormat, r.id_format);
    events.add(r.event);
    for (const s of r.signals) pairs.add(`${r.event}:${s}`);
  }
  for (const pair of pairs) counts.signals[pair.slice(pair.indexOf(':') + 1) as SignalOutcome]++;
  counts.events = events.size;
  // Stable key order for the file: the enumerations' order, absent keys left out.
  const ordered = <K extends string>(o: Partial<Record<K, number>>, keys: readonly K[]): Partial<Record<K, number>> =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Record<K, number>>;
  for (const k of FEED_KINDS) counts.byKind[k] = ordered(counts.byKind[k], EXPECTED_VALUES);
  counts.byExpected = ordered(counts.byExpected, EXPECTED_VALUES);
  counts.byDecoy = ordered(counts.byDecoy, DECOY_TYPES);
  counts.byBad = ordered(counts.byBad, BAD_ROW_TYPES);
  counts.byIdFormat = ordered(counts.byIdFormat, ID_FORMATS);
  return counts;
}
