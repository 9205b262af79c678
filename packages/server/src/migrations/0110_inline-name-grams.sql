-- name_grams (0092) ran as a separate SQL-function query for every member written: a
-- generate_series, a union and a sorted array_agg(distinct), ~20 µs a row, which made the
-- members_name_grams_idx the costliest index of a register import (≈3 s of the database's time for
-- a city's 150,000 members, against ≈0.2 s for the expression below).
--
-- The grams now come from one plain expression, which PostgreSQL inlines into the index expression
-- and into the search's `name_grams(m.name) @> array[...]` alike (that is how the search still
-- finds the index): for a name of up to four characters (nearly every Chinese name) a fixed list of
-- substrings; for a longer one every character, and the pairs split at even and at odd offsets (a
-- regular expression, slower, but such names are rare). For a given name the set of grams is the
-- one the old function returned (checked on 150,000 generated names of 0 to 18 characters), only
-- unsorted and with repeats; a GIN index on an array holds each distinct element once whatever the
-- order, and `@>` compares sets, so the index built with the old function stays valid and nothing is
-- rebuilt.
--
-- Only built-in functions in the body: the inlined expression is also what autovacuum's analyze
-- evaluates, with an empty search_path. Not strict: PostgreSQL inlines a strict function only when
-- the expression is strict itself, and an ARRAY[...] is not; `members.name` is never null, and a
-- null name still gives null.
create or replace function name_grams(name text) returns text[]
  language sql immutable parallel safe
  as $$
    select case when char_length(name) <= 4
      then array_remove(array[substr(name, 1, 1), substr(name, 2, 1), substr(name, 3, 1), substr(name, 4, 1),
                              substr(name, 1, 2), substr(name, 2, 2), substr(name, 3, 2)], '')
      else array_remove(string_to_array(name, null)
                        || regexp_split_to_array(name, '(?<=^(?:..)+)')
                        || regexp_split_to_array(substr(name, 2), '(?<=^(?:..)+)'), '') end
  $$;
