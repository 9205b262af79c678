-- Policy standards (救助标准): versioned parameter sets per region (the city default or a
-- county override), kind of assistance and effective month. Rows are never updated: a change
-- is a new version. Parameters are a JSON object validated per kind by the shared zod schema.
create table policy_standards (
  id              uuid primary key default gen_random_uuid(),
  -- The city (4 digits) or a county (6 digits).
  region_code     text collate "C" not null references regions (code),
  kind            text not null check (kind in ('dibao', 'tekun', 'dibao_edge', 'temporary')),
  effective_month text collate "C" not null check (effective_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  -- 1, 2, … per region and kind, in creation order.
  version         int not null check (version >= 1),
  params          jsonb not null,
  -- Demo values seeded at boot, labelled as such in the API.
  demo            boolean not null default false,
  note            text not null default '',
  created_by      text not null,
  created_at      timestamptz not null default now(),
  check (length(region_code) in (4, 6)),
  unique (region_code, kind, version)
);
create index policy_standards_lookup_idx on policy_standards (kind, region_code, effective_month, version);
