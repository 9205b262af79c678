-- Scheduled reviews (定期核查): a short case on an enrolment — survey, verification from the
-- department data, re-determination, decision. `status`, `decision` and `decided_on` cache the
-- append-only review_actions, rewritten in the transaction of each action (like cases.status).
create table reviews (
  id              uuid primary key default gen_random_uuid(),
  enrolment_id    uuid not null references enrolments (id),
  kind            text not null check (kind in ('dibao', 'tekun', 'dibao_edge')),
  -- The enrolment's village (scope) and its township (the job creates tasks township by township).
  region_code     text collate "C" not null references regions (code),
  township_code   text collate "C" not null,
  -- The month the review falls due (YYYY-MM); one review per enrolment and period.
  period          text not null check (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  due_on          date not null,
  interval_months int check (interval_months between 1 and 36),
  category        text not null check (category in ('unable_to_work', 'other', 'single')),
  source          text not null default 'schedule' check (source in ('schedule', 'signal', 'staff')),
  signal_id       uuid references signals (id),
  status          text not null default 'open'
                    check (status in ('open', 'surveyed', 'verified', 'determined', 'decided')),
  decision        text check (decision in ('continue', 'change_amount', 'suspend', 'gradual_exit', 'end')),
  decided_on      date,
  version         int not null default 1,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (enrolment_id, period)
);
-- One review at a time per enrolment: a review still open is the check of the next period too.
create unique index reviews_one_open_idx on reviews (enrolment_id) where status <> 'decided';
create index reviews_region_idx on reviews (region_code, status, due_on);

create table review_actions (
  id              bigint generated always as identity primary key,
  review_id       uuid not null references reviews (id),
  seq             int not null,
  type            text not null check (type in ('opened', 'surveyed', 'verified', 'determined', 'decided')),
  -- The step's facts (survey findings, verification report, determination, decision), encrypted
  -- JSON like case_actions.data_enc: they describe a household's income, health and assets.
  data_enc        text not null,
  actor_username  text not null,
  actor_role      text,
  region_code     text collate "C" not null,
  at              timestamptz not null default now(),
  idempotency_key text,
  unique (review_id, seq)
);
create unique index review_actions_idem_idx on review_actions (review_id, idempotency_key)
  where idempotency_key is not null;

create function review_actions_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and current_setting('jiuzhu.key_rotation', true) = 'on'
     and (to_jsonb(new) - 'data_enc') = (to_jsonb(old) - 'data_enc') then
    return new;
  end if;
  raise exception 'review_actions is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger review_actions_no_update_delete before update or delete on review_actions
  for each row execute function review_actions_append_only();
create trigger review_actions_no_truncate before truncate on review_actions
  for each statement execute function review_actions_append_only();
