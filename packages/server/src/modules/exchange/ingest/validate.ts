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

/**
 * A row that passed every check, as the fast path leaves it: one object per import, written
 * over row after row (no objects per row or per field).
 */
export type FastRow = {
  recordKey: string;
  idNumber: string; // normalised; hashed and masked by the caller, never stored
  name: string;
  eventDate: string;
  /**
   * Each field's value (FastCheck.fields): the string of a quoted one, the JSON text of a number,
   * null for JSON null — what JSON.stringify writes for the full check's data and protectedFields.
   */
  values: (string | null)[];
};

export function fastRow(): FastRow {
  return { recordKey: '', idNumber: '', name: '', eventDate: '', values: [] };
}

/** A field of the fast path: the JSON before its value (`{"name":` first in its object, `,"name":` after). */
export type FastField = { key: string; quoted: boolean; protect: boolean };

/**
 * The common case of a RowCheck: true, with `out` filled, when the row passes every check; false
 * when any fails (or when in doubt) — then the full check says why. Never true for a row the full
 * check refuses; its fields in order make the full check's JSON, byte for byte (fastJson).
 */
export type FastCheck = ((values: string[], out: FastRow) => boolean) & {
  readonly fields: readonly FastField[];
  readonly hasProtected: boolean;
};

/** JSON.stringify of the full check's data (protect false) or protectedFields (true), from a FastRow. */
export function fastJson(fast: FastCheck, row: FastRow, protect: boolean): string {
  let json = '';
  for (let k = 0; k < fast.fields.length; k++) {
    const f = fast.fields[k]!;
    if (f.protect !== protect) continue;
    const v = row.values[k]!;
    json += f.key + (v === null ? 'null' : f.quoted ? JSON.stringify(v) : v);
  }
  return json === '' ? '{}' : `${json}}`;
}

/** The checks of a kind; `fast`, when the kind allows it, is the allocation-free path for good rows. */
export type RowCheck = ((values: string[]) => StagedRow | RowError[]) & { readonly fast?: FastCheck };

const MONTH = /^(\d{4})-(\d{2})$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const REGION = /^\d{6}(\d{3}(\d{3})?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at i of s (0–9), or -1 when it is not an ASCII digit. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** A real calendar day y-mo-d (y ≥ 0). */
function realDay(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  if (mo === 2 && d === 29) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[mo - 1]!;
}

/** YYYY-MM-DD (ASCII digits) of a real day; read from the character codes, no regex or substrings. */
function realDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = digitAt(s, i);
    if (c < 0) return false;
    y = y * 10 + c;
  }
  const m1 = digitAt(s, 5);
  const m2 = digitAt(s, 6);
  const d1 = digitAt(s, 8);
  const d2 = digitAt(s, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  return realDay(y, m1 * 10 + m2, d1 * 10 + d2);
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

function plausibleRegion(raw: string): boolean {
  const region = raw.slice(0, 6);
  let plausible = plausibleRegions.get(region);
  if (plausible === undefined) {
    plausible = isPlausibleRegionCode(region);
    if (plausibleRegions.size < 10_000) plausibleRegions.set(region, plausible);
  }
  return plausible;
}

/** YYYY-MM-DD as the number YYYYMMDD (the same order as the strings), or NaN when not of that shape. */
function dayNumber(s: string): number {
  return realDate(s) ? Number(s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10)) : NaN;
}

/**
 * The fast path of checkIdNumber as a yes/no, numbers instead of strings: 18 characters already
 * normalised, a plausible region, a real birth date from 1900-01-01 to today (`todayNumber`,
 * YYYYMMDD) and the right check character. False sends the number the full way.
 */
