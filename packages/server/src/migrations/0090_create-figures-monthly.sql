-- 全市一张图 at province scale (modules/dashboard, docs/DASHBOARD.md): the figures read pre-aggregated
-- rows per region (the village a row is filed on) and month, rolled up by region-code prefix.
-- Each module that owns rows writes its own columns (its figures.ts); the dashboard only adds them up.
-- `kind` is a breakdown: '' the total, an assistance kind (the rolls per kind) or a province record type.
-- State figures (on the rolls, overdue) are counted for one day, figures_state.as_of, under its month.
create table figures_monthly (
  region_code text collate "C" not null,
  month text not null,
  kind text not null default '',
  recipient_households integer not null default 0,
  recipient_people integer not null default 0,
  new_enrolments integer not null default 0,
  paid_fen bigint not null default 0,
  paid_lines integer not null default 0,
  leads_issued integer not null default 0,
  leads_checked integer not null default 0,
  overdue_leads integer not null default 0,
  overdue_cases integer not null default 0,
  cases_decided integer not null default 0,
  decision_working_days integer not null default 0,
  claims_paid integer not null default 0,
  claims_paid_fen bigint not null default 0,
  province_records integer not null default 0,
  province_accepted integer not null default 0,
  province_rejected integer not null default 0,
  primary key (region_code, month, kind)
);
create index figures_monthly_month_idx on figures_monthly (month, region_code);

-- The regions whose rows changed since their figures were counted: marked by the triggers below in
-- the writer's own transaction (no module, import or bulk insert can forget), cleared by the refresh.
create table figures_dirty (region_code text collate "C" primary key);

-- One row: the day the state figures were counted for (null: never refreshed).
create table figures_state (
  id integer primary key default 1 check (id = 1),
  as_of date,
  refreshed_at timestamptz
);
insert into figures_state (id) values (1);

create function figures_mark_changed() returns trigger language plpgsql as $$
begin
  insert into figures_dirty (region_code)
  select distinct region_code from changed where region_code is not null
  on conflict do nothing;
  return null;
end $$;

-- A payroll's approval (or its reversal) changes the paid figures of the regions of its lines.
create function figures_mark_payroll() returns trigger language plpgsql as $$
begin
  insert into figures_dirty (region_code)
  select distinct l.region_code from payroll_lines l where l.payroll_id in (select id from changed)
  on conflict do nothing;
  return null;
end $$;

do $$
declare t text;
begin
  foreach t in array array['enrolments', 'enrolment_changes', 'payroll_lines', 'leads', 'cases', 'case_actions',
                           'insurance_claims', 'province_outbox'] loop
    execute format('create trigger %I after insert on %I referencing new table as changed
                    for each statement execute function figures_mark_changed()', t || '_figures_ins', t);
    execute format('create trigger %I after update on %I referencing new table as changed
                    for each statement execute function figures_mark_changed()', t || '_figures_upd', t);
    execute format('create trigger %I after update on %I referencing old table as changed
                    for each statement execute function figures_mark_changed()', t || '_figures_upd_old', t);
    execute format('create trigger %I after delete on %I referencing old table as changed
                    for each statement execute function figures_mark_changed()', t || '_figures_del', t);
  end loop;
end $$;
create trigger payrolls_figures_upd after update on payrolls referencing new table as changed
  for each statement execute function figures_mark_payroll();

-- The refresh of a few regions reads the paid lines by region.
create index payroll_lines_region_month_idx on payroll_lines (region_code, month);
