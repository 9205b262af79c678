import type { Kysely, Selectable } from 'kysely';
import type { CoverItem, Scheme, SchemeInput, SchemeList } from '@jiuzhu/shared';
import { currentActor } from '../../context';
import type { DB, InsuranceSchemesTable } from '../../db/schema';
import { InvalidField } from '../../errors';
import { recordAudit } from '../audit/service';
import { demoSchemeInput } from './demo-scheme';

type SchemeRow = Selectable<InsuranceSchemesTable>;

export function toScheme(r: SchemeRow, inForce: boolean): Scheme {
  return {
    id: r.id,
    year: r.year,
    version: r.version,
    inForce,
    insurer: r.insurer,
    policyNo: r.policy_no,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    premiumFen: r.premium_fen,
    kinds: r.kinds as Scheme['kinds'],
    coverItems: r.cover_items as CoverItem[],
    waitingDays: r.waiting_days,
    cityShareBp: r.city_share_bp,
    countyCityShareBp: r.county_city_share_bp as Record<string, number>,
    insurerUsers: r.insurer_users,
    billingRule: r.billing_rule,
    isDemo: r.is_demo,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Every version of every policy year, newest year first; the highest version of a year is in force. */
export async function listSchemes(db: Kysely<DB>, city: string): Promise<SchemeList> {
  const rows = await db
    .selectFrom('insurance_schemes')
    .selectAll()
    .where('city_code', '=', city)
    .orderBy('year', 'desc')
    .orderBy('version', 'desc')
    .execute();
  const seen = new Set<number>();
  return {
    items: rows.map((r) => {
      const inForce = !seen.has(r.year);
      seen.add(r.year);
      return toScheme(r, inForce);
    }),
  };
}

/** The version in force of the policy year, if the city has one. */
export async function findSchemeOfYear(db: Kysely<DB>, city: string, year: number): Promise<Scheme | null> {
  const r = await db
    .selectFrom('insurance_schemes')
    .selectAll()
    .where('city_code', '=', city)
    .where('year', '=', year)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toScheme(r, true) : null;
}

/** The scheme in force on a date: the year's latest version whose policy period contains the date. */
export async function findSchemeOn(db: Kysely<DB>, city: string, date: string): Promise<Scheme | null> {
  const s = await findSchemeOfYear(db, city, Number(date.slice(0, 4)));
  return s && s.periodFrom <= date && date <= s.periodTo ? s : null;
}

function checkInput(input: SchemeInput, city: string): void {
  if (input.periodFrom.slice(0, 4) !== String(input.year))
    throw InvalidField('periodFrom', 'insurance.periodOutsideYear');
  input.coverItems.forEach((c, i) => {
    if (c.grades && new Set(c.grades.map((g) => g.grade)).size !== c.grades.length)
      throw InvalidField(`coverItems.${i}.grades`, 'error.validation');
  });
  for (const county of Object.keys(input.countyCityShareBp))
    if (!county.startsWith(city)) throw InvalidField(`countyCityShareBp.${county}`, 'error.outOfRegion');
}

/** Records a new version of a policy year's scheme (the previous versions stay, for the record). */
export async function createScheme(
  db: Kysely<DB>,
  city: string,
  input: SchemeInput,
  opts: { demo?: boolean } = {},
): Promise<Scheme> {
  checkInput(input, city);
  const username = currentActor()?.username ?? 'system';
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('insurance_schemes')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('city_code', '=', city)
      .where('year', '=', input.year)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const row = await trx
      .insertInto('insurance_schemes')
      .values({
        city_code: city,
        year: input.year,
        version,
        insurer: input.insurer,
        policy_no: input.policyNo,
        period_from: input.periodFrom,
        period_to: input.periodTo,
        premium_fen: input.premiumFen,
        kinds: input.kinds,
        cover_items: JSON.stringify(input.coverItems),
        waiting_days: input.waitingDays,
        city_share_bp: input.cityShareBp,
        county_city_share_bp: JSON.stringify(input.countyCityShareBp),
        insurer_users: input.insurerUsers,
        is_demo: opts.demo ?? false,
        note: input.note,
        created_by: username,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'insurance.scheme.create',
      entity: 'insurance_scheme',
      entityId: row.id,
      regionCode: city,
      detail: { year: input.year, version, premiumFen: input.premiumFen, demo: row.is_demo },
    });
    return toScheme(row, true);
  });
}

/**
 * A new demo database gets the demo scheme for the current year and the year before (so the
 * demo history has cover), when the city has none for that year. Returns how many were added.
 */
export async function seedDemoSchemes(db: Kysely<DB>, city: string, years: number[]): Promise<number> {
  let added = 0;
  for (const year of years) {
    if (await findSchemeOfYear(db, city, year)) continue;
    await createScheme(db, city, demoSchemeInput(year), { demo: true });
    added++;
  }
  return added;
}
