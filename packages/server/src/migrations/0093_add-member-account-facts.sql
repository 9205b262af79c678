-- What the payroll build needs to know about a member's bank account, stored when the account is
-- written so that a build of the whole city decrypts nothing: the account's blind index (equal
-- accounts across households, a corrected account), whether its format is a card number, and for a
-- 16/19-digit number failing the Luhn check its issuer prefix (IIN, first 8 digits), so that a
-- change of the configured Luhn prefixes needs no decryption either.
-- bank_account_facts_of is the md5 of the ciphertext the facts were computed from: facts whose
-- stamp differs from md5(bank_account_enc) are stale (a writer that did not refresh them, a key
-- rotation) and the reader decrypts instead; a start-up step fills missing or stale facts.
alter table members
  add column bank_account_hash text,
  add column bank_account_check text check (bank_account_check in ('ok', 'bad_format', 'luhn_failed')),
  add column bank_account_iin text,
  add column bank_account_facts_of text;
