-- Idempotency-Key fingerprints (幂等键): the first successful request with a key stores the SHA-256 of
-- its method, path and body, per caller. The same key again with another request is refused (422)
-- instead of replaying the first answer and silently dropping the new request.
create table idempotency_keys (
  actor_id        uuid not null references users (id),
  idempotency_key text collate "C" not null,
  fingerprint     text not null,
  created_at      timestamptz not null default now(),
  primary key (actor_id, idempotency_key)
);
