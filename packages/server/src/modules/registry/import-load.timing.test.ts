import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { COLUMNS } from './import-format';

// Defect 1 of issue 11: a large register import held the event loop, so every request waited.
let t: TestApp;
let clerk: Agent;

const HEADERS = COLUMNS.map((c) => c.header);
const line = (cells: Record<string, string>) => HEADERS.map((h) => cells[h] ?? '').join(',');

/** A register CSV of `households` one-person households in 灵川镇径里村, padded to a realistic row size. */
function registerFile(households: number, firstSeq: number): Buffer {
  const lines = [HEADERS.join(',')];
  for (let i = 0; i < households; i++) {
    // 450 birth dates times 999 sequence numbers: every ID number of the file differs (a person
    // listed twice is refused, dry run or not).
    const n = firstSeq + i;
    const birth = `19${String(40 + (n % 50)).padStart(2, '0')}-0${1 + (Math.floor(n / 50) % 9)}-1${n % 9}`;
    lines.push(
      line({
        户编号: `L${firstSeq + i}`,
        村居代码: '350302102202',
        家庭住址: `莆田市城厢区灵川镇径里村${i}号，${'靠近村委会的老房子，门前有一棵龙眼树'.repeat(4)}`,
        救助状态: '低保',
        姓名: `林${i % 97}`,
        身份证号: makeIdNumber('350302', birth, Math.floor(n / 450) % 999),
        与户主关系: '户主',
        户口类型: '农业',
      }),
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

const HOUSEHOLDS = 65_000;

type Progress = { status: string; bytesDone: number; bytesTotal: number; rows: number; report: unknown };

/** Polls /api/health while the import runs; returns the health timings and the progress seen. */
async function watch(importId: string) {
  const timings: number[] = [];
  const seen: Progress[] = [];
  for (;;) {
    const started = performance.now();
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    timings.push(performance.now() - started);
    expect(health.statusCode).toBe(200);
    const progress = (await clerk.request('GET', `/api/households/import/${importId}`)).json() as Progress;
    seen.push(progress);
    if (progress.status !== 'running') return { timings, seen };
    // A page polls now and then; in-process inject with PGlite never leaves the microtask queue,
    // so without a pause here the test itself would starve the import's file reads.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  clerk = await t.login('lingchuan');
});
afterAll(() => t?.close());

describe('a large register import runs off the request path', () => {
  it('answers /api/health within 200 ms throughout a dry run of a file of tens of MB, with progress', async () => {
    const file = registerFile(HOUSEHOLDS, 1);
    expect(file.length).toBeGreaterThan(20 * 1024 * 1024);
    const res = await clerk.request('POST', '/api/households/import?dryRun=true', file, {
      'content-type': 'text/csv',
      'x-filename': 'big.csv',
      prefer: 'respond-async',
    });
    expect(res.statusCode).toBe(202);
    const started = res.json();
    expect(started).toMatchObject({ status: 'running', bytesTotal: file.length });
    const { timings, seen } = await watch(started.importId);
    expect(seen.at(-1)).toMatchObject({ status: 'done', bytesDone: file.length, rows: HOUSEHOLDS });
    expect(seen.at(-1)!.report).toMatchObject({ households: HOUSEHOLDS, errors: [] });
    // The page saw the import move, not just start and end.
    expect(new Set(seen.map((p) => p.bytesDone)).size).toBeGreaterThan(3);
    expect(timings.length).toBeGreaterThan(10);
    expect(Math.max(...timings)).toBeLessThan(200);
  }, 300_000);

  it('answers /api/health within 200 ms while an import stores thousands of households', async () => {
    const file = registerFile(6_000, 500_000);
    const res = await clerk.request('POST', '/api/households/import?dryRun=false', file, {
      'content-type': 'text/csv',
      'x-filename': 'real.csv',
      prefer: 'respond-async',
    });
    expect(res.statusCode).toBe(202);
    const { timings, seen } = await watch(res.json().importId);
    expect(seen.at(-1)!.report).toMatchObject({ importedHouseholds: 6_000, errors: [] });
    expect(timings.length).toBeGreaterThan(5);
    expect(Math.max(...timings)).toBeLessThan(200);
  }, 300_000);

  it('refuses a file past the limit with a 400 naming the field, and keeps nothing of it', async () => {
    const res = await clerk.request('POST', '/api/households/import?dryRun=true', Buffer.alloc(10), {
      'content-type': 'text/csv',
      'content-length': String(201 * 1024 * 1024),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'file', message: expect.stringContaining('200 MB') }]);
  });
});
