/**
 * Counts of a generated city, accumulated batch by batch, for the `jiuzhu seed`
 * report and for the generator's own tests.
 */
import type { AssistanceStatus } from '@jiuzhu/shared';
import type { DivisionRow } from '../modules/regions/divisions';
import { GENERATOR_AS_OF, STATUSES, type GeneratedHousehold } from './city';

export interface Count {
  households: number;
  people: number;
}

export interface CountyCount extends Count {
  /** People in 低保 and 特困 households. */
  recipients: number;
}

export interface CitySummary extends Count {
  byStatus: Record<AssistanceStatus, Count>;
  /** By the county part (first 6 digits) of the household's village code. */
  byCounty: Record<string, CountyCount>;
  /** People among recipients (低保 + 特困) with a disability, a serious illness, aged 60 or more, under 18. */
  recipients: { people: number; disabled: number; seriouslyIll: number; elderly: number; minors: number };
  disabled: number;
  seriouslyIll: number;
}

export function emptySummary(): CitySummary {
  return {
    households: 0,
    people: 0,
    byStatus: Object.fromEntries(STATUSES.map((s) => [s, { households: 0, people: 0 }])) as Record<
      AssistanceStatus,
      Count
    >,
    byCounty: {},
    recipients: { people: 0, disabled: 0, seriouslyIll: 0, elderly: 0, minors: 0 },
    disabled: 0,
    seriouslyIll: 0,
  };
}

/** Age at `asOf` from an 18-digit ID number's birth date. */
function ageFromId(idNumber: string, asOf: string): number {
  const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const years = Number(asOf.slice(0, 4)) - Number(birth.slice(0, 4));
  return asOf.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** Adds households to `summary` (mutated and returned), so a caller can count batches as they stream by. */
export function addToSummary(
  summary: CitySummary,
  households: Iterable<GeneratedHousehold>,
  asOf = GENERATOR_AS_OF,
): CitySummary {
  for (const h of households) {
    const size = h.members.length;
    const isRecipient = h.assistanceStatus === 'dibao' || h.assistanceStatus === 'tekun';
    summary.households += 1;
    summary.people += size;
    const status = summary.byStatus[h.assistanceStatus];
    status.households += 1;
    status.people += size;
    const countyCode = h.regionCode.slice(0, 6);
    const county = (summary.byCounty[countyCode] ??= { households: 0, people: 0, recipients: 0 });
    county.households += 1;
    county.people += size;
    if (isRecipient) county.recipients += size;
    for (const m of h.members) {
      if (m.disability) summary.disabled += 1;
      if (m.seriousIllness) summary.seriouslyIll += 1;
      if (!isRecipient) continue;
      const r = summary.recipients;
      const age = ageFromId(m.idNumber, asOf);
      r.people += 1;
      if (m.disability) r.disabled += 1;
      if (m.seriousIllness) r.seriouslyIll += 1;
      if (age >= 60) r.elderly += 1;
      if (age < 18) r.minors += 1;
    }
  }
  return summary;
}

export function summarize(households: Iterable<GeneratedHousehold>, asOf?: string): CitySummary {
  return addToSummary(emptySummary(), households, asOf);
}

const STATUS_LABELS: Record<AssistanceStatus, string> = {
  dibao: '低保',
  tekun: '特困',
  dibao_edge: '低保边缘',
  low_income: '低收入',
  applicant: '申请中',
  none: '无',
};

const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

/** A plain-text table for the CLI: households and people by status and by county. */
export function formatSummary(summary: CitySummary, divisions: readonly DivisionRow[] = []): string {
  const names = new Map(divisions.map((d) => [d.code, d.name]));
  const lines: string[] = [];
  lines.push(`households ${summary.households}, people ${summary.people}`);
  lines.push('status        households     people');
  for (const s of STATUSES) {
    const c = summary.byStatus[s];
    lines.push(
      `${`${s} ${STATUS_LABELS[s]}`.padEnd(14)}${String(c.households).padStart(10)}${String(c.people).padStart(11)}`,
    );
  }
  const r = summary.recipients;
  lines.push(
    `recipients (低保+特困) ${r.people}: 特困 ${pct(summary.byStatus.tekun.people, r.people)}, ` +
      `disabled ${pct(r.disabled, r.people)}, seriously ill ${pct(r.seriouslyIll, r.people)}, ` +
      `60+ ${pct(r.elderly, r.people)}, under 18 ${pct(r.minors, r.people)}`,
  );
  lines.push('county               households     people  recipients  share');
  for (const [code, c] of Object.entries(summary.byCounty).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const label = `${code} ${names.get(code) ?? ''}`;
    lines.push(
      `${label.padEnd(18)}${String(c.households).padStart(12)}${String(c.people).padStart(11)}` +
        `${String(c.recipients).padStart(12)}${pct(c.people, summary.people).padStart(7)}`,
    );
  }
  return lines.join('\n');
}
