import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HouseholdInput, maskIdNumber, type ImportError, type MemberInput } from '@jiuzhu/shared';
import { Protector, type WorkerKeys } from '../../crypto/index';
import { t, type Lang } from '../../i18n/messages';
import { localiseZodMessage } from '../../i18n/zod';
import { COLUMNS, headerOf, HOUSEHOLD_FIELDS, yuanToFen, type Column } from './import-format';
import { checkMembers, type CheckedMember } from './validation';
import { accountFacts } from './account-facts';

/**
 * The CPU-bound half of the register import, run on worker threads (import-pool.ts): turning a
 * household's rows into a checked household, then encrypting, hashing and writing its rows in
 * COPY text format. Nothing here touches the database or the request context, so the main thread
 * keeps only reading the file, the checks that need the database (village, region, duplicates)
 * and the COPY.
 */

/** The rows of one household as read from the file (cells in the order of the file's header). */
export type Pending = { key: string; rows: { line: number; cells: string[] }[] };

/** Where each header stands in a row (a header given twice: its last column, as before). */
export type HeaderIndex = ReadonlyMap<string, number>;

/** The columns of `members` in the order of the COPY rows written here. */
export const MEMBER_COPY_COLUMNS =
  'id, household_id, region_code, name, id_number_enc, id_hash, id_masked, sex, birth_date, relation, hukou_type, ' +
  'phone_enc, bank_account_enc, bank_name, disability_type, disability_grade, disability_cert_enc, serious_illness, ' +
  'work_ability, adl, self_care, school_status, income, assets, ' +
  'bank_account_hash, bank_account_check, bank_account_iin, bank_account_facts_of';

/** A household ready for the database checks and the COPY. */
export type StoreRows = {
  sourceKey: string;
  householdId: string;
  status: HouseholdInput['assistanceStatus'];
  /** Per member, in file order: the blind index and the file line. */
  hashes: string[];
  lines: number[];
  /** Empty in a dry run (nothing is encrypted). */
  addressEnc: string;
  /** COPY text rows of `members` (MEMBER_COPY_COLUMNS), each ending with a line end. */
  members: string;
  /** The history entry's changes, as COPY text. */
  changes: string;
};

export type PreparedItem =
  /** Refused before the village check: cells or household rules. */
  | { errors: ImportError[] }
  /** Parsed: the village is checked next, then memberErrors, then store. */
  | { regionCode: string; line: number; memberErrors: ImportError[]; store: StoreRows | null };

export type PrepareTask = { lang: Lang; keys: WorkerKeys; encrypt: boolean; header: string[]; households: Pending[] };

/** A prepared chunk, with the worker's time on it (for the import's phase times). */
export type PreparedChunk = { items: PreparedItem[]; ms: number };

/**
 * A time-ordered UUID (version 7: 48 bits of Unix milliseconds, then random bits). New households
 * and members get ids that sort after the ones before, so a large import appends to the right edge
 * of the primary-key and household_id indexes instead of touching a random page of each per row.
 */
