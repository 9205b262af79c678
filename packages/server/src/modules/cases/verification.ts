/**
 * The verification report (经济状况核对报告): the household's income, assets, medical spending
 * and status as the departments' feed records show them, each line linked to its record and
 * batch, with the per-capita income and the asset test.
 *
 * What is counted (POLICY.md "Income counted"):
 * - income, monthly: wages (hrss.wages; and wage income declared for income tax, net of the
 *   tax), enterprise and institution pensions, unemployment benefit while paid, labour,
 *   business, property and other income declared for income tax (net of the tax). For each
 *   member and type the latest month's figure is used; when two kinds report the same type
 *   for that month (the same wage seen by social insurance and by tax), the larger one, never
 *   both. Necessary job costs are not in the data: staff enter them through the survey.
 * - not counted: the urban-rural residents' pension (its central basic pension cannot be told
 *   apart from the rest, and it is most of it), farm subsidies (policy subsidies, excluded by
 *   local rules), provident-fund deposits (part of the wage already), and every other kind.
 *   Preferential pensions and assistance money come in no feed.
 * - assets: bank deposits (each bank's latest enquiry), vehicles, real estate and business
 *   registrations. Registrations are ownership, so they are read up to the report date
 *   whatever their age; flows (income, medical, deposits) over the 12 months ending then.
 *   Residential and commercial properties count against the property limit, parking spaces not.
 * - medical: self-paid costs of the 12 months; a twelfth of their sum is the monthly medical
 *   cost, added to what the survey found beyond the data.
 * - status: deaths, cremations, and custody not yet ended (prison, compulsory rehabilitation,
 *   detention), read whatever their age.
 *
 * Kinds are data: a kind maps by its record type when it has the columns the rule reads, or,
 * added by an admin under another record type, when its columns are exactly a built-in kind's.
 */
import { sql, type Kysely } from 'kysely';
import {
  assetTest,
  type AssetLimits,
  type HouseholdAssets,
  type VerificationLine,
  type VerificationReport,
} from '@jiuzhu/shared';
import type { DB, FeedColumnSpec } from '../../db/schema';
import { FEED_KINDS } from '../exchange/service';

type Data = Record<string, unknown>;
type Category = VerificationLine['category'];

/** What a record says once mapped: null = not counted. */
type Mapped = { type: string; subtype?: string; amountFen: number | null } | null;

type Rule = {
  /** The built-in kind whose layout the rule reads. */
  builtin: string;
  recordType: string;
  category: Category;
  /** Columns read (a kind of this record type must have them all). */
  columns: string[];
  /**
   * year: records of the 12 months; ever: up to the report date (ownership and status).
   */
  window: 'year' | 'ever';
  /**
   * latest: per member and type, the latest month's records (month column, else the event date's);
   * enquiry: per member and group column, the records of the latest event date; all: every record.
   */
  pick: { by: 'latest'; monthColumn?: string } | { by: 'enquiry'; groupColumn: string } | { by: 'all' };
  map: (d: Data, eventDate: string, asOf: string) => Mapped;
};

const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const TAX_INCOME_TYPES: Record<string, string> = {
  wage: 'wage',
  labour: 'labour_income',
  business: 'business_income',
  property_rent: 'property_income',
  other: 'other_income',
};

/** Vehicle classes named as the asset limits' exempt types are (GA/T 16.4 letters; X99 = the generator's wheelchair car). */
export function vehicleClass(code: string): string {
  if (code === 'X99') return 'disability_vehicle';
  switch (code.charAt(0)) {
    case 'M':
      return 'motorcycle';
    case 'T':
    case 'N':
      return 'agricultural';
    case 'H':
    case 'Q':
      return 'truck';
    case 'K':
      return 'passenger_car';
    default:
      return code || 'other';
  }
}

const COUNTED_PROPERTY_USAGES = new Set(['residential', 'commercial']);

