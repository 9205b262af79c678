-- Household search by a one- or two-character name fragment (a surname, a given name): the trigram
-- index cannot serve patterns under three characters, so such a search read the whole register
-- (~0.2 s per request at city size, 150,000 people). Every character and every pair of adjacent
-- characters of a name, in a GIN index: `name_grams(name) @> array[fragment]` finds the candidates,
-- the LIKE on the name stays as the exact test.
create function name_grams(name text) returns text[]
  language sql immutable strict parallel safe
  as $$
    select coalesce(array_agg(distinct g), '{}')
      from (select substr(name, i, 1) as g from generate_series(1, char_length(name)) i
            union all
            select substr(name, i, 2) from generate_series(1, char_length(name) - 1) i) s
  $$;

create index members_name_grams_idx on members using gin (name_grams(name));

-- The application and lead lists open most urgent first (open before closed, then the step's due
-- date): in that order an index hands over the first page without sorting every case in scope.
-- The expression must stay the one `listCases` orders by (`OPEN_CASE_STATUSES` in the shared
-- package); if that list changes, a new migration replaces this index.
create index cases_urgency_idx on cases (
  (status in ('submitted', 'missing_docs', 'accepted', 'verifying', 'verified', 'determined', 'notice',
              'pending_approval')) desc,
  step_due_on nulls last, created_at, id);
create index leads_urgency_idx on leads ((status = 'open') desc, due_date, lead_no);
