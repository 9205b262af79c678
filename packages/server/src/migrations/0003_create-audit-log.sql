-- Append-only, hash-chained trail of every mutation and every reveal of personal data.
-- hash = sha256(prev_hash || canonical JSON of the row); see modules/audit/chain.ts.
create table audit_log (
  seq            bigint primary key,
  at             timestamptz not null,
  actor_id       uuid,
  actor_username text not null,
  actor_role     text not null,
  region_code    text collate "C" not null,
  action         text not null,
  entity         text not null,
  entity_id      text,
  detail         jsonb not null default '{}',
  request_id     text,
  prev_hash      text not null,
  hash           text not null unique
);
create index audit_log_at_idx on audit_log (at);
create index audit_log_region_idx on audit_log (region_code);
create index audit_log_entity_idx on audit_log (entity, entity_id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_update_delete before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
revoke update, delete, truncate on audit_log from public;
