/**
 * Property: the household search by a one- or two-character name fragment, which asks the grams
 * index for the tokens of the counties it covers (migration 0113), returns the same households in
 * the same order, and the same total, as the search before it (grams of the name alone, scope and
 * region filter applied afterwards) — for callers at every level (the system, the province, a
 * city, a county, a township, a village), with and without a region filter, on names of up to
 * nine characters drawn from a few characters so that fragments repeat across regions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pino from 'pino';
import { sql, type SqlBool } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/harness';
import { runWithContext, type Scope } from '../../context';
import { Protector } from '../../crypto/index';
import { inScope } from '../../db/scope';
import { searchHouseholds } from './service';

let t: TestApp;
const log = pino({ level: 'silent' });

// A second city (厦门) beside the test city (莆田), each with two counties, a township and a village
// in each county, and households registered at every level (a city, a county, a township, a village).
const XIAMEN = [
  ['3502', 'city', null],
  ['350203', 'county', '3502'],
  ['350203001', 'township', '350203'],
  ['350203001001', 'village', '350203001'],
  ['350205', 'county', '3502'],
  ['350205001', 'township', '350205'],
  ['350205001001', 'village', '350205001'],
] as const;
const PLACES = [
  '3503',
  '350302',
  '350302102',
  '350302102201',
  '350303105201',
  '350322',
  ...XIAMEN.map(([code]) => code),
];
const SCOPES: Scope[] = [
  { kind: 'system', reason: 'test' },
  ...['35', '3503', '3502', '350302', '350205', '350302102', '350205001001'].map((regionCode): Scope => ({
    kind: 'region',
    regionCode,
  })),
];
const FILTERS = [undefined, '3502', '350302', '350205001001'];
const CHARS = ['陈', '华', '林', '国', '·', 'a'];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  for (const [code, level, parent] of XIAMEN)
    await db
      .insertInto('regions')
      .values({ code, name: `厦门${code}`, level, parent_code: parent })
      .onConflict((oc) => oc.doNothing())
      .execute();
});
afterAll(() => t?.close());

/** The search before 0113 (grams of the name alone, then scope and filter), as the household ids of a page and the total. */
async function before(fragment: string, regionCode: string | undefined) {
  const db = t.database.db;
  let query = db
    .selectFrom('households as h')
    .where(inScope('h.region_code'))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('members as m')
          .select('m.id')
          .whereRef('m.household_id', '=', 'h.id')
          .where('m.name', 'like', `%${fragment}%`)
          .where(sql<SqlBool>`name_grams(m.name) @> array[${fragment}]::text[]`),
      ),
    );
  if (regionCode) query = query.where('h.region_code', 'like', `${regionCode}%`);
  const ids = await query.select('h.id').orderBy('h.household_no').limit(200).execute();
  const n = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { ids: ids.map((r) => r.id), total: Number(n.n) };
}

const householdsArb = fc.array(
  fc.record({
    place: fc.constantFrom(...PLACES),
    names: fc.array(fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 9 }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  { minLength: 1, maxLength: 40 },
);

describe('name search by county tokens (migration 0113)', () => {
  it('inlines name_grams_in into the query (a call per member would make every register import slower)', async () => {
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain verbose select name_grams_in(region_code, name) from members`.execute(t.database.db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('regexp_replace');
    expect(text).not.toContain('name_grams_in(');
  });

  it('returns what the search by plain grams returned, for every level of caller and region filter', async () => {
    const db = t.database.db;
    const protector = new Protector(t.config);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(householdsArb, async (households) => {
        run++;
        await db.deleteFrom('households').where('household_no', 'like', 'NS-%').execute();
        for (const [i, h] of households.entries()) {
          const { id } = await db
            .insertInto('households')
            .values({ household_no: `NS-${run}-${String(i).padStart(3, '0')}`, region_code: h.place, address_enc: 'x' })
            .returning('id')
            .executeTakeFirstOrThrow();
          await db
            .insertInto('members')
            .values(
              h.names.map((name, j) => ({
                household_id: id,
                region_code: h.place,
                name: name.join(''),
                id_number_enc: 'x',
                id_hash: `ns-${run}-${i}-${j}`,
                id_masked: 'x',
                sex: 'male' as const,
                birth_date: '1960-01-01',
                relation: j === 0 ? ('head' as const) : ('child' as const),
                hukou_type: 'rural' as const,
                work_ability: 'full',
                self_care: 'self',
                school_status: 'none',
                adl: '{}',
                income: '{}',
                assets: '{}',
              })),
            )
            .execute();
        }
        // The tokens are the member's county and each gram of name_grams, nothing more or less.
        const tokens = await sql<{ same: boolean }>`
          select bool_and(array(select distinct g from unnest(name_grams_in(region_code, name)) g order by 1)
                          = array(select distinct left(region_code, 6) || ':' || g from unnest(name_grams(name)) g order by 1)) as same
            from members where id_hash like ${`ns-${run}-%`}`.execute(db);
        expect(tokens.rows[0]!.same).toBe(true);
        const fragments = ['陈', '·', 'a', '陈华', '林·', 'aa'];
        for (const scope of SCOPES)
          for (const regionCode of FILTERS)
            for (const fragment of fragments)
              await runWithContext({ requestId: null, actor: null, scope, lang: 'zh-CN', log }, async () => {
                const now = await searchHouseholds(db, protector, {
                  name: fragment,
                  ...(regionCode ? { regionCode } : {}),
                  order: 'asc',
                  page: 1,
                  pageSize: 200,
                });
                const was = await before(fragment, regionCode);
                const where = `${JSON.stringify(scope)} ${regionCode} ${fragment}`;
                expect(
                  now.items.map((h) => h.id),
                  where,
                ).toEqual(was.ids);
                expect(now.total, where).toBe(was.total);
              });
      }),
      { numRuns: 6 },
    );
  }, 240_000);
});
