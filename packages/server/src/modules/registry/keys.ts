import { sql, type Kysely } from 'kysely';
import type { FieldContext, Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';

const UUID = { column: 'id', type: 'uuid' } as const;

/**
 * Every encrypted column of the database, with the context its values are bound to and the
 * table's key. (feed_staging is left out: its rows live only while a load runs.)
 */
export const ENCRYPTED_COLUMNS: {
  table: 'households' | 'members' | 'staff_relatives' | 'feed_records' | 'feed_sources' | 'lead_visits';
  column: string;
  context: FieldContext;
  key: { column: string; type: 'uuid' | 'bigint' | 'text' };
}[] = [
  { table: 'households', column: 'address_enc', context: 'household.address', key: UUID },
  { table: 'members', column: 'id_number_enc', context: 'member.id_number', key: UUID },
  { table: 'members', column: 'phone_enc', context: 'member.phone', key: UUID },
  { table: 'members', column: 'bank_account_enc', context: 'member.bank_account', key: UUID },
  { table: 'members', column: 'disability_cert_enc', context: 'member.disability_cert', key: UUID },
  { table: 'staff_relatives', column: 'relative_id_enc', context: 'staff_relative.id_number', key: UUID },
  {
    table: 'feed_records',
    column: 'protected_enc',
    context: 'feed_record.protected',
    key: { column: 'id', type: 'bigint' },
  },
  {
    table: 'feed_sources',
    column: 'api_secret_enc',
    context: 'feed_source.api_secret',
    key: { column: 'code', type: 'text' },
  },
  { table: 'lead_visits', column: 'notes_enc', context: 'lead_visit.notes', key: UUID },
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
      }>`select ${sql.ref(c.key.column)} as id, ${sql.ref(c.column)} as token from ${sql.table(c.table)}
        where ${sql.ref(c.column)} is not null and left(${sql.ref(c.column)}, ${prefix.length}) <> ${prefix}
        order by ${sql.ref(c.key.column)} limit ${batchSize}`.execute(db);
      if (rows.rows.length === 0) break;
      const updates = rows.rows.map((r) => ({ id: r.id, token: protector.cipher.reencrypt(r.token, c.context) }));
      await db.transaction().execute(async (trx) => {
        // One statement per batch: join the new tokens in from a VALUES list.
        await sql`update ${sql.table(c.table)} as t set ${sql.ref(c.column)} = v.token
          from (values ${sql.join(updates.map((u) => sql`(cast(${u.id} as ${sql.raw(c.key.type)}), ${u.token})`))}) as v(id, token)
          where t.${sql.ref(c.key.column)} = v.id`.execute(trx);
      });
      done += updates.length;
      onProgress(done, total);
    }
  }
  return done;
}
