-- 福建省社会救助综合服务平台 upload (modules/province, docs/PROVINCE.md).
-- One row per record the province needs: (type, source id, version) is unique, so filling twice adds nothing.
create table province_outbox (
  id bigserial primary key,
  record_id text not null unique,
  type text not null check (type in ('recipient', 'enrolment_change', 'payment', 'case_decision')),
  source_id text not null,
  version integer not null,
  region_code text not null,
  month text not null,
  payload_enc text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'accepted', 'rejected')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  reason text,
  batch_id text,
  resent integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (type, source_id, version)
);
create index province_outbox_due on province_outbox (status, next_attempt_at);
create index province_outbox_region on province_outbox (region_code);

-- Every POST to the province: one row per attempt, with its outcome.
create table province_batches (
  batch_id text primary key,
  sent_at timestamptz not null default now(),
  record_count integer not null,
  -- The counties (6-digit codes) of the batch's records: the region scope of the batch list.
  counties text[] not null default '{}',
  accepted integer not null default 0,
  rejected integer not null default 0,
  outcome text not null check (outcome in ('answered', 'failed')),
  error text
);
