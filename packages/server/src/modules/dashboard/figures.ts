import type { Kysely } from 'kysely';
import {
  addMonths,
  chinaToday,
  regionLevelOf,
  type DashboardMap,
  type Figures,
  type FiguresQuery,
  type HeadlineFigures,
  type MapQuery,
  ProvinceRecordType,
  type ProvinceFigure,
  type TrendPoint,
} from '@jiuzhu/shared';
import { currentScope } from '../../context';
import type { FigureSlice } from '../../db/figures';
import { isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { Forbidden, InvalidField } from '../../errors';
import { freshenForRead, readAggregates, type AggregateRow, type Freshness } from './aggregates';
import { getRegion, listChildren } from '../regions/service';

const KINDS = ['dibao', 'tekun', 'dibao_edge', 'temporary'] as const;

export type Period = { from: string; to: string };

/** The period of a query: this year (January to this month) by default; at most ten years. */
export function periodOf(q: { from?: string; to?: string }, today = chinaToday()): Period {
  const to = q.to ?? today.slice(0, 7);
  const from = q.from ?? `${to.slice(0, 4)}-01`;
  if (from > to || addMonths(from, 120) <= to) throw InvalidField('to', 'dashboard.periodOrder');
  return { from, to };
}

/** The region asked for (the caller's own by default), which must lie inside the caller's region. */
export function regionOf(code: string | undefined, city: string): string {
  const scope = currentScope();
  const region = code ?? (scope.kind === 'region' ? scope.regionCode : city);
  if (!isInScope(region)) throw Forbidden('error.outOfRegion');
  return region;
}

export type GroupFigures = HeadlineFigures & {
  casesDecided: number;
  decisionWorkingDays: number;
  claimsPaid: number;
};

export const emptyFigures = (): GroupFigures => ({
  recipientHouseholds: 0,
  recipientPeople: 0,
  newEnrolments: 0,
  paidFen: 0,
  paidPersonTimes: 0,
  leadsIssued: 0,
  leadsChecked: 0,
  overdueCases: 0,
  overdueLeads: 0,
  claimsPaidFen: 0,
  provinceUploaded: 0,
  casesDecided: 0,
  decisionWorkingDays: 0,
  claimsPaid: 0,
});

/** Asks for the full recount in the background (the routes send FIGURES_RECOUNT_JOB). */
export type RequestRecount = () => Promise<void>;

/** Every figure of a slice, per group (region-code prefix), from the pre-aggregated figures. */
export async function groupFigures(
  db: Kysely<DB>,
  slice: FigureSlice,
  requestRecount: RequestRecount,
): Promise<{ groups: Map<string, GroupFigures>; freshness: Freshness }> {
  const { rows, slice: read, freshness } = await loadSlice(db, slice, requestRecount);
  return { groups: combine(rows, read), freshness };
}

/**
 * The aggregate rows of a slice, brought up to date first unless that needs a full recount (see
 * aggregates.ts). The slice returned is the one read: while the figures wait for a recount, the
 * state figures are those of the day they were counted for (filed under that day's month), not
 * zeros for a month not counted yet.
 */
async function loadSlice(db: Kysely<DB>, slice: FigureSlice, requestRecount: RequestRecount) {
  let due = false;
  const freshness = await freshenForRead(db, slice.today, async () => void (due = true));
  const read = { ...slice, today: freshness.asOf ?? slice.today };
  const rows = await readAggregates(db, read);
  // Sent once the rows are read: on PGlite a job started at once would hold the one connection first.
  if (due) await requestRecount();
  return { rows, slice: read, freshness };
}

const inPeriod = (month: string, slice: FigureSlice) => month >= slice.from && month <= slice.to;

function combine(rows: AggregateRow[], slice: FigureSlice): Map<string, GroupFigures> {
  const out = new Map<string, GroupFigures>();
  const g = (key: string) => {
    let r = out.get(key);
    if (!r) out.set(key, (r = emptyFigures()));
    return r;
  };
  const today = slice.today.slice(0, 7);
  for (const r of rows) {
    const x = g(r.key);
    // State figures (as of today) are filed under today's month; the rolls per kind are only in byKind.
    if (r.month === today && r.kind === '') {
      x.recipientHouseholds += r.recipientHouseholds;
      x.recipientPeople += r.recipientPeople;
      x.overdueCases += r.overdueCases;
      x.overdueLeads += r.overdueLeads;
    }
    if (!inPeriod(r.month, slice)) continue;
    x.newEnrolments += r.newEnrolments;
    x.paidFen += r.paidFen;
    x.paidPersonTimes += r.paidLines;
    x.leadsIssued += r.leadsIssued;
    x.leadsChecked += r.leadsChecked;
    x.casesDecided += r.casesDecided;
    x.decisionWorkingDays += r.decisionWorkingDays;
    x.claimsPaid += r.claimsPaid;
    x.claimsPaidFen += r.claimsPaidFen;
    x.provinceUploaded += r.provinceAccepted;
  }
  return out;
}

export function headline(f: GroupFigures): HeadlineFigures {
  return {
    recipientHouseholds: f.recipientHouseholds,
    recipientPeople: f.recipientPeople,
    newEnrolments: f.newEnrolments,
    paidFen: f.paidFen,
    paidPersonTimes: f.paidPersonTimes,
    leadsIssued: f.leadsIssued,
    leadsChecked: f.leadsChecked,
    overdueCases: f.overdueCases,
    overdueLeads: f.overdueLeads,
    claimsPaidFen: f.claimsPaidFen,
    provinceUploaded: f.provinceUploaded,
  };
}

/** The figures of one region for a period, with the recipients per kind, the province upload and a monthly trend. */
export async function getFigures(
  db: Kysely<DB>,
  city: string,
  q: FiguresQuery,
  requestRecount: RequestRecount,
): Promise<Figures> {
  const today = chinaToday();
  const period = periodOf(q, today);
  const regionCode = regionOf(q.regionCode, city);
  const region = await getRegion(db, regionCode);
  const slice: FigureSlice = { regionCode, groupLen: regionCode.length, ...period, today };
  const { rows, slice: read, freshness } = await loadSlice(db, slice, requestRecount);
  const f = combine(rows, read).get(regionCode) ?? emptyFigures();
  const trend = new Map<string, TrendPoint>();
  for (let m = period.from; m <= period.to; m = addMonths(m, 1))
    trend.set(m, {
      month: m,
      newEnrolments: 0,
      paidFen: 0,
      paidPersonTimes: 0,
      leadsIssued: 0,
      claimsPaidFen: 0,
      provinceUploaded: 0,
    });
  const byKind = new Map<string, { households: number; people: number }>(
    KINDS.map((k) => [k, { households: 0, people: 0 }]),
  );
  const province = new Map<ProvinceFigure['type'], ProvinceFigure>(
    ProvinceRecordType.options.map((type) => [type, { type, records: 0, accepted: 0, rejected: 0 }]),
  );
  const todayMonth = read.today.slice(0, 7);
  for (const r of rows) {
    const kind = byKind.get(r.kind);
    if (kind && r.month === todayMonth) {
      kind.households += r.recipientHouseholds;
      kind.people += r.recipientPeople;
    }
    const t = trend.get(r.month);
    if (!t) continue;
    t.newEnrolments += r.newEnrolments;
    t.paidFen += r.paidFen;
    t.paidPersonTimes += r.paidLines;
    t.leadsIssued += r.leadsIssued;
    t.claimsPaidFen += r.claimsPaidFen;
    t.provinceUploaded += r.provinceAccepted;
    const p = province.get(r.kind as ProvinceFigure['type']);
    if (p) {
      p.records += r.provinceRecords;
      p.accepted += r.provinceAccepted;
      p.rejected += r.provinceRejected;
    }
  }
  return {
    ...headline(f),
    regionCode,
    regionName: region.name,
    ...period,
    byKind: KINDS.map((kind) => ({ kind, ...byKind.get(kind)! })),
    avgDecisionWorkingDays: f.casesDecided > 0 ? Math.round((f.decisionWorkingDays / f.casesDecided) * 10) / 10 : null,
    casesDecided: f.casesDecided,
    claimsPaid: f.claimsPaid,
    province: [...province.values()],
    trend: [...trend.values()],
    freshness,
  };
}

/** One figure per child region of a region (the map's areas, or a township's villages), largest first. */
export async function getMap(
  db: Kysely<DB>,
  city: string,
  q: MapQuery,
  requestRecount: RequestRecount,
): Promise<DashboardMap> {
  const today = chinaToday();
  const period = periodOf(q, today);
  const regionCode = regionOf(q.regionCode, city);
  const region = await getRegion(db, regionCode);
  const children = await listChildren(db, regionCode);
  const level = regionLevelOf(regionCode) ?? 'city';
  // A village has no children: its own figure is the total (its list is the list pages').
  const groupLen = children[0]?.code.length ?? regionCode.length;
  const { groups, freshness } = await groupFigures(db, { regionCode, groupLen, ...period, today }, requestRecount);
  const areas: DashboardMap['areas'] = children.map((c) => ({
    regionCode: c.code,
    regionName: c.name,
    value: groups.get(c.code)?.[q.figure] ?? 0,
  }));
  areas.sort((a, b) => b.value - a.value || a.regionCode.localeCompare(b.regionCode));
  return {
    regionCode,
    regionName: region.name,
    level,
    figure: q.figure,
    ...period,
    areas,
    // Rows are filed on villages, so the children add up to the region.
    total: children.length > 0 ? areas.reduce((a, r) => a + r.value, 0) : (groups.get(regionCode)?.[q.figure] ?? 0),
    freshness,
  };
}
