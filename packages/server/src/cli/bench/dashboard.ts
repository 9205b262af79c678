import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pino from 'pino';
import { chinaToday } from '@jiuzhu/shared';
import type { Config } from '../../config';
import { buildApp } from '../../app';
import { runAsSystem } from '../../context';
import { FULL_AT, readAggregates, refreshAllFigures } from '../../modules/dashboard/service';
import { getCalendar } from '../../modules/calendar/service';
import { caseFigures } from '../../modules/cases/service';
import { newEnrolmentFigures, rollFigures, rollTotals } from '../../modules/enrolments/service';
import { claimFigures } from '../../modules/insurance/service';
import { leadFigures, leadTrend } from '../../modules/leads/service';
import { paidFigures } from '../../modules/payroll/service';
import type { FigureSlice } from '../../db/figures';
import { percentile, seedPaidYear, withBenchDatabase, type Log, adminCookie } from './common';

/**
 * Enrolments per size (the rest of the rows scale with them); each covers 1–4 people (2.5 on
 * average), so the province's 400,000 are about a million people on the rolls.
 */
const SIZES = { demo: 2_000, city: 30_000, province: 400_000 } as const;
export type DashboardSize = keyof typeof SIZES;

/**
 * `jiuzhu bench dashboard`: fills the tables the figures read (enrolments and their changes, a
 * year of approved payroll lines, leads on signals, cases with decisions, paid claims) with
 * set-based SQL on the real divisions, recounts the pre-aggregated figures (figures_monthly) once
 * as the nightly job does, then times `GET /api/dashboard/figures` through the HTTP layer against
 * the same aggregate SQL run bare (`readAggregates` under the system scope: no HTTP, session,
 * freshness check, validation or serialisation), alternating in the same run. Also times the
 * recount of one village after a change, and each module's base-table query for the whole city
 * (what every request would cost without the aggregates).
 * Prints one JSON line with `ratio` = API p50 / bare p50.
 */
