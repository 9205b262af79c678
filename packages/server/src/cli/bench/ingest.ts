import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pino from 'pino';
import type { Config } from '../../config';
import { Protector } from '../../crypto/index';
import { importFeed } from '../../modules/exchange/ingest';
import { WAGES_HEADER as HEADER, writeWages } from '../../synthetic/wages';
import {
  baselineName,
  copyBaseline,
  indexedCopyBaseline,
  partitionCopyBaseline,
  peakRss,
  withBenchDatabase,
  type Log,
} from './common';

/**
 * `jiuzhu bench ingest`: writes an N-row wages CSV, COPYs it bare into an unindexed text
 * table (psql \copy on PostgreSQL, COPY FROM a blob on PGlite) as the baseline, then imports
 * it through importFeed; again with 2N rows, so peak memory at both sizes can be compared.
 * Two more baselines from the rows the import prepared: COPY into a table like feed_records with
 * its indexes (indexedRatio), and COPY into a bare one with the indexes built after
 * (partitionRatio: what a partition loaded per batch would cost the database).
 * Prints one JSON line at the end.
 */
export async function benchIngest(base: Config, opts: { rows: number }, log: Log) {
  return withBenchDatabase(base, 'ingest', { seedDemo: false, seedDemoRegistry: false }, async (b) => {
    const { config, database, work } = b;
    const protector = new Protector(config);
    const runs = [];
    for (const [n, rows] of [opts.rows, opts.rows * 2].entries()) {
      const file = path.join(work, `wages-${n}.csv`);
      const { bad, bytes } = await writeWages(file, rows, `W${n}`);
      log(`file: ${rows} rows, ${(bytes / 1048576).toFixed(1)} MiB`);
      const baselineSeconds = await copyBaseline(b, file, `bench_raw_${n}`, HEADER.split(',').length);
      log(`baseline COPY: ${baselineSeconds.toFixed(2)} s`);
      await database.exec(`drop table bench_raw_${n}`);
      if (global.gc) global.gc();
      const rssBefore = Math.round(process.memoryUsage().rss / 1048576);
      const rss = peakRss();
      // How long the event loop was held during the import (a server would not answer meanwhile),
      // beside the same measure over 3 s of doing nothing just before: on a loaded machine the
      // process waits for a core whatever it does.
      const idle = monitorEventLoopDelay({ resolution: 10 });
      idle.enable();
      await new Promise((r) => setTimeout(r, 3000));
      idle.disable();
      const idleDelayMs = { p99: +(idle.percentile(99) / 1e6).toFixed(1), max: +(idle.max / 1e6).toFixed(1) };
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const t1 = performance.now();
      const cpu0 = process.cpuUsage();
      // The load's phase times (debug log lines of importFeed), seconds since the import started.
      const phases: Record<string, number> = {};
      const phaseLog = pino(
        { level: 'debug' },
        {
          write(line: string) {
            const m = JSON.parse(line) as { phase?: string; ms?: number };
            if (m.phase && m.ms !== undefined) phases[m.phase] = +(m.ms / 1000).toFixed(2);
          },
        },
      );
      const res = await importFeed(
        { database, db: database.db, protector, log: phaseLog },
        { path: file, fileName: 'hrss.wages.csv' },
        { kindCode: 'hrss.wages', channel: 'cli', actor: 'bench', asOf: '2026-01-01' },
      );
      const seconds = (performance.now() - t1) / 1000;
      // This process's CPU (every thread: ours, the garbage collector's, the driver's), per row.
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const peakMiB = rss.stop();
      loop.disable();
      const eventLoopDelayMs = { p99: +(loop.percentile(99) / 1e6).toFixed(1), max: +(loop.max / 1e6).toFixed(1) };
      if (res.status !== 'loaded' || res.rowsRejected !== bad || res.rowsLoaded !== rows - bad) {
        throw new Error(`unexpected import result: ${JSON.stringify(res)}`);
      }
      log(
        `import: ${seconds.toFixed(2)} s, peak RSS ${peakMiB} MiB (before ${rssBefore} MiB), event loop delay max ${eventLoopDelayMs.max} ms`,
      );
      const indexedSeconds = await indexedCopyBaseline(b, res.batchId, `bench_indexed_${n}`);
      log(`indexed baseline COPY: ${indexedSeconds.toFixed(2)} s`);
      await database.exec(`drop table bench_indexed_${n}`);
      const part = await partitionCopyBaseline(b, res.batchId, `bench_part_${n}`);
      const partitionSeconds = part.copySeconds + part.indexSeconds;
      log(
        `partition baseline: COPY into a bare table ${part.copySeconds.toFixed(2)} s, then its indexes ${part.indexSeconds.toFixed(2)} s`,
      );
      await database.exec(`drop table bench_part_${n}`);
      runs.push({
        rows,
        mib: +(bytes / 1048576).toFixed(1),
        baseline: { seconds: +baselineSeconds.toFixed(3), rowsPerSec: Math.round(rows / baselineSeconds) },
        import: {
          seconds: +seconds.toFixed(3),
          rowsPerSec: Math.round(rows / seconds),
          rejected: res.rowsRejected,
          cpuSeconds: +cpuSeconds.toFixed(3),
          cpuUsPerRow: +((cpuSeconds * 1e6) / rows).toFixed(2),
          rssBeforeMiB: rssBefore,
          peakRssMiB: peakMiB,
          phases,
          eventLoopDelayMs,
          idleEventLoopDelayMs: idleDelayMs,
        },
        ratio: +(baselineSeconds / seconds).toFixed(3),
        indexedBaseline: { seconds: +indexedSeconds.toFixed(3), rowsPerSec: Math.round((rows - bad) / indexedSeconds) },
        indexedRatio: +(indexedSeconds / seconds).toFixed(3),
        partitionBaseline: {
          seconds: +partitionSeconds.toFixed(3),
          copySeconds: +part.copySeconds.toFixed(3),
          indexSeconds: +part.indexSeconds.toFixed(3),
        },
        partitionRatio: +(partitionSeconds / seconds).toFixed(3),
        // The best unindexed ratio a partition-per-batch load could reach with this import's CPU:
        // at best the checks and the database's load overlap perfectly, and it takes the longer of the two.
        partitionBound: +(baselineSeconds / Math.max(cpuSeconds, partitionSeconds)).toFixed(3),
      });
      fs.rmSync(file, { force: true });
    }
    return {
      bench: 'ingest',
      database: database.kind,
      baseline: baselineName(database),
      indexedBaseline: `the rows the import prepared, ${database.kind === 'postgresql' ? 'psql \\copy' : 'COPY FROM blob'} into a table like feed_records with its keys and indexes`,
      partitionBaseline: `the same rows into a bare table like feed_records, then its indexes built (CREATE INDEX)`,
      cores: os.cpus().length,
      runs,
    };
  });
}