export const VERIFICATION_RULES: readonly Rule[] = [
  {
    builtin: 'hrss.wages',
    recordType: 'wage',
    category: 'income',
    columns: ['wage_month', 'monthly_wage_fen'],
    window: 'year',
    pick: { by: 'latest', monthColumn: 'wage_month' },
    map: (d) => ({ type: 'wage', amountFen: num(d.monthly_wage_fen) }),
  },
  {
    builtin: 'tax.income',
    recordType: 'tax_income',
    category: 'income',
    columns: ['tax_month', 'income_type', 'income_fen', 'tax_fen'],
    window: 'year',
    pick: { by: 'latest', monthColumn: 'tax_month' },
    map: (d) => {
      const type = TAX_INCOME_TYPES[str(d.income_type)];
      return type ? { type, amountFen: Math.max(0, num(d.income_fen) - num(d.tax_fen)) } : null;
    },
  },
  {
    builtin: 'hrss.pensions',
    recordType: 'pension',
    category: 'income',
    columns: ['pay_month', 'pension_type', 'monthly_pension_fen'],
    window: 'year',
    pick: { by: 'latest', monthColumn: 'pay_month' },
    map: (d) =>
      d.pension_type === 'urban_rural_resident'
        ? null
        : { type: 'pension', subtype: str(d.pension_type), amountFen: num(d.monthly_pension_fen) },
  },
  {
    builtin: 'hrss.unemployment',
    recordType: 'unemployment',
    category: 'income',
    columns: ['status', 'monthly_benefit_fen'],
    window: 'year',
    // The latest registration decides: one that ended the benefit leaves nothing to count.
    pick: { by: 'latest' },
    map: (d) => ({
      type: 'unemployment_benefit',
      amountFen: d.status === 'benefit' ? num(d.monthly_benefit_fen) : 0,
    }),
  },
  {
    builtin: 'banks.deposits',
    recordType: 'deposit',
    category: 'asset',
    columns: ['bank_name', 'account_type', 'balance_fen'],
    window: 'year',
    pick: { by: 'enquiry', groupColumn: 'bank_name' },
    map: (d) => ({ type: 'deposits', subtype: str(d.account_type), amountFen: num(d.balance_fen) }),
  },
  {
    builtin: 'vehicles.registrations',
    recordType: 'vehicle',
    category: 'asset',
    columns: ['vehicle_type', 'purchase_price_fen'],
    window: 'ever',
    pick: { by: 'all' },
    map: (d) => ({ type: 'vehicle', subtype: vehicleClass(str(d.vehicle_type)), amountFen: num(d.purchase_price_fen) }),
  },
  {
    builtin: 'real_estate.registrations',
    recordType: 'property',
    category: 'asset',
    columns: ['usage', 'price_fen'],
    window: 'ever',
    pick: { by: 'all' },
    map: (d) => ({ type: 'property', subtype: str(d.usage), amountFen: num(d.price_fen) }),
  },
  {
    builtin: 'market.business_registrations',
    recordType: 'business',
    category: 'asset',
    columns: ['business_type', 'registered_capital_fen'],
    window: 'ever',
    pick: { by: 'all' },
    map: (d) => ({ type: 'business', subtype: str(d.business_type), amountFen: num(d.registered_capital_fen) }),
  },
  {
    builtin: 'medical_insurance.expenses',
    recordType: 'medical',
    category: 'medical',
    columns: ['self_paid_fen'],
    window: 'year',
    pick: { by: 'all' },
    map: (d) => ({ type: 'self_paid', amountFen: num(d.self_paid_fen) }),
  },
  {
    builtin: 'public_security.deaths',
    recordType: 'death',
    category: 'status',
    columns: [],
    window: 'ever',
    pick: { by: 'all' },
    map: () => ({ type: 'death', amountFen: null }),
  },
  {
    builtin: 'funeral.cremations',
    recordType: 'cremation',
    category: 'status',
    columns: [],
    window: 'ever',
    pick: { by: 'all' },
    map: () => ({ type: 'death', subtype: 'cremation', amountFen: null }),
  },
  {
    builtin: 'public_security.detentions',
    recordType: 'custody',
    category: 'status',
    columns: ['custody_type', 'expected_end_date'],
    window: 'ever',
    pick: { by: 'all' },
    map: (d, _eventDate, asOf) => {
      const end = str(d.expected_end_date);
      if (end && end < asOf) return null;
      const type = str(d.custody_type);
      return { type: type === 'prison' ? 'prison' : 'custody', subtype: type, amountFen: null };
    },
  },
];

const BUILTIN_SHAPES = new Map(FEED_KINDS.map((k) => [k.code, k.columns.map((c) => c.name).join(',')]));

