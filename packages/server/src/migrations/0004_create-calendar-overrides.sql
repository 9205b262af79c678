-- Admin corrections to the official working-day calendar (e.g. a year the package does not know yet).
create table calendar_overrides (
  date           date primary key,
  is_working_day boolean not null,
  note           text not null,
  updated_by     text not null,
  updated_at     timestamptz not null default now()
);
