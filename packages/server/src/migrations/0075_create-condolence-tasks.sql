-- 吊唁走访 (issue 12): when a death record opens a claim (免申即享), the village's grid worker gets a
-- task to visit the family, tell them about the claim and collect the beneficiary's details.
-- One task per claim. The beneficiary's ID number and phone are encrypted (protector, context
-- 'condolence.beneficiary'); only their masked forms are kept in clear.
create table insurance_condolence_tasks (
  id                     uuid primary key default gen_random_uuid(),
  claim_id               uuid not null unique references insurance_claims (id),
  -- The village (the claim's region): scope of the task.
  region_code            text collate "C" not null,
  -- The village's grid worker at the time the task was issued (null when the village has none:
  -- the township's staff see it in any case).
  assigned_to            text,
  issued_on              date not null,
  due_on                 date not null,
  status                 text not null default 'open' check (status in ('open', 'done')),
  visited_on             date,
  family_informed        boolean,
  beneficiary_name       text,
  beneficiary_relation   text,
  beneficiary_id_masked  text,
  beneficiary_phone_masked text,
  beneficiary_protected  text,
  note                   text,
  done_by                text,
  done_at                timestamptz,
  idempotency_key        text,
  created_at             timestamptz not null default now(),
  check ((status = 'done') = (visited_on is not null))
);
create index insurance_condolence_tasks_region_idx on insurance_condolence_tasks (region_code, status);
