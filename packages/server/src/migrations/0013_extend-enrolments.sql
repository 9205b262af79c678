-- Enrolments (纳入保障) become the record of entitlement: who is covered, for what, from when,
-- and every change since, in the append-only enrolment_changes log. The columns on enrolments
-- after `status` are a cache derived from that log, rewritten in the same transaction as each
-- change (like cases.status from case_actions). An imported caseload has no case.
alter table enrolments alter column case_id drop not null;
alter table enrolments drop constraint enrolments_status_check;
alter table enrolments add constraint enrolments_status_check
  check (status in ('active', 'suspended', 'gradual_exit', 'ended'));
alter table enrolments
  -- Where the enrolment came from: an approved case, the caseload import (存量), the demo seed,
  -- or a review's decision.
  add column source text not null default 'case' check (source in ('case', 'import', 'seed', 'review')),
  add column import_id uuid,
  -- The import row's key (household + kind + start), so a re-import adds nothing.
  add column import_key text,
  -- 特困: the supported person (a registry member) and the care tier (生活自理能力).
  add column person_member_id uuid references members (id),
  add column care_tier text check (care_tier in ('self', 'partial', 'complete')),
  add column approval_doc_no text,
  add column approval_date date,
  -- First month no longer paid (ended or gradual exit run out); null while open-ended.
  add column ends_month text check (ends_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  add column review_due_on date,
  -- How many members are covered by the latest change (the list shows it).
  add column covered_members int not null default 0,
  add column version int not null default 1,
  add column updated_at timestamptz not null default now();
alter table enrolments add constraint enrolments_tekun_person check (kind <> 'tekun' or care_tier is not null or source = 'case');
create index enrolments_household_idx on enrolments (household_id);
create index enrolments_review_idx on enrolments (review_due_on) where status <> 'ended';
create unique index enrolments_import_key_idx on enrolments (import_key) where import_key is not null;
-- One open 低保 / 边缘 enrolment per household, one open 特困 enrolment per person.
create unique index enrolments_one_open_household_idx on enrolments (household_id, kind)
  where status <> 'ended' and kind in ('dibao', 'dibao_edge') and household_id is not null;
create unique index enrolments_one_open_person_idx on enrolments (person_member_id)
  where status <> 'ended' and kind = 'tekun' and person_member_id is not null;

-- The covered people of an enrolment, every one ever covered (the changes name which are
-- covered when, by id_hash). A case's applicant may not be in the registry: member_id is then null.
create table enrolment_members (
  enrolment_id uuid not null references enrolments (id),
  id_hash      text collate "C" not null,
  member_id    uuid references members (id) on delete set null,
  name         text not null,
  id_masked    text not null,
  relation     text not null,
  primary key (enrolment_id, id_hash)
);
create index enrolment_members_hash_idx on enrolment_members (id_hash);
create index enrolment_members_member_idx on enrolment_members (member_id);

-- The history of an enrolment: one row per change, never updated or deleted.
create table enrolment_changes (
  id              bigint generated always as identity primary key,
  enrolment_id    uuid not null references enrolments (id),
  seq             int not null check (seq >= 1),
  type            text not null check (type in ('enrolled', 'amount_changed', 'members_changed', 'suspended',
                    'resumed', 'gradual_exit_started', 'ended')),
  effective_month text not null check (effective_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  -- The monthly amount from the effective month (enrolled, amount_changed, members_changed).
  amount_fen      int check (amount_fen >= 0),
  one_off_fen     int check (one_off_fen >= 0),
  -- The covered members (id hashes) from the effective month (enrolled, members_changed).
  members         text[],
  -- Gradual exit: months still paid, from the configured standard at the decision.
  months          int check (months between 0 and 12),
  reason          text not null,
  note_enc        text,
  approval_level  text not null check (approval_level in ('township', 'county', 'system')),
  actor_username  text not null,
  actor_role      text,
  region_code     text collate "C" not null,
  case_id         uuid references cases (id),
  review_id       uuid,
  signal_id       uuid references signals (id),
  import_id       uuid,
  at              timestamptz not null default now(),
  idempotency_key text,
  unique (enrolment_id, seq)
);
create unique index enrolment_changes_idem_idx on enrolment_changes (enrolment_id, idempotency_key)
  where idempotency_key is not null;
create index enrolment_changes_region_idx on enrolment_changes (region_code, at);

create function enrolment_changes_append_only() returns trigger language plpgsql as $$
begin
  -- Key rotation may re-encrypt note_enc, declared by the transaction, touching nothing else.
  if tg_op = 'UPDATE' and current_setting('jiuzhu.key_rotation', true) = 'on'
     and (to_jsonb(new) - 'note_enc') = (to_jsonb(old) - 'note_enc') then
    return new;
  end if;
  raise exception 'enrolment_changes is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger enrolment_changes_no_update_delete before update or delete on enrolment_changes
  for each row execute function enrolment_changes_append_only();
create trigger enrolment_changes_no_truncate before truncate on enrolment_changes
  for each statement execute function enrolment_changes_append_only();

-- Existing data: every enrolment made by an approved case gets its `enrolled` change and its
-- covered members (the case's members, linked to the registry where the ID number is known).
insert into enrolment_members (enrolment_id, id_hash, member_id, name, id_masked, relation)
select e.id, cm.id_hash, m.id, cm.name, cm.id_masked, cm.relation
from enrolments e
join case_members cm on cm.case_id = e.case_id
left join members m on m.id_hash = cm.id_hash
on conflict do nothing;

insert into enrolment_changes (enrolment_id, seq, type, effective_month, amount_fen, one_off_fen, members, reason,
  approval_level, actor_username, region_code, case_id, at)
select e.id, 1, 'enrolled', e.from_month, e.monthly_amount_fen, e.one_off_amount_fen,
  (select array_agg(em.id_hash order by em.id_hash) from enrolment_members em where em.enrolment_id = e.id),
  'case_approved', c.approval_level, 'system', e.region_code, e.case_id, e.created_at
from enrolments e
join cases c on c.id = e.case_id;

update enrolments e set covered_members = coalesce(cardinality(ch.members), 0)
from enrolment_changes ch where ch.enrolment_id = e.id and ch.seq = 1;
