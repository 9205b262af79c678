import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import type { Config } from '../../config';
import { buildApp } from '../../app';
import { openAndPrepare } from '../../boot';
import { runAsSystem } from '../../context';
import { Protector } from '../../crypto/index';
import { generateCity, type CitySize } from '../../modules/registry/generator/index';
import { importRegister } from '../../modules/registry/import';
import { householdToCsvLines, TEMPLATE_HEADER_LINE } from '../../modules/registry/import-writer';
import { loadCityDivisions } from '../../modules/regions/divisions';

type Log = (msg: string) => void;

/** Samples the resident set size while a phase runs; returns the peak in MiB. */
function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576);
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `jiuzhu bench registry`: imports a generated city-size register file through the real
 * import path and compares rows/s with a bare COPY of the same file into an unindexed table
 * (psql \copy on PostgreSQL, COPY FROM a blob on PGlite), measured in the same run; then
 * times registry searches through the HTTP layer. Prints one JSON line at the end.
 */
export async function benchRegistry(base: Config, opts: { size: CitySize; seed: number; searches: number }, log: Log) {
  const silent = pino({ level: 'silent' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-bench-'));
  const schema = `bench_${Date.now().toString(36)}`;
  if (base.databaseUrl) {
    const c = new pg.Client({ connectionString: base.databaseUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const config: Config = { ...base, dataDir: work, dbSchema: base.databaseUrl ? schema : undefined, env: 'test' };
  const database = await openAndPrepare(config, silent, { seedDemo: true, seedDemoRegistry: false });
  try {
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
    const columns = TEMPLATE_HEADER_LINE.split(',')
      .map((_, i) => `c${i} text`)
      .join(', ');
    await database.exec(`create table bench_raw (${columns})`);
    let baselineSeconds: number;
    if (database.kind === 'postgresql') {
      const t0 = performance.now();
      const res = spawnSync(
        'psql',
        [
          base.databaseUrl!,
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `set search_path=${schema}`,
          '-c',
          `\\copy bench_raw from '${file}' with (format csv, header true)`,
        ],
        { encoding: 'utf8' },
      );
      baselineSeconds = (performance.now() - t0) / 1000;
      if (res.status !== 0) throw new Error(`psql \\copy failed: ${res.stderr}`);
    } else {
      const blob = new Blob([fs.readFileSync(file)]);
      const t0 = performance.now();
      await database.pglite!.query(`copy bench_raw from '/dev/blob' with (format csv, header true)`, [], { blob });
      baselineSeconds = (performance.now() - t0) / 1000;
    }
    log(`baseline COPY: ${baselineSeconds.toFixed(2)} s`);

    // 3. Ours: the import a clerk runs, with every check, encryption, history and audit.
    const protector = new Protector(config);
    const buffer = fs.readFileSync(file);
    const rss = peakRss();
    const t1 = performance.now();
    const report = await runAsSystem('bench', silent, () =>
      importRegister(database.db, protector, { buffer, fileName: 'register.csv' }, false),
    );
    const oursSeconds = (performance.now() - t1) / 1000;
    const peakMb = rss.stop();
    if (report.errors.length > 0)
      throw new Error(`import reported ${report.errors.length} errors, first: ${JSON.stringify(report.errors[0])}`);
    log(`import: ${oursSeconds.toFixed(2)} s, ${report.importedHouseholds} households, peak RSS ${peakMb} MiB`);

    // 4. Search latency through HTTP as a county officer (region-scoped), mixed queries.
    const app = await buildApp({ config, database, logger: false });
    await app.ready();
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'jiuzhu-demo' },
    });
    const cookie = `jz_session=${login.cookies.find((c) => c.name === 'jz_session')!.value}`;
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
        what:
          database.kind === 'postgresql'
            ? 'psql \\copy into an unindexed text table'
            : 'PGlite COPY FROM blob into an unindexed text table',
        seconds: +baselineSeconds.toFixed(3),
        rowsPerSec: Math.round(rows / baselineSeconds),
      },
      import: { seconds: +oursSeconds.toFixed(3), rowsPerSec: Math.round(rows / oursSeconds), peakRssMiB: peakMb },
      ratio: +(rows / oursSeconds / (rows / baselineSeconds)).toFixed(4),
      search: {
        n: opts.searches,
        p50Ms: +percentile(latencies, 50).toFixed(1),
        p95Ms: +percentile(latencies, 95).toFixed(1),
      },
    };
    return result;
  } finally {
    await database.close();
    if (base.databaseUrl) {
      const c = new pg.Client({ connectionString: base.databaseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}
