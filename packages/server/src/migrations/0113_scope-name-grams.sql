-- The name-grams index of 0092/0110 answered for the whole database: at province size a city admin's
-- two-character search (陈华) took the 1,563 people of the province so named from the index, then
-- threw away all but the 114 in the admin's city. The grams now carry the member's county (the first
-- six digits of the region code): '350322:陈华'. A search asks for the tokens of the counties its
-- scope (and its region filter) covers, so the index hands over only that region's matches; a
-- county, township or village caller asks for one token, a city caller for its counties' tokens.
--
-- Why tokens and not btree_gin's composite GIN (region_code, grams): GIN keeps the columns' keys
-- apart and intersects their posting lists, so a city caller's region condition (a range over
-- thousands of village codes) reads the posting lists of every member of the city before the
-- intersection; a token is one key per county and gram, and the index holds as many entries per
-- member as before (the same grams, only longer). No extension either (PGlite would need it loaded
-- at construction).
--
-- Tokens are `county:gram`: region codes are digits, so the first ':' ends the county, and a code
-- shorter than six digits (a household registered at city level) still gives a token of its own.
-- One plain expression of immutable built-in functions only, inlined like name_grams of 0110 (that
-- is how the search finds the index, why it stays cheap on import, and what analyze can evaluate
-- with an empty search_path: so it repeats name_grams' grams rather than calling it; and no
-- array_to_string, which is only stable and would keep the function from being inlined: ≈9 µs a
-- member instead of ≈2): the fixed list for up to four characters; for a longer name every
-- character, and the pairs from even and from odd offsets (a last odd character alone, as 0110's
-- split gives it), each written after a unit separator (U+001F) and the county, then split on the
-- separator. No name holds a control character (every text field of the API refuses them). Not
-- strict, for the reason in 0110.
create function name_grams_in(region_code text, name text) returns text[]
  language sql immutable parallel safe
  as $$
    select case when char_length(name) <= 4
      then array_remove(array[left(region_code, 6) || ':' || substr(name, 1, 1),
                              left(region_code, 6) || ':' || substr(name, 2, 1),
                              left(region_code, 6) || ':' || substr(name, 3, 1),
                              left(region_code, 6) || ':' || substr(name, 4, 1),
                              left(region_code, 6) || ':' || substr(name, 1, 2),
                              left(region_code, 6) || ':' || substr(name, 2, 2),
                              left(region_code, 6) || ':' || substr(name, 3, 2)], left(region_code, 6) || ':')
      else array_remove(string_to_array(regexp_replace(name, '(.)', chr(31) || left(region_code, 6) || ':\1', 'g')
                                        || regexp_replace(name, '(..?)', chr(31) || left(region_code, 6) || ':\1', 'g')
                                        || regexp_replace(substr(name, 2), '(..?)', chr(31) || left(region_code, 6) || ':\1', 'g'),
                                        chr(31)), '') end
  $$;

create index members_name_grams_in_idx on members using gin (name_grams_in(region_code, name));
drop index members_name_grams_idx;
