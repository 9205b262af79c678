-- Routine care visits (探访关爱). A care plan says how often the households of a category are
-- visited (e.g. 特困 monthly, 低保 quarterly); plans are configuration per region (the most frequent
-- plan that applies wins). A household on an active enrolment of a planned category is due one
-- interval after its last care visit (or after its enrolment began). Visits are recorded like lead
-- visits: notes encrypted, GPS, photos, an Idempotency-Key from the phone.

create table care_plans (
  id              uuid primary key default gen_random_uuid(),
  -- The city or county the plan applies to.
  region_code     text collate "C" not null,
  category        text not null check (category in ('tekun', 'dibao', 'dibao_edge')),
  label           text not null,
  interval_months int not null check (interval_months between 1 and 12),
  -- Demo values (seeded or example plans) are labelled as such on screen.
  is_demo         boolean not null default false,
  active          boolean not null default true,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  unique (region_code, category)
);

create table care_visits (
  id              uuid primary key default gen_random_uuid(),
  household_id    uuid not null references households (id),
  region_code     text collate "C" not null,
  visited_at      timestamptz not null,
  -- The China date of visited_at (due dates compare with it).
  visit_date      date not null,
  finding         text not null check (finding in ('well', 'needs_help', 'not_home')),
  notes_enc       text not null,
  latitude        double precision check (latitude between -90 and 90),
  longitude       double precision check (longitude between -180 and 180),
  accuracy_m      double precision check (accuracy_m >= 0),
  photo_count     int not null default 0,
  recorded_by     text not null,
  recorded_at     timestamptz not null default now(),
  idempotency_key text,
  unique (recorded_by, idempotency_key)
);
create index care_visits_household_idx on care_visits (household_id, visit_date);
create index care_visits_region_idx on care_visits (region_code, visit_date);

create table care_visit_photos (
  visit_id     uuid not null references care_visits (id) on delete cascade,
  n            int not null check (n between 1 and 4),
  content_type text not null check (content_type in ('image/jpeg', 'image/png')),
  size_bytes   int not null check (size_bytes between 1 and 2097152),
  data         bytea not null,
  primary key (visit_id, n)
);
