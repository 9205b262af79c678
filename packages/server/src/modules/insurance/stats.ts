import type { Kysely } from 'kysely';
import { chinaToday, type ClaimStatus, type InsuranceStats, type InsuranceStatsQuery } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { AppError } from '../../errors';
import { getCalendar } from '../calendar/service';
import { getBill } from './bills';
import { claimsFrom } from './claims';
import { regionNames } from './roster';

const STATUSES: ClaimStatus[] = ['reported', 'guided', 'received', 'approved', 'refused', 'paid'];

/**
 * The statistics of a policy year over the claims the caller may see (its region; an insurer: its
 * schemes' claims): claims with an event date in the year by status, cover item and county; the
 * money paid in the year up to today; the mean working days from complete materials to payout of
 * the claims paid in the year; open claims past due; and the premiums billed through this month.
 */
export async function getInsuranceStats(db: Kysely<DB>, city: string, q: InsuranceStatsQuery): Promise<InsuranceStats> {
  const today = chinaToday();
  const from = `${q.year}-01-01`;
  const to = `${q.year}-12-31` < today ? `${q.year}-12-31` : today;
  let base = claimsFrom(db);
  if (q.regionCode) base = base.where('c.region_code', 'like', `${q.regionCode}%`);
  const [rows, calendar] = await Promise.all([
    base
      .select([
        'c.status',
        'c.cover_item',
        'c.region_code',
        'c.event_date',
        'c.paid_on',
        'c.paid_fen',
        'c.materials_complete_on',
        'c.due_on',
      ])
      .where((eb) =>
        eb.or([
          eb.and([eb('c.event_date', '>=', from), eb('c.event_date', '<=', `${q.year}-12-31`)]),
          eb.and([eb('c.paid_on', '>=', from), eb('c.paid_on', '<=', to)]),
        ]),
      )
      .execute(),
    getCalendar(db),
  ]);
  const ofYear = rows.filter((r) => r.event_date >= from && r.event_date <= `${q.year}-12-31`);
  const paidInYear = rows.filter(
    (r) => r.status === 'paid' && r.paid_on !== null && r.paid_on >= from && r.paid_on <= to,
  );

  const byStatus = new Map<ClaimStatus, number>(STATUSES.map((s) => [s, 0]));
  const byItem = new Map<string, { count: number; paidFen: number }>();
  const byCounty = new Map<string, { count: number; paidFen: number }>();
  const bump = (m: Map<string, { count: number; paidFen: number }>, k: string, count: number, paid: number) => {
    const v = m.get(k) ?? { count: 0, paidFen: 0 };
    v.count += count;
    v.paidFen += paid;
    m.set(k, v);
  };
  let overdueOpen = 0;
  for (const r of ofYear) {
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    bump(byItem, r.cover_item, 1, 0);
    bump(byCounty, r.region_code.slice(0, 6), 1, 0);
  }
  // Open claims past due count whatever their year: they are late now.
  const open = await (q.regionCode ? claimsFrom(db).where('c.region_code', 'like', `${q.regionCode}%`) : claimsFrom(db))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.status', 'in', ['received', 'approved'])
    .where('c.due_on', '<', today)
    .executeTakeFirstOrThrow();
  overdueOpen = Number(open.n);
  let paidYtdFen = 0;
  let clockSum = 0;
  let paidWithClock = 0;
  for (const r of paidInYear) {
    const fen = r.paid_fen ?? 0;
    paidYtdFen += fen;
    bump(byItem, r.cover_item, 0, fen);
    bump(byCounty, r.region_code.slice(0, 6), 0, fen);
    if (r.materials_complete_on) {
      clockSum += Math.max(0, calendar.workingDaysBetween(r.materials_complete_on, r.paid_on!));
      paidWithClock++;
    }
  }
  const counties = [...byCounty.keys()].sort();
  const names = await regionNames(db, counties);

  let premiumsBilledFen: number | null = null;
  let personMonths: number | null = null;
  try {
    const through = q.year < Number(today.slice(0, 4)) ? undefined : today.slice(0, 7);
    if (q.year <= Number(today.slice(0, 4))) {
      const bill = await getBill(db, city, { year: q.year, through, regionCode: q.regionCode });
      premiumsBilledFen = bill.total.premiumFen;
      personMonths = bill.total.personMonths;
    }
  } catch (e) {
    // No scheme for the year: nothing billed.
    if (!(e instanceof AppError) || e.status !== 404) throw e;
  }

  return {
    year: q.year,
    claims: ofYear.length,
    byStatus: STATUSES.map((status) => ({ status, count: byStatus.get(status)! })),
    byCoverItem: [...byItem.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([coverItem, v]) => ({ coverItem, ...v })),
    byCounty: counties.map((code) => ({
      regionCode: code,
      regionName: names.get(code) ?? code,
      ...byCounty.get(code)!,
    })),
    paidYtdFen,
    paidWithClock,
    avgWorkingDaysToPayout: paidWithClock ? Math.round((clockSum / paidWithClock) * 10) / 10 : null,
    overdueOpen,
    premiumsBilledFen,
    personMonths,
  };
}
