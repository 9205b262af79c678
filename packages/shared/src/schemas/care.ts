import { z } from 'zod';
import { IsoDate, RegionCode, Text } from './common';
import { GpsPosition, LeadPhotoInput } from './leads';
import type { Role } from './roles';

/** The household categories a care plan can cover (the kind of an active enrolment). */
export const CareCategory = z.enum(['tekun', 'dibao', 'dibao_edge']);
export type CareCategory = z.infer<typeof CareCategory>;
/** What the visitor found. */
export const CareFinding = z.enum(['well', 'needs_help', 'not_home']);
export type CareFinding = z.infer<typeof CareFinding>;

/** Who configures care plans (the city or a county). */
export const CARE_PLAN_EDITORS: readonly Role[] = ['city_admin', 'county_officer'];
export const CARE_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
export const CARE_VISITORS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];

export const CarePlan = z.object({
  id: Text,
  regionCode: Text,
  category: CareCategory,
  label: Text,
  intervalMonths: z.number().int(),
  isDemo: z.boolean(),
  active: z.boolean(),
});
export type CarePlan = z.infer<typeof CarePlan>;
export const CarePlanList = z.object({ items: z.array(CarePlan) });
export type CarePlanList = z.infer<typeof CarePlanList>;

export const CarePlanInput = z.strictObject({
  regionCode: RegionCode,
  category: CareCategory,
  label: Text.min(1).max(100),
  intervalMonths: z.number().int().min(1).max(12),
  isDemo: z.boolean().default(false),
  active: z.boolean().default(true),
});
export type CarePlanInput = z.input<typeof CarePlanInput>;

/** A household on the care list: when it was last visited and when it is due. */
export const CareDue = z.object({
  householdId: Text,
  householdNo: Text,
  /** The head of household, masked. */
  headName: Text,
  addressMasked: Text,
  regionCode: Text,
  regionName: Text,
  planLabel: Text,
  intervalMonths: z.number().int(),
  lastVisitDate: IsoDate.nullable(),
  dueOn: IsoDate,
  overdue: z.boolean(),
});
export type CareDue = z.infer<typeof CareDue>;
export const CareDueQuery = z.strictObject({
  /** Only households due by this date (default: all). */
  dueBy: IsoDate.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type CareDueQuery = z.infer<typeof CareDueQuery>;
export const CareDuePage = z.object({ items: z.array(CareDue), total: z.number().int() });
export type CareDuePage = z.infer<typeof CareDuePage>;

export const CareVisitInput = z.strictObject({
  householdId: Text.max(64),
  /** When the visit took place (ISO date-time); not in the future. */
  visitedAt: z.iso.datetime({ offset: true }),
  finding: CareFinding,
  notes: Text.min(1).max(2000),
  location: GpsPosition.optional(),
  photos: z.array(LeadPhotoInput).max(4).default([]),
});
export type CareVisitInput = z.input<typeof CareVisitInput>;

export const CareVisit = z.object({
  id: Text,
  householdId: Text,
  regionCode: Text,
  visitedAt: Text,
  visitDate: IsoDate,
  finding: CareFinding,
  notes: Text,
  location: GpsPosition.nullable(),
  photoCount: z.number().int(),
  recordedBy: Text,
});
export type CareVisit = z.infer<typeof CareVisit>;
export const CareVisitList = z.object({ items: z.array(CareVisit) });
export type CareVisitList = z.infer<typeof CareVisitList>;
export const CareVisitListQuery = z.strictObject({ householdId: Text.max(64).optional() });

export const CareStatsQuery = z.strictObject({ region: RegionCode.optional() });
export const CareStatsRow = z.object({
  regionCode: Text,
  regionName: Text,
  /** Households under a care plan. */
  households: z.number().int(),
  /** Past their due date. */
  overdue: z.number().int(),
  /** Visited this month (China time). */
  visitedThisMonth: z.number().int(),
});
export type CareStatsRow = z.infer<typeof CareStatsRow>;
export const CareStats = z.object({
  regionCode: Text,
  regionName: Text,
  rows: z.array(CareStatsRow),
  totals: CareStatsRow.omit({ regionCode: true, regionName: true }),
});
export type CareStats = z.infer<typeof CareStats>;
