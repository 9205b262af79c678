-- The division tree of the configured city (GB/T 2260 codes; a code's prefix is its ancestors).
create table regions (
  code        text collate "C" primary key,
  name        text not null,
  level       text not null check (level in ('city', 'county', 'township', 'village')),
  parent_code text collate "C" references regions (code),
  child_count int  not null default 0
);
create index regions_parent_idx on regions (parent_code);
create index regions_name_idx on regions (name);
