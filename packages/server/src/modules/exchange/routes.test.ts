import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, onPostgres, type Agent, type TestApp } from '../../../test/harness';
import { writeWages } from '../../synthetic/wages';
import { importFeed } from './ingest';

let t: TestApp;
let admin: Agent;
let auditor: Agent;
let seq = 0;
const pid = () => makeIdNumber('350302', '1950-03-04', ++seq);

const DEATHS = 'public_security.deaths';
const DEATH_HEADER = 'record_id,id_number,name,death_date,cause_category,death_place,hukou_region';
let recordSeq = 0;
const deathRow = (over: Partial<Record<'id' | 'name' | 'date', string>> = {}) =>
  `DTH${String(++recordSeq).padStart(7, '0')},${over.id ?? pid()},${over.name ?? '林测试'},${over.date ?? '2025-06-01'},illness,hospital,350302102`;

/** An ID number with one birth digit changed and the check character kept: fails validation. */
function invalidId(): string {
  const good = pid();
  const d = good[10] === '1' ? '2' : '1';
  return good.slice(0, 10) + d + good.slice(11);
}

async function upload(
  agent: Agent,
  kind: string,
  body: Buffer | string,
  opts: { fileName?: string; encoding?: string; asOf?: string; lang?: string } = {},
) {
  const q = new URLSearchParams({ kind, ...(opts.encoding ? { encoding: opts.encoding } : {}) });
  if (opts.asOf) q.set('asOf', opts.asOf);
  return agent.request('POST', `/api/feeds/upload?${q}`, Buffer.isBuffer(body) ? body : Buffer.from(body), {
    'content-type': 'text/csv',
    'x-file-name': encodeURIComponent(opts.fileName ?? '死亡注销.csv'),
    ...(opts.lang ? { 'accept-language': opts.lang } : {}),
  });
}

