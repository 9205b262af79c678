import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegionsTable {
  code: string;
  name: string;
  level: 'city' | 'county' | 'township' | 'village';
  parent_code: string | null;
  child_count: Generated<number>;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  password_hash: string;
  demo_password: Generated<boolean>;
  must_change_password: Generated<boolean>;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  last_seen_at: DefaultTimestamp;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  actor_username: string;
  actor_role: string;
  region_code: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface CalendarOverridesTable {
  date: string;
  is_working_day: boolean;
  note: string;
  updated_by: string;
  updated_at: DefaultTimestamp;
}

type Json<T> = ColumnType<T, string, string>;

export interface HouseholdsTable {
  id: Generated<string>;
  household_no: string;
  region_code: string;
  address_enc: string;
  source_key: string | null;
  assistance_status: Generated<string>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MembersTable {
  id: Generated<string>;
  household_id: string;
  region_code: string;
  name: string;
  id_number_enc: string;
  id_hash: string;
  id_masked: string;
  sex: 'male' | 'female';
  birth_date: string;
  relation: string;
  hukou_type: string;
  phone_enc: string | null;
  bank_account_enc: string | null;
  bank_name: string | null;
  disability_type: string | null;
  disability_grade: number | null;
  disability_cert_enc: string | null;
  serious_illness: string | null;
  work_ability: string;
  adl: Json<Record<string, boolean>>;
  self_care: string;
  school_status: string;
  income: Json<Record<string, number>>;
  assets: Json<Record<string, number>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface RegistryHistoryTable {
  id: Generated<number>;
  household_id: string;
  member_id: string | null;
  region_code: string;
  at: DefaultTimestamp;
  actor_username: string;
  action: string;
  changes: Json<{ field: string; old: unknown; new: unknown }[]>;
}

export interface StaffRelativesTable {
  id: Generated<string>;
  region_code: string;
  staff_name: string;
  staff_position: string;
  staff_user_id: string | null;
  relative_name: string;
  relative_id_enc: string;
  relative_id_hash: string;
  relative_id_masked: string;
  relation: string;
  created_by: string;
  created_at: DefaultTimestamp;
}

export interface RegistryImportsTable {
  id: Generated<string>;
  region_code: string;
  created_by: string;
  file_name: string;
  file_sha256: string;
  dry_run: boolean;
  rows: number;
  households: number;
  valid: number;
  imported: number;
  unchanged: number;
  errors: Json<{ row: number; column: string; reason: string }[]>;
  duration_ms: number;
  created_at: DefaultTimestamp;
}

// ---- data exchange (0007) ----
export interface FeedSourcesTable {
  code: string;
  name_zh: string;
  name_en: string;
  active: Generated<boolean>;
  api_key_hash: string | null;
  api_secret_enc: string | null;
  api_key_created_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

/** A column of a feed record kind (see feed_kinds.columns). */
export type FeedColumnSpec = {
  name: string;
  type: 'text' | 'code' | 'date' | 'month' | 'fen' | 'integer' | 'decimal' | 'region';
  required: boolean;
  values?: string[];
  /** Kept only encrypted (addresses, diagnoses, certificate numbers). */
  protected?: boolean;
  /** Dates: may not lie after the batch's as-of date (event dates; planned dates leave it unset). */
  past?: boolean;
  /** Integers and decimals: inclusive bounds. */
  min?: number;
  max?: number;
  labelZh: string;
  labelEn: string;
};

export interface FeedKindsTable {
  code: string;
  source_code: string;
  name_zh: string;
  name_en: string;
  record_type: string;
  format: 'csv' | 'xlsx' | 'jsonl';
  columns: Json<FeedColumnSpec[]>;
  event_date_column: string;
  builtin: Generated<boolean>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_by: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface FeedBatchesTable {
  id: Generated<string>;
  batch_no: Generated<number>;
  kind_code: string;
  source_code: string;
  channel: 'cli' | 'upload' | 'push';
  file_name: string;
  file_sha256: string;
  file_bytes: Generated<number>;
  encoding: Generated<string>;
  idempotency_key: string | null;
  status: Generated<'loading' | 'loaded' | 'failed'>;
  as_of: ColumnType<string, string | undefined, string>;
  rows_total: Generated<number>;
  rows_loaded: Generated<number>;
  rows_rejected: Generated<number>;
  rows_duplicate: Generated<number>;
  failure: Json<{ reason: string; params?: Record<string, unknown> }> | null;
  duration_ms: number | null;
  created_by: string;
  created_at: DefaultTimestamp;
  loaded_at: Timestamp | null;
}

export interface FeedRecordsTable {
  id: Generated<number>;
  batch_id: string;
  kind_code: string;
  record_type: string;
  line: number;
  record_key: string;
  id_hash: string;
  id_masked: string;
  name: string;
  event_date: ColumnType<string, string, string>;
  data: Json<Record<string, unknown>>;
  protected_enc: string | null;
}

export type FeedStagingTable = Omit<FeedRecordsTable, 'id' | 'kind_code' | 'record_type'>;

export interface FeedErrorsTable {
  batch_id: string;
  line: number;
  column_name: string | null;
  reason: string;
  params: Json<Record<string, unknown>>;
}

/** Push API idempotency keys (0010): claimed with the records' hash before the import. */
export interface FeedPushRequestsTable {
  source_code: string;
  idempotency_key: string;
  body_sha256: string;
  batch_id: string | null;
  created_at: DefaultTimestamp;
}

export interface CollisionRulesTable {
  id: Generated<string>;
  code: string;
  name_zh: string;
  name_en: string;
  active: Generated<boolean>;
  current_version: Generated<number>;
  builtin: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CollisionRuleVersionsTable {
  rule_id: string;
  version: number;
  definition: Json<Record<string, unknown>>;
  note: string | null;
  created_by: string;
  created_at: DefaultTimestamp;
}

export type SignalOutcome = 'review' | 'suspend' | 'stop' | 'claim_prompt' | 'lead';

export interface SignalsTable {
  id: Generated<string>;
  signal_no: Generated<number>;
  rule_id: string;
  rule_version: number;
  outcome: SignalOutcome;
  dedupe_key: string;
  id_hash: string;
  member_id: string | null;
  household_id: string | null;
  region_code: string;
  status: Generated<'open' | 'in_progress' | 'resolved' | 'dismissed'>;
  detail: Json<Record<string, unknown>>;
  batch_id: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  note: string | null;
  handled_by: string | null;
  handled_at: Timestamp | null;
}

export interface SignalRecordsTable {
  signal_id: string;
  record_id: number;
}

export interface CollisionRunsTable {
  id: Generated<string>;
  run_no: Generated<number>;
  batch_id: string | null;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  as_of: ColumnType<string | null, string | null | undefined, string | null>;
  match_cursor: Generated<number>;
  matched: Generated<boolean>;
  records_total: number | null;
  records_matched: number | null;
  rules_total: Generated<number>;
  rules_done: Generated<number>;
  signals_created: Generated<number>;
  records_linked: Generated<number>;
  error: string | null;
  created_by: string;
  created_at: DefaultTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface CollisionMatchesTable {
  run_id: string;
  record_id: number;
  batch_id: string;
  record_type: string;
  id_hash: string;
  member_id: string;
  household_id: string;
  region_code: string;
  assistance_status: string;
}

export type LeadOutcome = 'not_needy' | 'helped_to_apply' | 'referred' | 'already_covered';
export type LeadVisitOutcome = LeadOutcome | 'unreachable';
export type ReferralAgency = 'disability_federation' | 'medical_assistance' | 'education_bureau' | 'other';

export interface LeadsTable {
  id: Generated<string>;
  lead_no: Generated<number>;
  signal_id: string;
  region_code: string;
  member_id: string | null;
  household_id: string | null;
  id_hash: string;
  person_name: string;
  id_masked: string;
  status: Generated<'open' | 'closed'>;
  attempts: Generated<number>;
  issued_on: ColumnType<string, string, string>;
  due_date: ColumnType<string, string, string>;
  escalated_at: Timestamp | null;
  escalated_to: string | null;
  outcome: LeadOutcome | null;
  referral_agency: ReferralAgency | null;
  referral_note: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  created_at: DefaultTimestamp;
}

export interface LeadVisitsTable {
  id: Generated<string>;
  lead_id: string;
  region_code: string;
  visited_at: Timestamp;
  visit_date: ColumnType<string, string, string>;
  recorded_by: string;
  recorded_at: DefaultTimestamp;
  notes_enc: string;
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  outcome: LeadVisitOutcome;
  referral_agency: ReferralAgency | null;
  referral_note: string | null;
  photo_count: Generated<number>;
  idempotency_key: string | null;
}

export interface LeadPhotosTable {
  visit_id: string;
  n: number;
  content_type: 'image/jpeg' | 'image/png';
  size_bytes: number;
  data: Buffer;
}

export interface PolicyStandardsTable {
  id: Generated<string>;
  region_code: string;
  kind: 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';
  effective_month: string;
  version: number;
  params: Json<Record<string, unknown>>;
  demo: Generated<boolean>;
  note: Generated<string>;
  created_by: string;
  created_at: DefaultTimestamp;
}

// ---- applications and cases (0012) ----
export type CaseStatusValue =
  | 'submitted'
  | 'missing_docs'
  | 'accepted'
  | 'verifying'
  | 'verified'
  | 'determined'
  | 'notice'
  | 'pending_approval'
  | 'enrolled'
  | 'rejected';
type DateColumn = ColumnType<string, string, string>;

export interface CasesTable {
  id: Generated<string>;
  case_no: string;
  channel: 'window' | 'grid' | 'citizen';
  lead_id: string | null;
  region_code: string;
  household_id: string | null;
  applicant_name: string;
  applicant_id_hash: string;
  applicant_id_masked: string;
  phone_enc: string;
  phone_masked: string;
  address_enc: string;
  reason_enc: string;
  emergency: Generated<boolean>;
  consent_at: Timestamp;
  staff_relative: Generated<boolean>;
  approval_level: Generated<'township' | 'county'>;
  status: CaseStatusValue;
  step_started_on: DateColumn;
  step_due_on: DateColumn | null;
  accepted_on: DateColumn | null;
  overall_due_on: DateColumn | null;
  missing_documents: ColumnType<string[], string | undefined, string>;
  verification: ColumnType<unknown, string | null | undefined, string | null>;
  determination: ColumnType<unknown, string | null | undefined, string | null>;
  enrolled_from: string | null;
  version: Generated<number>;
  created_by: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CaseMembersTable {
  case_id: string;
  n: number;
  name: string;
  relation: string;
  id_enc: string;
  id_hash: string;
  id_masked: string;
  sex: 'male' | 'female';
  birth_date: DateColumn;
}

export interface CaseActionsTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  action: string;
  from_status: CaseStatusValue | null;
  to_status: CaseStatusValue;
  actor_username: string;
  actor_role: string | null;
  region_code: string;
  at: DefaultTimestamp;
  step_due_on: DateColumn | null;
  on_time: boolean | null;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
  data_enc: string | null;
  idempotency_key: string | null;
}

export interface CasePhotosTable {
  action_id: number;
  n: number;
  content_type: 'image/jpeg' | 'image/png';
  size_bytes: number;
  data: Buffer;
}

export interface CaseNoticesTable {
  id: Generated<string>;
  case_id: string;
  region_code: string;
  display_name: string;
  members: number;
  kinds: string[];
  monthly_amount_fen: number;
  one_off_amount_fen: Generated<number>;
  published_on: DateColumn;
  ends_on: DateColumn;
  objections: Generated<number>;
  status: Generated<'open' | 'closed' | 'withdrawn'>;
  created_at: DefaultTimestamp;
}

export interface EnrolmentsTable {
  id: Generated<string>;
  case_id: string;
  household_id: string | null;
  region_code: string;
  kind: 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';
  monthly_amount_fen: number;
  one_off_amount_fen: Generated<number>;
  from_month: string;
  status: Generated<'active' | 'ended'>;
  created_at: DefaultTimestamp;
}

export interface CaseProgressCodesTable {
  id: Generated<string>;
  case_id: string;
  code_hash: string;
  expires_at: Timestamp;
  attempts: Generated<number>;
  used_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  regions: RegionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  calendar_overrides: CalendarOverridesTable;
  households: HouseholdsTable;
  members: MembersTable;
  registry_history: RegistryHistoryTable;
  staff_relatives: StaffRelativesTable;
  registry_imports: RegistryImportsTable;
  feed_sources: FeedSourcesTable;
  feed_kinds: FeedKindsTable;
  feed_batches: FeedBatchesTable;
  feed_records: FeedRecordsTable;
  feed_staging: FeedStagingTable;
  feed_errors: FeedErrorsTable;
  feed_push_requests: FeedPushRequestsTable;
  collision_rules: CollisionRulesTable;
  collision_rule_versions: CollisionRuleVersionsTable;
  signals: SignalsTable;
  signal_records: SignalRecordsTable;
  collision_runs: CollisionRunsTable;
  collision_matches: CollisionMatchesTable;
  leads: LeadsTable;
  lead_visits: LeadVisitsTable;
  lead_photos: LeadPhotosTable;
  policy_standards: PolicyStandardsTable;
  cases: CasesTable;
  case_members: CaseMembersTable;
  case_actions: CaseActionsTable;
  case_photos: CasePhotosTable;
  case_notices: CaseNoticesTable;
  enrolments: EnrolmentsTable;
  case_progress_codes: CaseProgressCodesTable;
  schema_migrations: SchemaMigrationsTable;
}

export type UserRow = Selectable<UsersTable>;
export type RegionRow = Selectable<RegionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type HouseholdRow = Selectable<HouseholdsTable>;
export type MemberRow = Selectable<MembersTable>;
