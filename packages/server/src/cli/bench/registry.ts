import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { Config } from '../../config';
import { buildApp } from '../../app';
import {
  baselineName,
  copyBaseline,
  keyedRegisterBaseline,
  peakRss,
  percentile,
  withBenchDatabase,
  type Log,
  adminCookie,
} from './common';
import { runAsSystem } from '../../context';
import { Protector } from '../../crypto/index';
import { generateCity, type CitySize } from '../../synthetic/index';
import { newImportPhases, runRegisterImport, startRegisterImport } from '../../modules/registry/import';
import { householdToCsvLines, TEMPLATE_HEADER_LINE } from '../../modules/registry/import-writer';
import { loadCityDivisions } from '../../modules/regions/divisions';

/**
 * `jiuzhu bench registry`: imports a generated city-size register file through the real
 * import path and compares rows/s with a bare COPY of the same file into an unindexed table
 * (psql \copy on PostgreSQL, COPY FROM a blob on PGlite), measured in the same run; then
 * times registry searches through the HTTP layer. Prints one JSON line at the end.
 */
export async function benchRegistry(base: Config, opts: { size: CitySize; seed: number; searches: number }, log: Log) {
  const silent = pino({ level: 'silent' });
  return withBenchDatabase(base, 'registry', { seedDemo: true, seedDemoRegistry: false }, async (b) => {
    const { config, database, work } = b;
    // 1. The register file, written from the generator (not timed).
    const file = path.join(work, 'register.csv');
    const out = fs.createWriteStream(file);
    out.write(`${TEMPLATE_HEADER_LINE}\n`);
    let rows = 0;
    const ids: string[] = [];
    const names: string[] = [];
    for (const batch of generateCity({
      city: config.city,
      divisions: await loadCityDivisions(config.city),
      size: opts.size,
      seed: opts.seed,
    })) {
      const chunk: string[] = [];
      for (const h of batch) {
        chunk.push(...householdToCsvLines(h.key, h));
        rows += h.members.length;
        if (ids.length < 5000 && rows % 7 === 0) ids.push(h.members[0]!.idNumber);
        if (names.length < 5000 && rows % 11 === 0)
          names.push(h.members[0]!.name.slice(0, 1) + h.members[0]!.name.slice(-1));
      }
      out.write(`${chunk.join('\n')}\n`);
    }
    await new Promise((resolve) => out.end(resolve));
    const bytes = fs.statSync(file).size;
    log(`register file: ${rows} rows, ${(bytes / 1048576).toFixed(1)} MiB`);

    // 2. Baseline: the same file COPYed into an unindexed table of text columns.
    const baselineSeconds = await copyBaseline(b, file, 'bench_raw', TEMPLATE_HEADER_LINE.split(',').length);
    log(`baseline COPY: ${baselineSeconds.toFixed(2)} s`);

    // 3. Ours: the import a clerk runs, with every check, encryption, history and audit.
    const protector = new Protector(config);
    // The import removes its upload when done: it gets a copy.
    const upload = { path: `${file}.upload`, fileName: 'register.csv', size: bytes, sha256: '' };
    fs.copyFileSync(file, upload.path);
    const rss = peakRss();
    const phases = newImportPhases();
    const t1 = performance.now();
    const report = await runAsSystem('bench', silent, async () =>
      runRegisterImport(
        database,
        protector,
        await startRegisterImport(database.db, upload, false),
        upload,
        false,
        phases,
      ),
    );
    const oursSeconds = (performance.now() - t1) / 1000;
    const peakMb = rss.stop();
    if (report.errors.length > 0)
      throw new Error(`import reported ${report.errors.length} errors, first: ${JSON.stringify(report.errors[0])}`);
    log(`import: ${oursSeconds.toFixed(2)} s, ${report.importedHouseholds} households, peak RSS ${peakMb} MiB`);
    const phaseSeconds = Object.fromEntries(Object.entries(phases).map(([k, ms]) => [k, +(ms / 1000).toFixed(2)]));
    log(`import phases (s): ${JSON.stringify(phaseSeconds)}`);

    // 3b. Keyed baseline: the rows the import stored, COPYed bare into tables with the same keys and indexes.
    const keyedSeconds = await keyedRegisterBaseline(b, 'bench_keyed');
    log(`keyed baseline COPY: ${keyedSeconds.toFixed(2)} s`);

    // 4. Search latency through HTTP as a county officer (region-scoped), mixed queries.
    const app = await buildApp({ config, database, logger: false });
    await app.ready();
    const cookie = await adminCookie(app);
    const queries = [
      (i: number) => `idNumber=${ids[i % ids.length]}`,
      (i: number) => `name=${encodeURIComponent(names[i % names.length]!.slice(0, 1))}&regionCode=350302`,
      (i: number) => `name=${encodeURIComponent(names[i % names.length]!)}`,
      (i: number) => `status=tekun&regionCode=${['350302', '350303', '350304', '350305', '350322'][i % 5]}`,
      () => `flag=disability&regionCode=350303105`,
    ];
    const latencies: number[] = [];
    for (let i = 0; i < opts.searches; i++) {
      const url = `/api/households?${queries[i % queries.length]!(i)}`;
      const t2 = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      latencies.push(performance.now() - t2);
      if (res.statusCode !== 200) throw new Error(`search ${url}: ${res.statusCode} ${res.body}`);
    }
    await app.close();
    const result = {
      bench: 'registry',
      database: database.kind,
      size: opts.size,
      rows,
      households: report.households,
      baseline: {
        what: baselineName(database),
        seconds: +baselineSeconds.toFixed(3),
        rowsPerSec: Math.round(rows / baselineSeconds),
      },
      import: { seconds: +oursSeconds.toFixed(3), rowsPerSec: Math.round(rows / oursSeconds), peakRssMiB: peakMb },
      ratio: +(rows / oursSeconds / (rows / baselineSeconds)).toFixed(4),
      keyedBaseline: {
        what: `${database.kind === 'postgresql' ? 'psql \\copy' : 'PGlite COPY FROM blob'} of the stored households, members and history into tables like them, with their indexes and foreign keys`,
        seconds: +keyedSeconds.toFixed(3),
        timesBaseline: +(keyedSeconds / baselineSeconds).toFixed(2),
      },
      keyedRatio: +(keyedSeconds / oursSeconds).toFixed(4),
      phases: phaseSeconds,
      search: {
        n: opts.searches,
        p50Ms: +percentile(latencies, 50).toFixed(1),
        p95Ms: +percentile(latencies, 95).toFixed(1),
      },
    };
    return result;
  });
}
