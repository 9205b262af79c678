-- One-time codes that confirm a citizen's phone before an application is taken (H5 at /m).
-- The phone is kept only as its blind index; the code only as an HMAC.
create table citizen_phone_codes (
  id          uuid primary key default gen_random_uuid(),
  phone_hash  text not null,
  code_hash   text not null,
  expires_at  timestamptz not null,
  attempts    int not null default 0,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index citizen_phone_codes_phone_idx on citizen_phone_codes (phone_hash, created_at);
