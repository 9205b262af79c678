import { z } from 'zod';
import { IsoDate, RegionCode } from './common';
import type { Role } from './roles';

/** Who reads the scheme, the roster (masked) and the bills. */
export const INSURANCE_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'finance_officer',
  'insurer',
  'auditor',
];
/** Who configures a policy year's scheme (the city buys the policy). */
export const SCHEME_EDITORS: readonly Role[] = ['city_admin'];
/** Who reads claims: the staff of the region, the insurer (its schemes' claims only), auditors. */
export const CLAIM_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'insurer',
  'auditor',
];
/** Who reports a claim (报案), gives guidance (指导) and receives the materials (收件). */
export const CLAIM_HANDLERS: readonly Role[] = ['township_officer', 'grid_worker', 'insurer'];
/** Who reviews (审核) and pays (赔付): the insurer. */
export const CLAIM_DECIDERS: readonly Role[] = ['insurer'];

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const Fen = z.number().int().min(0).max(100_000_000);
const Bp = z.number().int().min(0).max(10_000);

export const InsuredKind = z.enum(['dibao', 'tekun']);
export const DocumentKind = z.enum([
  'death_certificate',
  'cremation_certificate',
  'medical_records',
  'accident_proof',
  'disability_assessment',
  'beneficiary_bank_account',
  'beneficiary_id',
]);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** The standard cover items; a city may add others with its own code. */
export const STANDARD_COVER_ITEMS = ['death_accident', 'disability_accident', 'death_illness'] as const;
export const CoverItemCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);

export const DisabilityGrade = z.strictObject({
  grade: z.number().int().min(1).max(10),
  /** Share of the item's maximum paid for this grade, in basis points (10000 = all of it). */
  shareBp: Bp,
});

export const CoverItem = z.strictObject({
  code: CoverItemCode,
  /** The item's name as shown (zh-CN); the standard items have translations on the page. */
  name: z.string().trim().min(1).max(40),
  maxFen: Fen,
  /** Disability by grade: the amount is the maximum × the grade's share. */
  grades: z.array(DisabilityGrade).max(10).nullable().default(null),
  /** The materials checklist (指导) for this item. */
  materials: z.array(DocumentKind).min(1).max(7),
});
export type CoverItem = z.infer<typeof CoverItem>;

export const SchemeInput = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    insurer: z.string().trim().min(1).max(80),
    policyNo: z.string().trim().min(1).max(60),
    periodFrom: IsoDate,
    periodTo: IsoDate,
    premiumFen: Fen,
    kinds: z.array(InsuredKind).min(1).max(2),
    coverItems: z.array(CoverItem).min(1).max(12),
    waitingDays: z.number().int().min(0).max(365).default(0),
    /** The city's share of the premium by default (basis points); the county pays the rest. */
    cityShareBp: Bp,
    /** Per county code: the city's share there, when it differs from the default. */
    countyCityShareBp: z.record(z.string().regex(/^\d{6}$/), Bp).default({}),
    /** The insurer's staff accounts: they see this scheme's claims. */
    insurerUsers: z.array(z.string().min(1).max(64)).max(20).default([]),
    note: z.string().trim().max(500).nullable().default(null),
  })
  .refine((s) => s.periodFrom <= s.periodTo, { path: ['periodTo'], message: 'period' })
  .refine((s) => new Set(s.coverItems.map((c) => c.code)).size === s.coverItems.length, {
    path: ['coverItems'],
    message: 'duplicate',
  });
export type SchemeInput = z.infer<typeof SchemeInput>;

export const Scheme = z.object({
  id: z.string(),
  year: z.number().int(),
  version: z.number().int(),
  inForce: z.boolean(),
  insurer: z.string(),
  policyNo: z.string(),
  periodFrom: IsoDate,
  periodTo: IsoDate,
  premiumFen: z.number().int(),
  kinds: z.array(InsuredKind),
  coverItems: z.array(CoverItem),
  waitingDays: z.number().int(),
  cityShareBp: z.number().int(),
  countyCityShareBp: z.record(z.string(), z.number().int()),
  insurerUsers: z.array(z.string()),
  billingRule: z.literal('by_month'),
  isDemo: z.boolean(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Scheme = z.infer<typeof Scheme>;
export const SchemeList = z.object({ items: z.array(Scheme) });
export type SchemeList = z.infer<typeof SchemeList>;

export const RosterQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  /** The date asked about (default: today); insured means covered in that date's month. */
  on: IsoDate.optional(),
  /** A name, or an ID number (matched through its blind index). */
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type RosterQuery = z.infer<typeof RosterQuery>;

export const RosterEntry = z.object({
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  kind: InsuredKind,
  enrolmentId: z.string(),
  /** The first month of the current spell of cover. */
  insuredFrom: Month,
});
export type RosterEntry = z.infer<typeof RosterEntry>;
export const RosterPage = z.object({
  on: IsoDate,
  month: Month,
  schemeId: z.string().nullable(),
  items: z.array(RosterEntry),
  total: z.number().int(),
  byCounty: z.array(z.object({ regionCode: z.string(), regionName: z.string(), insured: z.number().int() })),
});
export type RosterPage = z.infer<typeof RosterPage>;

export const RosterChangesQuery = z.strictObject({ regionCode: RegionCode.optional(), month: Month });
export const RosterChange = z.object({
  change: z.enum(['added', 'removed']),
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  kind: InsuredKind,
});
export type RosterChange = z.infer<typeof RosterChange>;
export const RosterChanges = z.object({ month: Month, items: z.array(RosterChange) });
export type RosterChanges = z.infer<typeof RosterChanges>;

export const BillQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
  /** Bill the months of the policy period up to this month (default: the whole period). */
  through: Month.optional(),
  regionCode: RegionCode.optional(),
});
export const BillLine = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  personMonths: z.number().int(),
  premiumFen: z.number().int(),
  cityFen: z.number().int(),
  countyFen: z.number().int(),
  cityShareBp: z.number().int(),
});
export type BillLine = z.infer<typeof BillLine>;
export const Bill = z.object({
  schemeId: z.string(),
  year: z.number().int(),
  version: z.number().int(),
  isDemo: z.boolean(),
  fromMonth: Month,
  throughMonth: Month,
  premiumPerYearFen: z.number().int(),
  counties: z.array(BillLine),
  total: z.object({
    personMonths: z.number().int(),
    premiumFen: z.number().int(),
    cityFen: z.number().int(),
    countyFen: z.number().int(),
  }),
});
export type Bill = z.infer<typeof Bill>;
/** Who reads the citizens' claim reports from the H5 (报案), matched or not: the region's civil-affairs staff. */
export const CLAIM_REPORT_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
