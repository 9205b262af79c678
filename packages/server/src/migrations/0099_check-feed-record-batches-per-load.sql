-- Feed records name their batch without a per-row foreign key. The key's check ran once per
-- loaded row (a trigger, a lookup and a lock on the batch row for each of millions of rows):
-- measured, a third of the COPY into feed_records. Every writer names a batch it holds: the
-- import inserts the batch row, locks it (select … for update) in the transaction of the COPY
-- and writes that one id in every row, so the reference is right by construction.
-- What the key did on the other side is kept once per statement: deleting a batch that records
-- (or signals, migration 0091) still name is refused, and a batch's id cannot change.
alter table feed_records drop constraint feed_records_batch_id_fkey;

-- One batch at a time, so the look-up takes feed_records_batch_idx whatever the planner guesses.
create or replace function feed_batches_refuse_delete() returns trigger language plpgsql as $$
declare
  b uuid;
begin
  if exists (select 1 from signals s join gone g on g.id = s.batch_id) then
    raise foreign_key_violation using message = 'feed_batches rows still named by signals cannot be deleted';
  end if;
  for b in select id from gone loop
    if exists (select 1 from feed_records r where r.batch_id = b) then
      raise foreign_key_violation using message = 'feed_batches rows still named by feed records cannot be deleted';
    end if;
  end loop;
  return null;
end $$;

create function feed_batches_keep_id() returns trigger language plpgsql as $$
begin
  if new.id <> old.id then
    raise foreign_key_violation using message = 'the id of a feed batch cannot change';
  end if;
  return new;
end $$;
create trigger feed_batches_keep_id before update of id on feed_batches
  for each row execute function feed_batches_keep_id();