function plainIdNumberOk(raw: string, todayNumber: number): boolean {
  if (raw.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = digitAt(raw, i);
    if (c < 0) return false;
    sum += c * ID_WEIGHTS[i]!;
  }
  const last = raw.charCodeAt(17);
  if (!((last >= 48 && last <= 57) || last === 88) || ID_CHECK.charCodeAt(sum % 11) !== last) return false;
  const y = digitAt(raw, 6) * 1000 + digitAt(raw, 7) * 100 + digitAt(raw, 8) * 10 + digitAt(raw, 9);
  const mo = digitAt(raw, 10) * 10 + digitAt(raw, 11);
  const d = digitAt(raw, 12) * 10 + digitAt(raw, 13);
  const birth = y * 10000 + mo * 100 + d;
  return realDay(y, mo, d) && birth >= 19000101 && birth <= todayNumber && plausibleRegion(raw);
}

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
    const birth = `${raw.slice(6, 10)}-${raw.slice(10, 12)}-${raw.slice(12, 14)}`;
    if (plausibleRegion(raw) && realDate(birth) && birth >= '1900-01-01' && birth <= today) {
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

/**
 * A field's value when it passes, as FastRow.values holds it (the string of a quoted value, the
 * JSON text of a number, null); undefined when it does not. No result objects.
 */
function fastFieldParser(c: FeedColumnSpec, asOf: string): (raw: string) => string | null | undefined {
  const empty = c.required ? undefined : null;
  switch (c.type) {
    case 'date':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty;
        if (!realDate(v) || (c.past && v > asOf)) return undefined;
        return v;
      };
    case 'month': {
      const asOfMonth = asOf.slice(0, 7);
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty;
        const m = MONTH.exec(v);
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
        if (c.past && v > asOfMonth) return undefined;
        return v;
      };
    }
    case 'fen':
      return (raw) => {
        const v = raw.trim();
        if (v === '' || !INTEGER.test(v)) return v === '' ? empty : undefined;
        const n = Number(v);
        return n < 0 || !Number.isSafeInteger(n) ? undefined : String(n);
      };
    case 'integer':
    case 'decimal': {
      const shape = c.type === 'integer' ? INTEGER : DECIMAL;
      return (raw) => {
        const v = raw.trim();
        if (v === '' || !shape.test(v)) return v === '' ? empty : undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || (c.type === 'integer' && !Number.isSafeInteger(n))) return undefined;
        if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) return undefined;
        return String(n); // a finite number's JSON is its string
      };
    }
    case 'code': {
      const allowed = new Set(c.values ?? []);
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty;
        return allowed.has(v) ? v : undefined;
      };
    }
    case 'region':
      return (raw) => {
        const v = raw.trim();
        if (v === '') return empty;
        return REGION.test(v) ? v : undefined;
      };
    default:
      return (raw) => {
        const v = raw.trim();
        return v === '' ? empty : v;
      };
  }
}

const NUMERIC_TYPES: readonly FeedColumnSpec['type'][] = ['fen', 'integer', 'decimal'];

/** A property name JSON.stringify would not write in insertion order (an array index) or not at all. */
function unorderedKey(name: string): boolean {
  return name === '__proto__' || (/^(0|[1-9]\d*)$/.test(name) && Number(name) < 2 ** 32 - 1);
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

  const check = (values: string[]): StagedRow | RowError[] => {
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
  const fast = compileFastCheck(columns, fields, eventAt, keyAt, idAt, nameAt, asOf, today);
  return fast ? Object.assign(check, { fast }) : check;
}

/**
 * The fast path of a kind's check (see FastCheck), or undefined when the kind is one it does not
 * cover (an event date that is not a plain date column, field names JSON.stringify would reorder).
 */
function compileFastCheck(
  columns: readonly FeedColumnSpec[],
  fields: readonly { name: string; at: number; protect: boolean }[],
  eventAt: number,
  keyAt: number,
  idAt: number,
  nameAt: number,
  asOf: string,
  today: string,
): FastCheck | undefined {
  const todayNumber = dayNumber(today);
  const event = columns[eventAt]!;
  if (Number.isNaN(todayNumber) || event.type !== 'date' || event.protected) return undefined;
  if (eventAt === keyAt || eventAt === idAt || eventAt === nameAt) return undefined;
  const dataNames = fields.filter((f) => !f.protect).map((f) => f.name);
  const protNames = fields.filter((f) => f.protect).map((f) => f.name);
  for (const names of [dataNames, protNames]) {
    if (new Set(names).size !== names.length || names.some(unorderedKey)) return undefined;
  }
  const hasProtected = protNames.length > 0;
  const n = fields.length;
  const at = fields.map((f) => f.at);
  const parse = fields.map((f) => fastFieldParser(columns[f.at]!, asOf));
  let firstData = true;
  let firstProt = true;
  const meta: FastField[] = fields.map((f) => {
    const first = f.protect ? firstProt : firstData;
    if (f.protect) firstProt = false;
    else firstData = false;
    return {
      key: `${first ? '{' : ','}${JSON.stringify(f.name)}:`,
      quoted: !NUMERIC_TYPES.includes(columns[f.at]!.type),
      protect: f.protect,
    };
  });
  const eventField = fields.findIndex((f) => f.at === eventAt);
  const fast = (values: string[], out: FastRow): boolean => {
    const recordKey = values[keyAt]!.trim();
    if (recordKey === '') return false;
    const raw = values[idAt]!;
    let idNumber: string;
    if (plainIdNumberOk(raw, todayNumber)) idNumber = raw;
    else {
      const id = checkIdNumber(raw, today);
      if (!id.ok) return false;
      idNumber = id.idNumber;
    }
    const name = values[nameAt]!.trim();
    if (name === '') return false;
    const parsed = out.values;
    for (let k = 0; k < n; k++) {
      const v = parse[k]!(values[at[k]!]!);
      if (v === undefined) return false;
      parsed[k] = v;
    }
    const eventDate = parsed[eventField];
    if (eventDate === null || eventDate === undefined) return false; // the event date is required
    out.recordKey = recordKey;
    out.idNumber = idNumber;
    out.name = name;
    out.eventDate = eventDate;
    return true;
  };
  return Object.assign(fast, { fields: meta, hasProtected });
}
