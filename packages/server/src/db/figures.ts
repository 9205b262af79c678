import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { inScope } from './scope';

/**
 * A slice of the figures (全市一张图): a region, a month range, and how finely to group the rows
 * (by the first `groupLen` digits of their region code: the region's own length for its total,
 * its children's length for the map). Each module that owns rows counts them for a slice in its
 * own `figures.ts`; the dashboard module only adds them up.
 */
export type FigureSlice = {
  regionCode: string;
  groupLen: number;
  /** First and last month, YYYY-MM. */
  from: string;
  to: string;
  /** China date of "now" for overdue figures. */
  today: string;
};

/** The group key of a row: its region code's first `groupLen` digits. */
export function groupKey(column: string, slice: FigureSlice): RawBuilder<string> {
  return sql<string>`left(${sql.ref(column)}, ${slice.groupLen})`;
}

/** Rows of the slice's region, inside the caller's scope. */
export function inSlice(column: string, slice: FigureSlice): RawBuilder<SqlBool> {
  if (!/^\d+$/.test(slice.regionCode)) throw new Error('Slice region code must be digits');
  return sql<SqlBool>`(${sql.ref(column)} like ${slice.regionCode + '%'} and ${inScope(column)})`;
}

/** First day of the slice's first month and first day after its last month (China dates). */
export function sliceDates(slice: FigureSlice): { start: string; end: string } {
  const y = Number(slice.to.slice(0, 4));
  const m = Number(slice.to.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start: `${slice.from}-01`, end: `${next}-01` };
}

/**
 * What a refresh of the pre-aggregated figures (figures_monthly) recounts: the rows of some regions
 * (the regions rows are filed on, usually villages), or every row (`regions: null`); state figures
 * (on the rolls, overdue) are counted as of `today` and stored under its month.
 */
export type FigureTarget = { regions: string[] | null; today: string };

/** Rows of the refresh's regions (every row for a full refresh). */
export function inTarget(column: string, target: FigureTarget): RawBuilder<SqlBool> {
  if (target.regions === null) return sql<SqlBool>`true`;
  if (target.regions.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(target.regions)})`;
}

/** The figures_monthly columns a module writes (each module its own; the rest stay as they are). */
export type FigureColumn =
  | 'recipient_households'
  | 'recipient_people'
  | 'new_enrolments'
  | 'paid_fen'
  | 'paid_lines'
  | 'leads_issued'
  | 'leads_checked'
  | 'overdue_leads'
  | 'overdue_cases'
  | 'cases_decided'
  | 'decision_working_days'
  | 'claims_paid'
  | 'claims_paid_fen'
  | 'province_records'
  | 'province_accepted'
  | 'province_rejected';

/**
 * `insert into figures_monthly (region_code, month, kind, <columns>) <select> on conflict update`:
 * the select yields rows unique on (region_code, month, kind); another module's columns of the
 * same row are kept.
 */
export function writeFigureRows(columns: FigureColumn[], select: RawBuilder<unknown>): RawBuilder<unknown> {
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const set = sql.join(columns.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
  return sql`insert into figures_monthly (region_code, month, kind, ${cols}) ${select}
             on conflict (region_code, month, kind) do update set ${set}`;
}
