-- Referrals (转介) as tracked hand-offs. Agencies are configuration per region (the city or a county
-- lists the agencies serving it: 残联, 医保, 人社, 教育, 卫健, 住建, 慈善, …); a referral sends a person of a
-- lead, a registry household or a case to one of them. What happens next is an append-only list of
-- actions (sent, accepted, done, refused); referrals.status is derived from the latest one.
-- What is asked and the outcome can describe health or family matters: kept only encrypted.

create table referral_agencies (
  id          uuid primary key default gen_random_uuid(),
  -- The city or county the agency serves; visible to everyone in that region.
  region_code text collate "C" not null,
  kind        text not null check (kind in ('disability_federation', 'medical_insurance', 'human_resources',
                                            'education', 'health', 'housing', 'charity', 'other')),
  name        text not null,
  -- The kind of help the agency gives (shown to the worker choosing it).
  help        text not null,
  contact     text not null,
  active      boolean not null default true,
  created_by  text not null,
  created_at  timestamptz not null default now(),
  unique (region_code, name)
);

create table referrals (
  id              uuid primary key default gen_random_uuid(),
  referral_no     bigint generated always as identity unique,
  -- The village of the person (scope).
  region_code     text collate "C" not null,
  agency_id       uuid not null references referral_agencies (id),
  source          text not null check (source in ('lead', 'household', 'case')),
  lead_id         uuid references leads (id),
  household_id    uuid references households (id),
  case_id         uuid references cases (id),
  person_name     text not null,
  request_enc     text not null,
  status          text not null default 'sent' check (status in ('sent', 'accepted', 'done', 'refused')),
  sent_at         timestamptz not null,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  -- The phone's Idempotency-Key: a retried request finds the referral it already made.
  idempotency_key text,
  unique (created_by, idempotency_key),
  check ((source = 'lead') = (lead_id is not null)),
  check ((source = 'case') = (case_id is not null)),
  check (source <> 'household' or household_id is not null)
);
create index referrals_region_idx on referrals (region_code, status);
create index referrals_agency_idx on referrals (agency_id, status);
create index referrals_lead_idx on referrals (lead_id) where lead_id is not null;

create table referral_actions (
  id             bigint generated always as identity primary key,
  referral_id    uuid not null references referrals (id),
  action         text not null check (action in ('sent', 'accepted', 'done', 'refused')),
  outcome_enc    text,
  actor_username text not null,
  at             timestamptz not null default now()
);
create index referral_actions_referral_idx on referral_actions (referral_id, id);
