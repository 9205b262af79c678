-- What the aggregate rules sum (e.g. medical.self_paid: self-paid medical costs over 12 months),
-- per person, record type, field and month of each loaded batch. A rule reads these to find the
-- few people whose window can pass, instead of every record of every person in the window; it
-- then reads those people's records to decide exactly and to link them (modules/collision/rules.ts).
-- Built set-based, once per batch, record type and field, by the first collision run that needs
-- them (normally the run over the batch right after its import); `feed_month_sum_batches` says
-- which are built.
create table feed_month_sums (
  record_type text not null,
  field       text not null,
  id_hash     text collate "C" not null,
  month       date not null,            -- first day of the month of the records' event_date
  batch_id    uuid not null,
  n           integer not null,         -- records
  total       numeric,                  -- sum of the field's numeric readings; null: none
  pos         numeric,                  -- sum of the positive readings (bounds a part of the month)
  neg         numeric,                  -- sum of the negative readings
  primary key (record_type, field, id_hash, month, batch_id)
);

create table feed_month_sum_batches (
  batch_id    uuid not null,
  record_type text not null,
  field       text not null,
  built_at    timestamptz not null default now(),
  primary key (batch_id, record_type, field)
);

-- A loaded batch's records are written once, while it is loading. Should records of a batch be
-- deleted or changed after its sums were built, its sums are dropped, and the next run that
-- needs them builds them again.
create function feed_records_drop_month_sums() returns trigger language plpgsql as $$
begin
  delete from feed_month_sums s using (select distinct batch_id from gone) g where s.batch_id = g.batch_id;
  delete from feed_month_sum_batches s using (select distinct batch_id from gone) g where s.batch_id = g.batch_id;
  return null;
end $$;
create trigger feed_records_drop_month_sums_on_delete after delete on feed_records
  referencing old table as gone for each statement execute function feed_records_drop_month_sums();
create function feed_records_drop_month_sums_changed() returns trigger language plpgsql as $$
begin
  delete from feed_month_sums s using (select batch_id from gone union select batch_id from came) g
    where s.batch_id = g.batch_id;
  delete from feed_month_sum_batches s using (select batch_id from gone union select batch_id from came) g
    where s.batch_id = g.batch_id;
  return null;
end $$;
create trigger feed_records_drop_month_sums_on_update after update on feed_records
  referencing old table as gone new table as came for each statement
  execute function feed_records_drop_month_sums_changed();
