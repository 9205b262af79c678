import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import {
  ASSISTANCE_KINDS,
  chinaToday,
  demoPolicyParams,
  type AssistanceKind,
  type CreatePolicyStandardBody,
  type EffectiveStandard,
  type PolicyParamsByKind,
  type PolicyStandard,
  type PolicyStandardListQuery,
  type PolicyStandardStatus,
} from '@jiuzhu/shared';
import { currentScope, type Scope } from '../../context';
import { inScope, isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { Forbidden, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { DEMO_DIBAO_STANDARD_FEN } from './demo-values';

/** The month demo standards take effect from. */
export const DEMO_EFFECTIVE_MONTH = '2025-01';

// Serialises version numbering per region and kind (with the unique constraint as the backstop).
const VERSION_LOCK = 35030011;

export function chinaMonth(now: Date = new Date()): string {
  return chinaToday(now).slice(0, 7);
}

/**
 * Standards are region data read top-down: a caller sees the versions of their own region
 * and below, and of the regions above them (a township sees the city default and its county's
 * override), never a sibling county's.
 */
function visible(scope: Scope = currentScope()) {
  if (scope.kind === 'system') return sql<SqlBool>`true`;
  return sql<SqlBool>`(${inScope('policy_standards.region_code', scope)} or ${scope.regionCode} like policy_standards.region_code || '%')`;
}

function isRelated(regionCode: string, scope: Scope = currentScope()): boolean {
  return isInScope(regionCode, scope) || (scope.kind === 'region' && scope.regionCode.startsWith(regionCode));
}

type Row = {
  id: string;
  region_code: string;
  region_name: string;
  kind: AssistanceKind;
  effective_month: string;
  version: number;
  params: unknown;
  demo: boolean;
  note: string;
  created_by: string;
  created_at: Date;
};

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('policy_standards')
    .innerJoin('regions', 'regions.code', 'policy_standards.region_code')
    .select([
      'policy_standards.id',
      'policy_standards.region_code',
      'regions.name as region_name',
      'policy_standards.kind',
      'policy_standards.effective_month',
      'policy_standards.version',
      'policy_standards.params',
      'policy_standards.demo',
      'policy_standards.note',
      'policy_standards.created_by',
      'policy_standards.created_at',
    ]);
}

function toStandard(r: Row, status: PolicyStandardStatus): PolicyStandard {
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    kind: r.kind,
    effectiveMonth: r.effective_month,
    version: r.version,
    params: (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as Record<string, unknown>,
    isDemo: r.demo,
    note: r.note,
    status,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/** newer(a, b): a takes precedence over b within one region and kind. */
const newer = (a: Row, b: Row) =>
  a.effective_month > b.effective_month || (a.effective_month === b.effective_month && a.version > b.version);

/** Status of each version of one region and kind as of `month`. */
function statuses(rows: Row[], month: string): Map<string, PolicyStandardStatus> {
  const out = new Map<string, PolicyStandardStatus>();
  let current: Row | undefined;
  for (const r of rows) if (r.effective_month <= month && (!current || newer(r, current))) current = r;
  for (const r of rows) {
    const replaced = rows.some((o) => o.effective_month === r.effective_month && o.version > r.version);
    out.set(r.id, r === current ? 'current' : r.effective_month > month && !replaced ? 'scheduled' : 'superseded');
  }
  return out;
}

export async function listStandards(
  db: Kysely<DB>,
  query: PolicyStandardListQuery,
  month: string = chinaMonth(),
): Promise<{ month: string; items: PolicyStandard[] }> {
  if (query.region && !isRelated(query.region)) throw Forbidden('error.outOfRegion');
  let q = baseQuery(db).where(visible());
  if (query.kind) q = q.where('policy_standards.kind', '=', query.kind);
  // A region filter lists what applies there: the city default and that county's own versions.
  if (query.region) {
    const region = query.region;
    q = q.where(sql<SqlBool>`${region} like policy_standards.region_code || '%'`);
  }
  const rows = (await q
    .orderBy('policy_standards.region_code')
    .orderBy('policy_standards.kind')
    .orderBy('policy_standards.effective_month', 'desc')
    .orderBy('policy_standards.version', 'desc')
    .execute()) as Row[];
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.region_code}/${r.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const status = new Map<string, PolicyStandardStatus>();
  for (const g of groups.values()) for (const [id, s] of statuses(g, month)) status.set(id, s);
  return { month, items: rows.map((r) => toStandard(r, status.get(r.id)!)) };
}

/**
 * The standard in force for a region (any level), kind and month: the newest version whose
 * effective month is not after `month`, the county's own before the city default. No scope
 * check: the caller decides who may ask (the case workflow asks for its own cases).
 */
export async function findEffectiveStandard(
  db: Kysely<DB>,
  city: string,
  region: string,
  kind: AssistanceKind,
  month: string,
): Promise<EffectiveStandard | undefined> {
  const candidates = region.length >= 6 ? [region.slice(0, 6), city] : [city];
  const rows = (await baseQuery(db)
    .where('policy_standards.kind', '=', kind)
    .where('policy_standards.region_code', 'in', candidates)
    .where('policy_standards.effective_month', '<=', month)
    .orderBy(sql`length(policy_standards.region_code)`, 'desc')
    .orderBy('policy_standards.effective_month', 'desc')
    .orderBy('policy_standards.version', 'desc')
    .limit(1)
    .execute()) as Row[];
  const row = rows[0];
  if (!row) return undefined;
  const current = chinaMonth();
  // The status as of today, not of the month asked about.
  const siblings = (await baseQuery(db)
    .where('policy_standards.kind', '=', kind)
    .where('policy_standards.region_code', '=', row.region_code)
    .execute()) as Row[];
  return {
    region,
    kind,
    month,
    source: row.region_code.length === 6 ? 'county' : 'city',
    standard: toStandard(row, statuses(siblings, current).get(row.id)!),
  };
}

/**
 * The same choice as findEffectiveStandard, as a set-based SQL expression for queries over many
 * people (collision rules): the 低保 standard in fen in force for the county of `regionCode`
 * (else the city default) in the month of `onDate`; null when none is configured for that month.
 */
export function dibaoStandardFenSql(
  city: string,
  regionCode: RawBuilder<unknown>,
  onDate: RawBuilder<unknown>,
): RawBuilder<number | null> {
  return sql<number | null>`(select (ps.params ->> 'standardFen')::numeric from policy_standards ps
    where ps.kind = 'dibao'
      and ps.region_code in (left(${regionCode}::text, 6), ${city}::text)
      and ps.effective_month <= to_char(${onDate}::date, 'YYYY-MM')
    order by length(ps.region_code) desc, ps.effective_month desc, ps.version desc
    limit 1)`;
}

/** Typed parameters of the standard in force (for the policy math); undefined when none is configured. */
export async function findEffectiveParams<K extends AssistanceKind>(
  db: Kysely<DB>,
  city: string,
  region: string,
  kind: K,
  month: string,
): Promise<PolicyParamsByKind[K] | undefined> {
  const found = await findEffectiveStandard(db, city, region, kind, month);
  return found?.standard.params as PolicyParamsByKind[K] | undefined;
}

export async function getEffectiveStandard(
  db: Kysely<DB>,
  city: string,
  region: string,
  kind: AssistanceKind,
  month: string,
): Promise<EffectiveStandard> {
  if (!isRelated(region)) throw Forbidden('error.outOfRegion');
  const known = await db.selectFrom('regions').select('code').where('code', '=', region).executeTakeFirst();
  if (!known) throw NotFound('entity.region');
  const found = await findEffectiveStandard(db, city, region, kind, month);
  if (!found) throw NotFound('entity.policyStandard');
  return found;
}

/** Adds a version; never changes an existing one. */
export async function createStandard(
  db: Kysely<DB>,
  city: string,
  username: string,
  body: CreatePolicyStandardBody,
  now: Date = new Date(),
): Promise<PolicyStandard> {
  const { regionCode, kind, effectiveMonth } = body;
  if (!isInScope(regionCode)) throw Forbidden('error.outOfRegion');
  const isCity = regionCode === city;
  if (!isCity) {
    const region = await db
      .selectFrom('regions')
      .select(['code', 'level'])
      .where('code', '=', regionCode)
      .executeTakeFirst();
    if (!region || region.level !== 'county' || !regionCode.startsWith(city))
      throw InvalidField('regionCode', 'policy.regionLevel');
  }
  const month = chinaMonth(now);
  const id = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${VERSION_LOCK}, hashtext(${`${regionCode}/${kind}`}))`.execute(trx);
    const last = await trx
      .selectFrom('policy_standards')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('region_code', '=', regionCode)
      .where('kind', '=', kind)
      .executeTakeFirst();
    const lastVersion = Number(last?.version ?? 0);
    // Past months are closed (benefits were paid on them); only a first version may start earlier.
    if (lastVersion > 0 && effectiveMonth < month)
      throw InvalidField('effectiveMonth', 'policy.monthInPast', { month });
    const version = lastVersion + 1;
    const row = await trx
      .insertInto('policy_standards')
      .values({
        region_code: regionCode,
        kind,
        effective_month: effectiveMonth,
        version,
        params: JSON.stringify(body.params),
        note: body.note,
        created_by: username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'policy.standard_create',
      entity: 'policy_standard',
      entityId: row.id,
      regionCode,
      detail: { kind, effectiveMonth, version },
    });
    return row.id;
  });
  const { items } = await listStandards(db, { kind, region: regionCode }, month);
  return items.find((i) => i.id === id)!;
}

/**
 * Seeds the demo parameter sets at city level from DEMO_EFFECTIVE_MONTH, for each kind the
 * city has no version of yet (idempotent). Returns the number of versions added.
 */
export async function seedDemoStandards(db: Kysely<DB>, city: string): Promise<number> {
  const params = demoPolicyParams(DEMO_DIBAO_STANDARD_FEN);
  const existing = await db
    .selectFrom('policy_standards')
    .select('kind')
    .where('region_code', '=', city)
    .groupBy('kind')
    .execute();
  const have = new Set(existing.map((r) => r.kind));
  const missing = ASSISTANCE_KINDS.filter((k) => !have.has(k));
  if (missing.length === 0) return 0;
  await db
    .insertInto('policy_standards')
    .values(
      missing.map((kind) => ({
        region_code: city,
        kind,
        effective_month: DEMO_EFFECTIVE_MONTH,
        version: 1,
        params: JSON.stringify(params[kind]),
        demo: true,
        note: 'demo values (演示数据)',
        created_by: 'system',
      })),
    )
    .onConflict((oc) => oc.columns(['region_code', 'kind', 'version']).doNothing())
    .execute();
  return missing.length;
}
