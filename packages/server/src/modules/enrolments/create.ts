import { sql, type Transaction } from 'kysely';
import type { AssistanceKind, DeterminedKind, SelfCareTier } from '@jiuzhu/shared';
import { chinaMonth } from '../policy/service';
import { recordAudit } from '../audit/service';
import { findContext } from '../../context';
import type { DB } from '../../db/schema';

/** A covered person: the ID blind index, the registry member when known, and what lists show. */
export type CoveredMember = {
  idHash: string;
  memberId: string | null;
  name: string;
  idMasked: string;
  relation: string;
};

export type NewEnrolment = {
  kind: AssistanceKind;
  householdId: string | null;
  regionCode: string;
  caseId?: string | null;
  source: 'case' | 'import' | 'seed' | 'review';
  importId?: string | null;
  /** An import row's key: the same key again is the same enrolment (a re-import adds nothing). */
  importKey?: string | null;
  personMemberId?: string | null;
  careTier?: SelfCareTier | null;
  approvalDocNo?: string | null;
  approvalDate?: string | null;
  fromMonth: string;
  monthlyAmountFen: number;
  oneOffAmountFen?: number;
  members: CoveredMember[];
  approvalLevel: 'township' | 'county' | 'system';
  reason: 'case_approved' | 'import' | 'seed';
  reviewDueOn?: string | null;
  /** For the demo and the import: when the decision was recorded (default now). */
  at?: Date;
};

/** Bounded statements: PostgreSQL takes at most 65,535 parameters in one. */
const CHUNK = 1000;

/**
 * Stores new enrolments set-based, each with its covered members and its `enrolled` change,
 * recomputes the households' assistance status, and writes one audit row for the batch.
 * Returns the new ids in order.
 */
