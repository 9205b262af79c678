import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type TestApp } from '../../../test/harness';
import type { Protector } from '../../crypto/index';
import type { FeedColumnSpec } from '../../db/schema';
import { WAGES_HEADER } from '../../synthetic/wages';
import { decryptProtected, importFeed, preparedPieces, WORKER_MIN_BYTES, type PieceSource } from './ingest';
import { FEED_KINDS } from './catalogue';
import { compileRowCheck } from './ingest/validate';

const AS_OF = '2026-01-01';
const TODAY = '2026-06-01';
let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-ingest-workers-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

type Kind = PieceSource['kind'];
function kindOf(code: string): Kind {
  const k = FEED_KINDS.find((x) => x.code === code)!;
  return {
    code: k.code,
    source_code: k.sourceCode,
    record_type: k.recordType,
    format: k.format,
    columns: k.columns as FeedColumnSpec[],
    event_date_column: k.eventDateColumn,
  };
}

/** Everything preparedPieces gave: COPY rows (protected fields decrypted), error lines, counts. */
async function collect(protector: Protector, kind: Kind, file: string, workers: boolean) {
  const src: PieceSource = {
    kind,
    batchId: '00000000-0000-4000-8000-000000000001',
    asOf: AS_OF,
    today: TODAY,
    check: compileRowCheck(kind.columns, kind.event_date_column, AS_OF, TODAY),
    protector,
    open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
    encoding: 'utf-8',
    workers,
  };
  const rows: string[] = [];
  const errors: string[] = [];
  const counts = { total: 0, rejected: 0, staged: 0, errorCount: 0 };
  for await (const p of preparedPieces(src, 'prefix\t')) {
    for (const line of Buffer.from(p.copy).toString('utf8').split('\n').filter(Boolean)) {
      const cells = line.split('\t');
      const enc = cells.pop()!;
      // Encryption draws a fresh nonce: compare what was encrypted.
      rows.push([...cells, enc === '\\N' ? enc : JSON.stringify(decryptProtected(protector, enc))].join('\t'));
    }
    errors.push(...p.errors.split('\n').filter(Boolean));
    counts.total += p.total;
    counts.rejected += p.rejected;
    counts.staged += p.staged;
    counts.errorCount += p.errorCount;
  }
  return { rows, errors, counts };
}