/** The rule a kind maps by (undefined: the kind is not part of the report). */
export function ruleForKind(kind: { record_type: string; columns: readonly FeedColumnSpec[] }): Rule | undefined {
  const names = kind.columns.map((c) => c.name);
  const has = new Set(names);
  const byType = VERIFICATION_RULES.find(
    (r) => r.recordType === kind.record_type && r.columns.every((c) => has.has(c)),
  );
  if (byType) return byType;
  const shape = names.join(',');
  return VERIFICATION_RULES.find((r) => BUILTIN_SHAPES.get(r.builtin) === shape);
}

/** The first day of the 12 months ending at `asOf` (2026-01-15 → 2025-01-16). */
export function yearBefore(asOf: string): string {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  // The same day a year earlier (29 February → the 28th), then the day after it.
  const lastDay = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return new Date(Date.UTC(y - 1, m - 1, Math.min(d, lastDay) + 1)).toISOString().slice(0, 10);
}

export type VerificationMember = { name: string; idHash: string; idMasked: string };

export type VerificationInput = {
  members: VerificationMember[];
  /** The report date (China date): the 12 months end here. */
  asOf: string;
  /** Monthly income the survey found beyond the department data. */
  otherIncomeFen: number;
  /** Monthly medical and disability costs the survey found beyond the department data. */
  medicalCostsFen: number;
  /** The limits of the asset test (the 低保 standard's). */
  assets: AssetLimits;
  note: string;
};

type RecordRow = {
  id: string;
  batch_id: string;
  kind_code: string;
  kind_name: string;
  record_type: string;
  columns: FeedColumnSpec[] | string;
  id_hash: string;
  event_date: string;
  data: Data | string;
};

type Candidate = {
  member: number;
  rule: Rule;
  row: RecordRow;
  data: Data;
  mapped: NonNullable<Mapped>;
};

const CATEGORY_ORDER: Record<Category, number> = { income: 0, asset: 1, medical: 2, status: 3 };

/** Builds the report from the loaded feed records of the members (read-only; no scope: feed records have no region). */
export async function buildVerificationReport(db: Kysely<DB>, input: VerificationInput): Promise<VerificationReport> {
  const { members, asOf } = input;
  if (members.length < 1) throw new RangeError('a household has at least one member');
  const from = yearBefore(asOf);
  const memberOf = new Map<string, number>();
  members.forEach((m, i) => {
    if (!memberOf.has(m.idHash)) memberOf.set(m.idHash, i);
  });
  const rows = (
    await sql<RecordRow>`
      select r.id::text as id, r.batch_id::text as batch_id, r.kind_code, k.name_zh as kind_name, k.record_type,
        k.columns, r.id_hash, r.event_date::text as event_date, r.data
      from feed_records r
      join feed_batches b on b.id = r.batch_id and b.status = 'loaded'
      join feed_kinds k on k.code = r.kind_code
      where r.id_hash in (${sql.join([...memberOf.keys()])}) and r.event_date <= ${asOf}::date
      order by r.id`.execute(db)
  ).rows;

  const rules = new Map<string, Rule | undefined>();
  const candidates: Candidate[] = [];
  for (const row of rows) {
    if (!rules.has(row.kind_code)) {
      const columns = (typeof row.columns === 'string' ? JSON.parse(row.columns) : row.columns) as FeedColumnSpec[];
      rules.set(row.kind_code, ruleForKind({ record_type: row.record_type, columns }));
    }
    const rule = rules.get(row.kind_code);
    if (!rule) continue;
    if (rule.window === 'year' && row.event_date < from) continue;
    const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Data;
    const mapped = rule.map(data, row.event_date, asOf);
    if (!mapped) continue;
    candidates.push({ member: memberOf.get(row.id_hash)!, rule, row, data, mapped });
  }

  const picked = pick(candidates);
  const lines: VerificationLine[] = picked
    .filter((c) => c.rule.category === 'status' || (c.mapped.amountFen ?? 0) > 0)
    .sort(
      (a, b) =>
        a.member - b.member ||
        CATEGORY_ORDER[a.rule.category] - CATEGORY_ORDER[b.rule.category] ||
        a.mapped.type.localeCompare(b.mapped.type) ||
        a.row.event_date.localeCompare(b.row.event_date) ||
        Number(a.row.id) - Number(b.row.id),
    )
    .map((c) => ({
      memberName: members[c.member]!.name,
      idMasked: members[c.member]!.idMasked,
      category: c.rule.category,
      type: c.mapped.type,
      ...(c.mapped.subtype ? { subtype: c.mapped.subtype } : {}),
      amountFen: c.mapped.amountFen,
      eventDate: c.row.event_date,
      kindCode: c.row.kind_code,
      kindName: c.row.kind_name,
      recordId: c.row.id,
      batchId: c.row.batch_id,
    }));

  const sum = (category: Category) =>
    lines.filter((l) => l.category === category).reduce((s, l) => s + (l.amountFen ?? 0), 0);
  const monthlyIncomeFen = sum('income') + input.otherIncomeFen;
  const medicalCostsFen = Math.floor(sum('medical') / 12) + input.medicalCostsFen;
  const assets = assetTest(input.assets, householdAssets(lines, members.length));
  return {
    generatedAt: new Date().toISOString(),
    from,
    to: asOf,
    lines,
    members: members.length,
    monthlyIncomeFen,
    perCapitaIncomeFen: Math.floor(monthlyIncomeFen / members.length),
    medicalCostsFen,
    assets: {
      passed: assets.passed,
      lines: assets.lines.map((l) => ({ key: l.key, values: l.values, passed: l.passed })),
    },
    note: input.note,
  };
}

