-- 报案 from the citizen H5: a family member reports the death or accident of an insured person.
-- Every report is kept; one that matches a person insured on the event date opens a claim at the
-- report step (source 'citizen'), one that does not is kept for staff to follow up by phone. The
-- answer to the citizen is the same either way. Personal data is encrypted; the ID number is kept
-- as its blind index and masked form only.
alter table insurance_claims drop constraint insurance_claims_source_check;
alter table insurance_claims
  add constraint insurance_claims_source_check check (source in ('staff', 'exchange', 'citizen'));

create table citizen_claim_reports (
  id                 uuid primary key default gen_random_uuid(),
  report_no          text not null unique,
  reporter_name_enc  text not null,
  reporter_phone_enc text not null,
  -- The reporter's phone by its blind index: progress is read by report number, phone and code.
  reporter_phone_hash text collate "C" not null,
  relation           text not null check (relation in ('spouse', 'child', 'parent', 'sibling', 'grandchild', 'other')),
  insured_name_enc   text not null,
  id_hash            text collate "C" not null,
  id_masked          text not null,
  event_date         date not null,
  event_kind         text not null check (event_kind in ('death_illness', 'death_accident', 'disability_accident')),
  description_enc    text not null,
  -- The claim opened (or found) for the report; null when no insured person matched.
  claim_id           uuid references insurance_claims (id),
  -- The claim's region, else the person's registry household's, else the city: who follows it up.
  region_code        text collate "C" not null,
  created_at         timestamptz not null default now()
);
create index citizen_claim_reports_region_idx on citizen_claim_reports (region_code, created_at desc);