export function uuidv7(): string {
  const random = randomUUID();
  const ms = Date.now().toString(16).padStart(12, '0');
  // randomUUID is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx with the variant bits V already set.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

/** A value in PostgreSQL's COPY text format (\N is null). */
export function copyText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** Turns the rows of one household into a HouseholdInput, recording bad cells as row errors. */
export function toInput(
  h: Pending,
  header: HeaderIndex,
  lang: Lang,
  errors: ImportError[],
): { input: Record<string, unknown>; ok: boolean } {
  const before = errors.length;
  const cell = (r: Pending['rows'][number], col: Column) => r.cells[header.get(col.header) ?? -1] ?? '';
  const first = h.rows[0]!;
  const cellError = (line: number, col: Column, reason: string) =>
    errors.push({ row: line, column: col.header, reason });
  const convert = (line: number, col: Column, raw: string): unknown => {
    if (raw === '') return undefined;
    if (col.values) {
      const v = col.values[raw];
      if (v === undefined)
        cellError(
          line,
          col,
          t(lang, 'import.badValue', { value: raw.slice(0, 20), allowed: Object.keys(col.values).join('/') }),
        );
      return v;
    }
    if (col.yuan) {
      const fen = yuanToFen(raw);
      if (fen === null) cellError(line, col, t(lang, 'import.badAmount', { value: raw.slice(0, 20) }));
      return fen ?? undefined;
    }
    if (col.field === 'idNumber' && /^\d(\.\d+)?E\+\d+$/i.test(raw)) {
      cellError(line, col, t(lang, 'import.idAsNumber'));
      return undefined;
    }
    return raw;
  };
  const input: Record<string, unknown> = { members: [] };
  for (const col of COLUMNS) {
    if (!HOUSEHOLD_FIELDS.has(col.field) || col.field === 'key') continue;
    const v = convert(first.line, col, cell(first, col));
    if (v !== undefined) input[col.field] = v;
    for (const r of h.rows.slice(1)) {
      const other = cell(r, col);
      if (other !== '' && other !== cell(first, col)) cellError(r.line, col, t(lang, 'import.householdFieldDiffers'));
    }
  }
  for (const r of h.rows) {
    const member: Record<string, unknown> = {};
    for (const col of COLUMNS) {
      if (HOUSEHOLD_FIELDS.has(col.field)) continue;
      const v = convert(r.line, col, cell(r, col));
      if (v === undefined) continue;
      const [a, b] = col.field.split('.') as [string, string | undefined];
      if (b) member[a] = { ...((member[a] as object) ?? {}), [b]: v };
      else member[a] = v;
    }
    (input.members as unknown[]).push(member);
  }
  return { input, ok: errors.length === before };
}

/** The row and column a member-level field path (members.2.income.wage) points at. */
export function locate(h: Pending, path: string): { row: number; column: string } {
  const m = /^members\.(\d+)(?:\.(.+))?$/.exec(path);
  if (m) {
    const row = h.rows[Number(m[1])]?.line ?? h.rows[0]!.line;
    return { row, column: m[2] ? headerOf(m[2]) : '与户主关系' };
  }
  return { row: h.rows[0]!.line, column: path === 'members' ? '与户主关系' : headerOf(path) };
}

/** One member as a COPY text row of `members` (the columns of MEMBER_COPY_COLUMNS). */
function memberRow(
  protector: Protector,
  householdId: string,
  regionCode: string,
  m: CheckedMember<MemberInput>,
  idHash: string,
): string {
  const id = m.normalisedId!;
  const accountEnc = protector.encryptOptional(m.bankAccount, 'member.bank_account');
  const facts = accountFacts(protector, m.bankAccount, accountEnc);
  return `${[
    uuidv7(),
    householdId,
    regionCode,
    m.name,
    protector.encrypt(id, 'member.id_number'),
    idHash,
    maskIdNumber(id),
    m.sex,
    m.birthDate,
    m.relation,
    m.hukouType,
    protector.encryptOptional(m.phone, 'member.phone'),
    accountEnc,
    m.bankName ?? null,
    m.disability?.type ?? null,
    m.disability?.grade ?? null,
    protector.encryptOptional(m.disability?.certificateNo, 'member.disability_cert'),
    m.seriousIllness ?? null,
    m.workAbility,
    JSON.stringify(m.adl ?? {}),
    m.selfCare,
    m.schoolStatus,
    JSON.stringify(m.income ?? {}),
    JSON.stringify(m.assets ?? {}),
    facts.bank_account_hash,
    facts.bank_account_check,
    facts.bank_account_iin,
    facts.bank_account_facts_of,
  ]
    .map(copyText)
    .join('\t')}\n`;
}

/** Checks one household and, when it is good, writes its rows (see PreparedItem). */
export function prepareImportHousehold(
  protector: Protector,
  h: Pending,
  header: HeaderIndex,
  lang: Lang,
  encrypt: boolean,
): PreparedItem {
  const errors: ImportError[] = [];
  const { input, ok } = toInput(h, header, lang, errors);
  if (!ok) return { errors };
  const parsed = HouseholdInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const message = localiseZodMessage(lang, { keyword: issue.code, message: issue.message, params: { ...issue } });
      errors.push({ ...locate(h, path), reason: message });
    }
    return { errors };
  }
  const { regionCode } = parsed.data;
  const fields: { path: string; message: string }[] = [];
  const members = checkMembers(parsed.data.members, lang, fields);
  const memberErrors = fields.map((f) => ({ ...locate(h, f.path), reason: f.message }));
  const line = h.rows[0]!.line;
  if (memberErrors.length > 0) return { regionCode, line, memberErrors, store: null };
  const householdId = uuidv7();
  const hashes = members.map((m) => protector.idHash(m.normalisedId!));
  const changes = [
    { field: 'members', old: null, new: members.map((m) => `${m.name} ${maskIdNumber(m.normalisedId!)}`) },
    { field: 'assistanceStatus', old: null, new: parsed.data.assistanceStatus },
  ];
  return {
    regionCode,
    line,
    memberErrors,
    store: {
      sourceKey: `${regionCode}:${h.key}`,
      householdId,
      status: parsed.data.assistanceStatus,
      hashes,
      lines: h.rows.map((r) => r.line),
      addressEnc: encrypt ? protector.encrypt(parsed.data.address, 'household.address') : '',
      members: encrypt
        ? members.map((m, i) => memberRow(protector, householdId, regionCode, m, hashes[i]!)).join('')
        : '',
      changes: copyText(JSON.stringify(changes)),
    },
  };
}

const protectors = new Map<string, Protector>();

/** The worker's task: a chunk of households, each checked and prepared in order. */
export function prepareChunk(task: PrepareTask): PreparedChunk {
  const started = performance.now();
  const id = `${task.keys.current}:${task.keys.algorithm}:${Buffer.from(task.keys.key).toString('hex')}:${Buffer.from(task.keys.indexKey).toString('hex')}`;
  let protector = protectors.get(id);
  if (!protector) {
    protector = Protector.forWorker(task.keys);
    protectors.set(id, protector);
  }
  const header = new Map(task.header.map((name, i) => [name, i]));
  const items = task.households.map((h) => prepareImportHousehold(protector, h, header, task.lang, task.encrypt));
  return { items, ms: performance.now() - started };
}
