-- The household registry: households, their members, and the city's most sensitive data.
-- ID numbers, phones, bank accounts, disability certificate numbers and address text are
-- stored only encrypted (*_enc, see crypto/); id_hash is the HMAC blind index for lookups and joins.
-- Trigram index for partial-name search; installed once per database, in public.
create extension if not exists pg_trgm schema public;

create table households (
  id                uuid primary key default gen_random_uuid(),
  household_no      text not null unique,
  region_code       text collate "C" not null references regions (code),
  address_enc       text not null,
  -- Where the household came from: an import file's household key (idempotent re-import) or null.
  source_key        text unique,
  assistance_status text not null default 'none'
    check (assistance_status in ('none', 'applicant', 'dibao', 'tekun', 'dibao_edge', 'low_income')),
  version           int not null default 1,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create index households_region_idx on households (region_code);
create index households_status_idx on households (assistance_status, region_code);

create table members (
  id                     uuid primary key default gen_random_uuid(),
  household_id           uuid not null references households (id) on delete cascade,
  -- The household's village, copied so every member query is scoped by the same index.
  region_code            text collate "C" not null,
  name                   text not null,
  id_number_enc          text not null,
  -- Unique: one person, one household.
  id_hash                text not null unique,
  id_masked              text not null,
  sex                    text not null check (sex in ('male', 'female')),
  birth_date             date not null,
  relation               text not null
    check (relation in ('head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'daughter_in_law', 'son_in_law', 'other')),
  hukou_type             text not null check (hukou_type in ('urban', 'rural')),
  phone_enc              text,
  bank_account_enc       text,
  bank_name              text,
  disability_type        text
    check (disability_type in ('visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple')),
  disability_grade       int check (disability_grade between 1 and 4),
  disability_cert_enc    text,
  serious_illness        text,
  work_ability           text not null default 'full' check (work_ability in ('full', 'partial', 'none')),
  -- Six daily-living indicators (eating, dressing, bed transfer, toileting, indoor walking, bathing): true = can do.
  adl                    jsonb not null default '{}',
  self_care              text not null default 'self' check (self_care in ('self', 'partial', 'complete')),
  school_status          text not null default 'none'
    check (school_status in ('none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'graduate')),
  -- Declared monthly income by type and assets by type, integer fen.
  income                 jsonb not null default '{}',
  assets                 jsonb not null default '{}',
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check ((disability_type is null) = (disability_grade is null))
);
create index members_household_idx on members (household_id);
create index members_region_idx on members (region_code);
create index members_name_trgm_idx on members using gin (name gin_trgm_ops);
create unique index members_one_head_idx on members (household_id) where relation = 'head';

-- Versioned history of every change to a household or its members (old/new values masked).
create table registry_history (
  id             bigint generated always as identity primary key,
  household_id   uuid not null references households (id) on delete cascade,
  member_id      uuid,
  region_code    text collate "C" not null,
  at             timestamptz not null default now(),
  actor_username text not null,
  action         text not null,
  changes        jsonb not null default '[]'
);
create index registry_history_household_idx on registry_history (household_id, id);

-- 近亲属备案: relatives of staff and village cadres; any household containing one is flagged.
create table staff_relatives (
  id                uuid primary key default gen_random_uuid(),
  region_code       text collate "C" not null references regions (code),
  staff_name        text not null,
  staff_position    text not null,
  staff_user_id     uuid references users (id),
  relative_name     text not null,
  relative_id_enc   text not null,
  relative_id_hash  text not null,
  relative_id_masked text not null,
  relation          text not null,
  created_by        text not null,
  created_at        timestamptz not null default now(),
  unique (relative_id_hash, staff_name)
);
create index staff_relatives_hash_idx on staff_relatives (relative_id_hash);

create sequence household_no_seq;
