-- Monthly payroll (资金发放): a payroll per month and region, its lines (one per enrolment, month
-- and line type), the checks before approval, the maker-checker steps, bank files and returns.
-- Configuration (fund shares, roles, thresholds, bank templates) lives in tables of its own so the
-- city can change it without a release; the seeded rows are demo values and say so (demo = true).

-- How each kind's money is split between the levels of government, in basis points (sum 10000).
create table payroll_fund_shares (
  kind          text primary key check (kind in ('dibao', 'tekun', 'dibao_edge', 'temporary')),
  central_bp    int not null check (central_bp between 0 and 10000),
  provincial_bp int not null check (provincial_bp between 0 and 10000),
  city_bp       int not null check (city_bp between 0 and 10000),
  county_bp     int not null check (county_bp between 0 and 10000),
  demo          boolean not null default false,
  updated_at    timestamptz not null default now(),
  check (central_bp + provincial_bp + city_bp + county_bp = 10000)
);
insert into payroll_fund_shares (kind, central_bp, provincial_bp, city_bp, county_bp, demo) values
  ('dibao', 5000, 2000, 1500, 1500, true),
  ('tekun', 5000, 2000, 1500, 1500, true),
  ('dibao_edge', 0, 4000, 3000, 3000, true),
  ('temporary', 3000, 3000, 2000, 2000, true);

-- One row of settings (key 'default'): who prepares and who approves, the amount-change threshold,
-- the card prefixes whose numbers carry a Luhn check digit.
create table payroll_settings (
  key                  text primary key,
  maker_roles          text[] not null,
  checker_roles        text[] not null,
  amount_change_bp     int not null check (amount_change_bp between 0 and 100000),
  luhn_prefixes        text[] not null,
  max_payee_age        int not null check (max_payee_age between 60 and 150),
  demo                 boolean not null default false,
  updated_at           timestamptz not null default now()
);
insert into payroll_settings (key, maker_roles, checker_roles, amount_change_bp, luhn_prefixes, max_payee_age, demo)
values ('default', array['county_officer'], array['finance_officer'], 2000, array['62'], 100, true);

-- Bank file templates: which payees' banks a template serves (by bank name) and its layout.
-- columns: [{field, header, width?, align?}] with field one of reference, account, name, amount_yuan,
-- amount_fen, id_masked, month, memo.
create table payroll_bank_templates (
  bank_code   text primary key check (bank_code ~ '^[a-z0-9_]{2,20}$'),
  name        text not null,
  bank_names  text[] not null,
  format      text not null check (format in ('csv', 'xlsx', 'fixed')),
  encoding    text not null default 'utf8' check (encoding in ('utf8', 'gbk')),
  columns     jsonb not null,
  fallback    boolean not null default false,
  demo        boolean not null default false
);
insert into payroll_bank_templates (bank_code, name, bank_names, format, encoding, columns, fallback, demo) values
  ('ptrcb', '莆田农村商业银行', array['莆田农村商业银行'], 'fixed', 'gbk',
   '[{"field":"reference","width":20},{"field":"account","width":19},{"field":"name","width":20},{"field":"amount_fen","width":12,"align":"right"},{"field":"month","width":7}]',
   false, true),
  ('psbc', '中国邮政储蓄银行', array['中国邮政储蓄银行'], 'csv', 'gbk',
   '[{"field":"reference","header":"流水号"},{"field":"account","header":"账号"},{"field":"name","header":"户名"},{"field":"amount_yuan","header":"金额"},{"field":"memo","header":"摘要"}]',
   false, true),
  ('other', '其他银行（代发）', array[]::text[], 'xlsx', 'utf8',
   '[{"field":"reference","header":"业务编号"},{"field":"account","header":"收款账号"},{"field":"name","header":"收款人"},{"field":"amount_yuan","header":"金额（元）"},{"field":"memo","header":"用途"}]',
   true, true);

