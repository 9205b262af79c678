-- Applications and cases (一窗受理, the case workflow). A case's history is the append-only
-- case_actions log; cases.status and the step columns are derived from it and written in the
-- same transaction as each action, guarded by cases.version (two approvers → one wins).
-- Personal data is stored only encrypted (*_enc) with masks and HMAC blind indexes (*_hash).
create sequence case_no_seq;

create table cases (
  id                  uuid primary key default gen_random_uuid(),
  -- Application number given to the applicant, e.g. SQ2026000123.
  case_no             text not null unique,
  channel             text not null check (channel in ('window', 'grid', 'citizen')),
  lead_id             uuid references leads (id),
  -- The village of the registered address; county and township are its prefixes.
  region_code         text collate "C" not null references regions (code) check (length(region_code) = 12),
  -- The registry household of the applicant, when there is one.
  household_id        uuid references households (id),
  applicant_name      text not null,
  applicant_id_hash   text not null,
  applicant_id_masked text not null,
  phone_enc           text not null,
  phone_masked        text not null,
  address_enc         text not null,
  reason_enc          text not null,
  emergency           boolean not null default false,
  consent_at          timestamptz not null,
  -- 近亲属备案: a member is a registered relative of staff; approval always by the county.
  staff_relative      boolean not null default false,
  approval_level      text not null default 'county' check (approval_level in ('township', 'county')),
  status              text not null check (status in ('submitted', 'missing_docs', 'accepted', 'verifying', 'verified',
                        'determined', 'notice', 'pending_approval', 'enrolled', 'rejected')),
  -- The current step's clock (China dates); due null = no deadline (e.g. waiting for documents).
  step_started_on     date not null,
  step_due_on         date,
  -- The whole case's clock, from acceptance.
  accepted_on         date,
  overall_due_on      date,
  missing_documents   jsonb not null default '[]',
  verification        jsonb,
  determination       jsonb,
  enrolled_from       text,
  version             int not null default 1,
  created_by          text not null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create index cases_region_idx on cases (region_code, status);
create index cases_status_due_idx on cases (status, step_due_on);

create table case_members (
  case_id     uuid not null references cases (id),
  n           int not null check (n >= 1),
  name        text not null,
  relation    text not null,
  id_enc      text not null,
  id_hash     text not null,
  id_masked   text not null,
  sex         text not null check (sex in ('male', 'female')),
  birth_date  date not null,
  primary key (case_id, n)
);
create index case_members_hash_idx on case_members (id_hash);

-- The case's history: one row per action, never updated or deleted. (case_id, seq) is unique,
-- so two concurrent actions on one step cannot both be recorded.
create table case_actions (
  id             bigint generated always as identity primary key,
  case_id        uuid not null references cases (id),
  seq            int not null check (seq >= 1),
  action         text not null,
  from_status    text,
  to_status      text not null,
  actor_username text not null,
  actor_role     text,
  region_code    text collate "C" not null,
  at             timestamptz not null default now(),
  step_due_on    date,
  on_time        boolean,
  -- Display-safe content; free text that may hold health or family details is in data_enc.
  data           jsonb not null default '{}',
  data_enc       text,
  idempotency_key text,
  unique (case_id, seq)
);
create unique index case_actions_idem_idx on case_actions (case_id, idempotency_key) where idempotency_key is not null;

create function case_actions_append_only() returns trigger language plpgsql as $$
begin
  -- The one change allowed: key rotation (jiuzhu keys rotate) re-encrypting data_enc under a new
  -- key, inside a transaction that declares it and touching no other column.
  if tg_op = 'UPDATE' and current_setting('jiuzhu.key_rotation', true) = 'on'
     and (to_jsonb(new) - 'data_enc') = (to_jsonb(old) - 'data_enc') then
    return new;
  end if;
  raise exception 'case_actions is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger case_actions_no_update_delete before update or delete on case_actions
  for each row execute function case_actions_append_only();
create trigger case_actions_no_truncate before truncate on case_actions
  for each statement execute function case_actions_append_only();

create table case_photos (
  action_id    bigint not null references case_actions (id),
  n            int not null check (n between 1 and 4),
  content_type text not null check (content_type in ('image/jpeg', 'image/png')),
  size_bytes   int not null check (size_bytes between 1 and 2097152),
  data         bytea not null,
  primary key (action_id, n)
);

-- Public notices (公示): what the board shows is only the name, members and amount.
create table case_notices (
  id            uuid primary key default gen_random_uuid(),
  case_id       uuid not null references cases (id),
  region_code   text collate "C" not null,
  display_name  text not null,
  members       int not null,
  kinds         text[] not null,
  monthly_amount_fen int not null check (monthly_amount_fen >= 0),
  -- Temporary assistance is paid once: shown beside the monthly amount.
  one_off_amount_fen int not null default 0 check (one_off_amount_fen >= 0),
  published_on  date not null,
  ends_on       date not null,
  objections    int not null default 0,
  status        text not null default 'open' check (status in ('open', 'closed', 'withdrawn')),
  created_at    timestamptz not null default now()
);
create index case_notices_board_idx on case_notices (status, region_code);
create unique index case_notices_one_open_idx on case_notices (case_id) where status = 'open';

-- Enrolments (在保): one per approved kind, from the month after approval.
create table enrolments (
  id                 uuid primary key default gen_random_uuid(),
  case_id            uuid not null references cases (id),
  household_id       uuid references households (id),
  region_code        text collate "C" not null,
  kind               text not null check (kind in ('dibao', 'tekun', 'dibao_edge', 'temporary')),
  monthly_amount_fen int not null check (monthly_amount_fen >= 0),
  one_off_amount_fen int not null default 0 check (one_off_amount_fen >= 0),
  from_month         text not null check (from_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  status             text not null default 'active' check (status in ('active', 'ended')),
  created_at         timestamptz not null default now(),
  unique (case_id, kind)
);
create index enrolments_region_idx on enrolments (region_code, status);

-- One-time codes a citizen asks for to read an application's progress (stored hashed).
create table case_progress_codes (
  id          uuid primary key default gen_random_uuid(),
  case_id     uuid not null references cases (id),
  code_hash   text not null,
  expires_at  timestamptz not null,
  attempts    int not null default 0,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index case_progress_codes_case_idx on case_progress_codes (case_id, created_at);
