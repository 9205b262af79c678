import type { Transaction } from 'kysely';
import type {
  AssistanceKind,
  CaseStatus,
  DeterminedKind,
  DetermineBody,
  Role,
  SurveyBody,
  WorkingCalendar,
} from '@jiuzhu/shared';
import type { DB } from '../../../db/schema';
import type { CaseStandards } from '../deadlines';
import { json, type CaseDeps, type CaseRow, type StoredDetermination } from '../case-data';

// One step of the case workflow: from which statuses, who may, and what it writes (the service's perform runs it).

export type StepEnv = {
  trx: Transaction<DB>;
  c: CaseRow;
  today: string;
  calendar: WorkingCalendar;
  standards: CaseStandards;
};

export type StepResult = {
  to: CaseStatus;
  /** Further columns of the case to set with the transition. */
  set?: Record<string, unknown>;
  /** Display-safe content of the action. */
  data?: Record<string, unknown>;
  /** Free text and figures that may hold personal details: stored encrypted. */
  enc?: Record<string, unknown>;
  /** Kinds decided, for the approval clock. */
  kinds?: AssistanceKind[];
  noticeEndsOn?: string;
  /** Writes after the transition is claimed (the action row exists). */
  after?: (trx: Transaction<DB>, actionId: number) => Promise<void>;
};

export type Step = {
  from: readonly CaseStatus[];
  /** Checks that depend on the case and the caller (before the transaction). */
  guard?: (c: CaseRow, role: Role | undefined) => void;
  run: (env: StepEnv) => Promise<StepResult>;
};

export function decidedKinds(c: CaseRow): DeterminedKind[] {
  return c.determination ? json<StoredDetermination>(c.determination).kinds : [];
}

export const note = (text: string | undefined, key = 'note') => (text ? { [key]: text } : {});

export type ActionBodies = {
  request_documents: { documents: string[] };
  accept: { note: string };
  record_survey: SurveyBody;
  record_verification: { note: string };
  determine: DetermineBody;
  publish_notice: { note: string };
  record_objection: { content: string };
  close_notice: { note: string };
  approve: { opinion: string };
  reject: { reasons: string };
  request_review: { reason: string };
  emergency_payment: { amountFen: number; reason: string };
};

/** Each action's step, given its body. */
export type StepTable = { [A in keyof ActionBodies]: (body: ActionBodies[A]) => Step };

/** The steps one file defines. */
export type StepsOf<K extends keyof ActionBodies> = (deps: CaseDeps) => Pick<StepTable, K>;
