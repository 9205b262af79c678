import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Test data for leads: a loaded feed batch with one medical-expense record of a registered member
 * and a 'lead' signal on it, written as plain rows (what ingest and the collision engine leave
 * behind). The tests then call dispatchNewLeads. Only for tests and browser-test setup.
 */
export async function plantLeadSignal(
  db: Kysely<DB>,
  member: { memberId: string; householdId: string },
  eventDate = '2025-08-15',
): Promise<{ signalId: string }> {
  const m = await db
    .selectFrom('members')
    .select(['id_hash', 'id_masked', 'name', 'region_code'])
    .where('id', '=', member.memberId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('feed_sources')
    .values({ code: 'lead_test', name_zh: '测试医保局', name_en: 'Test medical insurance' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('feed_kinds')
    .values({
      code: 'lead_test.expenses',
      source_code: 'lead_test',
      name_zh: '医疗费用（测试）',
      name_en: 'Medical expenses (test)',
      record_type: 'medical',
      format: 'csv',
      // Named like a catalogue kind, so pages show the fields by name and money in 元.
      columns: JSON.stringify([
        { name: 'total', type: 'fen', required: true, labelZh: '医疗总费用', labelEn: 'Total cost' },
        { name: 'self_paid', type: 'fen', required: true, labelZh: '个人自付', labelEn: 'Self-paid' },
      ]),
      event_date_column: 'settled_on',
      created_by: 'test',
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('collision_rules')
    .values({ code: 'lead_test.high_self_paid', name_zh: '自付医疗费用高', name_en: 'High self-paid medical costs' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const rule = await db
    .selectFrom('collision_rules')
    .select('id')
    .where('code', '=', 'lead_test.high_self_paid')
    .executeTakeFirstOrThrow();
  const batch = await db
    .insertInto('feed_batches')
    .values({
      kind_code: 'lead_test.expenses',
      source_code: 'lead_test',
      channel: 'cli',
      file_name: 'expenses.csv',
      file_sha256: randomUUID(),
      status: 'loaded',
      as_of: eventDate,
      created_by: 'test',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const record = await db
    .insertInto('feed_records')
    .values({
      batch_id: batch.id,
      kind_code: 'lead_test.expenses',
      record_type: 'medical',
      line: 2,
      // A department's own record number, as a real file has it.
      record_key: `MED${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
      id_hash: m.id_hash,
      id_masked: m.id_masked,
      name: m.name,
      event_date: eventDate,
      data: JSON.stringify({ total: 8_600_000, self_paid: 5_200_000 }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const signal = await db
    .insertInto('signals')
    .values({
      rule_id: rule.id,
      rule_version: 1,
      outcome: 'lead',
      dedupe_key: randomUUID(),
      id_hash: m.id_hash,
      member_id: member.memberId,
      household_id: member.householdId,
      region_code: m.region_code,
      detail: JSON.stringify({}),
      batch_id: batch.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('signal_records').values({ signal_id: signal.id, record_id: record.id }).execute();
  return { signalId: signal.id };
}
