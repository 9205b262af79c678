import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { sql } from 'kysely';
import { addMonths, chinaToday } from '@jiuzhu/shared';
import type { Config } from '../../config';
import { runAsSystem } from '../../context';
import { Protector } from '../../crypto/index';
import { asStaff } from '../../demo/case-driver';
import { seedEnrolments } from '../../demo/enrolments';
import { seedRegistry } from '../../demo/registry';
import { createPayroll } from '../../modules/payroll/service';
import type { CitySize } from '../../synthetic/index';
import { withBenchDatabase, type Log } from './common';

/**
 * `jiuzhu bench payroll`: builds the payroll of the whole city for a month through the real
 * service (enrolments and change logs read in batches, the entitlement math, payees, accounts
 * decrypted for the checks, the set-based write with its unique keys, checks, audit) and compares
 * it with a bare `INSERT … SELECT` of the same lines into an unindexed table, in the same run.
 * Prints one JSON line at the end with `ratio` (ours / baseline seconds).
 */
export async function benchPayroll(base: Config, opts: { size: CitySize; seed: number }, log: Log) {
  const silent = pino({ level: 'silent' });
  return withBenchDatabase(base, 'payroll', { seedDemo: true, seedDemoRegistry: false }, async (b) => {
    const { config, database } = b;
    const db = database.db;
    const protector = new Protector(config);
    // 1. The synthetic city and its enrolments (not timed).
    const t0 = performance.now();
    await runAsSystem('bench payroll seed', silent, async () => {
      await seedRegistry(db, protector, { city: config.city, size: opts.size, seed: opts.seed });
      await seedEnrolments(db, { city: config.city });
    });
    const enrolments = Number(
      (
        await db
          .selectFrom('enrolments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    log(`city seeded: ${enrolments} enrolments in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // 2. Ours: the payroll of next month for the whole city, as its maker would build it.
    const month = addMonths(chinaToday().slice(0, 7), 1);
    const t1 = performance.now();
    const id = await asStaff('county_officer', config.city, () =>
      createPayroll({ db, protector, config }, { month, regionCode: config.city, runKind: 'regular' }),
    );
    const oursSeconds = (performance.now() - t1) / 1000;
    const lines = Number(
      (
        await db
          .selectFrom('payroll_lines')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('payroll_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    log(`payroll: ${lines} lines in ${oursSeconds.toFixed(2)} s`);

    // 3. Baseline: the same lines copied bare into a table with no index, key or constraint.
    await sql`create table bench_lines as select * from payroll_lines with no data`.execute(db);
    const t2 = performance.now();
    await sql`insert into bench_lines select * from payroll_lines where payroll_id = ${id}`.execute(db);
    const baselineSeconds = (performance.now() - t2) / 1000;
    log(`baseline INSERT … SELECT: ${baselineSeconds.toFixed(3)} s`);
    // 4. Second baseline: the same INSERT … SELECT into a table carrying only the keys the payroll
    //    must have (the primary key and the two unique keys that keep a month from being paid twice).
    await sql`create table bench_keyed_lines (like payroll_lines including defaults)`.execute(db);
    await sql`alter table bench_keyed_lines add primary key (id)`.execute(db);
    await sql`create unique index on bench_keyed_lines (enrolment_id, month, line_type)
      where line_type <> 'reissue'`.execute(db);
    await sql`create unique index on bench_keyed_lines (enrolment_id, month)
      where line_type in ('regular', 'back_pay')`.execute(db);
    const t3 = performance.now();
    await sql`insert into bench_keyed_lines select * from payroll_lines where payroll_id = ${id}`.execute(db);
    const keyedSeconds = (performance.now() - t3) / 1000;
    log(`keyed baseline INSERT … SELECT: ${keyedSeconds.toFixed(3)} s`);

    return {
      bench: 'payroll',
      database: database.kind,
      size: opts.size,
      enrolments,
      lines,
      oursSeconds: Number(oursSeconds.toFixed(3)),
      baselineSeconds: Number(baselineSeconds.toFixed(4)),
      baseline: 'INSERT … SELECT of the same lines into an unindexed table',
      ratio: Number((oursSeconds / baselineSeconds).toFixed(1)),
      keyedBaselineSeconds: Number(keyedSeconds.toFixed(4)),
      keyedBaseline: 'the same INSERT … SELECT into a table with the primary key and the unique payment keys only',
      keyedRatio: Number((oursSeconds / keyedSeconds).toFixed(1)),
    };
  });
}
