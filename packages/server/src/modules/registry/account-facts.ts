import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';

/**
 * Facts about a member's bank account stored beside its ciphertext (migration 0093), so that the
 * payroll reads them without decrypting: the blind index, the format check, and for a card number
 * failing the Luhn check its issuer prefix (the configured Luhn prefixes decide at build time
 * whether that failure matters). `bank_account_facts_of` ties the facts to the ciphertext.
 */
export type AccountFacts = {
  bank_account_hash: string | null;
  bank_account_check: AccountCheck | null;
  bank_account_iin: string | null;
  bank_account_facts_of: string | null;
};
export type AccountCheck = 'ok' | 'bad_format' | 'luhn_failed';

/** The issuer identification number is at most 8 digits (ISO/IEC 7812); Luhn prefixes are IINs. */
export const IIN_DIGITS = 8;

/** The Luhn (mod 10) check over a card number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The prefix-independent check of an account number (see accountValidFrom for the decision). */
export function accountCheck(account: string): { check: AccountCheck; iin: string | null } {
  if (!/^\d{12,19}$/.test(account)) return { check: 'bad_format', iin: null };
  if ((account.length === 16 || account.length === 19) && !luhnValid(account))
    return { check: 'luhn_failed', iin: account.slice(0, IIN_DIGITS) };
  return { check: 'ok', iin: null };
}

/** Whether an account passes, from its stored check and the configured Luhn prefixes. */
export function accountValidFrom(check: AccountCheck, iin: string | null, luhnPrefixes: readonly string[]): boolean {
  if (check === 'bad_format') return false;
  if (check === 'luhn_failed') return !luhnPrefixes.some((p) => (iin ?? '').startsWith(p));
  return true;
}

/** The blind index of an account number (the ID key, in its own domain: never joinable with IDs). */
export function accountHash(protector: Protector, account: string): string {
  return protector.blindIndex(account, 'bank_account');
}

export function factsStamp(ciphertext: string): string {
  return createHash('md5').update(ciphertext, 'utf8').digest('hex');
}

/** The facts of an account as written (ciphertext and plaintext of the same write). */
export function accountFacts(
  protector: Protector,
  account: string | null | undefined,
  enc: string | null,
): AccountFacts {
  if (account === null || account === undefined || enc === null)
    return { bank_account_hash: null, bank_account_check: null, bank_account_iin: null, bank_account_facts_of: null };
  const { check, iin } = accountCheck(account);
  return {
    bank_account_hash: accountHash(protector, account),
    bank_account_check: check,
    bank_account_iin: iin,
    bank_account_facts_of: factsStamp(enc),
  };
}

/**
 * Fills the facts of accounts written without them or re-encrypted since (key rotation, an older
 * release), in batches; run at start-up. Returns the number of members updated.
 */
export async function fillAccountFacts(db: Kysely<DB>, protector: Protector, batch = 2000): Promise<number> {
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db
      .selectFrom('members')
      .select(['id', 'bank_account_enc'])
      .where('id', '>', after)
      .where('bank_account_enc', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('bank_account_facts_of', 'is', null),
          eb('bank_account_facts_of', '<>', eb.fn<string>('md5', ['bank_account_enc'])),
        ]),
      )
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return done;
    after = rows[rows.length - 1]!.id;
    const facts = rows.map((r) =>
      accountFacts(protector, protector.decrypt(r.bank_account_enc!, 'member.bank_account'), r.bank_account_enc),
    );
    // One statement per batch; a row whose account changed meanwhile keeps the writer's facts.
    await sql`update members m set bank_account_hash = f.hash, bank_account_check = f.check_, bank_account_iin = f.iin,
        bank_account_facts_of = f.facts_of
      from unnest(${rows.map((r) => r.id)}::uuid[], ${facts.map((f) => f.bank_account_hash)}::text[],
        ${facts.map((f) => f.bank_account_check)}::text[], ${facts.map((f) => f.bank_account_iin)}::text[],
        ${facts.map((f) => f.bank_account_facts_of)}::text[]) as f(id, hash, check_, iin, facts_of)
      where m.id = f.id and md5(m.bank_account_enc) = f.facts_of`.execute(db);
    done += rows.length;
    if (rows.length < batch) return done;
  }
}
