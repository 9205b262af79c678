/**
 * Row checks of a feed kind, compiled once from its column specs (data, not code).
 * A row either becomes a staged record (typed data, the ID number only as its blind
 * index and mask, protected fields encrypted together) or a list of errors that name
 * the line, the column and a reason code — never the value.
 */
import { isPlausibleRegionCode, maskIdNumber, validateIdNumber } from '@jiuzhu/shared';
import type { FeedColumnSpec } from '../../../db/schema';

export type RowError = { column: string | null; reason: string; params: Record<string, unknown> };

export type StagedRow = {
  recordKey: string;
  idNumber: string; // normalised; hashed and masked by the caller, never stored
  name: string;
  eventDate: string;
  data: Record<string, string | number | null>;
  protectedFields: Record<string, string | number | null> | null;
};

export type RowCheck = (values: string[]) => StagedRow | RowError[];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const REGION = /^\d{6}(\d{3}(\d{3})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function realDate(s: string): boolean {
  if (s.length !== 10 || !DATE.test(s)) return false;
  const y = +s.slice(0, 4);
  const mo = +s.slice(5, 7);
  const d = +s.slice(8, 10);
  if (mo < 1 || mo > 12 || d < 1) return false;
  if (mo === 2 && d === 29) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[mo - 1]!;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** computeCheckCharacter for 17 digits already known to be digits. */
function checkCharacter(id: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

const PLAIN_ID = /^\d{17}[\dX]$/;
const plausibleRegions = new Map<string, boolean>();

/**
 * validateIdNumber, with a fast path for the common case (18 characters already normalised):
 * the same checks (region, real birth date 1900-01-01..today, check character) without the
 * normalisation and message building. Anything else, or any failure, goes the full way, so
 * the result is always validateIdNumber's.
 */
export function checkIdNumber(
  raw: string,
  today: string,
): { ok: true; idNumber: string } | { ok: false; reason: string } {
  if (PLAIN_ID.test(raw)) {
    const region = raw.slice(0, 6);
    let plausible = plausibleRegions.get(region);
    if (plausible === undefined) {
      plausible = isPlausibleRegionCode(region);
      if (plausibleRegions.size < 10_000) plausibleRegions.set(region, plausible);
    }
    const birth = `${raw.slice(6, 10)}-${raw.slice(10, 12)}-${raw.slice(12, 14)}`;
    if (plausible && realDate(birth) && birth >= '1900-01-01' && birth <= today) {
      if (checkCharacter(raw) === raw[17]) return { ok: true, idNumber: raw };
    }
  }
  const v = validateIdNumber(raw, { today });
  return v.ok ? { ok: true, idNumber: v.idNumber } : { ok: false, reason: v.reason };
}

/** maskIdNumber of a normalised number (18 characters: the first and last 4 shown). */
export function maskNormalised(id: string): string {
  return id.length === 18 ? `${id.slice(0, 4)}**********${id.slice(14)}` : maskIdNumber(id);
}

type Parsed =
  { ok: true; value: string | number | null } | { ok: false; reason: string; params?: Record<string, unknown> };
const OK_NULL: Parsed = { ok: true, value: null };

function fieldParser(c: FeedColumnSpec, asOf: string): (raw: string) => Parsed {
  const required = c.required;
  const empty = (): Parsed => (required ? { ok: false, reason: 'required' } : OK_NULL);
  switch (c.type) {
    case 'date':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        if (!realDate(v)) return { ok: false, reason: 'invalid_date' };
        if (c.past && v > asOf) return { ok: false, reason: 'future_date', params: { asOf } };
        return { ok: true, value: v };
      };
    case 'month':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        const m = MONTH.exec(v);
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return { ok: false, reason: 'invalid_month' };
        if (c.past && v > asOf.slice(0, 7)) return { ok: false, reason: 'future_date', params: { asOf } };
        return { ok: true, value: v };
      };
    case 'fen':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        if (!INTEGER.test(v)) return { ok: false, reason: 'non_numeric_amount' };
        const n = Number(v);
        if (n < 0) return { ok: false, reason: 'negative_amount' };
        if (!Number.isSafeInteger(n)) return { ok: false, reason: 'amount_too_large' };
        return { ok: true, value: n };
      };
    case 'integer':
    case 'decimal':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        if (!(c.type === 'integer' ? INTEGER : DECIMAL).test(v)) return { ok: false, reason: `invalid_${c.type}` };
        const n = Number(v);
        if (!Number.isFinite(n) || (c.type === 'integer' && !Number.isSafeInteger(n))) {
          return { ok: false, reason: `invalid_${c.type}` };
        }
        if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) {
          return { ok: false, reason: 'out_of_range', params: { min: c.min ?? null, max: c.max ?? null } };
        }
        return { ok: true, value: n };
      };
    case 'code': {
      const allowed = new Set(c.values ?? []);
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        if (!allowed.has(v)) return { ok: false, reason: 'invalid_code', params: { allowed: c.values ?? [] } };
        return { ok: true, value: v };
      };
    }
    case 'region':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        if (!REGION.test(v)) return { ok: false, reason: 'invalid_region' };
        return { ok: true, value: v };
      };
    default:
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty();
        return { ok: true, value: v };
      };
  }
}

/** Compiles the checks of a kind. The kind must have record_id, id_number, name and its event date column. */
export function compileRowCheck(
  columns: readonly FeedColumnSpec[],
  eventDateColumn: string,
  asOf: string,
  today: string,
): RowCheck {
  const index = (name: string) => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`feed kind has no column ${name}`);
    return i;
  };
  const keyAt = index('record_id');
  const idAt = index('id_number');
  const nameAt = index('name');
  const eventAt = index(eventDateColumn);
  type Field = { name: string; at: number; parse: (raw: string) => Parsed; protect: boolean };
  const fields: Field[] = [];
  columns.forEach((c, at) => {
    if (at === keyAt || at === idAt || at === nameAt) return;
    fields.push({ name: c.name, at, parse: fieldParser(c, asOf), protect: Boolean(c.protected) });
  });
  const hasProtected = fields.some((f) => f.protect);

  return (values) => {
    let errors: RowError[] | null = null;
    const fail = (column: string | null, reason: string, params: Record<string, unknown> = {}) => {
      errors ??= [];
      // One error per reason and row (the error table's key).
      if (!errors.some((e) => e.reason === reason)) errors.push({ column, reason, params });
    };
    const recordKey = values[keyAt]!.trim();
    if (recordKey === '') fail('record_id', 'required');
    const id = checkIdNumber(values[idAt]!, today);
    if (!id.ok) fail('id_number', 'invalid_id_number', { check: id.reason });
    const name = values[nameAt]!.trim();
    if (name === '') fail('name', 'required');
    const data: Record<string, string | number | null> = {};
    const prot: Record<string, string | number | null> | null = hasProtected ? {} : null;
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      const p = f.parse(values[f.at]!);
      if (!p.ok) fail(f.name, p.reason, p.params);
      else if (f.protect) prot![f.name] = p.value;
      else data[f.name] = p.value;
    }
    const eventDate = data[columns[eventAt]!.name];
    if (!errors && (eventDate === null || eventDate === undefined)) fail(columns[eventAt]!.name, 'required');
    if (errors) return errors;
    return {
      recordKey,
      idNumber: (id as { idNumber: string }).idNumber,
      name,
      eventDate: eventDate as string,
      data,
      protectedFields: prot,
    };
  };
}
