import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Protector } from '../../crypto/index';
import type { ProvinceRecordType } from './protocol';

/**
 * Fills province_outbox from the enrolments (recipient state per version), enrolment changes,
 * approved payment lines and case decisions. Idempotent: a record is keyed by (type, source id,
 * version) and inserted with `on conflict do nothing`; a second run adds nothing.
 */
export type FillDeps = { db: Kysely<DB>; protector: Protector };

const CHUNK = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Candidate = { type: ProvinceRecordType; sourceId: string; version: number; regionCode: string; month: string };

export function recordIdOf(type: ProvinceRecordType, sourceId: string, version: number): string {
  return `${type}:${sourceId}:v${version}`;
}

const monthOf = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString()).slice(0, 7);

/** The ID number and name of members (decrypted only for the outgoing payload). */
async function people(deps: FillDeps, memberIds: string[]): Promise<Map<string, { idNumber: string; name: string }>> {
  const out = new Map<string, { idNumber: string; name: string }>();
  if (memberIds.length === 0) return out;
  const rows = await deps.db
    .selectFrom('members')
    .select(['id', 'name', 'id_number_enc'])
    .where('id', 'in', [...new Set(memberIds)])
    .execute();
  for (const r of rows)
    out.set(r.id, { idNumber: deps.protector.decrypt(r.id_number_enc, 'member.id_number'), name: r.name });
  return out;
}

/** The person an enrolment pays: its person, else the household head. */
async function enrolmentPeople(deps: FillDeps, enrolmentIds: string[]) {
  const out = new Map<string, { idNumber: string; name: string } | undefined>();
  if (enrolmentIds.length === 0) return out;
  const rows = await deps.db
    .selectFrom('enrolments as e')
    .leftJoin('members as h', (j) => j.onRef('h.household_id', '=', 'e.household_id').on('h.relation', '=', 'head'))
    .select(['e.id', 'e.person_member_id', 'h.id as head_id'])
    .where('e.id', 'in', [...new Set(enrolmentIds)])
    .execute();
  const ids = rows.map((r) => r.person_member_id ?? r.head_id).filter((x): x is string => Boolean(x));
  const ppl = await people(deps, ids);
  for (const r of rows) {
    const m = r.person_member_id ?? r.head_id;
    out.set(r.id, m ? ppl.get(m) : undefined);
  }
  return out;
}

/** Builds the payload of one record from its source rows as they are now (also used on re-send). */
export async function buildPayloads(
  deps: FillDeps,
  type: ProvinceRecordType,
  sourceIds: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  // Source ids are uuids (enrolments) or integers (the rest); anything else has no source row.
  const valid = type === 'recipient' ? UUID : /^\d{1,18}$/;
  sourceIds = sourceIds.filter((id) => valid.test(id));
  if (sourceIds.length === 0) return out;
  if (type === 'recipient') {
    const rows = await deps.db.selectFrom('enrolments').selectAll().where('id', 'in', sourceIds).execute();
    const ppl = await enrolmentPeople(
      deps,
      rows.map((r) => r.id),
    );
    for (const r of rows) {
      const p = ppl.get(r.id);
      out.set(r.id, {
        enrolmentId: r.id,
        kind: r.kind,
        status: r.status,
        fromMonth: r.from_month,
        monthlyAmountFen: r.monthly_amount_fen,
        coveredMembers: r.covered_members,
        regionCode: r.region_code,
        idNumber: p?.idNumber ?? null,
        name: p?.name ?? null,
      });
    }
  } else if (type === 'enrolment_change') {
    const rows = await deps.db
      .selectFrom('enrolment_changes as c')
      .innerJoin('enrolments as e', 'e.id', 'c.enrolment_id')
      .select([
        'c.id',
        'c.enrolment_id',
        'c.seq',
        'c.type',
        'c.effective_month',
        'c.amount_fen',
        'c.region_code',
        'e.kind',
      ])
      .where('c.id', 'in', sourceIds.map(Number))
      .execute();
    const ppl = await enrolmentPeople(
      deps,
      rows.map((r) => r.enrolment_id),
    );
    for (const r of rows) {
      out.set(String(r.id), {
        enrolmentId: r.enrolment_id,
        seq: r.seq,
        changeType: r.type,
        effectiveMonth: r.effective_month,
        amountFen: r.amount_fen,
        kind: r.kind,
        regionCode: r.region_code,
        idNumber: ppl.get(r.enrolment_id)?.idNumber ?? null,
      });
    }
  } else if (type === 'payment') {
    const rows = await deps.db
      .selectFrom('payroll_lines')
      .selectAll()
      .where('id', 'in', sourceIds.map(Number))
      .execute();
    const payees = await people(
      deps,
      rows.map((r) => r.payee_member_id).filter((x): x is string => Boolean(x)),
    );
    const byEnrolment = await enrolmentPeople(
      deps,
      rows.filter((r) => !r.payee_member_id).map((r) => r.enrolment_id),
    );
    for (const r of rows) {
      const p = r.payee_member_id ? payees.get(r.payee_member_id) : byEnrolment.get(r.enrolment_id);
      out.set(String(r.id), {
        lineId: r.id,
        enrolmentId: r.enrolment_id,
        month: r.month,
        lineType: r.line_type,
        kind: r.kind,
        amountFen: r.amount_fen,
        regionCode: r.region_code,
        idNumber: p?.idNumber ?? null,
      });
    }
  } else {
    const rows = await deps.db
      .selectFrom('case_actions as a')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .select(['a.id', 'a.case_id', 'a.to_status', 'a.at', 'a.region_code', 'c.case_no', 'c.applicant_name'])
      .where('a.id', 'in', sourceIds.map(Number))
      .execute();
    const members = await deps.db
      .selectFrom('case_members')
      .select(['case_id', 'n', 'id_enc'])
      .where('case_id', 'in', [...new Set(rows.map((r) => r.case_id))])
      .orderBy('n')
      .execute();
    const applicant = new Map<string, string>();
    for (const m of members) if (!applicant.has(m.case_id)) applicant.set(m.case_id, m.id_enc);
    for (const r of rows) {
      const enc = applicant.get(r.case_id);
      out.set(String(r.id), {
        caseNo: r.case_no,
        decision: r.to_status === 'enrolled' ? 'approved' : 'rejected',
        decidedAt: new Date(r.at).toISOString(),
        regionCode: r.region_code,
        name: r.applicant_name,
        idNumber: enc ? deps.protector.decrypt(enc, 'case_member.id_number') : null,
      });
    }
  }
  return out;
}

