import { z } from 'zod';
import { IsoDate, IsoMonth, RegionCode, Text } from './common';
import { ProvinceRecordType } from './province';
import type { Role } from './roles';

/**
 * 全市一张图: the workbench (工作台), the region's figures, the map and the trace.
 * See docs/DASHBOARD.md for what each figure counts.
 */

/** Who reads the figures and the map of their region. */
export const DASHBOARD_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'finance_officer',
  'auditor',
];
/** Who follows a household, case or payment through its whole chain (全流程追踪). */
export const TRACE_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'auditor'];
/** Roles whose workbench also shows the region's headline figures. */
export const WORKBENCH_FIGURE_ROLES: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'auditor'];

/** One to-do on the workbench: how many, how urgent, and the list page that shows them. */
export const WorkbenchTodo = z.object({
  key: z.enum([
    'cases_my_step',
    'cases_overdue',
    /** Citizen applications from the H5 not yet accepted (受理) by the township. */
    'cases_citizen_new',
    'leads_due',
    'leads_overdue',
    'reviews_due',
    'payrolls_to_submit',
    'payrolls_to_approve',
    'claims_open',
    'claims_overdue',
    'bank_returns',
  ]),
  count: z.number().int(),
  tone: z.enum(['normal', 'warning', 'danger']),
  /** The staff app path (with its query) of the list behind the count. */
  link: Text,
});
export type WorkbenchTodo = z.infer<typeof WorkbenchTodo>;

export const HeadlineFigures = z.object({
  recipientHouseholds: z.number().int(),
  recipientPeople: z.number().int(),
  newEnrolments: z.number().int(),
  paidFen: z.number().int(),
  paidPersonTimes: z.number().int(),
  leadsIssued: z.number().int(),
  leadsChecked: z.number().int(),
  overdueCases: z.number().int(),
  overdueLeads: z.number().int(),
  claimsPaidFen: z.number().int(),
  /** Records of the period's months the provincial platform accepted (上传省平台). */
  provinceUploaded: z.number().int(),
});
export type HeadlineFigures = z.infer<typeof HeadlineFigures>;

/**
 * How current the figures are (docs/DASHBOARD.md): while a full recount runs in the background
 * (`recounting`), they are the last counted ones, with the state figures (on the rolls, overdue) as
 * of `asOf` (null: never counted yet).
 */
export const FiguresFreshness = z.object({ recounting: z.boolean(), asOf: IsoDate.nullable() });
export type FiguresFreshness = z.infer<typeof FiguresFreshness>;

export const Workbench = z.object({
  role: Text,
  regionCode: RegionCode,
  regionName: Text,
  todos: z.array(WorkbenchTodo),
  /** This year's headline figures of the caller's region (managers only, else null). */
  figures: HeadlineFigures.nullable(),
  /** Of the figures (null with them). */
  freshness: FiguresFreshness.nullable(),
  from: IsoMonth,
  to: IsoMonth,
});
export type Workbench = z.infer<typeof Workbench>;

export const FiguresQuery = z.strictObject({
  /** Inside the caller's region; the caller's own region when absent. */
  regionCode: RegionCode.optional(),
  /** First and last month of the period; this year by default. */
  from: IsoMonth.optional(),
  to: IsoMonth.optional(),
});
export type FiguresQuery = z.infer<typeof FiguresQuery>;

export const KindFigure = z.object({
  kind: z.enum(['dibao', 'tekun', 'dibao_edge', 'temporary']),
  households: z.number().int(),
  people: z.number().int(),
});

export const TrendPoint = z.object({
  month: IsoMonth,
  newEnrolments: z.number().int(),
  paidFen: z.number().int(),
  paidPersonTimes: z.number().int(),
  leadsIssued: z.number().int(),
  claimsPaidFen: z.number().int(),
  provinceUploaded: z.number().int(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/** The records for the provincial platform of the period's months, of one type. */
export const ProvinceFigure = z.object({
  type: ProvinceRecordType,
  records: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
});
export type ProvinceFigure = z.infer<typeof ProvinceFigure>;

export const Figures = HeadlineFigures.extend({
  regionCode: RegionCode,
  regionName: Text,
  from: IsoMonth,
  to: IsoMonth,
  byKind: z.array(KindFigure),
  /** Mean working days from acceptance to the decision, of the cases decided in the period (null: none). */
  avgDecisionWorkingDays: z.number().nullable(),
  casesDecided: z.number().int(),
  claimsPaid: z.number().int(),
  province: z.array(ProvinceFigure),
  trend: z.array(TrendPoint),
  freshness: FiguresFreshness,
});
export type Figures = z.infer<typeof Figures>;

export const MapFigure = z.enum([
  'recipientHouseholds',
  'recipientPeople',
  'newEnrolments',
  'paidFen',
  'paidPersonTimes',
  'leadsIssued',
  'leadsChecked',
  'overdueCases',
  'overdueLeads',
  'claimsPaidFen',
  'provinceUploaded',
]);
export type MapFigure = z.infer<typeof MapFigure>;

export const MapQuery = FiguresQuery.extend({ figure: MapFigure.default('recipientHouseholds') });
export type MapQuery = z.infer<typeof MapQuery>;

export const MapArea = z.object({ regionCode: RegionCode, regionName: Text, value: z.number().int() });
export const DashboardMap = z.object({
  regionCode: RegionCode,
  regionName: Text,
  level: z.enum(['city', 'county', 'township', 'village']),
  figure: MapFigure,
  from: IsoMonth,
  to: IsoMonth,
  /** The child regions with the figure's value, largest first. */
  areas: z.array(MapArea),
  total: z.number().int(),
  freshness: FiguresFreshness,
});
export type DashboardMap = z.infer<typeof DashboardMap>;

/** One event in a household's, case's or payment's chain. */
export const TraceEvent = z.object({
  at: Text,
  type: z.enum(['lead', 'visit', 'case', 'enrolment', 'payment', 'return', 'claim']),
  /** e.g. the case action or enrolment change type. */
  action: Text,
  actor: Text.nullable(),
  ref: Text,
  /** Link in the staff app, when there is a page for it. */
  link: Text.nullable(),
  amountFen: z.number().int().nullable(),
  month: IsoMonth.nullable(),
});
export type TraceEvent = z.infer<typeof TraceEvent>;

export const Trace = z.object({
  householdId: Text.nullable(),
  householdNo: Text.nullable(),
  regionCode: RegionCode,
  events: z.array(TraceEvent),
});
export type Trace = z.infer<typeof Trace>;
