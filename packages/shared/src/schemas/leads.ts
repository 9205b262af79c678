import { z } from 'zod';
import { IsoDate, RegionCode } from './common';

/** How a lead ends (the outcome of a closing visit). */
export const LeadOutcome = z.enum(['not_needy', 'helped_to_apply', 'referred', 'already_covered']);
export type LeadOutcome = z.infer<typeof LeadOutcome>;
/** A visit's outcome: a closing outcome, or 'unreachable' (the lead stays open, one more attempt). */
export const LeadVisitOutcome = z.enum(['not_needy', 'helped_to_apply', 'referred', 'already_covered', 'unreachable']);
export type LeadVisitOutcome = z.infer<typeof LeadVisitOutcome>;
/** Where a 'referred' lead was sent. */
export const ReferralAgency = z.enum(['disability_federation', 'medical_assistance', 'education_bureau', 'other']);
export type ReferralAgency = z.infer<typeof ReferralAgency>;
export const LeadStatus = z.enum(['open', 'closed']);
export type LeadStatus = z.infer<typeof LeadStatus>;

/** Photo limits of one visit (the server checks the decoded bytes). */
export const LEAD_PHOTO_MAX_BYTES = 2 * 1024 * 1024;
export const LEAD_PHOTO_MAX_COUNT = 4;

export const LeadListQuery = z.strictObject({
  status: LeadStatus.optional(),
  /** Open leads past their due date. */
  overdue: z.enum(['true', 'false']).optional(),
  escalated: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

export const LeadSummary = z.object({
  id: z.string(),
  leadNo: z.number().int(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  /** The rule that raised the lead, in the caller's language. */
  reason: z.string(),
  status: LeadStatus,
  outcome: LeadOutcome.nullable(),
  attempts: z.number().int(),
  issuedOn: IsoDate,
  dueDate: IsoDate,
  /** Working days from today to the due date: ≥ 0 left, < 0 overdue by that many (open leads). */
  workingDaysLeft: z.number().int(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  escalatedTo: z.string().nullable(),
  createdAt: z.string(),
});
export type LeadSummary = z.infer<typeof LeadSummary>;

export const LeadPage = z.object({ items: z.array(LeadSummary), total: z.number().int() });
export type LeadPage = z.infer<typeof LeadPage>;

/** A source record behind the lead: its kind, date and unprotected fields (no protected values). */
export const LeadSourceRecord = z.object({
  kindCode: z.string(),
  kindName: z.string(),
  recordType: z.string(),
  eventDate: IsoDate,
  data: z.record(z.string(), z.unknown()),
});
export type LeadSourceRecord = z.infer<typeof LeadSourceRecord>;

export const GpsPosition = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** Metres (the browser's coords.accuracy). */
  accuracy: z.number().min(0).max(100_000),
});
export type GpsPosition = z.infer<typeof GpsPosition>;

export const LeadVisit = z.object({
  id: z.string(),
  visitedAt: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  notes: z.string(),
  location: GpsPosition.nullable(),
  outcome: LeadVisitOutcome,
  referralAgency: ReferralAgency.nullable(),
  referralNote: z.string().nullable(),
  /** Photos are fetched one by one: /api/leads/:id/visits/:visitId/photos/:n (n = 1..photoCount). */
  photoCount: z.number().int(),
});
export type LeadVisit = z.infer<typeof LeadVisit>;

export const LeadDetail = LeadSummary.extend({
  householdId: z.string().nullable(),
  householdNo: z.string().nullable(),
  addressMasked: z.string().nullable(),
  ruleCode: z.string(),
  sourceRecords: z.array(LeadSourceRecord),
  referralAgency: ReferralAgency.nullable(),
  referralNote: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  visits: z.array(LeadVisit),
});
export type LeadDetail = z.infer<typeof LeadDetail>;

export const LeadPhotoInput = z.strictObject({
  /** The image bytes, base64 (JPEG or PNG, recognised by their content, ≤ 2 MB). */
  data: z.string().min(1).max(3_000_000),
});

export const LeadVisitInput = z.strictObject({
  /** When the visit took place (ISO date-time); not in the future. */
  visitedAt: z.iso.datetime({ offset: true }),
  notes: z.string().trim().min(1).max(2000),
  location: GpsPosition.optional(),
  photos: z.array(LeadPhotoInput).max(LEAD_PHOTO_MAX_COUNT).default([]),
  outcome: LeadVisitOutcome,
  /** Required when the outcome is 'referred'. */
  referralAgency: ReferralAgency.optional(),
  /** The agency's name when referralAgency is 'other'. */
  referralNote: z.string().trim().max(200).optional(),
});
export type LeadVisitInput = z.input<typeof LeadVisitInput>;

export const LeadStatsQuery = z.strictObject({ region: RegionCode.optional() });

export const LeadStatsRow = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  issued: z.number().int(),
  /** Leads with at least one visit. */
  visited: z.number().int(),
  /** Closed with the closing visit on or before the due date. */
  verifiedOnTime: z.number().int(),
  overdueOpen: z.number().int(),
  escalated: z.number().int(),
});
export type LeadStatsRow = z.infer<typeof LeadStatsRow>;

export const LeadStats = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  rows: z.array(LeadStatsRow),
  totals: LeadStatsRow.omit({ regionCode: true, regionName: true }),
});
export type LeadStats = z.infer<typeof LeadStats>;
