import type { Kysely } from 'kysely';
import type { FieldError } from '@jiuzhu/shared';
import type { Protector } from '../crypto/index';
import type { DB } from '../db/schema';
import { loadCityDivisions } from '../modules/regions/divisions';
import {
  addToSummary,
  emptySummary,
  generateCity,
  targetsFor,
  type CitySize,
  type CitySummary,
} from '../synthetic/index';
import { findRegistered, insertHouseholds, type PreparedHousehold } from '../modules/registry/service';
import { checkMembers } from '../modules/registry/validation';

export type SeedOptions = { city: string; size: CitySize; seed: number; scale?: number };

/** People the generator will produce, for a progress bar. */
export function seedTarget(size: CitySize, scale?: number): number {
  return Object.values(targetsFor(size, scale)).reduce((a, b) => a + b, 0);
}

/**
 * Loads a synthetic city into the registry (call in the system scope). Each batch is one
 * transaction and households carry their generator key, so an interrupted seed run again
 * skips what it stored and finishes the rest.
 */
export async function seedRegistry(
  db: Kysely<DB>,
  protector: Protector,
  opts: SeedOptions,
  onProgress: (people: number) => void = () => {},
): Promise<{ summary: CitySummary; inserted: number; skipped: number; conflicts: number }> {
  const divisions = await loadCityDivisions(opts.city);
  const summary = emptySummary();
  let people = 0;
  let inserted = 0;
  let skipped = 0;
  let conflicts = 0;
  for (const batch of generateCity({
    city: opts.city,
    divisions,
    size: opts.size,
    seed: opts.seed,
    ...(opts.scale ? { scale: opts.scale } : {}),
  })) {
    // The size is part of the key: sizes share a seed's random stream, not its households.
    const keyOf = (key: string) => `${opts.size}-${key}`;
    const keys = batch.map((h) => keyOf(h.key));
    const existing = new Set(
      (await db.selectFrom('households').select('source_key').where('source_key', 'in', keys).execute()).map(
        (r) => r.source_key,
      ),
    );
    const prepared: PreparedHousehold[] = [];
    for (const h of batch) {
      if (existing.has(keyOf(h.key))) {
        skipped++;
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
    // A person already registered (another seed or size loaded before) keeps their household: skip this one.
    const hashes = new Map(
      prepared.flatMap((p) => p.members.map((m) => [protector.idHash(m.normalisedId!), p] as const)),
    );
    const clashing = new Set((await findRegistered(db, [...hashes.keys()])).map((r) => hashes.get(r.id_hash)!));
    conflicts += clashing.size;
    prepared.splice(0, prepared.length, ...prepared.filter((p) => !clashing.has(p)));
    if (prepared.length > 0) {
      await db.transaction().execute((trx) => insertHouseholds(trx, protector, prepared, 'household.seed'));
      inserted += prepared.length;
    }
    addToSummary(summary, batch);
    people += batch.reduce((n, h) => n + h.members.length, 0);
    onProgress(people);
  }
  return { summary, inserted, skipped, conflicts };
}
