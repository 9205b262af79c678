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
  bank_account_hash: string | null;
  bank_account_check: 'ok' | 'bad_format' | 'luhn_failed' | null;
  bank_account_iin: string | null;
  bank_account_facts_of: string | null;
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
  // 0070: background imports
  status: Generated<'running' | 'done' | 'failed'>;
  bytes_total: Generated<number>;
  bytes_done: Generated<number>;
  failure: string | null;
  file_path: string | null;
  finished_at: Date | null;
}

// ---- sign-in throttle (0071) ----
export interface LoginThrottleTable {
  key: string;
  failures: number;
  locked_until: Timestamp | null;
  last_failure: DefaultTimestamp;
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

export interface IdempotencyKeysTable {
  actor_id: string;
  idempotency_key: string;
  fingerprint: string;
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
  /** The photo's own time and place from the original's EXIF (0102); null when it had none. */
  taken_at: Date | null;
  latitude: number | null;
  longitude: number | null;
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
  /** The photo's own time and place from the original's EXIF (0102); null when it had none. */
  taken_at: Date | null;
  latitude: number | null;
  longitude: number | null;
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
  case_id: string | null;
  household_id: string | null;
  region_code: string;
  kind: 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';
  monthly_amount_fen: number;
  one_off_amount_fen: Generated<number>;
  from_month: string;
  status: Generated<'active' | 'suspended' | 'gradual_exit' | 'ended'>;
  created_at: DefaultTimestamp;
  source: Generated<'case' | 'import' | 'seed' | 'review'>;
  import_id: string | null;
  import_key: string | null;
  person_member_id: string | null;
  care_tier: 'self' | 'partial' | 'complete' | null;
  approval_doc_no: string | null;
  approval_date: string | null;
  ends_month: string | null;
  review_due_on: string | null;
  covered_members: Generated<number>;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
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

// Citizen H5 (issue 17)
export interface CitizenPhoneCodesTable {
  id: Generated<string>;
  phone_hash: string;
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

// ---- enrolments (modules/enrolments)
export interface EnrolmentMembersTable {
  enrolment_id: string;
  id_hash: string;
  member_id: string | null;
  name: string;
  id_masked: string;
  relation: string;
}

export interface EnrolmentChangesTable {
  id: Generated<number>;
  enrolment_id: string;
  seq: number;
  type: 'enrolled' | 'amount_changed' | 'members_changed' | 'suspended' | 'resumed' | 'gradual_exit_started' | 'ended';
  effective_month: string;
  amount_fen: number | null;
  one_off_fen: number | null;
  members: string[] | null;
  months: number | null;
  reason: string;
  note_enc: string | null;
  approval_level: 'township' | 'county' | 'system';
  actor_username: string;
  actor_role: string | null;
  region_code: string;
  case_id: string | null;
  review_id: string | null;
  signal_id: string | null;
  import_id: string | null;
  at: DefaultTimestamp;
  idempotency_key: string | null;
}

// ---- payroll (modules/payroll, 0040) ----
export interface PayrollFundSharesTable {
  kind: 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';
  central_bp: number;
  provincial_bp: number;
  city_bp: number;
  county_bp: number;
  demo: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export interface PayrollSettingsTable {
  key: string;
  maker_roles: string[];
  checker_roles: string[];
  amount_change_bp: number;
  luhn_prefixes: string[];
  max_payee_age: number;
  demo: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export type BankColumn = {
  field: 'reference' | 'account' | 'name' | 'amount_yuan' | 'amount_fen' | 'id_masked' | 'month' | 'memo';
  header?: string;
  width?: number;
  align?: 'left' | 'right';
};

export interface PayrollBankTemplatesTable {
  bank_code: string;
  name: string;
  bank_names: string[];
  format: 'csv' | 'xlsx' | 'fixed';
  encoding: Generated<'utf8' | 'gbk'>;
  columns: Json<BankColumn[]>;
  fallback: Generated<boolean>;
  demo: Generated<boolean>;
}

export interface PayrollsTable {
  id: Generated<string>;
  payroll_no: Generated<number>;
  month: string;
  region_code: string;
  run_kind: Generated<'regular' | 'supplementary'>;
  status: Generated<'draft' | 'submitted' | 'approved'>;
  line_count: Generated<number>;
  total_fen: ColumnType<string | number, number | undefined, number>;
  built_at: Timestamp | null;
  return_reason: string | null;
  version: Generated<number>;
  created_by: string;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type PayrollLineType = 'regular' | 'back_pay' | 'one_off' | 'emergency' | 'adjustment' | 'reissue';

export interface PayrollLinesTable {
  id: Generated<number>;
  payroll_id: string;
  enrolment_id: string;
  month: string;
  line_type: PayrollLineType;
  kind: 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';
  region_code: string;
  household_id: string | null;
  payee_member_id: string | null;
  account_hash: string | null;
  amount_fen: number;
  central_fen: number;
  provincial_fen: number;
  city_fen: number;
  county_fen: number;
  status: Generated<'pending' | 'paid' | 'failed'>;
  fail_code: string | null;
  failed_at: Timestamp | null;
  reissue_of: number | null;
  /** Adjustment lines: the maker's reason and username. */
  reason: Generated<string | null>;
  created_by: Generated<string | null>;
}

export interface PayrollExceptionsTable {
  id: Generated<number>;
  payroll_id: string;
  code: string;
  enrolment_id: string;
  detail: Json<Record<string, unknown>>;
  status: Generated<'open' | 'accepted'>;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
}

export interface PayrollActionsTable {
  id: Generated<number>;
  payroll_id: string;
  action:
    | 'built'
    | 'submitted'
    | 'approved'
    | 'returned'
    | 'exception_accepted'
    | 'bank_file'
    | 'returns_imported'
    | 'adjustment_added'
    | 'adjustment_removed';
  actor_username: string;
  actor_role: string | null;
  reason: string | null;
  line_count: number;
  total_fen: ColumnType<string | number, number, number>;
  detail: Json<Record<string, unknown>>;
  at: DefaultTimestamp;
}

export interface PayrollBankFilesTable {
  id: Generated<number>;
  payroll_id: string;
  bank_code: string;
  line_count: number;
  total_fen: ColumnType<string | number, number, number>;
  sha256: string;
  made_by: string;
  made_at: DefaultTimestamp;
}

// ---- scheduled reviews (modules/enrolments, issue 9, 0061) ----
export interface ReviewsTable {
  id: Generated<string>;
  enrolment_id: string;
  kind: 'dibao' | 'tekun' | 'dibao_edge';
  region_code: string;
  township_code: string;
  period: string;
  due_on: string;
  interval_months: number | null;
  category: 'unable_to_work' | 'other' | 'single';
  source: Generated<'schedule' | 'signal' | 'staff'>;
  signal_id: string | null;
  status: Generated<'open' | 'surveyed' | 'verified' | 'determined' | 'decided'>;
  decision: 'continue' | 'change_amount' | 'suspend' | 'gradual_exit' | 'end' | null;
  decided_on: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ReviewActionsTable {
  id: Generated<number>;
  review_id: string;
  seq: number;
  type: 'opened' | 'surveyed' | 'verified' | 'determined' | 'decided';
  data_enc: string;
  actor_username: string;
  actor_role: string | null;
  region_code: string;
  at: DefaultTimestamp;
  idempotency_key: string | null;
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
  login_throttle: LoginThrottleTable;
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
  enrolment_members: EnrolmentMembersTable;
  enrolment_changes: EnrolmentChangesTable;
  case_progress_codes: CaseProgressCodesTable;
  schema_migrations: SchemaMigrationsTable;
  // Citizen H5 (issue 17)
  citizen_phone_codes: CitizenPhoneCodesTable;
  // Hardening (issue 11)
  idempotency_keys: IdempotencyKeysTable;
  // ---- insurance (modules/insurance)
  insurance_schemes: InsuranceSchemesTable;
  insurance_claims: InsuranceClaimsTable;
  citizen_claim_reports: CitizenClaimReportsTable;
  insurance_claim_actions: InsuranceClaimActionsTable;
  insurance_claim_documents: InsuranceClaimDocumentsTable;
  insurance_condolence_tasks: InsuranceCondolenceTasksTable;
  payroll_fund_shares: PayrollFundSharesTable;
  payroll_settings: PayrollSettingsTable;
  payroll_bank_templates: PayrollBankTemplatesTable;
  payrolls: PayrollsTable;
  payroll_lines: PayrollLinesTable;
  payroll_exceptions: PayrollExceptionsTable;
  payroll_actions: PayrollActionsTable;
  payroll_bank_files: PayrollBankFilesTable;
  // ---- phone side (issue 17): referrals, routine care visits
  referral_agencies: ReferralAgenciesTable;
  referrals: ReferralsTable;
  referral_actions: ReferralActionsTable;
  care_plans: CarePlansTable;
  care_visits: CareVisitsTable;
  care_visit_photos: CareVisitPhotosTable;
  // Scheduled reviews (issue 9)
  reviews: ReviewsTable;
  review_actions: ReviewActionsTable;
  // ---- province upload (modules/province, 0080)
  province_outbox: ProvinceOutboxTable;
  province_batches: ProvinceBatchesTable;
  // ---- pre-aggregated figures (modules/dashboard, 0090)
  figures_monthly: FiguresMonthlyTable;
  figures_rollup: FiguresMonthlyTable;
  figures_dirty: FiguresDirtyTable;
  figures_state: FiguresStateTable;
}

export type UserRow = Selectable<UsersTable>;
export type RegionRow = Selectable<RegionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type HouseholdRow = Selectable<HouseholdsTable>;
export type MemberRow = Selectable<MembersTable>;

// ---- insurance (modules/insurance)
export interface InsuranceSchemesTable {
  id: Generated<string>;
  city_code: string;
  year: number;
  version: number;
  insurer: string;
  policy_no: string;
  period_from: string;
  period_to: string;
  premium_fen: number;
  kinds: string[];
  cover_items: unknown;
  waiting_days: Generated<number>;
  city_share_bp: number;
  county_city_share_bp: unknown;
  insurer_users: string[];
  billing_rule: Generated<'by_month'>;
  is_demo: Generated<boolean>;
  note: string | null;
  created_by: string;
  created_at: DefaultTimestamp;
}

/** 报案 from the citizen H5 (0103): matched to a claim or kept for staff to follow up. */
export interface CitizenClaimReportsTable {
  id: Generated<string>;
  report_no: string;
  reporter_name_enc: string;
  reporter_phone_enc: string;
  reporter_phone_hash: string;
  relation: 'spouse' | 'child' | 'parent' | 'sibling' | 'grandchild' | 'other';
  insured_name_enc: string;
  id_hash: string;
  id_masked: string;
  event_date: string;
  event_kind: 'death_illness' | 'death_accident' | 'disability_accident';
  description_enc: string;
  claim_id: string | null;
  region_code: string;
  created_at: Generated<Date>;
}

export interface InsuranceClaimsTable {
  id: Generated<string>;
  claim_no: string;
  scheme_id: string;
  region_code: string;
  id_hash: string;
  member_id: string | null;
  enrolment_id: string | null;
  insured_name: string;
  id_masked: string;
  cover_item: string;
  event_date: string;
  event_note: string | null;
  source: 'staff' | 'exchange' | 'citizen';
  feed_record_id: number | null;
  signal_id: string | null;
  status: 'reported' | 'guided' | 'received' | 'approved' | 'refused' | 'paid';
  materials_complete_on: string | null;
  due_on: string | null;
  disability_grade: number | null;
  approved_fen: number | null;
  paid_on: string | null;
  paid_fen: number | null;
  paid_ref: string | null;
  /** Set once by the daily job when the claim passed its clock unpaid (issue 12). */
  escalated_at: Date | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InsuranceClaimActionsTable {
  id: Generated<number>;
  claim_id: string;
  seq: number;
  type: 'reported' | 'guided' | 'received' | 'approved' | 'refused' | 'paid';
  detail: unknown;
  actor_username: string;
  actor_role: string | null;
  at: DefaultTimestamp;
  idempotency_key: string | null;
}

export interface InsuranceClaimDocumentsTable {
  id: Generated<string>;
  claim_id: string;
  kind: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  action_seq: number;
  uploaded_at: DefaultTimestamp;
}

// ---- phone side (issue 17): referrals (modules/referrals), routine care visits (modules/care)
export type AgencyKind =
  | 'disability_federation'
  | 'medical_insurance'
  | 'human_resources'
  | 'education'
  | 'health'
  | 'housing'
  | 'charity'
  | 'other';
export type ReferralStatus = 'sent' | 'accepted' | 'done' | 'refused';

export interface ReferralAgenciesTable {
  id: Generated<string>;
  region_code: string;
  kind: AgencyKind;
  name: string;
  help: string;
  contact: string;
  active: Generated<boolean>;
  created_by: string;
  created_at: DefaultTimestamp;
}

export interface ReferralsTable {
  id: Generated<string>;
  referral_no: ColumnType<string | number, never, never>;
  region_code: string;
  agency_id: string;
  source: 'lead' | 'household' | 'case';
  lead_id: string | null;
  household_id: string | null;
  case_id: string | null;
  person_name: string;
  request_enc: string;
  status: Generated<ReferralStatus>;
  sent_at: Timestamp;
  created_by: string;
  created_at: DefaultTimestamp;
  idempotency_key: string | null;
}

export interface ReferralActionsTable {
  id: Generated<number>;
  referral_id: string;
  action: ReferralStatus;
  outcome_enc: string | null;
  actor_username: string;
  at: DefaultTimestamp;
}

export interface CarePlansTable {
  id: Generated<string>;
  region_code: string;
  category: 'tekun' | 'dibao' | 'dibao_edge';
  label: string;
  interval_months: number;
  is_demo: Generated<boolean>;
  active: Generated<boolean>;
  created_by: string;
  created_at: DefaultTimestamp;
}

export interface CareVisitsTable {
  id: Generated<string>;
  household_id: string;
  region_code: string;
  visited_at: Timestamp;
  visit_date: ColumnType<string, string, string>;
  finding: 'well' | 'needs_help' | 'not_home';
  notes_enc: string;
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  photo_count: Generated<number>;
  recorded_by: string;
  recorded_at: DefaultTimestamp;
  idempotency_key: string | null;
}

export interface CareVisitPhotosTable {
  visit_id: string;
  n: number;
  content_type: 'image/jpeg' | 'image/png';
  size_bytes: number;
  data: Buffer;
  /** The photo's own time and place from the original's EXIF (0102); null when it had none. */
  taken_at: Date | null;
  latitude: number | null;
  longitude: number | null;
}
/** 吊唁走访: the village grid worker's visit after a death opened a claim (issue 12). */
export interface InsuranceCondolenceTasksTable {
  id: Generated<string>;
  claim_id: string;
  region_code: string;
  assigned_to: string | null;
  issued_on: string;
  due_on: string;
  status: Generated<'open' | 'done'>;
  visited_on: string | null;
  family_informed: boolean | null;
  beneficiary_name: string | null;
  beneficiary_relation: string | null;
  beneficiary_id_masked: string | null;
  beneficiary_phone_masked: string | null;
  beneficiary_protected: string | null;
  note: string | null;
  done_by: string | null;
  done_at: Timestamp | null;
  idempotency_key: string | null;
  created_at: DefaultTimestamp;
}
// ---- province upload (modules/province, 0080)
export type ProvinceRecordType = 'recipient' | 'enrolment_change' | 'payment' | 'case_decision';
export interface ProvinceOutboxTable {
  id: Generated<string>;
  record_id: string;
  type: ProvinceRecordType;
  source_id: string;
  version: number;
  region_code: string;
  month: string;
  payload_enc: string;
  status: Generated<'pending' | 'sent' | 'accepted' | 'rejected'>;
  attempts: Generated<number>;
  next_attempt_at: DefaultTimestamp;
  last_error: string | null;
  reason: string | null;
  batch_id: string | null;
  resent: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ProvinceBatchesTable {
  batch_id: string;
  sent_at: DefaultTimestamp;
  record_count: number;
  counties: ColumnType<string[], string[] | undefined, string[]>;
  accepted: Generated<number>;
  rejected: Generated<number>;
  outcome: 'answered' | 'failed';
  error: string | null;
}

// ---- pre-aggregated figures (modules/dashboard/aggregates.ts, 0090); written and read with raw SQL
export interface FiguresMonthlyTable {
  region_code: string;
  month: string;
  kind: Generated<string>;
  recipient_households: Generated<number>;
  recipient_people: Generated<number>;
  new_enrolments: Generated<number>;
  paid_fen: Generated<string>;
  paid_lines: Generated<number>;
  leads_issued: Generated<number>;
  leads_checked: Generated<number>;
  overdue_leads: Generated<number>;
  overdue_cases: Generated<number>;
  cases_decided: Generated<number>;
  decision_working_days: Generated<number>;
  claims_paid: Generated<number>;
  claims_paid_fen: Generated<string>;
  province_records: Generated<number>;
  province_accepted: Generated<number>;
  province_rejected: Generated<number>;
}
export interface FiguresDirtyTable {
  region_code: string;
}
export interface FiguresStateTable {
  id: Generated<number>;
  as_of: string | null;
  refreshed_at: Date | null;
}
