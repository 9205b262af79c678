import type { Kysely } from 'kysely';
import type { Bill, BillLine } from '@jiuzhu/shared';
import { currentScope, getContext, runWithContext } from '../../context';
import type { DB } from '../../db/schema';
import { isInScope } from '../../db/scope';
import { NotFound } from '../../errors';
import { listCoverage } from '../enrolments/service';
import { insuredByMonth, largestRemainder, premiumOf } from './coverage-math';
import { regionNames } from './roster';
import { findSchemeOfYear } from './scheme';

/**
 * The premium bill of a policy year: person-months per county (each insured person counted once
 * a month), the city's premium = person-months × premium / 12 rounded once to the fen, spread
 * over the counties by largest remainder (no fen lost or invented), and each county's premium
 * split between the city and the county by the configured shares. Computed city-wide (only counts
 * leave this function), then the lines outside the caller's region are left out, so a county's
 * line is the same in its own bill and in the city's.
 */
export async function getBill(
  db: Kysely<DB>,
  city: string,
  q: { year: number; through?: string; regionCode?: string },
): Promise<Bill> {
  const scheme = await findSchemeOfYear(db, city, q.year);
  if (!scheme) throw NotFound('entity.insuranceScheme');
  const fromMonth = scheme.periodFrom.slice(0, 7);
  const periodEnd = scheme.periodTo.slice(0, 7);
  const throughMonth = q.through && q.through < periodEnd ? q.through : periodEnd;
  const scope = currentScope();
  const enrolments = await runWithContext(
    { ...getContext(), scope: { kind: 'system', reason: 'insurance bill apportionment' } },
    () => listCoverage(db, { kinds: scheme.kinds, fromMonth, toMonth: throughMonth }),
  );
  const perMonth = new Map<string, Set<string>>();
  const personMonths = new Map<string, number>();
  for (const e of enrolments) {
    const county = e.regionCode.slice(0, 6);
    for (const [month, members] of insuredByMonth(e.changes, fromMonth, throughMonth)) {
      const seen = perMonth.get(month) ?? new Set<string>();
      perMonth.set(month, seen);
      for (const h of members) {
        if (seen.has(h)) continue;
        seen.add(h);
        personMonths.set(county, (personMonths.get(county) ?? 0) + 1);
      }
    }
  }
  const counties = [...personMonths.keys()].sort();
  const pms = counties.map((c) => personMonths.get(c)!);
  const totalPm = pms.reduce((a, b) => a + b, 0);
  const premiums = largestRemainder(premiumOf(totalPm, scheme.premiumFen), pms);
  const names = await regionNames(db, counties);
  const lines: BillLine[] = counties.map((code, i) => {
    const premium = premiums[i]!;
    const bp = scheme.countyCityShareBp[code] ?? scheme.cityShareBp;
    const [cityFen, countyFen] = largestRemainder(premium, [bp, 10_000 - bp]) as [number, number];
    return {
      regionCode: code,
      regionName: names.get(code) ?? code,
      personMonths: pms[i]!,
      premiumFen: premium,
      cityFen,
      countyFen,
      cityShareBp: bp,
    };
  });
  const visible = lines.filter(
    (l) =>
      (isInScope(l.regionCode, scope) || (scope.kind === 'region' && scope.regionCode.startsWith(l.regionCode))) &&
      (!q.regionCode || l.regionCode.startsWith(q.regionCode) || q.regionCode.startsWith(l.regionCode)),
  );
  const sum = (f: (l: BillLine) => number) => visible.reduce((a, l) => a + f(l), 0);
  return {
    schemeId: scheme.id,
    year: scheme.year,
    version: scheme.version,
    isDemo: scheme.isDemo,
    fromMonth,
    throughMonth,
    premiumPerYearFen: scheme.premiumFen,
    counties: visible,
    total: {
      personMonths: sum((l) => l.personMonths),
      premiumFen: sum((l) => l.premiumFen),
      cityFen: sum((l) => l.cityFen),
      countyFen: sum((l) => l.countyFen),
    },
  };
}