const ids = Array.from({ length: 500 }, (_, i) =>
  makeIdNumber('350302', `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, i),
);

/** A wages file past the worker threshold, with what makes cutting it into runs hard. */
function trickyWages(rows: number): string {
  const out = [`\ufeff${WAGES_HEADER}`];
  for (let i = 0; i < rows; i++) {
    const id = ids[i % ids.length]!;
    let name = '林美华';
    // A quoted name over a line break, a quoted name with a doubled quote, rows that are wrong.
    if (i % 997 === 5) name = '"林\n美华"';
    if (i % 991 === 7) name = '"林""美华"';
    let wage = String(200_000 + i);
    if (i % 1009 === 3) wage = '-5';
    let line = `K${i},${id},${name},2025-11-0${1 + (i % 9)},2025-10,莆田市某某鞋业有限公司,91350300MA2Y000001,${wage}`;
    if (i % 1013 === 11) line += ',extra';
    if (i % 1019 === 13) line = '';
    out.push(line);
  }
  // A record whose quote never closes, at the very end.
  out.push(`K-last,${ids[0]},"林美华,2025-11-01,2025-10,x,y,100`);
  return out.join('\r\n');
}

describe('feed rows on worker threads', () => {
  it('checks a large CSV file on worker threads into exactly the rows and errors of the main thread', async () => {
    const file = path.join(dir, 'hrss.wages.csv');
    fs.writeFileSync(file, trickyWages(30_000));
    expect(fs.statSync(file).size).toBeGreaterThan(WORKER_MIN_BYTES);
    const kind = kindOf('hrss.wages');
    const main = await collect(t.app.deps.protector, kind, file, false);
    const workers = await collect(t.app.deps.protector, kind, file, true);
    expect(workers.counts).toEqual(main.counts);
    expect(workers.rows).toEqual(main.rows);
    expect(workers.errors).toEqual(main.errors);
    // The hard cases are there: line breaks kept in names, rows refused, the open quote at the end.
    expect(main.rows.some((r) => r.includes('林\\n美华'))).toBe(true);
    expect(main.rows.some((r) => r.includes('林"美华'))).toBe(true);
    expect(main.errors.some((e) => e.includes('negative_amount'))).toBe(true);
    expect(main.errors.some((e) => e.includes('column_count'))).toBe(true);
    expect(main.errors.at(-1)).toContain('unterminatedQuote');
    expect(main.counts.total).toBe(30_000 - Math.ceil(30_000 / 1019) + 1);
  });

  it('checks JSON Lines and protected columns on worker threads the same way', async () => {
    const kind = kindOf('medical_insurance.expenses');
    const cols = kind.columns.map((c) => c.name);
    const lines: string[] = ['', 'not json'];
    for (let i = 0; i < 3000; i++) {
      const o: Record<string, unknown> = {};
      for (const c of kind.columns) {
        o[c.name] =
          c.name === 'record_id'
            ? `M${i}`
            : c.name === 'id_number'
              ? ids[i % ids.length]
              : c.type === 'date'
                ? '2025-10-01'
                : c.type === 'month'
                  ? '2025-10'
                  : c.type === 'fen' || c.type === 'integer'
                    ? i % 777 === 1
                      ? 'x'
                      : 100 + i
                    : c.type === 'code'
                      ? c.values![i % c.values!.length]
                      : `文本${i}`;
      }
      lines.push(JSON.stringify(o));
      if (i % 500 === 9) lines.push('[1,2]');
    }
    expect(cols.length).toBeGreaterThan(3);
    const file = path.join(dir, 'medical.jsonl');
    fs.writeFileSync(file, lines.join('\n'));
    const main = await collect(t.app.deps.protector, kind, file, false);
    const workers = await collect(t.app.deps.protector, kind, file, true);
    expect(workers).toEqual(main);
    expect(main.counts.staged).toBeGreaterThan(2900);
    expect(main.rows.every((r) => !r.endsWith('\\N'))).toBe(true);
  });

  it('imports a file through worker threads: rows, quarantine and batch counts', async () => {
    const body = trickyWages(5000);
    const res = await importFeed(
      { database: t.database, db: t.database.db, protector: t.app.deps.protector, log: pino({ level: 'silent' }) },
      { bytes: Buffer.from(body), fileName: 'hrss.wages.csv' },
      { kindCode: 'hrss.wages', channel: 'cli', actor: 'test', asOf: AS_OF, workers: true },
    );
    const blank = Math.ceil(5000 / 1019);
    expect(res).toMatchObject({ status: 'loaded', rowsTotal: 5000 - blank + 1, rowsDuplicate: 0 });
    const stored = await t.database.db
      .selectFrom('feed_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('batch_id', '=', res.batchId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(res.rowsLoaded);
    const errors = await t.database.db
      .selectFrom('feed_errors')
      .select(['line', 'reason'])
      .where('batch_id', '=', res.batchId)
      .orderBy('line')
      .execute();
    expect(new Set(errors.map((e) => e.line)).size).toBe(res.rowsRejected);
    // Line numbers count the header (line 1) and the extra lines of quoted line breaks (rows 5 and 1,002).
    expect(errors.find((e) => e.reason === 'negative_amount')!.line).toBe(1 + 3 + 1);
    expect(errors.filter((e) => e.reason === 'negative_amount')[1]!.line).toBe(1 + 1012 + 1 + 2);

    // Records name their batch without a per-row key (migration 0099): a batch they name can be
    // neither deleted nor renumbered.
    await expect(
      sql`delete from feed_errors where batch_id = ${res.batchId}::uuid`
        .execute(t.database.db)
        .then(() => sql`delete from feed_batches where id = ${res.batchId}::uuid`.execute(t.database.db)),
    ).rejects.toThrow(/still named by feed records/);
    await expect(
      sql`update feed_batches set id = gen_random_uuid() where id = ${res.batchId}::uuid`.execute(t.database.db),
    ).rejects.toThrow(/cannot change/);
    expect(
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from feed_errors where batch_id = ${res.batchId}::uuid`.execute(t.database.db)
        ).rows[0]!.n,
      ),
    ).toBe(0);
  });
});
