import { z } from 'zod';
import { RegionCode, Text } from './common';
import type { Role } from './roles';

/** The kinds of agency a person can be referred to (转介). */
export const AgencyKind = z.enum([
  'disability_federation',
  'medical_insurance',
  'human_resources',
  'education',
  'health',
  'housing',
  'charity',
  'other',
]);
export type AgencyKind = z.infer<typeof AgencyKind>;
/** sent → accepted → done; refused from sent or accepted. */
export const ReferralStatus = z.enum(['sent', 'accepted', 'done', 'refused']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;
export const ReferralSource = z.enum(['lead', 'household', 'case']);
export type ReferralSource = z.infer<typeof ReferralSource>;

/** Who configures agencies (the city or a county). */
export const AGENCY_EDITORS: readonly Role[] = ['city_admin', 'county_officer'];
/** Who reads referrals of their region. */
export const REFERRAL_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
/** Who sends referrals (a grid worker from the field, staff from a lead, household or case). */
export const REFERRAL_SENDERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];
/** Who records the agency's receipt and outcome (staff, told by the agency). */
export const REFERRAL_RECORDERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];

export const Agency = z.object({
  id: Text,
  regionCode: Text,
  kind: AgencyKind,
  name: Text,
  help: Text,
  contact: Text,
  active: z.boolean(),
});
export type Agency = z.infer<typeof Agency>;
export const AgencyList = z.object({ items: z.array(Agency) });
export type AgencyList = z.infer<typeof AgencyList>;

export const AgencyInput = z.strictObject({
  regionCode: RegionCode,
  kind: AgencyKind,
  name: Text.min(1).max(100),
  help: Text.min(1).max(200),
  contact: Text.min(1).max(200),
  active: z.boolean().default(true),
});
export type AgencyInput = z.input<typeof AgencyInput>;

export const ReferralInput = z.strictObject({
  agencyId: Text.max(64),
  source: ReferralSource,
  /** The lead, registry household or case the person comes from (by its id). */
  sourceId: Text.max(64),
  /** What is asked of the agency, for whom (personal data: stored encrypted). */
  request: Text.min(1).max(1000),
  /** When it was sent (the phone's time when recorded offline); default now. */
  sentAt: z.iso.datetime({ offset: true }).optional(),
});
export type ReferralInput = z.infer<typeof ReferralInput>;

export const ReferralActionInput = z.strictObject({
  action: z.enum(['accepted', 'done', 'refused']),
  /** The agency's outcome or reason; required for done and refused. */
  outcome: Text.max(1000).optional(),
});
export type ReferralActionInput = z.infer<typeof ReferralActionInput>;

export const ReferralAction = z.object({
  action: ReferralStatus,
  outcome: Text.nullable(),
  actor: Text,
  at: Text,
});
export type ReferralAction = z.infer<typeof ReferralAction>;

export const ReferralSummary = z.object({
  id: Text,
  referralNo: z.number().int(),
  regionCode: Text,
  regionName: Text,
  agencyId: Text,
  agencyName: Text,
  agencyKind: AgencyKind,
  source: ReferralSource,
  sourceId: Text,
  personName: Text,
  status: ReferralStatus,
  sentAt: Text,
  createdBy: Text,
});
export type ReferralSummary = z.infer<typeof ReferralSummary>;

export const ReferralDetail = ReferralSummary.extend({
  request: Text,
  actions: z.array(ReferralAction),
});
export type ReferralDetail = z.infer<typeof ReferralDetail>;

export const ReferralListQuery = z.strictObject({
  status: ReferralStatus.optional(),
  /** Sent or accepted (still with the agency). */
  open: z.enum(['true', 'false']).optional(),
  agencyId: Text.max(64).optional(),
  leadId: Text.max(64).optional(),
  householdId: Text.max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ReferralListQuery = z.infer<typeof ReferralListQuery>;
export const ReferralPage = z.object({ items: z.array(ReferralSummary), total: z.number().int() });
export type ReferralPage = z.infer<typeof ReferralPage>;

export const ReferralStatsQuery = z.strictObject({ region: RegionCode.optional() });
const Counts = {
  sent: z.number().int(),
  accepted: z.number().int(),
  done: z.number().int(),
  refused: z.number().int(),
  total: z.number().int(),
};
export const ReferralStatsRow = z.object({ regionCode: Text, regionName: Text, ...Counts });
export type ReferralStatsRow = z.infer<typeof ReferralStatsRow>;
export const AgencyStatsRow = z.object({ agencyId: Text, agencyName: Text, kind: AgencyKind, ...Counts });
export type AgencyStatsRow = z.infer<typeof AgencyStatsRow>;
export const ReferralStats = z.object({
  regionCode: Text,
  regionName: Text,
  /** Per child region (or the region itself at village level). */
  rows: z.array(ReferralStatsRow),
  /** Per agency, within the region. */
  agencies: z.array(AgencyStatsRow),
  totals: z.object(Counts),
});
export type ReferralStats = z.infer<typeof ReferralStats>;
export const REFERRAL_STATUSES = ReferralStatus.options;
