import { entitlementSeries, monthRange, type EntitlementChange } from '@jiuzhu/shared';

/**
 * Months in which an enrolment insures people: every month it is in force (active, suspended or in
 * gradual exit: a suspension stops the payment, not the enrolment), with the members covered that
 * month. Pending and ended months insure nobody. Pure, for the roster, the bills and the claims.
 */
export function insuredByMonth(
  changes: readonly EntitlementChange[],
  from: string,
  to: string,
): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (changes.length === 0 || to < from) return out;
  for (const m of entitlementSeries(changes, from, to))
    if (m.state !== 'pending' && m.state !== 'ended' && m.members.length > 0) out.set(m.month, m.members);
  return out;
}

/** The first month of the spell of cover that includes `month` (walking back while still insured). */
export function spellStart(changes: readonly EntitlementChange[], month: string, earliest: string): string {
  const months = insuredByMonth(changes, earliest, month);
  let start = month;
  for (const m of monthRange(earliest, month).reverse()) {
    if (!months.has(m)) break;
    start = m;
  }
  return start;
}

/**
 * Splits `total` fen over parts in proportion to `weights` without losing or inventing a fen:
 * each part gets the floor of its exact share, and the fen left over go to the largest
 * remainders (ties to the earlier part). The parts always add up to `total`.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (BigInt(total) * BigInt(w)) as bigint);
  const big = BigInt(sum);
  const parts = exact.map((e) => Number(e / big));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e % big })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

/** The premium of `personMonths` insured months at `premiumPerYearFen` a year, rounded half up to the fen. */
export function premiumOf(personMonths: number, premiumPerYearFen: number): number {
  return Math.floor((personMonths * premiumPerYearFen * 2 + 12) / 24);
}
