-- Leads (疑似困难线索): a 'lead' signal becomes a lead in the village of the person's household,
-- visited by the village's grid workers before a due date counted in working days. Overdue open
-- leads escalate to the township. Visit notes are personal data: kept only encrypted.

create table leads (
  id              uuid primary key default gen_random_uuid(),
  lead_no         bigint generated always as identity unique,
  signal_id       uuid not null unique references signals (id),
  -- The village (from signals.region_code): scope and dispatch.
  region_code     text collate "C" not null,
  member_id       uuid references members (id) on delete set null,
  household_id    uuid references households (id) on delete set null,
  id_hash         text collate "C" not null,
  -- Copied at dispatch from the registry member or the source record (what the worker looks for).
  person_name     text not null,
  id_masked       text not null,
  status          text not null default 'open' check (status in ('open', 'closed')),
  -- Visits made (an unreachable visit keeps the lead open and counts one more).
  attempts        int not null default 0,
  -- The China date the lead was issued and the last working day to visit.
  issued_on       date not null,
  due_date        date not null,
  escalated_at    timestamptz,
  -- The township (first 9 digits of the village code) the overdue lead went to.
  escalated_to    text collate "C",
  outcome         text check (outcome in ('not_needy', 'helped_to_apply', 'referred', 'already_covered')),
  referral_agency text check (referral_agency in ('disability_federation', 'medical_assistance', 'education_bureau', 'other')),
  referral_note   text,
  closed_at       timestamptz,
  closed_by       text,
  created_at      timestamptz not null default now(),
  check ((status = 'closed') = (outcome is not null))
);
create index leads_region_idx on leads (region_code, status, due_date);
create index leads_overdue_idx on leads (due_date) where status = 'open' and escalated_at is null;

create table lead_visits (
  id              uuid primary key default gen_random_uuid(),
  lead_id         uuid not null references leads (id),
  region_code     text collate "C" not null,
  visited_at      timestamptz not null,
  -- The China date of visited_at (on-time statistics compare it with the due date).
  visit_date      date not null,
  recorded_by     text not null,
  recorded_at     timestamptz not null default now(),
  notes_enc       text not null,
  latitude        double precision check (latitude between -90 and 90),
  longitude       double precision check (longitude between -180 and 180),
  accuracy_m      double precision check (accuracy_m >= 0),
  outcome         text not null check (outcome in ('not_needy', 'helped_to_apply', 'referred', 'already_covered', 'unreachable')),
  referral_agency text check (referral_agency in ('disability_federation', 'medical_assistance', 'education_bureau', 'other')),
  referral_note   text,
  photo_count     int not null default 0,
  -- The phone's Idempotency-Key: a retried request finds the visit it already made.
  idempotency_key text,
  unique (lead_id, idempotency_key)
);
create index lead_visits_lead_idx on lead_visits (lead_id, visited_at);

create table lead_photos (
  visit_id     uuid not null references lead_visits (id) on delete cascade,
  n            int not null check (n between 1 and 4),
  content_type text not null check (content_type in ('image/jpeg', 'image/png')),
  size_bytes   int not null check (size_bytes between 1 and 2097152),
  data         bytea not null,
  primary key (visit_id, n)
);
