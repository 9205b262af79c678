-- Push API idempotency (部门推送接口): a department's Idempotency-Key is claimed, with the SHA-256
-- of the request's records, before the records are imported. The same key again with the same
-- records answers the first result; with other records it is refused (409).
create table feed_push_requests (
  source_code     text collate "C" not null references feed_sources (code),
  idempotency_key text collate "C" not null,
  body_sha256     text not null,
  batch_id        uuid references feed_batches (id),
  created_at      timestamptz not null default now(),
  primary key (source_code, idempotency_key)
);
