-- Each register import (dry run or real) with its counts and row-level errors, for the report download.
create table registry_imports (
  id          uuid primary key default gen_random_uuid(),
  region_code text collate "C" not null,
  created_by  text not null,
  file_name   text not null,
  file_sha256 text not null,
  dry_run     boolean not null,
  rows        int not null,
  households  int not null,
  valid       int not null,
  imported    int not null,
  unchanged   int not null,
  -- [{row, column, reason}]: reasons name the problem, never repeat a full ID number.
  errors      jsonb not null default '[]',
  duration_ms int not null,
  created_at  timestamptz not null default now()
);
create index registry_imports_region_idx on registry_imports (region_code, created_at);
