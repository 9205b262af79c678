import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, summarise, type EntitlementChange } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { insertEnrolments } from '../enrolments/create';
import { largestRemainder, premiumOf } from './coverage-math';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村

let t: TestApp;
let admin: Agent;
let chengxiang: Agent;
let year: number;
let run = 0;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  // The demo schemes cover last year and this one (seeded at boot).
  const schemes = (await admin.request('GET', '/api/insurance/schemes')).json().items;
  year = Math.max(...schemes.map((s: { year: number }) => s.year));
});
afterAll(() => t?.close());

type Step =
  | { type: 'members_changed'; gap: number; keep: number[] }
  | { type: 'suspended' | 'resumed' | 'ended'; gap: number }
  | { type: 'gradual_exit_started'; gap: number; months: number };

type History = { region: string; start: number; size: number; steps: Step[] };

/** Enrolments with the given histories, named `R<run>-<enrolment>-<member>`; returns their change lists. */
async function plant(histories: History[], base: string) {
  run++;
  const out: { names: string[]; hashes: string[]; changes: EntitlementChange[] }[] = [];
  await t.database.db.transaction().execute(async (trx) => {
    for (const [i, h] of histories.entries()) {
      const hashes = Array.from({ length: h.size }, (_, j) => `prop-${run}-${i}-${j}`);
      const names = hashes.map((_, j) => `R${run}-${i}-${j}`);
      const from = addMonths(base, h.start);
      const [id] = await insertEnrolments(
        trx,
        [
          {
            kind: i % 3 === 2 ? 'tekun' : 'dibao',
            householdId: null,
            regionCode: h.region,
            source: 'seed',
            fromMonth: from,
            monthlyAmountFen: 50_000,
            members: hashes.map((idHash, j) => ({
              idHash,
              memberId: null,
              name: names[j]!,
              idMasked: `350302********${String(j).padStart(4, '0')}`,
              relation: j === 0 ? 'head' : 'child',
            })),
            approvalLevel: 'system',
            reason: 'seed',
            careTier: 'self',
          },
        ],
        null,
      );
      const changes: EntitlementChange[] = [
        { seq: 1, type: 'enrolled', effectiveMonth: from, members: hashes, amountFen: 50_000 },
      ];
      let month = from;
      let status = summarise(changes).status;
      for (const s of h.steps) {
        const allowed =
          s.type === 'members_changed'
            ? status !== 'ended'
            : s.type === 'resumed'
              ? status === 'suspended'
              : s.type === 'suspended'
                ? status === 'active' || status === 'gradual_exit'
                : s.type === 'gradual_exit_started'
                  ? status === 'active'
                  : status !== 'ended';
        if (!allowed) continue;
        month = addMonths(month, s.gap);
        const c: EntitlementChange = {
          seq: changes.length + 1,
          type: s.type,
          effectiveMonth: month,
          ...(s.type === 'members_changed'
            ? { members: hashes.filter((_, j) => s.keep.includes(j)), amountFen: 40_000 }
            : {}),
          ...(s.type === 'gradual_exit_started' ? { months: s.months } : {}),
        };
        changes.push(c);
        status = summarise(changes).status;
        await trx
          .insertInto('enrolment_changes')
          .values({
            enrolment_id: id!,
            seq: c.seq,
            type: c.type,
            effective_month: c.effectiveMonth,
            amount_fen: c.amountFen ?? null,
            members: c.members ? [...c.members] : null,
            months: c.months ?? null,
            reason: 'staff',
            approval_level: 'system',
            actor_username: 'test',
            region_code: h.region,
          })
          .execute();
      }
      const sum = summarise(changes);
      await trx
        .updateTable('enrolments')
        .set({ status: sum.status, ends_month: sum.endsMonth })
        .where('id', '=', id!)
        .execute();
      out.push({ names, hashes, changes });
    }
  });
  return out;
}

/**
 * Who an enrolment covers in a month, written independently of the entitlement math: apply the
 * changes effective by then in order; ended (or a gradual exit run out) covers nobody, and a
 * suspension stops the money, not the cover.
 */
