import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateIdNumber, type AssistanceStatus } from '@jiuzhu/shared';
import { loadCityDivisions, type DivisionRow } from '../../modules/regions/divisions';
import { generateAll, generateCity, type GeneratedHousehold } from '../city';
import {
  EXEMPT_VEHICLE_TYPES,
  FEED_NAMES,
  FEED_SPECS,
  GROUND_TRUTH_FILE,
  LEAD_STATUSES,
  MEDICAL_SELF_PAID_LEAD_FEN,
  RECIPIENT_STATUSES,
  STOPPING_CUSTODY_TYPES,
  WAGE_REVIEW_THRESHOLD_FEN,
  type FeedName,
} from './catalogue';
import { parseCsvLine } from './csv';
import {
  BAD_ROW_TYPES,
  DECOY_TYPES,
  FEED_KINDS,
  ID_FORMATS,
  SIGNAL_OUTCOMES,
  countTruth,
  type Expected,
  type GroundTruth,
  type SignalOutcome,
  type TruthRecord,
} from './truth';
import { writeFeeds } from './write';

const SEED = 7;
const AS_OF = '2026-01-01';

interface RegistryPerson {
  name: string;
  status: AssistanceStatus;
  /** The unique largest wage + business earner of a household of 2 or more. */
  breadwinner: boolean;
}

/** A feed row as read back: its fields by column, or why it cannot be read. */
interface Row {
  file: string;
  line: number;
  text: string;
  fields?: Record<string, string | number>;
  unreadable?: 'column_count' | 'malformed_json';
}

let divisions: DivisionRow[];
let households: GeneratedHousehold[];
let dirA: string;
let dirB: string;
let dirC: string;
let truth: GroundTruth;
const registry = new Map<string, RegistryPerson>();
const rowsByFile = new Map<string, Row[]>();

async function readRows(dir: string, name: FeedName): Promise<Row[]> {
  const spec = FEED_SPECS[name];
  const text = await readFile(join(dir, spec.file), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  const rows: Row[] = [];
  if (spec.format === 'csv') {
    expect(lines[0]).toBe(spec.columns.join(','));
    lines.slice(1).forEach((line, i) => {
      const values = parseCsvLine(line);
      const row: Row = { file: spec.file, line: i + 2, text: line };
      if (values.length !== spec.columns.length) row.unreadable = 'column_count';
      else row.fields = Object.fromEntries(spec.columns.map((c, j) => [c, values[j]!]));
      rows.push(row);
    });
  } else {
    lines.forEach((line, i) => {
      const row: Row = { file: spec.file, line: i + 1, text: line };
      try {
        row.fields = JSON.parse(line) as Record<string, string | number>;
      } catch {
        row.unreadable = 'malformed_json';
      }
      rows.push(row);
    });
  }
  return rows;
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(join(dir, name)));
  return out;
}

const byLine = (): Map<string, TruthRecord> => new Map(truth.records.map((r) => [`${r.file}:${r.line}`, r]));

beforeAll(async () => {
  divisions = await loadCityDivisions('3503');
  households = generateAll({ city: '3503', divisions, size: 'demo', seed: SEED });
  for (const h of households) {
    const earned = h.members.map((m) => (m.income.wage ?? 0) + (m.income.business ?? 0));
    const top = Math.max(...earned);
    const unique = earned.filter((e) => e === top).length === 1;
    h.members.forEach((m, i) => {
      registry.set(m.idNumber, {
        name: m.name,
        status: h.assistanceStatus,
        breadwinner: h.members.length >= 2 && top > 0 && unique && earned[i] === top,
      });
    });
  }
  const tmp = () => mkdtemp(join(tmpdir(), 'jiuzhu-feeds-'));
  dirA = await tmp();
  dirB = await tmp();
  dirC = await tmp();
  await writeFeeds({ households, seed: SEED, outDir: dirA, asOf: AS_OF });
  truth = JSON.parse(await readFile(join(dirA, GROUND_TRUTH_FILE), 'utf8')) as GroundTruth;
  for (const name of FEED_NAMES) rowsByFile.set(FEED_SPECS[name].file, await readRows(dirA, name));
});