/** The asset test's inputs from the report's lines (the determination re-tests them against each kind's limits). */
export function householdAssets(lines: readonly VerificationLine[], members: number): HouseholdAssets {
  const assets = lines.filter((l) => l.category === 'asset');
  return {
    members,
    savingsFen: assets.filter((l) => l.type === 'deposits').reduce((s, l) => s + (l.amountFen ?? 0), 0),
    vehicleTypes: assets.filter((l) => l.type === 'vehicle').map((l) => l.subtype ?? 'other'),
    properties: assets.filter((l) => l.type === 'property' && COUNTED_PROPERTY_USAGES.has(l.subtype ?? '')).length,
    hasBusiness: assets.some((l) => l.type === 'business'),
  };
}

/** Applies each rule's pick: the latest month per member and type, the latest enquiry per group, or all. */
function pick(candidates: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const p = c.rule.pick;
    if (p.by === 'all') {
      out.push(c);
      continue;
    }
    const key =
      p.by === 'latest'
        ? `${c.member}|latest|${c.mapped.type}`
        : `${c.member}|enquiry|${c.row.kind_code}|${str(c.data[p.groupColumn])}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const group of groups.values()) {
    if (group[0]!.rule.pick.by === 'enquiry') {
      const last = maxOf(group.map((c) => c.row.event_date));
      out.push(...group.filter((c) => c.row.event_date === last));
    } else out.push(...latestMonth(group));
  }
  return out;
}

const maxOf = (values: string[]) => values.reduce((m, v) => (v > m ? v : m), '');
const later = (a: Candidate, b: Candidate) =>
  b.row.event_date > a.row.event_date || (b.row.event_date === a.row.event_date && Number(b.row.id) > Number(a.row.id))
    ? b
    : a;

/**
 * One member's income of one type: the records of its latest month, from one kind (the one
 * with the larger total, when two kinds report it). A kind with a month column sums that
 * month's records (two employers); one without keeps its latest record only (a registration
 * replaces the one before).
 */
function latestMonth(group: Candidate[]): Candidate[] {
  const monthOf = (c: Candidate) => {
    const col = c.rule.pick.by === 'latest' ? c.rule.pick.monthColumn : undefined;
    return (col ? str(c.data[col]) : '') || c.row.event_date.slice(0, 7);
  };
  const last = maxOf(group.map(monthOf));
  const byKind = new Map<string, Candidate[]>();
  for (const c of group.filter((g) => monthOf(g) === last))
    byKind.set(c.row.kind_code, [...(byKind.get(c.row.kind_code) ?? []), c]);
  let best: Candidate[] = [];
  let bestSum = -1;
  for (const [, cs] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    const p = cs[0]!.rule.pick;
    const chosen = p.by === 'latest' && p.monthColumn ? cs : [cs.reduce(later)];
    const total = chosen.reduce((t, c) => t + (c.mapped.amountFen ?? 0), 0);
    if (total > bestSum) {
      best = chosen;
      bestSum = total;
    }
  }
  return best;
}
