import type { Kysely } from 'kysely';
import { addMonths, type Scheme } from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { listCoverage } from '../enrolments/service';
import { insuredByMonth, spellStart } from './coverage-math';
import { findSchemeOn } from './scheme';

export type InsuredPerson = {
  scheme: Scheme;
  idHash: string;
  memberId: string | null;
  name: string;
  idMasked: string;
  regionCode: string;
  enrolmentId: string;
  /** The first day of the spell of cover that includes the date. */
  insuredSince: string;
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether a person (by ID blind index) was insured on a date, in the caller's scope: a scheme
 * covers the date, an enrolment of a covered kind covers the person that month, and any waiting
 * period since the start of the spell of cover has passed. Null otherwise.
 */
export async function findInsured(
  db: Kysely<DB>,
  city: string,
  idHash: string,
  on: string,
): Promise<InsuredPerson | null> {
  const scheme = await findSchemeOn(db, city, on);
  if (!scheme) return null;
  const month = on.slice(0, 7);
  const enrolments = await listCoverage(db, { kinds: scheme.kinds, fromMonth: month, toMonth: month, idHash });
  for (const e of enrolments) {
    if (!insuredByMonth(e.changes, month, month).get(month)?.includes(idHash)) continue;
    const p = e.people.find((x) => x.idHash === idHash)!;
    const first = e.changes[0]!.effectiveMonth;
    const since = `${spellStart(e.changes, month, first > addMonths(month, -120) ? first : addMonths(month, -120))}-01`;
    if (scheme.waitingDays > 0 && on < addDays(since, scheme.waitingDays)) return null;
    return {
      scheme,
      idHash,
      memberId: p.memberId,
      name: p.name,
      idMasked: p.idMasked,
      regionCode: e.regionCode,
      enrolmentId: e.enrolmentId,
      insuredSince: since,
    };
  }
  return null;
}