function oracle(changes: EntitlementChange[], month: string): string[] {
  let members: readonly string[] = [];
  let on = false;
  let exitEnd: string | null = null;
  for (const c of changes) {
    if (c.effectiveMonth > month) break;
    if (c.type === 'enrolled') on = true;
    if (c.members) members = c.members;
    if (c.type === 'gradual_exit_started') exitEnd = addMonths(c.effectiveMonth, c.months ?? 0);
    if (c.type === 'ended') {
      on = false;
      break;
    }
  }
  if (exitEnd !== null && month >= exitEnd) on = false;
  return on ? [...members] : [];
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    type: fc.constant('members_changed' as const),
    gap: fc.integer({ min: 0, max: 4 }),
    keep: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    type: fc.constantFrom('suspended' as const, 'resumed' as const, 'ended' as const),
    gap: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({
    type: fc.constant('gradual_exit_started' as const),
    gap: fc.integer({ min: 0, max: 4 }),
    months: fc.integer({ min: 0, max: 3 }),
  }),
);
const history: fc.Arbitrary<History> = fc.record({
  region: fc.constantFrom(YUNZHUANG, DONGZHANG),
  start: fc.integer({ min: 0, max: 14 }),
  size: fc.integer({ min: 1, max: 4 }),
  steps: fc.array(step, { maxLength: 5 }),
});

