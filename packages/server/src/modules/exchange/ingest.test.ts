import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, maskIdNumber, validateIdNumber } from '@jiuzhu/shared';
import { createTestApp, type TestApp } from '../../../test/harness';
import { loadCityDivisions } from '../regions/divisions';
import { generateAll, writeFeeds } from '../../synthetic/index';
import { FEED_SPECS, GROUND_TRUTH_FILE } from '../../synthetic/feeds/catalogue';
import type { GroundTruth } from '../../synthetic/feeds/truth';
import { FEED_KINDS, FEED_SOURCES } from './catalogue';
import { decryptProtected, importFeed, type IngestDeps, type IngestOptions } from './ingest';
import { checkIdNumber, maskNormalised } from './ingest/validate';
import { parseCsvRecord } from './ingest/read';

const AS_OF = '2026-01-01';
let t: TestApp;
let deps: IngestDeps;
let dir: string;
let truth: GroundTruth;

const opts = (kindCode: string, extra: Partial<IngestOptions> = {}): IngestOptions => ({
  kindCode,
  channel: 'cli',
  actor: 'test',
  asOf: AS_OF,
  ...extra,
});
const kindOf = (file: string) => file.replace(/\.(csv|jsonl|xlsx)$/, '');

beforeAll(async () => {
  t = await createTestApp();
  deps = {
    database: t.database,
    db: t.database.db,
    protector: t.app.deps.protector,
    log: pino({ level: 'silent' }),
  };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-ingest-'));
  const households = generateAll({ city: '3503', divisions: await loadCityDivisions('3503'), size: 'demo', seed: 7 });
  await writeFeeds({ households, seed: 7, outDir: dir, asOf: AS_OF });
  truth = JSON.parse(fs.readFileSync(path.join(dir, GROUND_TRUTH_FILE), 'utf8')) as GroundTruth;
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('feed catalogue', () => {
  it('has 16 sources and the nine generator layouts exactly', async () => {
    expect(FEED_SOURCES).toHaveLength(16);
    const sources = await t.database.db.selectFrom('feed_sources').select('code').execute();
    expect(sources.map((s) => s.code).sort()).toEqual(FEED_SOURCES.map((s) => s.code).sort());
    const kinds = await t.database.db.selectFrom('feed_kinds').selectAll().where('builtin', '=', true).execute();
    expect(kinds).toHaveLength(FEED_KINDS.length);
    for (const spec of Object.values(FEED_SPECS)) {
      const kind = kinds.find((k) => k.code === kindOf(spec.file));
      expect(kind, spec.file).toBeDefined();
      expect(kind!.source_code).toBe(spec.source);
      expect(kind!.format).toBe(spec.format);
      expect(kind!.event_date_column).toBe(spec.eventDate);
      expect(kind!.columns.map((c) => c.name)).toEqual(spec.columns);
      expect(kind!.columns.filter((c) => c.past).map((c) => c.name)).toEqual(spec.pastDates);
      expect(kind!.columns.filter((c) => c.type === 'fen').map((c) => c.name)).toEqual(spec.amounts);
    }
    for (const k of FEED_KINDS) for (const c of k.columns) expect(c.labelZh && c.labelEn).toBeTruthy();
  });
});

describe('row checks', () => {
  it('the fast ID number check agrees with validateIdNumber, and the mask with maskIdNumber', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const today = '2026-01-01';
    for (let i = 0; i < 20_000; i++) {
      const base = makeIdNumber(
        ['350302', '110101', '440305', '350322'][rnd(4)]!,
        `${1900 + rnd(126)}-0${1 + rnd(9)}-1${rnd(9)}`,
        rnd(1000),
      );
      const chars = base.split('');
      const mutation = rnd(6);
      if (mutation === 1) chars[rnd(18)] = String(rnd(10));
      if (mutation === 2) chars[17] = 'X';
      if (mutation === 3) chars[0] = '9';
      if (mutation === 4) chars.splice(6, 2);
      if (mutation === 5) chars[6] = '2';
      const raw = chars.join('');
      const v = validateIdNumber(raw, { today });
      const f = checkIdNumber(raw, today);
      expect(f, raw).toEqual(v.ok ? { ok: true, idNumber: v.idNumber } : { ok: false, reason: v.reason });
      if (v.ok) expect(maskNormalised(v.idNumber)).toBe(maskIdNumber(v.idNumber));
    }
  });

  it('parses RFC 4180 records', () => {
    expect(parseCsvRecord('a,"b,c","d""e",,f')).toEqual(['a', 'b,c', 'd"e', '', 'f']);
    expect(parseCsvRecord('a,')).toEqual(['a', '']);
    expect(parseCsvRecord('"a')).toBeNull();
    expect(parseCsvRecord('" 350302 ",x')).toEqual([' 350302 ', 'x']);
  });
});

describe('importFeed', () => {
  it('loads all nine generator files; quarantines exactly the ground-truth bad rows at their line and column', async () => {
    for (const f of truth.files) {
      const res = await importFeed(deps, { path: path.join(dir, f.file), fileName: f.file }, opts(kindOf(f.file)));
      const records = truth.records.filter((r) => r.file === f.file);
      const quarantined = records.filter((r) => r.expected === 'quarantine');
      expect(res, f.file).toMatchObject({
        status: 'loaded',
        alreadyLoaded: false,
        rowsTotal: records.length,
        rowsRejected: quarantined.length,
        rowsLoaded: records.length - quarantined.length,
        rowsDuplicate: 0,
      });
      const errors = await t.database.db
        .selectFrom('feed_errors')
        .select(['line', 'column_name', 'reason'])
        .where('batch_id', '=', res.batchId)
        .execute();
      expect(
        [...new Set(errors.map((e) => e.line))].sort((a, b) => a - b),
        f.file,
      ).toEqual(quarantined.map((r) => r.line));
      for (const q of quarantined) {
        const at = errors.filter((e) => e.line === q.line);
        if (q.column !== undefined)
          expect(
            at.map((e) => e.column_name),
            `${f.file}:${q.line}`,
          ).toContain(q.column);
        if (q.bad)
          expect(
            at.map((e) => e.reason),
            `${f.file}:${q.line}`,
          ).toContain(q.bad);
      }
      const stored = await t.database.db
        .selectFrom('feed_records')
        .select(['line', 'id_hash', 'id_masked', 'record_key', 'record_type', 'data', 'protected_enc'])
        .where('batch_id', '=', res.batchId)
        .orderBy('line')
        .execute();
      const good = records.filter((r) => r.expected !== 'quarantine');
      expect(stored.map((s) => s.line)).toEqual(good.map((r) => r.line));
      for (const [i, r] of good.entries()) {
        expect(stored[i]!.record_key).toBe(r.record_id);
        expect(stored[i]!.id_hash).toBe(t.app.deps.protector.idHash(r.id_number_hash_input!));
        expect(stored[i]!.id_masked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
        expect(JSON.stringify(stored[i]!.data)).not.toContain(r.id_number_hash_input!.slice(6, 14));
      }
    }
    // Record types as the collision rules expect them.
    const types = await sql<{
      record_type: string;
      n: number;
    }>`select record_type, count(*)::int as n from feed_records group by 1 order by 1`.execute(t.database.db);
    expect(types.rows.map((r) => r.record_type)).toEqual([
      'business',
      'cremation',
      'custody',
      'death',
      'disability',
      'medical',
      'property',
      'vehicle',
      'wage',
    ]);
    // Amounts are JSON integers; protected columns only encrypted.
    const med = await t.database.db
      .selectFrom('feed_records')
      .select(['data', 'protected_enc'])
      .where('kind_code', '=', 'medical_insurance.expenses')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(typeof med.data.self_paid_fen).toBe('number');
    expect(med.data.diagnosis).toBeUndefined();
    expect(typeof decryptProtected(t.app.deps.protector, med.protected_enc!).diagnosis).toBe('string');
    const wage = await t.database.db
      .selectFrom('feed_records')
      .select(['protected_enc'])
      .where('kind_code', '=', 'hrss.wages')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(wage.protected_enc).toBeNull();
  });

  it('adds nothing for the same file again, and only the new record of an overlapping file', async () => {
    const file = path.join(dir, 'hrss.wages.csv');
    const before = await countRecords('hrss.wages');
    const again = await importFeed(deps, { path: file, fileName: 'hrss.wages.csv' }, opts('hrss.wages'));
    expect(again.alreadyLoaded).toBe(true);
    expect(await countRecords('hrss.wages')).toBe(before);

    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const good = truth.records.filter((r) => r.file === 'hrss.wages.csv' && r.expected !== 'quarantine').slice(0, 5);
    const last = lines[good[0]!.line - 1]!.split(',');
    last[0] = 'WAG9999999';
    const overlap = [lines[0], ...good.map((r) => lines[r.line - 1]), last.join(',')].join('\n') + '\n';
    const res = await importFeed(deps, { bytes: Buffer.from(overlap), fileName: 'hrss.wages.csv' }, opts('hrss.wages'));
    expect(res).toMatchObject({ status: 'loaded', rowsTotal: 6, rowsLoaded: 1, rowsDuplicate: 5, rowsRejected: 0 });
    expect(await countRecords('hrss.wages')).toBe(before + 1);
  });

  it('reads GBK files with auto detection and when told; UTF-8 with a BOM', async () => {
    const header = FEED_SPECS.wages.columns.join(',');
    const row = (id: string, name: string, n: number) =>
      `${id},${makeIdNumber('350302', '1980-01-01', n)},${name},2025-12-10,2025-11,莆田市某某鞋业有限公司,91350300MA2XXXXX1X,150000`;
    const text = (prefix: string) =>
      `${header}\r\n${row(`${prefix}1`, '陈美华', 11)}\r\n${row(`${prefix}2`, '林振鑫', 12)}\r\n`;
    for (const [prefix, encoding] of [
      ['GBA', 'auto'],
      ['GBE', 'gbk'],
    ] as const) {
      const bytes = iconv.encode(text(prefix), 'gbk');
      const res = await importFeed(deps, { bytes, fileName: 'x.csv' }, opts('hrss.wages', { encoding }));
      expect(res).toMatchObject({ status: 'loaded', rowsLoaded: 2, rowsRejected: 0 });
      const names = await t.database.db
        .selectFrom('feed_records')
        .select(['name', 'data'])
        .where('batch_id', '=', res.batchId)
        .orderBy('line')
        .execute();
      expect(names.map((n) => n.name)).toEqual(['陈美华', '林振鑫']);
      expect(names[0]!.data.employer_name).toBe('莆田市某某鞋业有限公司');
      const batch = await t.database.db
        .selectFrom('feed_batches')
        .select('encoding')
        .where('id', '=', res.batchId)
        .executeTakeFirstOrThrow();
      expect(batch.encoding).toBe('gbk');
    }
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text('BOM'))]);
    const res = await importFeed(deps, { bytes: bom, fileName: 'x.csv' }, opts('hrss.wages'));
    expect(res).toMatchObject({ status: 'loaded', rowsLoaded: 2 });
    // Told UTF-8, a GBK file is refused, not garbled.
    const wrong = await importFeed(
      deps,
      { bytes: iconv.encode(text('GBX'), 'gbk'), fileName: 'x.csv' },
      opts('hrss.wages', { encoding: 'utf-8' }),
    );
    expect(wrong).toMatchObject({ status: 'failed', failure: { reason: 'encoding' } });
  });

  it('refuses a file of another source, naming the missing and unexpected columns', async () => {
    const res = await importFeed(
      deps,
      { path: path.join(dir, 'public_security.deaths.csv'), fileName: 'hrss.wages.csv' },
      opts('hrss.wages'),
    );
    expect(res.status).toBe('failed');
    expect(res.failure).toEqual({
      reason: 'columns',
      params: {
        missing: ['pay_date', 'wage_month', 'employer_name', 'employer_credit_code', 'monthly_wage_fen'],
        unexpected: ['death_date', 'cause_category', 'death_place', 'hukou_region'],
      },
    });
    expect(
      await t.database.db.selectFrom('feed_records').select('id').where('batch_id', '=', res.batchId).execute(),
    ).toEqual([]);
    // A JSON Lines file of another layout, too.
    const jsonl = await importFeed(
      deps,
      {
        bytes: Buffer.from('{"record_id":"X1","id_number":"1","name":"a","pay_date":"2025-01-01"}\n'),
        fileName: 'm.jsonl',
      },
      opts('medical_insurance.expenses'),
    );
    expect(jsonl).toMatchObject({ status: 'failed', failure: { reason: 'columns' } });
  });

  it('quarantines future dates, negative and non-numeric amounts, bad codes and months, and missing fields', async () => {
    const header = FEED_SPECS.wages.columns.join(',');
    const id = (n: number) => makeIdNumber('350302', '1975-05-05', n);
    const rows = [
      `BAD0000001,${id(1)},甲,2036-01-01,2025-11,某公司,91350300MA2XXXXX1X,150000`, // future pay date
      `BAD0000002,${id(2)},乙,2025-12-10,2025-11,某公司,91350300MA2XXXXX1X,-5`, // negative
      `BAD0000003,${id(3)},丙,2025-12-10,2025-11,某公司,91350300MA2XXXXX1X,12.5万`, // non-numeric
      `BAD0000004,${id(4)},丁,2025-12-10,2025-11,某公司,91350300MA2XXXXX1X,"12,345.00"`, // non-numeric
      `BAD0000005,${id(5)},戊,2025-02-30,2025-13,某公司,91350300MA2XXXXX1X,100`, // invalid date and month
      `BAD0000006,${id(6)},,2025-12-10,2025-11,,91350300MA2XXXXX1X,100`, // name and employer missing
      `BAD0000007,${id(7).slice(0, 17)}0,己,2025-12-10,2025-11,某公司,91350300MA2XXXXX1X,100`, // check character
      `GOOD000001,${id(8)},庚,2026-01-01,2025-12,某公司,91350300MA2XXXXX1X,0`, // on the as-of date: fine
    ];
    const res = await importFeed(
      deps,
      { bytes: Buffer.from(`${header}\n${rows.join('\n')}\n`), fileName: 'hrss.wages.csv' },
      opts('hrss.wages'),
    );
    expect(res).toMatchObject({ status: 'loaded', rowsTotal: 8, rowsLoaded: 1, rowsRejected: 7 });
    const errors = await t.database.db
      .selectFrom('feed_errors')
      .select(['line', 'column_name', 'reason', 'params'])
      .where('batch_id', '=', res.batchId)
      .orderBy('line')
      .orderBy('reason')
      .execute();
    expect(errors.map((e) => [e.line, e.column_name, e.reason])).toEqual([
      [2, 'pay_date', 'future_date'],
      [3, 'monthly_wage_fen', 'negative_amount'],
      [4, 'monthly_wage_fen', 'non_numeric_amount'],
      [5, 'monthly_wage_fen', 'non_numeric_amount'],
      [6, 'pay_date', 'invalid_date'],
      [6, 'wage_month', 'invalid_month'],
      [7, 'name', 'required'],
      [8, 'id_number', 'invalid_id_number'],
    ]);
    // No value of the row in the error report.
    expect(JSON.stringify(errors)).not.toMatch(/12\.5|12,345|350302/);
  });

  it('imports an XLSX kind (streaming reader; dates as date cells or text)', async () => {
    const kind = FEED_KINDS.find((k) => k.code === 'tax.income')!;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('申报');
    ws.addRow(kind.columns.map((c) => c.name));
    ws.addRow([
      'TAX0000001',
      makeIdNumber('350302', '1970-03-03', 21),
      '黄一',
      new Date(Date.UTC(2025, 11, 15)),
      '2025-11',
      'wage',
      '某公司',
      800000,
      1200,
    ]);
    ws.addRow([
      'TAX0000002',
      makeIdNumber('350302', '1970-03-03', 22),
      '黄二',
      '2025-12-16',
      '2025-11',
      'labour',
      '',
      '300000',
      '0',
    ]);
    ws.addRow([]);
    ws.addRow([
      'TAX0000003',
      makeIdNumber('350302', '1970-03-03', 23),
      '黄三',
      '2035-12-16',
      '2025-11',
      'wage',
      '',
      1,
      0,
    ]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await importFeed(deps, { bytes, fileName: 'tax.income.xlsx' }, opts('tax.income'));
    expect(res).toMatchObject({ status: 'loaded', rowsTotal: 3, rowsLoaded: 2, rowsRejected: 1 });
    const stored = await t.database.db
      .selectFrom('feed_records')
      .select(['event_date', 'data', 'line'])
      .where('batch_id', '=', res.batchId)
      .orderBy('line')
      .execute();
    expect(stored.map((s) => [s.line, s.event_date, s.data.income_fen])).toEqual([
      [2, '2025-12-15', 800000],
      [3, '2025-12-16', 300000],
    ]);
    const errors = await t.database.db
      .selectFrom('feed_errors')
      .select(['line', 'reason'])
      .where('batch_id', '=', res.batchId)
      .execute();
    expect(errors).toEqual([{ line: 5, reason: 'future_date' }]);
  });

  it('imports a kind defined only in the table, the same way', async () => {
    await t.database.db
      .insertInto('feed_kinds')
      .values({
        code: 'civil.test_allowances',
        source_code: 'marriage',
        name_zh: '测试',
        name_en: 'Test',
        record_type: 'allowance',
        format: 'csv',
        columns: JSON.stringify([
          { name: 'record_id', type: 'text', required: true, labelZh: '编号', labelEn: 'Id' },
          { name: 'id_number', type: 'text', required: true, labelZh: '身份证', labelEn: 'ID' },
          { name: 'name', type: 'text', required: true, labelZh: '姓名', labelEn: 'Name' },
          { name: 'paid_on', type: 'date', required: true, past: true, labelZh: '日期', labelEn: 'Date' },
          { name: 'level', type: 'code', required: true, values: ['a', 'b'], labelZh: '档次', labelEn: 'Level' },
          { name: 'amount_fen', type: 'fen', required: true, labelZh: '金额', labelEn: 'Amount' },
          { name: 'home', type: 'text', required: false, protected: true, labelZh: '住址', labelEn: 'Home' },
        ]),
        event_date_column: 'paid_on',
        created_by: 'test',
      })
      .execute();
    const id = (n: number) => makeIdNumber('350302', '1960-06-06', n);
    const csv = [
      'record_id,id_number,name,paid_on,level,amount_fen,home',
      `A1,${id(1)},吴一,2025-10-01,a,12000,"城厢区凤凰山街道1号, 2室"`,
      `A2,${id(2)},吴二,2025-10-01,c,12000,`,
      `A3,${id(3).toLowerCase()},吴三,2025-10-02,b,9000,`,
    ].join('\n');
    const res = await importFeed(
      deps,
      { bytes: Buffer.from(csv), fileName: 'allowances.csv' },
      opts('civil.test_allowances'),
    );
    expect(res).toMatchObject({ status: 'loaded', rowsLoaded: 2, rowsRejected: 1 });
    const stored = await t.database.db
      .selectFrom('feed_records')
      .select(['record_type', 'data', 'protected_enc', 'event_date'])
      .where('batch_id', '=', res.batchId)
      .orderBy('line')
      .execute();
    expect(stored[0]).toMatchObject({
      record_type: 'allowance',
      data: { level: 'a', amount_fen: 12000, paid_on: '2025-10-01' },
    });
    expect(decryptProtected(t.app.deps.protector, stored[0]!.protected_enc!)).toEqual({
      home: '城厢区凤凰山街道1号, 2室',
    });
    expect(decryptProtected(t.app.deps.protector, stored[1]!.protected_enc!)).toEqual({ home: null });
  });

  it('loads a file once when two imports of it run at the same time', async () => {
    const lines = fs.readFileSync(path.join(dir, 'funeral.cremations.csv'), 'utf8').split('\n');
    const body = Buffer.from(`${lines[0]}\n${lines[1]!.replace(/^CRM\d+/, 'CRM7777777')}\n`);
    const both = await Promise.all([
      importFeed(deps, { bytes: body, fileName: 'a.csv' }, opts('funeral.cremations')),
      importFeed(deps, { bytes: body, fileName: 'b.csv' }, opts('funeral.cremations')),
    ]);
    expect(both.map((r) => r.batchId)).toEqual([both[0]!.batchId, both[0]!.batchId]);
    expect(both.map((r) => r.alreadyLoaded).sort()).toEqual([false, true]);
    const n = await t.database.db
      .selectFrom('feed_records')
      .select('id')
      .where('record_key', '=', 'CRM7777777')
      .execute();
    expect(n).toHaveLength(1);
  });

  it('takes a stream input and honours an idempotency key', async () => {
    const lines = fs.readFileSync(path.join(dir, 'public_security.deaths.csv'), 'utf8').split('\n');
    const body = `${lines[0]}\n${lines[1]!.replace(/^DTH\d+/, 'DTH8888888')}\n`;
    const { Readable } = await import('node:stream');
    const first = await importFeed(
      deps,
      { stream: Readable.from([Buffer.from(body)]), fileName: 'push.csv' },
      opts('public_security.deaths', { channel: 'push', actor: 'feed:public_security', idempotencyKey: 'k-1' }),
    );
    expect(first).toMatchObject({ status: 'loaded', rowsLoaded: 1, alreadyLoaded: false });
    const second = await importFeed(
      deps,
      { bytes: Buffer.from(body + '\n'), fileName: 'push.csv' },
      opts('public_security.deaths', { channel: 'push', actor: 'feed:public_security', idempotencyKey: 'k-1' }),
    );
    expect(second).toMatchObject({ batchId: first.batchId, alreadyLoaded: true });
  });
});

async function countRecords(kind: string): Promise<number> {
  const r = await t.database.db
    .selectFrom('feed_records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind_code', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
