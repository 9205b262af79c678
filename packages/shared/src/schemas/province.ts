import { z } from 'zod';
import { IsoMonth, PageQuery, pageOf, RegionCode, Text } from './common';
import type { Role } from './roles';

/** 福建省社会救助综合服务平台 upload (docs/PROVINCE.md). */
export const PROVINCE_READERS: readonly Role[] = ['city_admin', 'county_officer'];
/** Who re-sends a corrected record. */
export const PROVINCE_SENDERS: readonly Role[] = ['city_admin'];

export const ProvinceRecordType = z.enum(['recipient', 'enrolment_change', 'payment', 'case_decision']);
export const ProvinceRecordStatus = z.enum(['pending', 'sent', 'accepted', 'rejected']);

export const ProvinceSummaryQuery = z.strictObject({ from: IsoMonth.optional(), to: IsoMonth.optional() });
export const ProvinceSummaryRow = z.object({
  type: ProvinceRecordType,
  month: IsoMonth,
  pending: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  total: z.number().int(),
});
export const ProvinceSummary = z.object({
  rows: z.array(ProvinceSummaryRow),
  totals: z.object({
    pending: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    total: z.number().int(),
  }),
});
export type ProvinceSummary = z.infer<typeof ProvinceSummary>;

export const ProvinceBatchRow = z.object({
  batchId: Text,
  sentAt: Text,
  recordCount: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  outcome: z.enum(['answered', 'failed']),
  error: Text.nullable(),
});
export const ProvinceBatchesQuery = PageQuery;
export const ProvinceBatches = pageOf(ProvinceBatchRow);

export const ProvinceRecordsQuery = PageQuery.extend({
  status: ProvinceRecordStatus.optional(),
  type: ProvinceRecordType.optional(),
});
export const ProvinceRecordRow = z.object({
  id: Text,
  recordId: Text,
  type: ProvinceRecordType,
  month: IsoMonth,
  regionCode: RegionCode,
  status: ProvinceRecordStatus,
  attempts: z.number().int(),
  reason: Text.nullable(),
  lastError: Text.nullable(),
  resent: z.number().int(),
});
export type ProvinceRecordRow = z.infer<typeof ProvinceRecordRow>;
export const ProvinceRecords = pageOf(ProvinceRecordRow);
