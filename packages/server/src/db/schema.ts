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
  schema_migrations: SchemaMigrationsTable;
}

export type UserRow = Selectable<UsersTable>;
export type RegionRow = Selectable<RegionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