export async function insertEnrolments(
  trx: Transaction<DB>,
  list: NewEnrolment[],
  /** null: the caller's own audit row covers it (a case's approval). */
  auditAction: string | null = 'enrolment.create',
): Promise<string[]> {
  if (list.length === 0) return [];
  const actor = findContext()?.actor;
  const ids: string[] = [];
  for (let i = 0; i < list.length; i += CHUNK) {
    const part = list.slice(i, i + CHUNK);
    const rows = await trx
      .insertInto('enrolments')
      .values(
        part.map((e) => ({
          case_id: e.caseId ?? null,
          household_id: e.householdId,
          region_code: e.regionCode,
          kind: e.kind,
          monthly_amount_fen: e.monthlyAmountFen,
          one_off_amount_fen: e.oneOffAmountFen ?? 0,
          from_month: e.fromMonth,
          source: e.source,
          import_id: e.importId ?? null,
          import_key: e.importKey ?? null,
          person_member_id: e.personMemberId ?? null,
          care_tier: e.careTier ?? null,
          approval_doc_no: e.approvalDocNo ?? null,
          approval_date: e.approvalDate ?? null,
          review_due_on: e.reviewDueOn ?? null,
          covered_members: e.members.length,
          // A one-off grant (临时救助) is paid once: nothing is due after its month.
          ...(e.kind === 'temporary' ? { status: 'ended' as const, ends_month: nextOf(e.fromMonth) } : {}),
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  const members = list.flatMap((e, i) =>
    dedupe(e.members).map((m) => ({
      enrolment_id: ids[i]!,
      id_hash: m.idHash,
      member_id: m.memberId,
      name: m.name,
      id_masked: m.idMasked,
      relation: m.relation,
    })),
  );
  for (let i = 0; i < members.length; i += CHUNK)
    await trx
      .insertInto('enrolment_members')
      .values(members.slice(i, i + CHUNK))
      .execute();
  const changes = list.map((e, i) => ({
    enrolment_id: ids[i]!,
    seq: 1,
    type: 'enrolled' as const,
    effective_month: e.fromMonth,
    amount_fen: e.monthlyAmountFen,
    one_off_fen: e.oneOffAmountFen ?? 0,
    members: dedupe(e.members).map((m) => m.idHash),
    reason: e.reason,
    approval_level: e.approvalLevel,
    actor_username: actor?.username ?? 'system',
    actor_role: actor?.role ?? null,
    region_code: e.regionCode,
    case_id: e.caseId ?? null,
    import_id: e.importId ?? null,
    ...(e.at ? { at: e.at } : {}),
  }));
  for (let i = 0; i < changes.length; i += CHUNK)
    await trx
      .insertInto('enrolment_changes')
      .values(changes.slice(i, i + CHUNK))
      .execute();
  await recomputeHouseholdStatus(
    trx,
    list.map((e) => e.householdId).filter((h): h is string => h !== null),
  );
  if (auditAction)
    await recordAudit(trx, {
      action: auditAction,
      entity: 'enrolment',
      entityId: ids.length === 1 ? ids[0]! : null,
      regionCode: commonPrefix(list.map((e) => e.regionCode)),
      detail: { enrolments: ids.length, kinds: [...new Set(list.map((e) => e.kind))].sort() },
    });
  return ids;
}

function nextOf(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function dedupe(members: CoveredMember[]): CoveredMember[] {
  const seen = new Set<string>();
  return members.filter((m) => (seen.has(m.idHash) ? false : (seen.add(m.idHash), true)));
}

function commonPrefix(codes: string[]): string {
  let p = codes[0] ?? '';
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * The household's assistance status is derived from its enrolments: the strongest kind
 * (特困 > 低保 > 低保边缘) still paid or to be paid — not ended, or ended/exhausted only from a
 * later month — else none. Temporary assistance gives no status. Written with a registry
 * history row when it changes, in the caller's transaction.
 */
export async function recomputeHouseholdStatus(
  trx: Transaction<DB>,
  householdIds: string[],
  month: string = chinaMonth(),
): Promise<number> {
  const ids = [...new Set(householdIds)];
  let changed = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const result = await sql<{ id: string; region_code: string; old: string; new: string }>`
      with derived as (
        select h.id,
               coalesce((select e.kind from enrolments e
                          where e.household_id = h.id and e.kind <> 'temporary'
                            and (e.ends_month is null or e.ends_month > ${month})
                          order by case e.kind when 'tekun' then 1 when 'dibao' then 2 else 3 end
                          limit 1), 'none') as status,
               h.assistance_status as old
          from households h
         where h.id = any(${part}::uuid[])
      )
      update households h
         set assistance_status = d.status, version = h.version + 1, updated_at = now()
        from derived d
       where h.id = d.id and h.assistance_status <> d.status
      returning h.id, h.region_code, d.old, d.status as new`.execute(trx);
    if (result.rows.length === 0) continue;
    changed += result.rows.length;
    const actor = findContext()?.actor?.username ?? 'system';
    await trx
      .insertInto('registry_history')
      .values(
        result.rows.map((r) => ({
          household_id: r.id,
          region_code: r.region_code,
          actor_username: actor,
          action: 'household.status',
          changes: JSON.stringify([{ field: 'assistanceStatus', old: r.old, new: r.new }]),
        })),
      )
      .execute();
  }
  return changed;
}

/**
 * Enrolments of an approved case, one per decided kind, from `fromMonth`: the case's members are
 * covered (linked to the registry where their ID number is known); 特困 covers the applicant.
 * The one call the case workflow makes when a case is approved.
 */
export async function createEnrolmentsFromCase(
  trx: Transaction<DB>,
  c: { id: string; household_id: string | null; region_code: string; approval_level: 'township' | 'county' },
  kinds: DeterminedKind[],
  fromMonth: string,
): Promise<string[]> {
  const people = await trx
    .selectFrom('case_members as cm')
    .leftJoin('members as m', 'm.id_hash', 'cm.id_hash')
    .select(['cm.n', 'cm.id_hash', 'cm.name', 'cm.id_masked', 'cm.relation', 'm.id as member_id'])
    .where('cm.case_id', '=', c.id)
    .orderBy('cm.n')
    .execute();
  const covered: CoveredMember[] = people.map((p) => ({
    idHash: p.id_hash,
    memberId: p.member_id,
    name: p.name,
    idMasked: p.id_masked,
    relation: p.relation,
  }));
  return insertEnrolments(
    trx,
    kinds.map((k) => ({
      kind: k.kind,
      householdId: c.household_id,
      regionCode: c.region_code,
      caseId: c.id,
      source: 'case',
      personMemberId: k.kind === 'tekun' ? (covered[0]?.memberId ?? null) : null,
      fromMonth,
      monthlyAmountFen: k.monthlyAmountFen,
      oneOffAmountFen: k.oneOffAmountFen,
      members: k.kind === 'tekun' ? covered.slice(0, 1) : covered,
      approvalLevel: c.approval_level,
      reason: 'case_approved',
    })),
    null,
  );
}
