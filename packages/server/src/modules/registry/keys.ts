import { sql, type Kysely } from 'kysely';
import type { FieldContext, Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';

/** Every encrypted column of the registry, with the context its values are bound to. */
export const ENCRYPTED_COLUMNS: {
  table: 'households' | 'members' | 'staff_relatives';
  column: string;
  context: FieldContext;
}[] = [
  { table: 'households', column: 'address_enc', context: 'household.address' },
  { table: 'members', column: 'id_number_enc', context: 'member.id_number' },
  { table: 'members', column: 'phone_enc', context: 'member.phone' },
  { table: 'members', column: 'bank_account_enc', context: 'member.bank_account' },
  { table: 'members', column: 'disability_cert_enc', context: 'member.disability_cert' },
  { table: 'staff_relatives', column: 'relative_id_enc', context: 'staff_relative.id_number' },
];

/** Counts values not yet under the current key and algorithm. */
export async function countStale(db: Kysely<DB>, protector: Protector): Promise<number> {
  let total = 0;
  const prefix = protector.cipher.currentPrefix;
  for (const c of ENCRYPTED_COLUMNS) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table)}
      where ${sql.ref(c.column)} is not null and left(${sql.ref(c.column)}, ${prefix.length}) <> ${prefix}`.execute(db);
    total += Number(r.rows[0]!.n);
  }
  return total;
}

/**
 * Re-encrypts every value written under an older key or another algorithm, in batches of
 * one transaction each, so an interrupted run loses nothing and a second run finishes it.
 * Returns the number of values re-encrypted.
 */
export async function rotateKeys(
  db: Kysely<DB>,
  protector: Protector,
  onProgress: (done: number, total: number) => void = () => {},
  batchSize = 2000,
): Promise<number> {
  const prefix = protector.cipher.currentPrefix;
  const total = await countStale(db, protector);
  let done = 0;
  onProgress(0, total);
  for (const c of ENCRYPTED_COLUMNS) {
    for (;;) {
      const rows = await sql<{
        id: string;
        token: string;
      }>`select id, ${sql.ref(c.column)} as token from ${sql.table(c.table)}
        where ${sql.ref(c.column)} is not null and left(${sql.ref(c.column)}, ${prefix.length}) <> ${prefix}
        order by id limit ${batchSize}`.execute(db);
      if (rows.rows.length === 0) break;
      const updates = rows.rows.map((r) => ({ id: r.id, token: protector.cipher.reencrypt(r.token, c.context) }));
      await db.transaction().execute(async (trx) => {
        // One statement per batch: join the new tokens in from a VALUES list.
        await sql`update ${sql.table(c.table)} as t set ${sql.ref(c.column)} = v.token
          from (values ${sql.join(updates.map((u) => sql`(${u.id}::uuid, ${u.token})`))}) as v(id, token)
          where t.id = v.id`.execute(trx);
      });
      done += updates.length;
      onProgress(done, total);
    }
  }
  return done;
}
