import { z } from 'zod';
import { RegionCode } from './common';
import { ApplicationInput } from './cases';
import { AssistanceKind } from './policy';

/**
 * The citizen H5 (/m): what a member of the public reads and sends without an account. Figures
 * come from the policy standards in force; the page words them for the public.
 */

/** The conditions of one kind of assistance, with the figures of the standard in force (fen per month). */
export const PublicCondition = z.object({
  kind: AssistanceKind,
  /** The month the standard applies from (YYYY-MM). */
  effectiveMonth: z.string(),
  /** Demo values (not the city's real figures): the page says so. */
  isDemo: z.boolean(),
  /** dibao: the monthly standard per person; tekun: the basic living standard; dibao_edge: the income line; temporary: the usual maximum. */
  amountFen: z.number().int(),
  /** temporary: the maximum in special hardship; tekun: the highest care standard (complete care). */
  secondAmountFen: z.number().int().nullable(),
  /** Residential properties a household may own (beyond which it is not eligible). */
  propertiesAllowed: z.number().int().nullable(),
  /** Public notice days. */
  noticeDays: z.number().int().nullable(),
});
export type PublicCondition = z.infer<typeof PublicCondition>;
export const PublicConditionsQuery = z.strictObject({ region: RegionCode.optional() });
export const PublicConditions = z.object({
  regionName: z.string(),
  items: z.array(PublicCondition),
});
export type PublicConditions = z.infer<typeof PublicConditions>;

/** The village picker: the children of a region (townships of the city, villages of a township). */
export const PublicRegionQuery = z.strictObject({ parent: RegionCode.optional() });
export const PublicRegionList = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string(), level: z.string() })),
});
export type PublicRegionList = z.infer<typeof PublicRegionList>;

const Mobile = z
  .string()
  .trim()
  .regex(/^1\d{10}$/, 'mobile');
/** Ask for a one-time code to confirm the phone on an application. */
export const PhoneCodeBody = z.strictObject({ phone: Mobile });
export type PhoneCodeBody = z.infer<typeof PhoneCodeBody>;

/** A decoded document photo is at most this big; the page compresses to well under it. */
export const CITIZEN_DOCUMENT_MAX = 4;

/** The citizen's application: the minimal form, the phone's one-time code and photos of documents. */
export const CitizenApplicationBody = ApplicationInput.extend({
  phoneCode: z.string().regex(/^\d{6}$/, '6 digits'),
  /** Base64 JPEG/PNG (data: URLs accepted), e.g. 户口簿, 身份证, 诊断证明. */
  documents: z.array(z.string().max(3_000_000)).max(CITIZEN_DOCUMENT_MAX).default([]),
});
export type CitizenApplicationBody = z.infer<typeof CitizenApplicationBody>;

// ---- 报案: a citizen reports the death or accident of an insured family member (issue 17) ----

/** What happened, in the public's words; each maps to a cover item of the scheme. */
export const CitizenClaimEvent = z.enum(['death_illness', 'death_accident', 'disability_accident']);
export type CitizenClaimEvent = z.infer<typeof CitizenClaimEvent>;
export const CitizenClaimRelation = z.enum(['spouse', 'child', 'parent', 'sibling', 'grandchild', 'other']);
export type CitizenClaimRelation = z.infer<typeof CitizenClaimRelation>;

export const CitizenClaimReportBody = z.strictObject({
  reporterName: z.string().trim().min(1).max(40),
  reporterPhone: Mobile,
  phoneCode: z.string().regex(/^\d{6}$/, '6 digits'),
  /** The reporter's relation to the insured person. */
  relation: CitizenClaimRelation,
  insuredName: z.string().trim().min(1).max(40),
  insuredIdNumber: z.string().trim().min(15).max(18),
  eventDate: z.iso.date(),
  eventKind: CitizenClaimEvent,
  description: z.string().trim().min(1).max(500),
});
export type CitizenClaimReportBody = z.infer<typeof CitizenClaimReportBody>;

/** The same answer whether or not the person is insured (no registry oracle). */
export const CitizenClaimReportResult = z.object({ reportNo: z.string(), reportedOn: z.string() });
export type CitizenClaimReportResult = z.infer<typeof CitizenClaimReportResult>;

export const CitizenClaimProgressBody = z.strictObject({
  reportNo: z.string().trim().min(1).max(30),
  phone: Mobile,
  phoneCode: z.string().regex(/^\d{6}$/, '6 digits'),
});
export type CitizenClaimProgressBody = z.infer<typeof CitizenClaimProgressBody>;
/**
 * Where a report stands: `reported` (received, being checked) until staff act on a claim opened
 * from it; then the claim's step. A report that matched no insured person stays `reported`.
 */
export const CitizenClaimProgress = z.object({
  reportNo: z.string(),
  reportedOn: z.string(),
  eventKind: CitizenClaimEvent,
  status: z.enum(['reported', 'guided', 'received', 'approved', 'refused', 'paid']),
  paidOn: z.string().nullable(),
});
export type CitizenClaimProgress = z.infer<typeof CitizenClaimProgress>;

/** Staff's list of citizen reports: matched to a claim or not (to follow up by phone). */
export const CitizenClaimReportQuery = z.strictObject({
  matched: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(40).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type CitizenClaimReportQuery = z.infer<typeof CitizenClaimReportQuery>;
export const CitizenClaimReportRow = z.object({
  id: z.string(),
  reportNo: z.string(),
  reportedAt: z.string(),
  reporterName: z.string(),
  reporterPhoneMasked: z.string(),
  relation: CitizenClaimRelation,
  insuredName: z.string(),
  insuredIdMasked: z.string(),
  eventDate: z.string(),
  eventKind: CitizenClaimEvent,
  description: z.string(),
  regionCode: z.string(),
  claimId: z.string().nullable(),
  claimNo: z.string().nullable(),
});
export type CitizenClaimReportRow = z.infer<typeof CitizenClaimReportRow>;
export const CitizenClaimReportPage = z.object({ items: z.array(CitizenClaimReportRow), total: z.number().int() });
export type CitizenClaimReportPage = z.infer<typeof CitizenClaimReportPage>;
