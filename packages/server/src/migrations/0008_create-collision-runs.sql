-- Collision runs (数据碰撞任务): one row per run, with progress, so a crashed run resumes
-- where it stopped (every step is idempotent anyway: signals are unique per rule, outcome and
-- subject, links per signal and record).
create table collision_runs (
  id              uuid primary key default gen_random_uuid(),
  run_no          bigint generated always as identity unique,
  -- null: every loaded record (a full re-run).
  batch_id        uuid references feed_batches (id),
  status          text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  -- The end of aggregate windows: the batch's as_of (a full re-run: the latest loaded batch's).
  as_of           date,
  -- Matching is done in slices of record ids; the last id matched so far.
  match_cursor    bigint not null default 0,
  matched         boolean not null default false,
  records_total   int,
  records_matched int,
  rules_total     int not null default 0,
  rules_done      int not null default 0,
  signals_created int not null default 0,
  records_linked  int not null default 0,
  error           text,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
create index collision_runs_created_idx on collision_runs (created_at desc);

-- The records of a run that matched a registry person, with what the rules ask of the person
-- (the record's data is read from feed_records by id when a rule needs it). Working data of a
-- run: filled in slices, deleted when the run is done. No index: it is written once and read
-- whole by each rule, and a slice is committed together with the run's cursor.
create unlogged table collision_matches (
  run_id            uuid not null,
  record_id         bigint not null,
  batch_id          uuid not null,
  record_type       text not null,
  id_hash           text collate "C" not null,
  member_id         uuid not null,
  household_id      uuid not null,
  region_code       text collate "C" not null,
  assistance_status text not null
);

-- Who moved a signal on, and why.
alter table signals add column note text;
alter table signals add column handled_by text;
alter table signals add column handled_at timestamptz;
