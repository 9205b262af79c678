-- A claim past its 10-working-day clock is escalated once to its county by the daily job.
alter table insurance_claims add column escalated_at timestamptz;
create index insurance_claims_overdue_idx on insurance_claims (due_on) where escalated_at is null;
