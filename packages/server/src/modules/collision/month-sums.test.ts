/**
 * Aggregate rules read monthly sums (migration 0104) to find the people whose window can pass,
 * then those people's records. Their hits must be exactly those of reading every record: checked
 * here against the record-by-record statement (the same rule with an always-true condition, which
 * takes that path) on records around both ends of the window, with negative, string, missing and
 * non-numeric readings, for every operator, both functions and windows ending mid-month, at the
 * start of a month and at its end; then after records are deleted (the sums are dropped and built
 * again).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleDefinitionInput } from '@jiuzhu/shared';
import { createTestApp, type TestApp } from '../../../test/harness';
import type { DB } from '../../db/schema';
import { Random } from '../../synthetic/random';
import { compileRule, ensureMonthSums } from './rules';

let t: TestApp;
const KIND = 'test.month_sums';
const PEOPLE = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`);

async function loadBatch(db: Kysely<DB>, rng: Random, part: number, rows: number): Promise<string> {
  const batch = await db
    .insertInto('feed_batches')
    .values({
      kind_code: KIND,
      source_code: 'test',
      channel: 'cli',
      file_name: `sums-${part}.csv`,
      file_sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      status: 'loaded',
      as_of: '2026-01-15',
      rows_total: rows,
      rows_loaded: rows,
      created_by: 'test',
      loaded_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const start = Date.parse('2026-03-01T00:00:00Z');
  const values = Array.from({ length: rows }, (_, i) => {
    const person = PEOPLE[Math.floor(rng.next() * PEOPLE.length)]!;
    // Dates over ~16 months, many on the days where windows start and end.
    const day = rng.next() < 0.3 ? [0, 1, 14, 15, 16, 58, 59, 60, 425, 426, 440, 441][Math.floor(rng.next() * 12)]! : 0;
    const eventDate = new Date(start - (day || Math.floor(rng.next() * 480)) * 86_400_000).toISOString().slice(0, 10);
    const x = rng.next();
    const amount = Math.floor(rng.next() * 900_000) - 100_000;
    const reading =
      x < 0.6
        ? amount
        : x < 0.75
          ? String(amount)
          : x < 0.8
            ? `${amount}.25`
            : x < 0.85
              ? 'n/a'
              : x < 0.9
                ? null
                : undefined;
    const data: Record<string, unknown> = { visit_type: 'inpatient' };
    if (reading !== undefined) data.self_paid_fen = reading;
    return {
      batch_id: batch.id,
      kind_code: KIND,
      record_type: rng.next() < 0.8 ? 'medical' : 'medical_other',
      line: i + 2,
      record_key: `S${part}-${i}`,
      id_hash: person,
      id_masked: '350302********0011',
      name: '某某',
      event_date: eventDate,
      data: JSON.stringify(data),
    };
  });
  await db.insertInto('feed_records').values(values).execute();
  return batch.id;
}

type Hit = { record_id: string; id_hash: string; detail: unknown; dedupe_key: string };

async function hitsOf(definition: RuleDefinitionInput, asOf: string): Promise<{ fast: Hit[]; slow: Hit[] }> {
  const db = t.database.db;
  const ctx = { runId: randomUUID(), batchId: null, asOf, cityCode: '3503' };
  const fast = compileRule(definition, ctx);
  expect(fast.monthSums).toBeDefined();
  // Always true for a record: the same rule, read record by record.
  const slow = compileRule({ ...definition, where: [{ field: 'event_date', op: 'gte', value: '1900-01-01' }] }, ctx);
  expect(slow.monthSums).toBeUndefined();
  return db.transaction().execute(async (trx) => {
    await ensureMonthSums(trx, fast.monthSums!);
    const read = async (hits: typeof fast.hits) =>
      (
        await sql<Hit>`select h.record_id::text, h.id_hash, h.detail, h.dedupe_key from (${hits}) h
          order by h.record_id`.execute(trx)
      ).rows;
    return { fast: await read(fast.hits), slow: await read(slow.hits) };
  });
}

const definitions = (): { name: string; def: RuleDefinitionInput }[] => {
  const out: { name: string; def: RuleDefinitionInput }[] = [];
  const ops = ['gte', 'gt', 'lte', 'lt', 'eq'] as const;
  for (const op of ops)
    for (const [fn, values] of [
      ['sum', [1_000_000, 0, -5_000]],
      ['count', [3, 1]],
    ] as const)
      for (const value of values)
        for (const windowMonths of [1, 12])
          out.push({
            name: `${fn} ${op} ${value} over ${windowMonths}`,
            def: {
              recordTypes: ['medical', 'medical_other'],
              subject: 'unmatched',
              aggregate: { field: 'self_paid_fen', fn, windowMonths, op, value },
              once: 'person',
              outcomes: ['lead'],
            },
          });
  return out;
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await db
    .insertInto('feed_sources')
    .values({ code: 'test', name_zh: '测试', name_en: 'Test' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('feed_kinds')
    .values({
      code: KIND,
      source_code: 'test',
      name_zh: '测试',
      name_en: 'Test',
      record_type: 'medical',
      format: 'csv',
      columns: JSON.stringify([]),
      event_date_column: 'event_date',
      created_by: 'test',
    })
    .execute();
  const rng = new Random(15);
  await loadBatch(db, rng, 1, 700);
  await loadBatch(db, rng, 2, 300);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('aggregate rules over monthly sums', () => {
  it('find exactly the hits of reading every record, for every operator, function and window end', async () => {
    let nonEmpty = 0;
    for (const asOf of ['2026-01-15', '2026-01-01', '2025-12-31'])
      for (const { name, def } of definitions()) {
        const { fast, slow } = await hitsOf(def, asOf);
        expect(fast, `${name} to ${asOf}`).toEqual(slow);
        if (slow.length > 0) nonEmpty++;
      }
    // The cases are not vacuous: most find someone.
    expect(nonEmpty).toBeGreaterThan(60);
  }, 120_000);

  it('builds each batch’s sums once, and again after its records change', async () => {
    const db = t.database.db;
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from feed_month_sum_batches`.execute(db)).rows[0]!.n;
    const def = definitions()[0]!.def;
    await hitsOf(def, '2026-01-15');
    const built = await count();
    expect(built).toBe(4); // two batches × two record types, one field
    await hitsOf(def, '2026-01-15');
    expect(await count()).toBe(built);
    // Records deleted from a batch: its sums go, and the next read builds them from what is left.
    await sql`delete from feed_records where record_key in ('S1-1', 'S1-2', 'S1-3')`.execute(db);
    expect(await count()).toBe(2);
    for (const { name, def: d } of definitions().filter((_, i) => i % 7 === 0)) {
      const { fast, slow } = await hitsOf(d, '2026-01-15');
      expect(fast, name).toEqual(slow);
    }
    expect(await count()).toBe(4);
  }, 60_000);
});
