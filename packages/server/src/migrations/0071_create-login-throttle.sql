-- Failed sign-ins counted per (account name, client address) and per client address, whether or
-- not the account exists: a lock answers the same for everyone and never locks an account for
-- people signing in from elsewhere.
create table login_throttle (
  key          text collate "C" primary key,
  failures     int not null default 0,
  locked_until timestamptz,
  last_failure timestamptz not null default now()
);
