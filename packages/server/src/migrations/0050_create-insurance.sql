-- Micro-insurance (救助+保险): the scheme the government buys per policy year, and claims on it.
-- The roster (参保名单) is not stored: it is derived from the enrolments (modules/insurance/roster.ts).

-- One row per version of a policy year's scheme; the highest version of a year is in force, older
-- ones stay for the record (a bill or a claim names the version it was computed under).
create table insurance_schemes (
  id              uuid primary key default gen_random_uuid(),
  city_code       text collate "C" not null,
  year            int not null check (year between 2000 and 2100),
  version         int not null check (version >= 1),
  insurer         text not null,
  policy_no       text not null,
  period_from     date not null,
  period_to       date not null check (period_to >= period_from),
  -- Premium per insured person per policy year, in fen.
  premium_fen     int not null check (premium_fen >= 0),
  -- The assistance kinds whose covered members are insured (dibao, tekun).
  kinds           text[] not null,
  -- [{code, maxFen, grades?: [{grade, sharePct}], materials: [..]}]
  cover_items     jsonb not null,
  waiting_days    int not null default 0 check (waiting_days between 0 and 365),
  -- The city's share of the premium in basis points, by default and per county code.
  city_share_bp   int not null check (city_share_bp between 0 and 10000),
  county_city_share_bp jsonb not null default '{}',
  -- The insurer's staff accounts: they see this scheme's claims and nothing else's.
  insurer_users   text[] not null default '{}',
  -- How people joining or leaving mid-year are billed: by insured month (1/12 of the premium).
  billing_rule    text not null default 'by_month' check (billing_rule in ('by_month')),
  is_demo         boolean not null default false,
  note            text,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  unique (city_code, year, version)
);

-- A claim (理赔): its status, clock and amounts are a cache derived from its action log.
create table insurance_claims (
  id                    uuid primary key default gen_random_uuid(),
  claim_no              text not null unique,
  scheme_id             uuid not null references insurance_schemes (id),
  region_code           text collate "C" not null,
  id_hash               text collate "C" not null,
  member_id             uuid references members (id) on delete set null,
  enrolment_id          uuid references enrolments (id),
  insured_name          text not null,
  id_masked             text not null,
  cover_item            text not null,
  event_date            date not null,
  event_note            text,
  source                text not null check (source in ('staff', 'exchange')),
  -- The death or cremation record that opened the claim (免申即享): one claim per record and person.
  feed_record_id        uuid,
  status                text not null check (status in ('reported', 'guided', 'received', 'approved', 'refused', 'paid')),
  materials_complete_on date,
  due_on                date,
  disability_grade      int check (disability_grade between 1 and 10),
  approved_fen          int check (approved_fen >= 0),
  paid_on               date,
  paid_fen              int check (paid_fen >= 0),
  paid_ref              text,
  version               int not null default 1,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create index insurance_claims_region_idx on insurance_claims (region_code);
create index insurance_claims_scheme_idx on insurance_claims (scheme_id, status);
-- 免申即享: re-running the collision never opens a second claim for the same death of the same person.
create unique index insurance_claims_death_idx on insurance_claims (id_hash)
  where cover_item in ('death_illness', 'death_accident');

-- Every step of a claim, never updated or deleted.
create table insurance_claim_actions (
  id              bigint generated always as identity primary key,
  claim_id        uuid not null references insurance_claims (id),
  seq             int not null check (seq >= 1),
  type            text not null check (type in ('reported', 'guided', 'received', 'approved', 'refused', 'paid')),
  detail          jsonb not null default '{}',
  actor_username  text not null,
  actor_role      text,
  at              timestamptz not null default now(),
  idempotency_key text,
  unique (claim_id, seq),
  unique (claim_id, idempotency_key)
);

-- Documents received at intake (收件): death certificate, cremation certificate, medical records, bank account.
create table insurance_claim_documents (
  id          uuid primary key default gen_random_uuid(),
  claim_id    uuid not null references insurance_claims (id),
  kind        text not null,
  file_name   text not null,
  mime_type   text not null,
  size_bytes  int not null,
  sha256      text not null,
  content     bytea not null,
  action_seq  int not null,
  uploaded_at timestamptz not null default now()
);
create index insurance_claim_documents_claim_idx on insurance_claim_documents (claim_id);
