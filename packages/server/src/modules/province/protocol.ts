import { createHmac, timingSafeEqual } from 'node:crypto';

/** The upload protocol of docs/PROVINCE.md, shared by the sender and the receiver stub. */
export const PROVINCE_RECORD_TYPES = ['recipient', 'enrolment_change', 'payment', 'case_decision'] as const;
export type ProvinceRecordType = (typeof PROVINCE_RECORD_TYPES)[number];

export const SIGNATURE_HEADER = 'x-jiuzhu-signature';

export type ProvinceRecord = { recordId: string; type: ProvinceRecordType; payload: Record<string, unknown> };
export type ProvinceBatch = { batchId: string; sentAt: string; records: ProvinceRecord[] };
export type ProvinceReceipt = { recordId: string; status: 'accepted' | 'rejected'; reason?: string };
export type ProvinceAnswer = { receipts: ProvinceReceipt[] };

/** Fields each record type must carry (non-empty) for the province to accept it. */
export const REQUIRED_FIELDS: Record<ProvinceRecordType, readonly string[]> = {
  recipient: ['enrolmentId', 'kind', 'status', 'regionCode', 'idNumber', 'name'],
  enrolment_change: ['enrolmentId', 'changeType', 'effectiveMonth', 'regionCode', 'idNumber'],
  payment: ['lineId', 'enrolmentId', 'month', 'kind', 'amountFen', 'regionCode', 'idNumber'],
  case_decision: ['caseNo', 'decision', 'decidedAt', 'regionCode', 'idNumber', 'name'],
};

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The reason a record is refused for missing data, or undefined. */
export function missingField(record: ProvinceRecord): string | undefined {
  const fields = REQUIRED_FIELDS[record.type];
  if (!fields) return `unknown type ${String(record.type)}`;
  for (const f of fields) {
    const v = record.payload?.[f];
    if (v === undefined || v === null || v === '') return `missing ${f}`;
  }
  return undefined;
}