afterAll(async () => {
  await Promise.all([dirA, dirB, dirC].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

describe('writeFeeds', () => {
  it('writes byte-identical files for the same seed, from an array or from generateCity batches', async () => {
    const batches = generateCity({ city: '3503', divisions, size: 'demo', seed: SEED, batchSize: 37 });
    await writeFeeds({ households: batches, seed: SEED, outDir: dirB, asOf: AS_OF });
    const [a, b] = await Promise.all([filesOf(dirA), filesOf(dirB)]);
    expect([...a.keys()]).toEqual([...FEED_NAMES.map((n) => FEED_SPECS[n].file), GROUND_TRUTH_FILE].sort());
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);

    await writeFeeds({ households, seed: SEED + 1, outDir: dirC, asOf: AS_OF });
    const c = await filesOf(dirC);
    expect(c.get(GROUND_TRUTH_FILE)!.equals(a.get(GROUND_TRUTH_FILE)!)).toBe(false);
  });

  it('labels every data row of every file exactly once, with a record id unique in its file', () => {
    const truthByLine = byLine();
    expect(truthByLine.size).toBe(truth.records.length);
    for (const [file, rows] of rowsByFile) {
      const labelled = truth.records.filter((r) => r.file === file);
      expect(labelled.length, file).toBe(rows.length);
      expect(truth.counts.rows[file]).toBe(rows.length);
      expect(new Set(labelled.map((r) => r.record_id)).size).toBe(rows.length);
      for (const row of rows) {
        const t = truthByLine.get(`${file}:${row.line}`);
        expect(t, `${file}:${row.line}`).toBeDefined();
        const recordId =
          row.fields?.record_id ??
          /^"?([A-Z]{3}\d{7})|"record_id":"([A-Z]{3}\d{7})"/.exec(row.text)?.slice(1).find(Boolean);
        expect(recordId).toBe(t!.record_id);
      }
    }
    expect(countTruth(truth.records, truth.files)).toEqual(truth.counts);
  });

  it('plants at least 3 of every kind, outcome, decoy type, bad row type and ID format at demo size', () => {
    const { counts } = truth;
    for (const kind of FEED_KINDS) {
      const total = Object.values(counts.byKind[kind]).reduce((a, b) => a + (b ?? 0), 0);
      expect(total, kind).toBeGreaterThanOrEqual(3);
    }
    for (const kind of [
      'death',
      'prison',
      'vehicle',
      'property',
      'business',
      'medical',
      'disability',
      'wage',
    ] as const) {
      const planted = (['stop', 'review', 'lead'] as const).reduce((a, e) => a + (counts.byKind[kind][e] ?? 0), 0);
      expect(planted, kind).toBeGreaterThanOrEqual(3);
    }
    for (const outcome of SIGNAL_OUTCOMES) expect(counts.signals[outcome], outcome).toBeGreaterThanOrEqual(3);
    for (const decoy of DECOY_TYPES) expect(counts.byDecoy[decoy] ?? 0, decoy).toBeGreaterThanOrEqual(3);
    for (const bad of BAD_ROW_TYPES) expect(counts.byBad[bad] ?? 0, bad).toBeGreaterThanOrEqual(1);
    expect(Object.values(counts.byBad).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(8);
    for (const format of ID_FORMATS) expect(counts.byIdFormat[format] ?? 0, format).toBeGreaterThanOrEqual(1);
  });

  it('gives every planted exact-ID record the number of a registry person, however the department wrote it', () => {
    const matched = truth.records.filter((r) => r.status !== undefined);
    expect(matched.length).toBeGreaterThan(100);
    for (const r of truth.records) {
      if (['stop', 'review', 'lead', 'claim_prompt', 'none'].includes(r.expected) || r.bad) {
        expect(r.status, `${r.file}:${r.line}`).toBeDefined();
      }
    }
    const rows = new Map([...rowsByFile.values()].flat().map((row) => [`${row.file}:${row.line}`, row]));
    for (const r of matched) {
      const person = registry.get(r.id_number_hash_input!);
      expect(person, `${r.file}:${r.line}`).toBeDefined();
      expect(person!.status).toBe(r.status);
      const raw = rows.get(`${r.file}:${r.line}`)!.fields?.id_number;
      if (raw === undefined) continue; // an unreadable bad row
      const v = validateIdNumber(String(raw), { today: AS_OF });
      expect(v.ok && v.idNumber).toBe(r.id_number_hash_input);
      expect(String(raw) !== r.id_number_hash_input).toBe(r.id_format !== undefined);
    }
  });

  it('gives ID decoys numbers nobody in the registry has: invalid or one digit away, or a namesake', () => {
    const rows = new Map([...rowsByFile.values()].flat().map((row) => [`${row.file}:${row.line}`, row]));
    const digitsApart = (a: string, b: string): number =>
      Array.from(a.slice(0, 17)).filter((c, i) => c !== b[i]).length;
    for (const r of truth.records) {
      const row = rows.get(`${r.file}:${r.line}`)!;
      if (!row.fields) continue; // an unreadable bad row
      const raw = String(row.fields.id_number);
      const name = String(row.fields.name);
      if (r.decoy === 'invalid_id') {
        expect(validateIdNumber(raw, { today: AS_OF }).ok).toBe(false);
        expect(r.expected).toBe('quarantine');
        expect(digitsApart(raw, r.decoy_of!)).toBe(1);
        expect(name).toBe(registry.get(r.decoy_of!)!.name);
      }
      if (r.expected === 'unmatched') {
        const v = validateIdNumber(raw, { today: AS_OF });
        expect(v.ok && v.idNumber).toBe(r.id_number_hash_input);
        expect(registry.has(r.id_number_hash_input!), `${r.file}:${r.line}`).toBe(false);
        expect(r.status).toBeUndefined();
      }
      if (r.decoy === 'near_miss_valid') {
        expect(digitsApart(raw, r.decoy_of!)).toBe(1);
        expect(name).toBe(registry.get(r.decoy_of!)!.name);
      }
      if (r.decoy === 'same_name') {
        expect(name).toBe(registry.get(r.decoy_of!)!.name);
        expect(raw).not.toBe(r.decoy_of);
      }
    }
  });

  it('puts the bad rows exactly where the ground truth says, and nowhere else', () => {
    const truthByLine = byLine();
    for (const [, rows] of rowsByFile) {
      const spec = Object.values(FEED_SPECS).find((s) => s.file === rows[0]!.file)!;
      for (const row of rows) {
        const t = truthByLine.get(`${row.file}:${row.line}`)!;
        const problems: string[] = [];
        if (row.unreadable) problems.push(row.unreadable);
        else {
          const f = row.fields!;
          for (const c of spec.pastDates) if (String(f[c]) > AS_OF) problems.push(`future_date:${c}`);
          for (const c of spec.amounts) {
            const v = f[c];
            const text = String(v);
            if (spec.format === 'jsonl' && typeof v !== 'number') problems.push(`non_numeric_amount:${c}`);
            else if (/^-\d+$/.test(text)) problems.push(`negative_amount:${c}`);
            else if (!/^\d+$/.test(text)) problems.push(`non_numeric_amount:${c}`);
          }
          if (!validateIdNumber(String(f.id_number), { today: AS_OF }).ok) problems.push('invalid_id:id_number');
        }
        const expected = t.bad
          ? [t.column ? `${t.bad}:${t.column}` : t.bad]
          : t.decoy === 'invalid_id'
            ? ['invalid_id:id_number']
            : [];
        expect(problems, `${row.file}:${row.line}`).toEqual(expected);
        expect(t.expected === 'quarantine').toBe(expected.length > 0);
      }
    }
  });

  it('agrees with a reference evaluation of the documented rules on every row (recall and precision 1.0)', () => {
    const T_MED = MEDICAL_SELF_PAID_LEAD_FEN;
    const windowAfter = truth.rules.medicalWindow as { after: string; through: string };
    const isRecipient = (s: AssistanceStatus) => (RECIPIENT_STATUSES as readonly string[]).includes(s);
    const isLeadable = (s: AssistanceStatus) => (LEAD_STATUSES as readonly string[]).includes(s);
    const truthByLine = byLine();

    // Step 1: quarantine and match, as an ingest would.
    type Good = { row: Row; id: string; person?: RegistryPerson };
    const good: Good[] = [];
    const verdict = new Map<string, { expected: Expected; signals: SignalOutcome[]; unmatchedLead?: boolean }>();
    for (const name of FEED_NAMES) {
      const spec = FEED_SPECS[name];
      for (const row of rowsByFile.get(spec.file)!) {
        const key = `${row.file}:${row.line}`;
        const f = row.fields;
        const v = f ? validateIdNumber(String(f.id_number), { today: AS_OF }) : undefined;
        const bad =
          !f ||
          !v!.ok ||
          spec.pastDates.some((c) => String(f[c]) > AS_OF) ||
          spec.amounts.some(
            (c) => !/^\d+$/.test(String(f[c])) || (spec.format === 'jsonl' && typeof f[c] !== 'number'),
          );
        if (bad) verdict.set(key, { expected: 'quarantine', signals: [] });
        else
          good.push({
            row,
            id: (v as { idNumber: string }).idNumber,
            person: registry.get((v as { idNumber: string }).idNumber),
          });
      }
    }
    // Step 2: the medical sums per number over the window.
    const medicalSum = new Map<string, number>();
    for (const g of good) {
      const f = g.row.fields!;
      if (g.row.file !== FEED_SPECS.medical.file) continue;
      const date = String(f.settlement_date);
      if (date > windowAfter.after && date <= windowAfter.through) {
        medicalSum.set(g.id, (medicalSum.get(g.id) ?? 0) + Number(f.self_paid_fen));
      }
    }
    const inWindow = (f: Record<string, string | number>) =>
      String(f.settlement_date) > windowAfter.after && String(f.settlement_date) <= windowAfter.through;
    // Step 3: the rules.
    for (const { row, id, person } of good) {
      const f = row.fields!;
      const key = `${row.file}:${row.line}`;
      const file = row.file;
      if (!person) {
        const unmatchedLead =
          file === FEED_SPECS.disability.file
            ? Number(f.disability_grade) <= 2
            : file === FEED_SPECS.medical.file
              ? inWindow(f) && (medicalSum.get(id) ?? 0) >= T_MED
              : false;
        verdict.set(key, { expected: 'unmatched', signals: [], unmatchedLead });
        continue;
      }
      const r = isRecipient(person.status);
      const l = isLeadable(person.status);
      let signals: SignalOutcome[] = [];
      if (file === FEED_SPECS.deaths.file || file === FEED_SPECS.cremations.file) {
        if (r) signals = ['stop', 'claim_prompt'];
        else if (l && person.breadwinner) signals = ['lead'];
      } else if (file === FEED_SPECS.detentions.file) {
        if (r && (STOPPING_CUSTODY_TYPES as readonly string[]).includes(String(f.custody_type))) signals = ['stop'];
      } else if (file === FEED_SPECS.vehicles.file) {
        if (r && !EXEMPT_VEHICLE_TYPES.includes(String(f.vehicle_type))) signals = ['review'];
      } else if (file === FEED_SPECS.realEstate.file || file === FEED_SPECS.business.file) {
        if (r) signals = ['review'];
      } else if (file === FEED_SPECS.wages.file) {
        if (r && Number(f.monthly_wage_fen) >= WAGE_REVIEW_THRESHOLD_FEN) signals = ['review'];
      } else if (file === FEED_SPECS.medical.file) {
        if (l && inWindow(f) && (medicalSum.get(id) ?? 0) >= T_MED) signals = ['lead'];
      } else if (file === FEED_SPECS.disability.file) {
        if (l && Number(f.disability_grade) <= 2) signals = ['lead'];
      }
      verdict.set(key, { expected: signals[0] ?? 'none', signals });
    }

    const mismatches: string[] = [];
    for (const [key, v] of verdict) {
      const t = truthByLine.get(key)!;
      const same =
        t.expected === v.expected &&
        JSON.stringify(t.signals) === JSON.stringify(v.signals) &&
        (v.unmatchedLead === undefined || t.unmatched_lead === v.unmatchedLead);
      if (!same)
        mismatches.push(`${key} truth=${t.expected}/${t.signals.join('+')} rules=${v.expected}/${v.signals.join('+')}`);
    }
    expect(mismatches).toEqual([]);
    expect(verdict.size).toBe(truth.records.length);
  });

  it('keeps every single medical settlement below the threshold, so only a sum can raise a lead', () => {
    const rows = rowsByFile.get(FEED_SPECS.medical.file)!;
    const truthByLine = byLine();
    for (const row of rows) {
      const v = row.fields?.self_paid_fen;
      if (typeof v === 'number' && v >= 0) {
        const t = truthByLine.get(`${row.file}:${row.line}`)!;
        if (!t.bad) expect(v).toBeLessThan(MEDICAL_SELF_PAID_LEAD_FEN);
      }
    }
    // Records of one lead share one event: the engine raises one lead per person.
    const leads = truth.records.filter((r) => r.kind === 'medical' && r.expected === 'lead');
    const events = new Set(leads.map((r) => r.event));
    expect(events.size).toBeLessThan(leads.length);
    for (const e of events) {
      const ids = new Set(leads.filter((r) => r.event === e).map((r) => r.id_number_hash_input));
      expect(ids.size).toBe(1);
    }
  });
});
