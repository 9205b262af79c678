import { type Kysely } from 'kysely';
import type { CaseStatus, Determination, VerificationReport } from '@jiuzhu/shared';
import type { Config } from '../../config';
import type { Protector } from '../../crypto/index';
import { inScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { chinaMonth } from '../policy/service';
import { proposeDetermination } from './determination';

// What the case service and its steps share: the case row, its actions and members, and the proposal.

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CaseDeps = { db: Kysely<DB>; protector: Protector; config: Pick<Config, 'city'> };

export const ENC = 'case_action.data' as const;

export type CaseRow = Awaited<ReturnType<ReturnType<typeof selectCase>['executeTakeFirstOrThrow']>>;
export type StoredDetermination = Determination & {
  overridden: boolean;
  overrideReason: string;
  proposal?: Determination;
};

export function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export function caseFrom(db: Kysely<DB>) {
  return db
    .selectFrom('cases as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .leftJoin('regions as tw', 'tw.code', 'r.parent_code')
    .where(inScope('c.region_code'));
}

export function selectCase(db: Kysely<DB>, from = caseFrom(db)) {
  return from.selectAll('c').select(['r.name as region_name', 'tw.name as township_name']);
}

export type ActionRow = {
  id: number;
  seq: number;
  action: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor_username: string;
  actor_role: string | null;
  at: Date;
  step_due_on: string | null;
  on_time: boolean | null;
  data: unknown;
  data_enc: string | null;
};

/** Survey figures of the latest recorded survey (from its encrypted content). */
export function latestSurvey(protector: Protector, actions: ActionRow[]) {
  const a = [...actions].reverse().find((x) => x.action === 'record_survey');
  const enc = a?.data_enc ? (JSON.parse(protector.decrypt(a.data_enc, ENC)) as Record<string, unknown>) : {};
  return {
    otherIncomeFen: Number(enc.otherIncomeFen ?? 0),
    medicalCostsFen: Number(enc.medicalCostsFen ?? 0),
    unmetAdl: Number(enc.unmetAdl ?? 0),
  };
}

export async function loadActions(db: Kysely<DB>, caseId: string): Promise<ActionRow[]> {
  return (await db
    .selectFrom('case_actions')
    .select([
      'id',
      'seq',
      'action',
      'from_status',
      'to_status',
      'actor_username',
      'actor_role',
      'at',
      'step_due_on',
      'on_time',
      'data',
      'data_enc',
    ])
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute()) as ActionRow[];
}

export async function loadMembers(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('case_members')
    .select(['n', 'name', 'relation', 'id_hash', 'id_masked', 'sex', 'birth_date'])
    .where('case_id', '=', caseId)
    .orderBy('n')
    .execute();
}

export async function propose(
  db: Kysely<DB>,
  protector: Protector,
  c: CaseRow,
  members: Awaited<ReturnType<typeof loadMembers>>,
  actions: ActionRow[],
): Promise<Determination | null> {
  const report = c.verification ? json<VerificationReport>(c.verification) : null;
  if (!report) return null;
  return proposeDetermination(db, {
    regionCode: c.region_code,
    month: chinaMonth(),
    members: members.map((m) => ({ idHash: m.id_hash, birthDate: m.birth_date, relation: m.relation })),
    report,
    unmetAdl: latestSurvey(protector, actions).unmetAdl,
    emergency: c.emergency,
    staffRelative: c.staff_relative,
  });
}