export async function benchDashboard(base: Config, opts: { size: DashboardSize; requests: number }, log: Log) {
  const n = SIZES[opts.size];
  return withBenchDatabase(base, 'dashboard', { seedDemo: true, seedDemoRegistry: false }, async (b) => {
    const { config, database } = b;
    const db = database.db;
    const today = chinaToday();
    const year = Number(today.slice(0, 4));
    const t0 = performance.now();
    const villages = sql`(select array_agg(code order by code) from regions where level = 'village')`;
    const nv = sql`(select count(*) from regions where level = 'village')`;
    const village = (i: string) => sql.raw(`(v.a)[1 + (${i} % v.n)]`);
    await sql`
      insert into enrolments (region_code, kind, monthly_amount_fen, from_month, status, source, care_tier, covered_members)
      select ${village('i')}, case when i % 10 = 0 then 'tekun' else 'dibao' end, 40000 + (i % 50) * 1000,
             to_char(make_date(${year - 1}, 1 + i % 12, 1), 'YYYY-MM'), case when i % 20 = 0 then 'ended' else 'active' end,
             'seed', case when i % 10 = 0 then 'self' end, 1 + i % 4
        from generate_series(1, ${n}) i, (select ${villages} as a, ${nv} as n) v`.execute(db);
    await sql`
      insert into enrolment_changes (enrolment_id, seq, type, effective_month, amount_fen, reason, approval_level, actor_username, region_code)
      select id, 1, 'enrolled', from_month, monthly_amount_fen, 'seed', 'county', 'bench', region_code from enrolments`.execute(
      db,
    );
    log(`enrolments: ${n} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    // One line in a hundred returned (退票), so the figures count failures too.
    await seedPaidYear(db, year, 1);
    log(`payroll lines (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    await sql`
      insert into signals (rule_id, rule_version, outcome, dedupe_key, id_hash, region_code)
      select (select id from collision_rules order by code limit 1), 1, 'lead', 'bench-' || i, 'h' || i, ${village('i * 7')}
        from generate_series(1, ${n / 2}) i, (select ${villages} as a, ${nv} as n) v`.execute(db);
    await sql`
      insert into leads (signal_id, region_code, id_hash, person_name, id_masked, status, outcome, issued_on, due_date, closed_at)
      select s.id, s.region_code, s.id_hash, '测试', '3503**********0000',
             case when s.signal_no % 20 = 0 then 'open' else 'closed' end,
             case when s.signal_no % 20 = 0 then null else 'not_needy' end,
             make_date(${year}, (1 + s.signal_no % 12)::int, (1 + s.signal_no % 28)::int), make_date(${year}, (1 + s.signal_no % 12)::int, (1 + s.signal_no % 28)::int) + 5,
             case when s.signal_no % 20 = 0 then null else now() end
        from signals s where s.dedupe_key like 'bench-%'`.execute(db);
    await sql`
      insert into cases (case_no, channel, region_code, applicant_name, applicant_id_hash, applicant_id_masked, phone_enc,
                         phone_masked, address_enc, reason_enc, consent_at, status, step_started_on, step_due_on,
                         accepted_on, overall_due_on, created_by)
      select 'BENCH' || i, 'window', ${village('i * 13')}, '测试', 'c' || i, '3503**********0000', 'x', 'x', 'x', 'x', now(),
             (array['accepted', 'verifying', 'notice', 'enrolled', 'rejected', 'enrolled'])[1 + i % 6],
             make_date(${year}, 1 + i % 12, 1), make_date(${year}, 1 + i % 12, 1) + 10,
             make_date(${year}, 1 + i % 12, 1), make_date(${year}, 1 + i % 12, 1) + 40, 'bench'
        from generate_series(1, ${n / 4}) i, (select ${villages} as a, ${nv} as n) v`.execute(db);
    await sql`
      insert into case_actions (case_id, seq, action, from_status, to_status, actor_username, region_code, at)
      select id, 1, case when status = 'enrolled' then 'approve' else 'reject' end, 'pending_approval', status,
             'bench', region_code, accepted_on + 15
        from cases where status in ('enrolled', 'rejected')`.execute(db);
    await sql`
      insert into insurance_claims (claim_no, scheme_id, region_code, id_hash, insured_name, id_masked, cover_item,
                                    event_date, source, status, paid_on, paid_fen)
      select 'BENCH' || i, (select id from insurance_schemes order by year desc limit 1), ${village('i * 17')}, 'k' || i,
             '测试', '3503**********0000', 'accident_disability', make_date(${year}, 1 + i % 12, 1), 'staff', 'paid',
             make_date(${year}, 1 + i % 12, 10), 300000
        from generate_series(1, ${n / 50}) i, (select ${villages} as a, ${nv} as n) v`.execute(db);
    if (database.kind === 'postgresql') await sql`analyze`.execute(db);
    const seedSeconds = (performance.now() - t0) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);

    const t4 = performance.now();
    await runAsSystem('bench', pino({ level: 'silent' }), () => refreshAllFigures(db, today));
    const refreshSeconds = (performance.now() - t4) / 1000;
    log(`figures recounted in ${refreshSeconds.toFixed(1)} s`);

    const app = await buildApp({ config, database, logger: false });
    await app.ready();
    const cookie = await adminCookie(app);
    const regions = [config.city, '350302', '350303', '350304', '350305', '350322'];
    const from = `${year}-01`;
    const to = today.slice(0, 7);
    const api: number[] = [];
    const bare: number[] = [];
    const silent = pino({ level: 'silent' });
    for (let i = 0; i < opts.requests; i++) {
      const region = regions[i % regions.length]!;
      const t1 = performance.now();
      const res = await app.inject({
        method: 'GET',
        url: `/api/dashboard/figures?regionCode=${region}&from=${from}&to=${to}`,
        headers: { cookie },
      });
      api.push(performance.now() - t1);
      if (res.statusCode !== 200) throw new Error(`figures: ${res.statusCode} ${res.body}`);
      const t2 = performance.now();
      await runAsSystem('bench', silent, () =>
        readAggregates(db, { regionCode: region, groupLen: region.length, from, to, today }),
      );
      bare.push(performance.now() - t2);
    }
    // A change in one village (a paid claim; the trigger marks it), then the request that recounts it first.
    const first = await sql<{ code: string }>`select min(code) as code from regions where level = 'village'`.execute(
      db,
    );
    await sql`update insurance_claims set paid_fen = paid_fen + 100
               where claim_no = (select min(claim_no) from insurance_claims where region_code = ${first.rows[0]!.code})`.execute(
      db,
    );
    const t5 = performance.now();
    const changed = await app.inject({
      method: 'GET',
      url: `/api/dashboard/figures?regionCode=${config.city}&from=${from}&to=${to}`,
      headers: { cookie },
    });
    const afterChangeMs = performance.now() - t5;
    if (changed.statusCode !== 200) throw new Error(`figures: ${changed.statusCode} ${changed.body}`);
    // More changed villages than a read recounts (as a whole payroll's approval marks): the request
    // answers from the figures as they are, marked, and the job recounts everything.
    await sql`insert into figures_dirty (region_code)
      select code from regions where level = 'village' order by code limit ${FULL_AT + 1}
      on conflict do nothing`.execute(db);
    const t6 = performance.now();
    const bulk = await app.inject({
      method: 'GET',
      url: `/api/dashboard/figures?regionCode=${config.city}&from=${from}&to=${to}`,
      headers: { cookie },
    });
    const afterBulkChangeMs = performance.now() - t6;
    if (bulk.statusCode !== 200 || !bulk.json().freshness.recounting)
      throw new Error(`figures after a bulk change: ${bulk.statusCode} ${bulk.body}`);
    await app.deps.jobs.idle();
    const recountJobMs = performance.now() - t6;
    const after = await app.inject({
      method: 'GET',
      url: `/api/dashboard/figures?regionCode=${config.city}&from=${from}&to=${to}`,
      headers: { cookie },
    });
    if (after.json().freshness.recounting) throw new Error('figures still marked after the recount job');
    await app.close();
    // Without the aggregates: each module's base-table query for the whole city, run alone (median of 3).
    const slice: FigureSlice = { regionCode: config.city, groupLen: config.city.length, from, to, today };
    const calendar = await getCalendar(db);
    const parts: Record<string, () => Promise<unknown>> = {
      rollTotals: () => rollTotals(db, slice),
      rollFigures: () => rollFigures(db, slice),
      newEnrolments: () => newEnrolmentFigures(db, slice),
      paid: () => paidFigures(db, slice),
      leads: () => leadFigures(db, slice),
      leadTrend: () => leadTrend(db, slice),
      cases: () => caseFigures(db, calendar, slice),
      claims: () => claimFigures(db, slice),
    };
    const partsMs: Record<string, number> = {};
    for (const [name, run] of Object.entries(parts)) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t3 = performance.now();
        await runAsSystem('bench', silent, run);
        times.push(performance.now() - t3);
      }
      partsMs[name] = +percentile(times, 50).toFixed(1);
    }
    const counts = await sql<{ people: number; lines: number; leads: number; cases: number; aggregateRows: number }>`
      select (select sum(covered_members) from enrolments)::int as people,
             (select count(*) from payroll_lines)::int as lines, (select count(*) from leads)::int as leads,
             (select count(*) from cases)::int as cases, (select count(*) from figures_monthly)::int as "aggregateRows"`.execute(
      db,
    );
    return {
      bench: 'dashboard',
      database: database.kind,
      size: opts.size,
      enrolments: n,
      ...counts.rows[0],
      seedSeconds: +seedSeconds.toFixed(1),
      refreshSeconds: +refreshSeconds.toFixed(1),
      api: { n: opts.requests, p50Ms: +percentile(api, 50).toFixed(1), p95Ms: +percentile(api, 95).toFixed(1) },
      bare: { p50Ms: +percentile(bare, 50).toFixed(1), p95Ms: +percentile(bare, 95).toFixed(1) },
      p95TargetMs: 300,
      p95Met: percentile(api, 95) <= 300,
      afterVillageChangeMs: +afterChangeMs.toFixed(1),
      afterBulkChangeMs: +afterBulkChangeMs.toFixed(1),
      recountJobMs: +recountJobMs.toFixed(1),
      baseTablePartsMs: partsMs,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      ratio: +(percentile(api, 50) / percentile(bare, 50)).toFixed(3),
    };
  });
}
