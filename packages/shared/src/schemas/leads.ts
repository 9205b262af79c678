import { z } from 'zod';
import { IsoDate, RegionCode, Text } from './common';
import { RecordFieldLabel } from './exchange';

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
  /** A person's name (part of it), or a whole ID number (exact, by the blind index). */
  q: Text.trim().max(40).optional(),
  /** A region (prefix) inside the caller's own: a township or a village. */
  regionCode: RegionCode.optional(),
  /** The record type of a source record behind the lead (death, vehicle, …). */
  recordType: Text.max(40).optional(),
  /** Issued on or after / on or before (China dates). */
  issuedFrom: IsoDate.optional(),
  issuedTo: IsoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

export const LeadSummary = z.object({
  id: Text,
  leadNo: z.number().int(),
  personName: Text,
  idMasked: Text,
  regionCode: Text,
  regionName: Text,
  /** The rule that raised the lead, in the caller's language. */
  reason: Text,
  status: LeadStatus,
  outcome: LeadOutcome.nullable(),
  attempts: z.number().int(),
  issuedOn: IsoDate,
  dueDate: IsoDate,
  /** Working days from today to the due date: ≥ 0 left, < 0 overdue by that many (open leads). */
  workingDaysLeft: z.number().int(),
  overdue: z.boolean(),
  escalated: z.boolean(),
  escalatedTo: Text.nullable(),
  createdAt: Text,
});
export type LeadSummary = z.infer<typeof LeadSummary>;

export const LeadPage = z.object({ items: z.array(LeadSummary), total: z.number().int() });
export type LeadPage = z.infer<typeof LeadPage>;

/** A source record behind the lead: its kind, date and unprotected fields (no protected values). */
export const LeadSourceRecord = z.object({
  kindCode: Text,
  kindName: Text,
  recordType: Text,
  eventDate: IsoDate,
  data: z.record(Text, z.unknown()),
  /** Labels of the fields in `data`, from the feed catalogue. */
  fields: z.array(RecordFieldLabel),
});
export type LeadSourceRecord = z.infer<typeof LeadSourceRecord>;

export const GpsPosition = z.strictObject({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** Metres (the browser's coords.accuracy). */
  accuracy: z.number().min(0).max(100_000),
});
export type GpsPosition = z.infer<typeof GpsPosition>;

/** A stored photo's own time and place (from its EXIF), null where the original carried none. */
export const PhotoMeta = z.object({
  n: z.number().int(),
  takenAt: Text.nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});
export type PhotoMeta = z.infer<typeof PhotoMeta>;

export const LeadVisit = z.object({
  id: Text,
  visitedAt: Text,
  recordedBy: Text,
  recordedAt: Text,
  notes: Text,
  location: GpsPosition.nullable(),
  outcome: LeadVisitOutcome,
  referralAgency: ReferralAgency.nullable(),
  referralNote: Text.nullable(),
  /** Photos are fetched one by one: /api/leads/:id/visits/:visitId/photos/:n (n = 1..photoCount). */
  photoCount: z.number().int(),
  /** Each photo's own time and place, in order (n = 1..photoCount). */
  photos: z.array(PhotoMeta),
});
export type LeadVisit = z.infer<typeof LeadVisit>;

/** The application filed from a lead (协助申请) and where it stands. */
export const LeadApplication = z.object({
  caseId: Text,
  caseNo: Text,
  /** A CaseStatus. */
  status: Text,
});
export type LeadApplication = z.infer<typeof LeadApplication>;

/** The application form's starting values from a lead's registry household (ID numbers revealed, audited). */
export const LeadPrefill = z.object({
  leadId: Text,
  villageCode: Text,
  address: Text,
  phone: Text,
  members: z.array(
    z.object({
      name: Text,
      idNumber: Text,
      relation: z.enum(['self', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other']),
    }),
  ),
});
export type LeadPrefill = z.infer<typeof LeadPrefill>;

export const LeadDetail = LeadSummary.extend({
  /** The application filed from this lead, if any (the lead stays open until it is decided). */
  application: LeadApplication.nullable(),
  householdId: Text.nullable(),
  householdNo: Text.nullable(),
  addressMasked: Text.nullable(),
  ruleCode: Text,
  sourceRecords: z.array(LeadSourceRecord),
  referralAgency: ReferralAgency.nullable(),
  referralNote: Text.nullable(),
  closedAt: Text.nullable(),
  closedBy: Text.nullable(),
  visits: z.array(LeadVisit),
});
export type LeadDetail = z.infer<typeof LeadDetail>;

export const LeadPhotoInput = z.strictObject({
  /** The image bytes, base64 (JPEG or PNG, recognised by their content, ≤ 2 MB). */
  data: Text.min(1).max(3_000_000),
  /** When the photo was taken, from the original's EXIF DateTimeOriginal (read on the phone). */
  takenAt: z.iso.datetime({ offset: true }).optional(),
  /** Where, from the original's EXIF GPS (WGS-84 degrees); both or neither. */
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});
export type LeadPhotoInput = z.infer<typeof LeadPhotoInput>;

export const LeadVisitInput = z.strictObject({
  /** When the visit took place (ISO date-time); not in the future. */
  visitedAt: z.iso.datetime({ offset: true }),
  notes: Text.trim().min(1).max(2000),
  location: GpsPosition.optional(),
  photos: z.array(LeadPhotoInput).max(LEAD_PHOTO_MAX_COUNT).default([]),
  outcome: LeadVisitOutcome,
  /** Required when the outcome is 'referred'. */
  referralAgency: ReferralAgency.optional(),
  /** The agency's name when referralAgency is 'other'. */
  referralNote: Text.trim().max(200).optional(),
});
export type LeadVisitInput = z.input<typeof LeadVisitInput>;

export const LeadStatsQuery = z.strictObject({ region: RegionCode.optional() });

export const LeadStatsRow = z.object({
  regionCode: Text,
  regionName: Text,
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
  regionCode: Text,
  regionName: Text,
  rows: z.array(LeadStatsRow),
  totals: LeadStatsRow.omit({ regionCode: true, regionName: true }),
});
export type LeadStats = z.infer<typeof LeadStats>;