create table payrolls (
  id              uuid primary key default gen_random_uuid(),
  payroll_no      bigint generated always as identity,
  month           text not null check (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  region_code     text collate "C" not null references regions (code),
  -- regular: the month's run; supplementary: reissues and late lines between runs.
  run_kind        text not null default 'regular' check (run_kind in ('regular', 'supplementary')),
  status          text not null default 'draft' check (status in ('draft', 'submitted', 'approved')),
  line_count      int not null default 0,
  total_fen       bigint not null default 0,
  built_at        timestamptz,
  return_reason   text,
  version         int not null default 1,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
-- One regular payroll per month and region: concurrent creates meet here.
create unique index payrolls_regular_idx on payrolls (month, region_code) where run_kind = 'regular';
create index payrolls_region_idx on payrolls (region_code, month);

create table payroll_lines (
  id              bigint generated always as identity primary key,
  payroll_id      uuid not null references payrolls (id),
  enrolment_id    uuid not null references enrolments (id),
  -- The month the money is for (a back-pay or reissue line names the earlier month).
  month           text not null check (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  line_type       text not null check (line_type in ('regular', 'back_pay', 'one_off', 'emergency', 'adjustment', 'reissue')),
  kind            text not null,
  region_code     text collate "C" not null,
  household_id    uuid references households (id),
  payee_member_id uuid references members (id),
  -- Blind index of the payee's account at build time (equal accounts, corrected accounts).
  account_hash    text,
  amount_fen      int not null,
  central_fen     int not null,
  provincial_fen  int not null,
  city_fen        int not null,
  county_fen      int not null,
  status          text not null default 'pending' check (status in ('pending', 'paid', 'failed')),
  fail_code       text,
  failed_at       timestamptz,
  reissue_of      bigint references payroll_lines (id),
  check (central_fen + provincial_fen + city_fen + county_fen = amount_fen),
  -- The key that makes a second run, a retried request or a crashed run unable to pay twice.
  unique (enrolment_id, month, line_type)
);
-- A month's allowance is paid once, whether as the regular line or as back pay.
create unique index payroll_lines_monthly_idx on payroll_lines (enrolment_id, month)
  where line_type in ('regular', 'back_pay');
create unique index payroll_lines_reissue_idx on payroll_lines (reissue_of) where reissue_of is not null;
create index payroll_lines_payroll_idx on payroll_lines (payroll_id, id);
create index payroll_lines_household_idx on payroll_lines (household_id, month);
create index payroll_lines_failed_idx on payroll_lines (region_code) where status = 'failed';

-- The checks before approval (发放前比对): recomputed on every build; a decision (accepted with a
-- reason) is kept while the same finding stands.
create table payroll_exceptions (
  id            bigint generated always as identity primary key,
  payroll_id    uuid not null references payrolls (id),
  code          text not null check (code in ('new_line', 'stopped_line', 'amount_changed', 'missing_account',
                  'invalid_account', 'shared_account', 'payee_dead', 'payee_over_age', 'under_review')),
  enrolment_id  uuid not null references enrolments (id),
  detail        jsonb not null default '{}',
  status        text not null default 'open' check (status in ('open', 'accepted')),
  reason        text,
  decided_by    text,
  decided_at    timestamptz,
  unique (payroll_id, code, enrolment_id)
);

-- Every step on a payroll, never updated or deleted; payrolls.status is derived from it.
create table payroll_actions (
  id             bigint generated always as identity primary key,
  payroll_id     uuid not null references payrolls (id),
  action         text not null check (action in ('built', 'submitted', 'approved', 'returned', 'exception_accepted',
                   'bank_file', 'returns_imported')),
  actor_username text not null,
  actor_role     text,
  reason         text,
  line_count     int not null,
  total_fen      bigint not null,
  detail         jsonb not null default '{}',
  at             timestamptz not null default now()
);
create index payroll_actions_payroll_idx on payroll_actions (payroll_id, id);

create function payroll_actions_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'payroll_actions is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger payroll_actions_no_update_delete before update or delete on payroll_actions
  for each row execute function payroll_actions_append_only();

-- Approved payrolls are locked: their lines change only by a return (status, fail code). Inserts
-- go through the build, which refuses a payroll that is not a draft (a row trigger there would slow it).
create function payroll_lines_locked() returns trigger language plpgsql as $$
declare s text;
begin
  select status into s from payrolls where id = coalesce(old.payroll_id, new.payroll_id);
  if s = 'approved' then
    if tg_op = 'UPDATE' and (to_jsonb(new) - 'status' - 'fail_code' - 'failed_at')
                          = (to_jsonb(old) - 'status' - 'fail_code' - 'failed_at') then
      return new;
    end if;
    raise exception 'payroll % is approved: lines are locked', coalesce(old.payroll_id, new.payroll_id)
      using errcode = 'insufficient_privilege';
  end if;
  return coalesce(new, old);
end
$$;
create trigger payroll_lines_lock before update or delete on payroll_lines
  for each row execute function payroll_lines_locked();

-- Each bank file made: its line count, total and SHA-256 (the file itself is made again on demand
-- from the locked lines, so no account number is stored in clear).
create table payroll_bank_files (
  id          bigint generated always as identity primary key,
  payroll_id  uuid not null references payrolls (id),
  bank_code   text not null references payroll_bank_templates (bank_code),
  line_count  int not null,
  total_fen   bigint not null,
  sha256      text not null,
  made_by     text not null,
  made_at     timestamptz not null default now()
);
create index payroll_bank_files_idx on payroll_bank_files (payroll_id, bank_code);
