-- A claim opened by a death or cremation record (免申即享) names the record (feed_records.id is a
-- bigint) and the collision signal that prompted it.
alter table insurance_claims alter column feed_record_id type bigint using null;
alter table insurance_claims add column signal_id uuid references signals (id);