async function count(table: 'feed_records' | 'feed_batches' | 'feed_errors', where?: [string, string]) {
  let q = t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function auditActions(action: string) {
  return t.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  const created = await admin.request('POST', '/api/users', {
    username: 'feed.auditor',
    displayName: '审计员',
    role: 'auditor',
    regionCode: '3503',
    password: 'auditor-password-1',
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  auditor = await t.login('feed.auditor', 'auditor-password-1');
});
afterAll(() => t?.close());

describe('feed sources and kinds', () => {
  it('lists the sources with their kinds, columns and whether a push key exists', async () => {
    const res = await auditor.request('GET', '/api/feeds/sources');
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as {
      items: { code: string; hasApiKey: boolean; kinds: { code: string; columns: { name: string }[] }[] }[];
    };
    const ps = items.find((s) => s.code === 'public_security')!;
    expect(ps.hasApiKey).toBe(false);
    const deaths = ps.kinds.find((k) => k.code === DEATHS)!;
    expect(deaths).toMatchObject({ recordType: 'death', format: 'csv', eventDateColumn: 'death_date', builtin: true });
    expect(deaths.columns.map((c) => c.name)).toEqual(DEATH_HEADER.split(','));
    expect(res.body).not.toMatch(/api_?(key|secret)_?(hash|enc)/i);
  });

  it('adds a kind of an existing shape, and validates typed columns', async () => {
    const bad = async (body: Record<string, unknown>, path: string) => {
      const res = await admin.request('POST', '/api/feeds/kinds', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toContain(path);
    };
    const base = {
      sourceCode: 'public_security',
      nameZh: '户籍死亡补录',
      nameEn: 'Death backfill',
      recordType: 'death',
    };
    await bad({ ...base, code: 'funeral.backfill', format: 'csv', shapeOf: DEATHS }, 'code');
    await bad({ ...base, code: 'public_security.x', format: 'csv', shapeOf: 'public_security.nope' }, 'shapeOf');
    await bad({ ...base, code: 'public_security.x', format: 'csv' }, 'shapeOf');
    const cols = (names: string[], types: Record<string, string> = {}) =>
      names.map((name) => ({ name, type: types[name] ?? 'text', required: true, labelZh: name, labelEn: name }));
    await bad(
      {
        ...base,
        code: 'public_security.x',
        format: 'csv',
        columns: cols(['record_id', 'name', 'death_date', 'extra'], { death_date: 'date' }),
        eventDateColumn: 'death_date',
      },
      'columns',
    );
    await bad(
      {
        ...base,
        code: 'public_security.x',
        format: 'csv',
        columns: cols(['record_id', 'id_number', 'name', 'death_date']),
        eventDateColumn: 'death_date',
      },
      'eventDateColumn',
    );
    await bad(
      {
        ...base,
        code: 'public_security.x',
        format: 'csv',
        columns: cols(['record_id', 'id_number', 'name', 'DeathDate'], { DeathDate: 'date' }),
        eventDateColumn: 'DeathDate',
      },
      'columns.3.name',
    );
    await bad(
      {
        ...base,
        code: 'public_security.x',
        format: 'csv',
        columns: cols(['record_id', 'id_number', 'name', 'd'], { d: 'money' }),
        eventDateColumn: 'd',
      },
      'columns.3.type',
    );
    const before = (await auditActions('exchange.kind.create')).length;
    const res = await admin.request('POST', '/api/feeds/kinds', {
      ...base,
      code: 'public_security.death_backfill',
      format: 'csv',
      shapeOf: DEATHS,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'public_security.death_backfill', builtin: false, active: true });
    expect(res.json().columns.map((c: { name: string }) => c.name)).toEqual(DEATH_HEADER.split(','));
    expect((await auditActions('exchange.kind.create')).length).toBe(before + 1);
    const again = await admin.request('POST', '/api/feeds/kinds', {
      ...base,
      code: 'public_security.death_backfill',
      format: 'csv',
      shapeOf: DEATHS,
    });
    expect(again.statusCode).toBe(409);

    // An upload of the new kind works like the built-in one.
    const up = await upload(
      admin,
      'public_security.death_backfill',
      `${DEATH_HEADER}\n${deathRow()}\n${deathRow()}\n`,
      {
        asOf: '2025-12-31',
      },
    );
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ status: 'loaded', rowsTotal: 2, rowsLoaded: 2, rowsRejected: 0 });
    expect(await count('feed_records', ['kind_code', 'public_security.death_backfill'])).toBe(2);
  });

  it('renames and switches off a kind; a switched-off kind takes no upload', async () => {
    const res = await admin.request('PATCH', '/api/feeds/kinds/public_security.death_backfill', {
      nameEn: 'Death backfill (old)',
      active: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ nameEn: 'Death backfill (old)', active: false });
    const up = await upload(admin, 'public_security.death_backfill', `${DEATH_HEADER}\n${deathRow()}\n`);
    expect(up.statusCode).toBe(400);
    expect((await admin.request('PATCH', '/api/feeds/kinds/public_security.nope', { active: true })).statusCode).toBe(
      404,
    );
    expect((await admin.request('PATCH', '/api/feeds/kinds/public_security.death_backfill', {})).statusCode).toBe(400);
  });
});

describe('uploads, batches and error reports', () => {
  const badId = invalidId();
  const goodIds = [pid(), pid(), pid()];
  const file =
    [
      DEATH_HEADER,
      deathRow({ id: goodIds[0] }), // line 2
      deathRow({ id: badId, name: '错号人' }), // line 3: invalid ID
      deathRow({ id: goodIds[1], date: '2099-01-01' }), // line 4: future date
      'DTH9999999,' + pid() + ',缺列人,2025-06-01,illness,hospital', // line 5: one column short
      deathRow({ id: goodIds[2] }), // line 6
    ].join('\n') + '\n';
  let batchId = '';

  it('loads the good rows and quarantines the bad ones with line, column and reason', async () => {
    const before = (await auditActions('exchange.upload')).length;
    const res = await upload(admin, DEATHS, file, { asOf: '2025-12-31' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ status: 'loaded', alreadyLoaded: false, rowsTotal: 5, rowsLoaded: 2, rowsRejected: 3 });
    batchId = r.batchId;
    expect(await count('feed_records', ['batch_id', batchId])).toBe(2);
    const audits = await auditActions('exchange.upload');
    expect(audits.length).toBe(before + 1);
    expect(audits.at(-1)!).toMatchObject({ actor_username: 'admin', entity_id: batchId });
    expect(JSON.stringify(audits.at(-1)!.detail)).not.toContain(badId);

    const detail = await auditor.request('GET', `/api/feeds/batches/${batchId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const d = detail.json();
    expect(d).toMatchObject({
      kindCode: DEATHS,
      sourceCode: 'public_security',
      channel: 'upload',
      fileName: '死亡注销.csv',
      status: 'loaded',
      asOf: '2025-12-31',
      rowsLoaded: 2,
      rowsRejected: 3,
      createdBy: 'admin',
      failure: null,
      errorsTotal: 3,
    });
    expect(d.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.errors.map((e: { line: number; column: string | null }) => [e.line, e.column])).toEqual([
      [3, 'id_number'],
      [4, 'death_date'],
      [5, null],
    ]);
    for (const e of d.errors as { reason: string; message: string }[]) {
      expect(e.message).not.toBe(e.reason);
      expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('serves the error report as CSV with a BOM, in the caller’s language, without the rows’ values', async () => {
    for (const lang of ['zh-CN', 'en-US']) {
      const res = await auditor.request('GET', `/api/feeds/batches/${batchId}/errors.csv`, undefined, {
        'accept-language': lang,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
      const raw = res.rawPayload;
      expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = raw.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe(
        lang === 'zh-CN' ? '"行号","列","原因代码","原因"' : '"Line","Column","Reason code","Reason"',
      );
      expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
        '"3","id_number"',
        '"4","death_date"',
        '"5",""',
      ]);
      if (lang === 'en-US') for (const l of lines.slice(1)) expect(l).not.toMatch(/[\u4e00-\u9fa5]/);
      // A download link cannot set Accept-Language: the page passes its language.
      const byQuery = await auditor.request('GET', `/api/feeds/batches/${batchId}/errors.csv?lang=${lang}`);
      expect(byQuery.body).toBe(res.body);
      for (const secret of [badId, '错号人', '缺列人', '2099-01-01']) expect(res.body).not.toContain(secret);
    }
  });

  it('adds nothing when the same file is uploaded again', async () => {
    const records = await count('feed_records');
    const batches = await count('feed_batches');
    const res = await upload(admin, DEATHS, file, { asOf: '2025-12-31', fileName: 'again.csv' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ alreadyLoaded: true, batchId });
    expect(await count('feed_records')).toBe(records);
    expect(await count('feed_errors', ['batch_id', batchId])).toBe(3);
    expect(await count('feed_batches')).toBeLessThanOrEqual(batches + 1);
    expect(await count('feed_records', ['batch_id', batchId])).toBe(2);
  });

  it('refuses a file of another source as a failed batch, with the reason in the caller’s language', async () => {
    const cremations = `record_id,id_number,name,cremation_date,death_date,funeral_home\nCRM0000001,${pid()},林火化,2025-06-03,2025-06-01,莆田市殡仪馆\n`;
    const records = await count('feed_records');
    const res = await upload(admin, DEATHS, cremations, { fileName: 'funeral.cremations.csv', lang: 'en-US' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.status).toBe('failed');
    expect(r.rowsLoaded).toBe(0);
    expect(r.failure.reason).toMatch(/\w/);
    expect(r.failure.message).not.toBe(r.failure.reason);
    expect(r.failure.message).not.toMatch(/[\u4e00-\u9fa5]{2}/);
    expect(await count('feed_records')).toBe(records);
    const detail = (await admin.request('GET', `/api/feeds/batches/${r.batchId}`)).json();
    expect(detail.status).toBe('failed');
    expect(detail.failure.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('reads GBK files, with the encoding given or detected', async () => {
    for (const encoding of ['gbk', 'auto']) {
      const name = encoding === 'gbk' ? '陈国强' : '黄秀英';
      const id = pid();
      const body = iconv.encode(`${DEATH_HEADER}\n${deathRow({ id, name })}\n`, 'gbk');
      const res = await upload(admin, DEATHS, body, { encoding, fileName: `gbk-${encoding}.csv` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'loaded', rowsLoaded: 1 });
      const rec = await t.database.db
        .selectFrom('feed_records')
        .select('name')
        .where('batch_id', '=', res.json().batchId)
        .executeTakeFirstOrThrow();
      expect(rec.name).toBe(name);
    }
  });

  it('lists batches newest first, with filters', async () => {
    const all = (await auditor.request('GET', '/api/feeds/batches?pageSize=100')).json();
    expect(all.total).toBeGreaterThanOrEqual(4);
    const nos = all.items.map((b: { batchNo: number }) => b.batchNo);
    expect(nos).toEqual([...nos].sort((a, b) => b - a));
    const failed = (await auditor.request('GET', '/api/feeds/batches?status=failed')).json();
    expect(failed.items.length).toBeGreaterThan(0);
    for (const b of failed.items) expect(b.status).toBe('failed');
    const byKind = (await auditor.request('GET', `/api/feeds/batches?kind=${DEATHS}&channel=upload`)).json();
    for (const b of byKind.items) expect(b).toMatchObject({ kindCode: DEATHS, channel: 'upload' });
    expect((await auditor.request('GET', '/api/feeds/batches?source=funeral')).json().items).toEqual([]);
    expect((await auditor.request('GET', '/api/feeds/batches?status=nope')).statusCode).toBe(400);
  });

  it('answers 404 for an unknown batch and 400 for an upload without a file or of an unknown kind', async () => {
    const none = '00000000-0000-0000-0000-000000000000';
    expect((await admin.request('GET', `/api/feeds/batches/${none}`)).statusCode).toBe(404);
    expect((await admin.request('GET', `/api/feeds/batches/${none}/errors.csv`)).statusCode).toBe(404);
    expect((await admin.request('GET', '/api/feeds/batches/not-a-uuid')).statusCode).toBe(404);
    expect((await upload(admin, DEATHS, Buffer.alloc(0))).statusCode).toBe(400);
    expect((await upload(admin, 'public_security.nope', `${DEATH_HEADER}\n`)).statusCode).toBe(404);
  });
});

describe('interrupted imports', () => {
  /** A batch as a killed import leaves it: committed 'loading', no rows (ingest.ts, step 2). */
  async function deadBatch(body: string): Promise<string> {
    const row = await t.database.db
      .insertInto('feed_batches')
      .values({
        kind_code: DEATHS,
        source_code: 'public_security',
        channel: 'upload',
        file_name: '死亡注销.csv',
        file_sha256: createHash('sha256').update(body).digest('hex'),
        file_bytes: Buffer.byteLength(body),
        status: 'loading',
        as_of: '2025-12-31',
        created_by: 'admin',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const listed = async (id: string) => {
    const page = (await auditor.request('GET', `/api/feeds/batches?kind=${DEATHS}&pageSize=100`)).json();
    return page.items.find((b: { id: string }) => b.id === id);
  };

  it('shows a batch whose import died as interrupted; the same file sent again loads that batch', async () => {
    const body = [DEATH_HEADER, deathRow(), deathRow()].join('\n') + '\n';
    const id = await deadBatch(body);
    expect(await listed(id)).toMatchObject({
      status: 'failed',
      failure: { reason: 'interrupted', message: '导入被中断（服务停止或重启），请重新发送该文件' },
    });
    const en = await auditor.request('GET', `/api/feeds/batches/${id}`, undefined, { 'accept-language': 'en-US' });
    expect(en.json()).toMatchObject({ status: 'failed', failure: { reason: 'interrupted' } });
    expect(en.json().failure.message).toMatch(/send the file again/);

    const again = await upload(admin, DEATHS, body, { asOf: '2025-12-31' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ batchId: id, status: 'loaded', alreadyLoaded: false, rowsLoaded: 2 });
    expect(await listed(id)).toMatchObject({ status: 'loaded', failure: null, rowsLoaded: 2 });
    const sha = createHash('sha256').update(body).digest('hex');
    expect(await count('feed_batches', ['file_sha256', sha])).toBe(1);
    expect(await count('feed_records', ['batch_id', id])).toBe(2);
  });

  it.runIf(onPostgres)('leaves a batch whose import another process is running as loading', async () => {
    const id = await deadBatch([DEATH_HEADER, deathRow()].join('\n') + '\n');
    // Another process's import holds the batch's advisory lock for its whole load.
    const other = await t.database.pool!.connect();
    try {
      await other.query('select pg_advisory_lock(hashtext($1))', [`feed_batch:${id}`]);
      expect((await listed(id)).status).toBe('loading');
      expect((await auditor.request('GET', `/api/feeds/batches/${id}`)).json().status).toBe('loading');
      await other.query('select pg_advisory_unlock(hashtext($1))', [`feed_batch:${id}`]);
    } finally {
      other.release();
    }
    expect((await listed(id)).failure).toMatchObject({ reason: 'interrupted' });
  });

  it('never marks the batch of an import running while the list is read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-running-'));
    try {
      const file = path.join(dir, 'hrss.wages.csv');
      await writeWages(file, 20_000, 'R');
      let started!: () => void;
      const loading = new Promise<void>((resolve) => (started = resolve));
      const log = pino({ level: 'debug' }, { write: (line: string) => line.includes('"phase":"start"') && started() });
      const running = importFeed(
        { database: t.database, db: t.database.db, protector: t.app.deps.protector, log },
        { path: file, fileName: 'hrss.wages.csv' },
        { kindCode: 'hrss.wages', channel: 'cli', actor: 'test', asOf: '2026-01-01' },
      );
      await loading;
      // PostgreSQL answers while the load runs; PGlite's load holds the one connection, so the read waits for it.
      const page = (await auditor.request('GET', '/api/feeds/batches?kind=hrss.wages')).json();
      expect(page.items.map((b: { status: string }) => b.status)).toEqual([onPostgres ? 'loading' : 'loaded']);
      const result = await running;
      expect(result).toMatchObject({ status: 'loaded', alreadyLoaded: false, batchId: page.items[0].id });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reason texts', () => {
  it('has a zh-CN and an en-US text for every reason code the ingest engine can emit', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { messages } = await import('../../i18n/messages');
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const sources = [
      path.join(dir, 'ingest.ts'),
      ...fs.readdirSync(path.join(dir, 'ingest')).map((f) => path.join(dir, 'ingest', f)),
    ]
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const codes = new Set<string>();
    for (const re of [
      /reason: '([a-z_]+)'/g,
      /FeedFileError\('([a-z_]+)'/g,
      /error: '([a-z_]+)'/g,
      /'(column_count|malformed_json)'/g,
    ])
      for (const m of sources.matchAll(re)) codes.add(m[1]!);
    // Built from the column type: invalid_integer, invalid_decimal.
    if (sources.includes('`invalid_${c.type}`')) for (const ty of ['integer', 'decimal']) codes.add(`invalid_${ty}`);
    expect(codes.size).toBeGreaterThan(15);
    const missing = [...codes].filter((c) => !(`feed.reason.${c}` in messages));
    expect(missing).toEqual([]);
    for (const c of codes) {
      const m = messages[`feed.reason.${c}` as keyof typeof messages];
      expect(m['zh-CN'], c).toMatch(/[\u4e00-\u9fa5]/);
      expect(m['en-US'], c).not.toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