describe('insurance roster (参保名单)', () => {
  it('roster for a date = the covered members of the 低保/特困 enrolments in force that month', async () => {
    const base = `${year - 1}-01`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(history, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }),
        async (histories, offsets) => {
          const planted = await plant(histories, base);
          for (const off of offsets) {
            const month = addMonths(base, off);
            const on = `${month}-15`;
            const res = await admin.request('GET', `/api/insurance/roster?on=${on}&q=R${run}-&pageSize=500`);
            expect(res.statusCode, res.body).toBe(200);
            const got = (res.json().items as { name: string }[]).map((i) => i.name).sort();
            const want = planted
              .flatMap((p) => oracle(p.changes, month).map((h) => p.names[p.hashes.indexOf(h)]!))
              .sort();
            expect(got).toEqual(want);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('lists monthly additions and removals, and exports the roster and the changes as XLSX', async () => {
    const base = `${year}-01`;
    const [p] = await plant(
      [{ region: YUNZHUANG, start: 2, size: 2, steps: [{ type: 'members_changed', gap: 2, keep: [0] }] }],
      base,
    );
    const added = (await admin.request('GET', `/api/insurance/roster/changes?month=${year}-03`)).json();
    expect(added.items.filter((i: { name: string }) => i.name.startsWith(`R${run}-`))).toEqual([
      expect.objectContaining({ change: 'added', name: p!.names[0], regionName: '云庄村委会', kind: 'dibao' }),
      expect.objectContaining({ change: 'added', name: p!.names[1] }),
    ]);
    const removed = (await admin.request('GET', `/api/insurance/roster/changes?month=${year}-05`)).json();
    expect(removed.items.filter((i: { name: string }) => i.name.startsWith(`R${run}-`))).toEqual([
      expect.objectContaining({ change: 'removed', name: p!.names[1] }),
    ]);
    const roster = (await admin.request('GET', `/api/insurance/roster?on=${year}-04-30&q=R${run}-`)).json();
    expect(roster.items).toEqual([
      expect.objectContaining({ name: p!.names[0], insuredFrom: `${year}-03` }),
      expect.objectContaining({ name: p!.names[1], insuredFrom: `${year}-03` }),
    ]);
    expect(roster.items[0].idMasked).toMatch(/\*{4}/);

    const xlsx = await admin.request('GET', `/api/insurance/roster.xlsx?on=${year}-04-30&q=R${run}-`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[1]!.slice(1, 3)).toEqual(['姓名', '身份证号（脱敏）']);
    expect(rows.slice(2, 4).map((r) => r[1])).toEqual(p!.names);

    const changesXlsx = await admin.request('GET', `/api/insurance/roster/changes.xlsx?month=${year}-05`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(changesXlsx.rawPayload as unknown as ArrayBuffer);
    const names = (wb2.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r[2]);
    expect(names).toContain(p!.names[1]);
  });

  it('answers for no date outside a scheme’s period, and keeps a county to its own region', async () => {
    const none = (await admin.request('GET', '/api/insurance/roster?on=2001-06-01')).json();
    expect(none).toMatchObject({ schemeId: null, total: 0, items: [] });
    const county = (await chengxiang.request('GET', `/api/insurance/roster?on=${year}-04-30&pageSize=500`)).json();
    expect(county.items.every((i: { regionCode: string }) => i.regionCode.startsWith('350302'))).toBe(true);
    expect((await chengxiang.request('GET', '/api/insurance/roster?regionCode=350303')).statusCode).toBe(403);
  });
});

describe('premium bills', () => {
  it('splits a total over parts without losing a fen (largest remainder)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          const parts = largestRemainder(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum === 0) {
            // Nothing to share by (every weight 0): every part is 0. (Returned, the assertion's
            // value made fast-check read a failed property when all weights came out 0.)
            expect(parts).toEqual(weights.map(() => 0));
            return;
          }
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          // Each part is within one fen of its exact share: |p − total·w/sum| < 1, in integers (floats
          // rounded a share of k + 0.999… up to k + 1 and failed now and then).
          parts.forEach((p, i) => {
            const gap = BigInt(p) * BigInt(sum) - BigInt(total) * BigInt(weights[i]!);
            expect((gap < 0n ? -gap : gap) < BigInt(sum)).toBe(true);
          });
        },
      ),
    );
    expect(largestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(premiumOf(1, 4_000)).toBe(333); // 40 yuan / 12 = 3.333… yuan
    expect(premiumOf(3, 4_000)).toBe(1_000);
  });

  it('bills person-months × premium / 12 per county, split city/county, adding up to the city total', async () => {
    const bill = (await admin.request('GET', `/api/insurance/bills?year=${year - 1}`)).json();
    expect(bill).toMatchObject({ year: year - 1, premiumPerYearFen: 4_000, isDemo: true });
    // The property test planted enrolments in both counties.
    expect(bill.counties.map((c: { regionCode: string }) => c.regionCode)).toEqual(['350302', '350303']);
    const pm = bill.counties.reduce((a: number, c: { personMonths: number }) => a + c.personMonths, 0);
    expect(bill.total.personMonths).toBe(pm);
    expect(bill.total.premiumFen).toBe(Math.round((pm * 4_000) / 12));
    for (const c of bill.counties) {
      expect(c.cityFen + c.countyFen).toBe(c.premiumFen);
      expect(Math.abs(c.premiumFen - (c.personMonths * 4_000) / 12)).toBeLessThan(1);
      expect(Math.abs(c.cityFen - c.premiumFen / 2)).toBeLessThanOrEqual(0.5);
    }
    // A county sees its own line, the same as in the city's bill.
    const own = (await chengxiang.request('GET', `/api/insurance/bills?year=${year - 1}`)).json();
    expect(own.counties).toEqual([bill.counties[0]]);
  });

  it('versions the scheme: a new version is in force and bills with its premium and shares', async () => {
    const current = (await admin.request('GET', '/api/insurance/schemes'))
      .json()
      .items.find((s: { year: number; inForce: boolean }) => s.year === year - 1 && s.inForce);
    const { id, version, inForce, createdBy, createdAt, billingRule, isDemo, ...input } = current;
    void [id, inForce, createdBy, createdAt, billingRule, isDemo];
    const res = await admin.request('POST', '/api/insurance/schemes', {
      ...input,
      insurer: '某某人寿保险股份有限公司莆田中心支公司',
      premiumFen: 4_800,
      countyCityShareBp: { '350303': 7_000 },
      note: null,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ version: version + 1, inForce: true, isDemo: false });
    const list = (await admin.request('GET', '/api/insurance/schemes')).json().items;
    expect(
      list.filter((s: { year: number }) => s.year === year - 1).map((s: { inForce: boolean }) => s.inForce),
    ).toEqual([true, false]);
    const bill = (await admin.request('GET', `/api/insurance/bills?year=${year - 1}`)).json();
    expect(bill).toMatchObject({ premiumPerYearFen: 4_800, version: version + 1 });
    const hanjiang = bill.counties.find((c: { regionCode: string }) => c.regionCode === '350303');
    expect(hanjiang.cityShareBp).toBe(7_000);
    expect(Math.abs(hanjiang.cityFen - hanjiang.premiumFen * 0.7)).toBeLessThanOrEqual(0.5);
    const bad = await admin.request('POST', '/api/insurance/schemes', {
      ...input,
      periodFrom: `${year}-01-01`,
      periodTo: `${year}-12-31`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('periodFrom');
    expect((await chengxiang.request('POST', '/api/insurance/schemes', input)).statusCode).toBe(403);
  });
});
