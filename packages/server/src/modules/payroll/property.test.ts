/**
 * Property: over consecutive months, with enrolments decided at random times (some effective
 * before they were recorded) and random later histories, the payrolls pay every month's
 * entitlement exactly once — regular or back pay, never both, none skipped — and each payroll's
 * total is the sum of the entitlements due in it, derived from the histories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pino from 'pino';
import { addMonths, entitlementFor, type EntitlementChange } from '@jiuzhu/shared';
import { createTestApp, type TestApp } from '../../../test/harness';
import { runWithContext, type Actor } from '../../context';
import { payrollHousehold, plantEnrolment } from '../../demo/payroll-driver';
import { approvePayroll, createPayroll, submitPayroll } from './service';

const YUNZHUANG = '350302102201';
const COUNTY = '350302';
const MONTHS = 6;
let t: TestApp;
const households: string[] = [];
let run = 0;

const log = pino({ level: 'silent' });
const as = <T>(actor: Actor, fn: () => Promise<T>) =>
  runWithContext({ requestId: null, actor, scope: { kind: 'region', regionCode: COUNTY }, lang: 'zh-CN', log }, fn);
const maker: Actor = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'p.maker',
  role: 'county_officer',
  regionCode: COUNTY,
};
const checker: Actor = {
  id: '00000000-0000-4000-8000-000000000002',
  username: 'p.checker',
  role: 'finance_officer',
  regionCode: COUNTY,
};

/** One enrolment: recorded before payroll `recordedAt`, effective from `from` ≤ recordedAt, then later changes. */
const enrolmentArb = fc.record({
  recordedAt: fc.integer({ min: 0, max: MONTHS - 1 }),
  back: fc.integer({ min: 0, max: 3 }),
  amount: fc.integer({ min: 1, max: 2_000 }).map((n) => n * 100),
  oneOff: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 500 }).map((n) => n * 100),
  ),
  later: fc.array(
    fc.record({
      type: fc.constantFrom('amount_changed', 'suspended', 'resumed', 'gradual_exit_started', 'ended'),
      offset: fc.integer({ min: 0, max: MONTHS }),
      amount: fc.integer({ min: 1, max: 2_000 }).map((n) => n * 100),
      months: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 4 },
  ),
});

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.login('admin');
  for (let i = 0; i < 6; i++) households.push((await payrollHousehold(admin, YUNZHUANG)).householdId);
});
afterAll(() => t?.close());

describe('payroll over random enrolment histories', () => {
  it('pays each month’s entitlement once, back pay exact, payroll totals = sums of entitlements', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(enrolmentArb, { minLength: 1, maxLength: 6 }), async (specs) => {
        // Each run in its own years, its enrolments ended after its window (so runs do not meet).
        const start = `${2300 + run * 2}-01`;
        run++;
        const month = (i: number) => addMonths(start, i);
        const planted = specs.map((s, i) => {
          const recorded = s.recordedAt;
          const from = Math.max(0, recorded - s.back);
          const history: EntitlementChange[] = [
            { seq: 1, type: 'enrolled', effectiveMonth: month(from), amountFen: s.amount, oneOffFen: s.oneOff },
          ];
          let seq = 2;
          // Later changes take effect no earlier than the month they are recorded in.
          for (const c of s.later)
            history.push({
              seq: seq++,
              type: c.type,
              effectiveMonth: month(Math.min(recorded + c.offset, MONTHS)),
              amountFen: c.type === 'amount_changed' ? c.amount : null,
              months: c.type === 'gradual_exit_started' ? c.months : null,
            });
          history.push({ seq: seq++, type: 'ended', effectiveMonth: month(MONTHS + 1) });
          return { household: households[i % households.length]!, recorded, history, id: '' };
        });
        const payrollTotals: number[] = [];
        const expectedTotals: number[] = [];
        for (let m = 0; m < MONTHS; m++) {
          let expected = 0;
          for (const p of planted) {
            if (p.recorded === m)
              p.id = await plantEnrolment(t.database.db, {
                householdId: p.household,
                regionCode: YUNZHUANG,
                history: p.history,
                openCache: false,
              });
            if (p.recorded > m) continue;
            // Due now: this month, plus (when recorded now) the earlier months of the window it was due in.
            const months = p.recorded === m ? Array.from({ length: m + 1 }, (_, k) => k) : [m];
            for (const k of months) {
              const e = entitlementFor(p.history, month(k));
              expected += e.amountFen;
            }
          }
          const deps = { db: t.database.db, protector: t.app.deps.protector, config: t.config };
          const id = await as(maker, () =>
            createPayroll(deps, { month: month(m), regionCode: COUNTY, runKind: 'regular' }),
          );
          await t.database.db
            .updateTable('payroll_exceptions')
            .set({ status: 'accepted', reason: 'test' })
            .where('payroll_id', '=', id)
            .execute();
          await as(maker, () => submitPayroll(deps, id));
          const approved = await as(checker, () => approvePayroll(deps, id));
          payrollTotals.push(approved.totalFen);
          expectedTotals.push(expected);
        }
        expect(payrollTotals).toEqual(expectedTotals);
        // Per enrolment and month: what was paid equals the entitlement, whatever line carried it.
        for (const p of planted) {
          const lines = await t.database.db
            .selectFrom('payroll_lines')
            .select(['month', 'line_type', 'amount_fen'])
            .where('enrolment_id', '=', p.id)
            .execute();
          for (let k = 0; k < MONTHS; k++) {
            const e = entitlementFor(p.history, month(k));
            const monthly = lines.filter(
              (l) => l.month === month(k) && (l.line_type === 'regular' || l.line_type === 'back_pay'),
            );
            expect(monthly.length).toBeLessThanOrEqual(1);
            expect(
              monthly.reduce((s, l) => s + l.amount_fen, 0),
              `${p.id} ${month(k)}`,
            ).toBe(e.amountFen - e.oneOffFen);
            const oneOff = lines.filter((l) => l.month === month(k) && l.line_type === 'one_off');
            expect(oneOff.reduce((s, l) => s + l.amount_fen, 0)).toBe(e.oneOffFen);
          }
        }
      }),
      { numRuns: 12 },
    );
  });
});
