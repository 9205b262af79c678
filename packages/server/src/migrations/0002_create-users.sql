create table users (
  id                   uuid primary key default gen_random_uuid(),
  username             text not null unique,
  display_name         text not null,
  role                 text not null check (role in ('city_admin', 'county_officer', 'township_officer',
                         'grid_worker', 'finance_officer', 'insurer', 'auditor')),
  region_code          text collate "C" not null references regions (code),
  password_hash        text not null,
  -- Set only by the demo seed, cleared by any password change; production refuses to start while set.
  demo_password        boolean not null default false,
  must_change_password boolean not null default false,
  active               boolean not null default true,
  failed_logins        int not null default 0,
  locked_until         timestamptz,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create index users_region_idx on users (region_code);

create table sessions (
  -- SHA-256 of the cookie token: a database dump does not hold usable session tokens.
  id           text primary key,
  user_id      uuid not null references users (id) on delete cascade,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user_idx on sessions (user_id);
