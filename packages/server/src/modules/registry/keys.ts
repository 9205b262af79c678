import { sql, type Kysely } from 'kysely';
import type { FieldContext, Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';

type KeyColumn = { column: string; type: 'uuid' | 'bigint' | 'text' | 'int' };
const UUID = { column: 'id', type: 'uuid' } as const;

/**
 * Every encrypted column of the database, with the context its values are bound to and the
 * table's key (one column or several). (feed_staging is left out: its rows live only while a
 * load runs.) case_actions is append-only: its trigger lets a rotation transaction change
 * data_enc alone (migration 0012).
 */
export const ENCRYPTED_COLUMNS: {
  table:
    | 'households'
    | 'members'
    | 'staff_relatives'
    | 'feed_records'
    | 'feed_sources'
    | 'lead_visits'
    | 'cases'
    | 'case_members'
    | 'case_actions'
    | 'enrolment_changes'
    | 'referrals'
    | 'referral_actions'
    | 'care_visits'
    | 'review_actions'
    | 'citizen_claim_reports';
  column: string;
  context: FieldContext;
  key: KeyColumn | KeyColumn[];
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
  { table: 'cases', column: 'phone_enc', context: 'case.phone', key: UUID },
  { table: 'cases', column: 'address_enc', context: 'case.address', key: UUID },
  { table: 'cases', column: 'reason_enc', context: 'case.reason', key: UUID },
  {
    table: 'case_members',
    column: 'id_enc',
    context: 'case_member.id_number',
    key: [
      { column: 'case_id', type: 'uuid' },
      { column: 'n', type: 'int' },
    ],
  },
  { table: 'case_actions', column: 'data_enc', context: 'case_action.data', key: { column: 'id', type: 'bigint' } },
  {
    table: 'enrolment_changes',
    column: 'note_enc',
    context: 'enrolment_change.note',
    key: { column: 'id', type: 'bigint' },
  },
  // ---- phone side (issue 17)
  { table: 'referrals', column: 'request_enc', context: 'referral.request', key: UUID },
  {
    table: 'referral_actions',
    column: 'outcome_enc',
    context: 'referral_action.outcome',
    key: { column: 'id', type: 'bigint' },
  },
  { table: 'care_visits', column: 'notes_enc', context: 'care_visit.notes', key: UUID },
  { table: 'review_actions', column: 'data_enc', context: 'review_action.data', key: { column: 'id', type: 'bigint' } },
  { table: 'citizen_claim_reports', column: 'reporter_name_enc', context: 'claim_report.reporter_name', key: UUID },
  { table: 'citizen_claim_reports', column: 'reporter_phone_enc', context: 'claim_report.reporter_phone', key: UUID },
  { table: 'citizen_claim_reports', column: 'insured_name_enc', context: 'claim_report.insured_name', key: UUID },
  { table: 'citizen_claim_reports', column: 'description_enc', context: 'claim_report.description', key: UUID },
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
    const keys = [c.key].flat();
    const keyList = sql.join(keys.map((k) => sql.ref(k.column)));
    for (;;) {
      const rows = await sql<Record<string, string>>`select ${sql.join(
        keys.map((k, i) => sql`${sql.ref(k.column)} as ${sql.ref(`k${i}`)}`),
      )}, ${sql.ref(c.column)} as token from ${sql.table(c.table)}
        where ${sql.ref(c.column)} is not null and left(${sql.ref(c.column)}, ${prefix.length}) <> ${prefix}
        order by ${keyList} limit ${batchSize}`.execute(db);
      if (rows.rows.length === 0) break;
      const updates = rows.rows.map((r) => ({
        ids: keys.map((_, i) => r[`k${i}`]!),
        token: protector.cipher.reencrypt(r.token!, c.context),
      }));
      await db.transaction().execute(async (trx) => {
        // Lets the append-only case_actions take the new ciphertext (this transaction only).
        await sql`select set_config('jiuzhu.key_rotation', 'on', true)`.execute(trx);
        // One statement per batch: join the new tokens in from a VALUES list.
        const values = updates.map(
          (u) => sql`(${sql.join(u.ids.map((id, i) => sql`cast(${id} as ${sql.raw(keys[i]!.type)})`))}, ${u.token})`,
        );
        const names = sql.join(keys.map((_, i) => sql.ref(`k${i}`)));
        const match = sql.join(
          keys.map((k, i) => sql`t.${sql.ref(k.column)} = v.${sql.ref(`k${i}`)}`),
          sql` and `,
        );
        await sql`update ${sql.table(c.table)} as t set ${sql.ref(c.column)} = v.token
          from (values ${sql.join(values)}) as v(${names}, token)
          where ${match}`.execute(trx);
      });
      done += updates.length;
      onProgress(done, total);
    }
  }
  return done;
}
