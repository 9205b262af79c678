/**
 * The real queue (pg-boss) with the app: it starts with the server, a collision run requested
 * over HTTP is picked up by the worker and finishes, and closing the app stops it cleanly.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness';
import { jobSchemaOf } from './index';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ JIUZHU_JOBS: 'on' });
}, 60_000);
afterAll(() => t?.close());

describe('job queue (pg-boss)', () => {
  it('runs a collision run requested over HTTP in the background', async () => {
    expect(t.app.deps.jobs.kind).toBe('pg-boss');
    const admin = await t.login('admin');
    const res = await admin.request('POST', '/api/collision/runs', {});
    expect(res.statusCode, res.body).toBe(202);
    const { runId } = res.json() as { runId: string };
    let run = { status: 'queued' };
    for (let i = 0; i < 150 && !['done', 'failed'].includes(run.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await admin.request('GET', `/api/collision/runs/${runId}`)).json();
    }
    expect(run).toMatchObject({ status: 'done', rulesDone: 9, rulesTotal: 9 });
    // The API answers while the queue polls the same (PGlite: single) connection.
    expect((await admin.request('GET', '/api/collision/runs')).json().total).toBe(1);
  }, 30_000);

  it('recounts the figures in the background when a read finds them due, one job for many reads', async () => {
    const admin = await t.login('admin');
    const read = async () => {
      const res = await admin.request('GET', '/api/dashboard/figures');
      expect(res.statusCode, res.body).toBe(200);
      return res.json().freshness as { recounting: boolean; asOf: string | null };
    };
    // Never counted: the reads answer at once, marked, and each asks for the recount (five at once).
    const first = await Promise.all(Array.from({ length: 5 }, () => read()));
    expect(first[0]).toEqual({ recounting: true, asOf: null });
    let freshness = { recounting: true };
    for (let i = 0; i < 150 && freshness.recounting; i++) {
      await new Promise((r) => setTimeout(r, 100));
      freshness = await read();
    }
    expect(freshness).toMatchObject({ recounting: false });
    const schema = jobSchemaOf(t.config);
    const jobs = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.job`)}
      where name = 'dashboard.figures.recount'`.execute(t.database.db);
    // pg-boss keeps one per 30-second slot whatever the number of reads that asked (at most two
    // when the reads straddle a slot's end).
    expect(jobs.rows[0]!.n).toBeLessThanOrEqual(2);
  }, 30_000);

  it('keeps its tables in its own schema', async () => {
    const schema = jobSchemaOf(t.config);
    expect(schema).toBe(t.config.dbSchema ? `${t.config.dbSchema}_jobs` : 'pgboss');
    const r = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
      where table_schema = ${schema} and table_name = 'job'`.execute(t.database.db);
    expect(r.rows[0]!.n).toBe(1);
  });
});