/** Source rows with no outbox record yet, a chunk at a time. */
async function candidates(db: Kysely<DB>, type: ProvinceRecordType): Promise<Candidate[]> {
  const missing = (src: ReturnType<typeof sql.raw>, ver: ReturnType<typeof sql.raw>) =>
    sql<SqlBoolish>`not exists (select 1 from province_outbox o where o.type = ${type} and o.source_id = ${src} and o.version = ${ver})`;
  if (type === 'recipient') {
    const rows = await db
      .selectFrom('enrolments as e')
      .select(['e.id', 'e.version', 'e.region_code', 'e.updated_at'])
      .where(missing(sql.raw('e.id::text'), sql.raw('e.version')))
      .orderBy('e.id')
      .limit(CHUNK)
      .execute();
    return rows.map((r) => ({
      type,
      sourceId: r.id,
      version: r.version,
      regionCode: r.region_code,
      month: monthOf(r.updated_at),
    }));
  }
  if (type === 'enrolment_change') {
    const rows = await db
      .selectFrom('enrolment_changes as c')
      .select(['c.id', 'c.region_code', 'c.effective_month'])
      .where(missing(sql.raw('c.id::text'), sql.raw('1')))
      .orderBy('c.id')
      .limit(CHUNK)
      .execute();
    return rows.map((r) => ({
      type,
      sourceId: String(r.id),
      version: 1,
      regionCode: r.region_code,
      month: r.effective_month,
    }));
  }
  if (type === 'payment') {
    const rows = await db
      .selectFrom('payroll_lines as l')
      .innerJoin('payrolls as p', 'p.id', 'l.payroll_id')
      .select(['l.id', 'l.region_code', 'l.month'])
      .where('p.status', '=', 'approved')
      .where(missing(sql.raw('l.id::text'), sql.raw('1')))
      .orderBy('l.id')
      .limit(CHUNK)
      .execute();
    return rows.map((r) => ({ type, sourceId: String(r.id), version: 1, regionCode: r.region_code, month: r.month }));
  }
  const rows = await db
    .selectFrom('case_actions as a')
    .select(['a.id', 'a.region_code', 'a.at'])
    .where('a.to_status', 'in', ['enrolled', 'rejected'])
    .where(missing(sql.raw('a.id::text'), sql.raw('1')))
    .orderBy('a.id')
    .limit(CHUNK)
    .execute();
  return rows.map((r) => ({
    type,
    sourceId: String(r.id),
    version: 1,
    regionCode: r.region_code,
    month: monthOf(r.at),
  }));
}
type SqlBoolish = boolean;

/** Adds the missing records of every type; returns how many were added per type. */
export async function fillProvinceOutbox(deps: FillDeps): Promise<Record<ProvinceRecordType, number>> {
  const added: Record<ProvinceRecordType, number> = { recipient: 0, enrolment_change: 0, payment: 0, case_decision: 0 };
  for (const type of Object.keys(added) as ProvinceRecordType[]) {
    for (;;) {
      const batch = await candidates(deps.db, type);
      if (batch.length === 0) break;
      const payloads = await buildPayloads(
        deps,
        type,
        batch.map((c) => c.sourceId),
      );
      const res = await deps.db
        .insertInto('province_outbox')
        .values(
          batch.map((c) => ({
            record_id: recordIdOf(type, c.sourceId, c.version),
            type,
            source_id: c.sourceId,
            version: c.version,
            region_code: c.regionCode,
            month: c.month,
            payload_enc: deps.protector.encrypt(
              JSON.stringify(payloads.get(c.sourceId) ?? {}),
              'province_outbox.payload',
            ),
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      added[type] += Number(res.numInsertedOrUpdatedRows ?? 0);
      if (batch.length < CHUNK) break;
    }
  }
  return added;
}
