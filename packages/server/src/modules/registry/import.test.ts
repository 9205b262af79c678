import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, maskIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { runAsSystem } from '../../context';
import { Protector } from '../../crypto/index';
import { COLUMNS } from './import-format';
import { failInterruptedImports, runRegisterImport, startRegisterImport } from './import';

let t: TestApp;
let clerk: Agent;
let seq = 0;
const pid = (birth = '1955-02-03') => makeIdNumber('350302', birth, ++seq);

const HEADERS = COLUMNS.map((c) => c.header);
type Cells = Partial<Record<string, string>>;
const row = (cells: Cells) => HEADERS.map((h) => cells[h] ?? '');
const csv = (rows: string[][]) =>
  rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';

function member(key: string, name: string, idNumber: string, relation: string, extra: Cells = {}): Cells {
  return {
    户编号: key,
    村居代码: '350302102202',
    家庭住址: '莆田市城厢区灵川镇径里村1号',
    救助状态: '低保',
    姓名: name,
    身份证号: idNumber,
    与户主关系: relation,
    户口类型: '农业',
    ...extra,
  };
}

async function upload(agent: Agent, body: Buffer, fileName: string, dryRun: boolean) {
  return agent.request('POST', `/api/households/import?dryRun=${dryRun}`, body, {
    'content-type': 'application/octet-stream',
    'x-filename': encodeURIComponent(fileName),
  });
}

async function householdCount() {
  return Number(
    (
      await t.database.db
        .selectFrom('households')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

beforeAll(async () => {
  t = await createTestApp();
  clerk = await t.login('lingchuan');
});
afterAll(() => t?.close());

describe('register import', () => {
  const wrongCheck = (() => {
    const good = pid();
    return good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
  })();
  const rows = [
    HEADERS,
    row(member('A1', '林一', pid(), '户主', { 养老金: '150', '养老金(元/月)': '150.50', '存款(元)': '3,000' })),
    row(member('A1', '陈一', pid(), '配偶', { 手机号: '13905940001' })),
    row(member('B2', '黄二', wrongCheck, '户主')), // bad ID: household B2 refused
    row(member('B2', '黄小二', pid('2015-01-01'), '子女')),
    row(member('C3', '郑三', pid(), '户主', { '工资性收入(元/月)': '-20' })), // negative amount
    row(member('D4', '吴四', pid(), '配偶')), // no head
    row(member('E5', '许五', pid(), '户主', { 户口类型: '外星' })), // bad value
    row(member('F6', '蔡六', pid(), '户主', { 残疾类别: '肢体', 残疾等级: '二级', 残疾证号: 'X', 劳动能力: '无' })),
  ];
  const file = Buffer.from(csv(rows), 'utf8');

  it('dry run reports bad rows with line, column and reason and stores nothing', async () => {
    const res = await upload(clerk, file, '灵川镇花名册.csv', true);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ dryRun: true, rows: 8, households: 6, validHouseholds: 2, importedHouseholds: 0 });
    const byRow = Object.fromEntries(
      report.errors.map((e: { row: number; column: string; reason: string }) => [e.row, e]),
    );
    expect(byRow[4]).toMatchObject({ column: '身份证号' });
    expect(byRow[4].reason).toMatch(/校验码错误|出生日期/);
    expect(byRow[6]).toMatchObject({ column: '工资性收入(元/月)' });
    expect(byRow[7]).toMatchObject({ column: '与户主关系', reason: '每户必须有且只有一位户主（现有 0 位）' });
    expect(byRow[8]).toMatchObject({ column: '户口类型' });
    expect(byRow[8].reason).toContain('外星');
    expect(JSON.stringify(report.errors)).not.toContain(wrongCheck);
    expect(await householdCount()).toBe(0);
  });

  it('imports the good households; the same file again changes nothing', async () => {
    const first = (await upload(clerk, file, '灵川镇花名册.csv', false)).json();
    expect(first).toMatchObject({
      dryRun: false,
      households: 6,
      validHouseholds: 2,
      importedHouseholds: 2,
      unchangedHouseholds: 0,
    });
    expect(await householdCount()).toBe(2);
    const a1 = (await clerk.request('GET', `/api/households?name=${encodeURIComponent('林一')}`)).json().items[0];
    expect(a1).toMatchObject({ memberCount: 2, assistanceStatus: 'dibao', regionCode: '350302102202' });
    const detail = (await clerk.request('GET', `/api/households/${a1.id}`)).json();
    expect(detail.members[0].income).toEqual({ pension: 15_050 });
    expect(detail.members[0].assets).toEqual({ deposits: 300_000 });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'household.import')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ households: 2, members: 3 });

    const again = (await upload(clerk, file, '灵川镇花名册.csv', false)).json();
    expect(again).toMatchObject({ importedHouseholds: 0, unchangedHouseholds: 2 });
    expect(await householdCount()).toBe(2);
  });

  it('refuses a person listed again in a later household of the same file, naming the first line', async () => {
    const twice = pid('1970-05-06');
    const body = Buffer.from(
      csv([
        HEADERS,
        row(member('T1', '方一', twice, '户主', { 手机号: '13905940011' })),
        row(member('T2', '方二', pid(), '户主')),
        row(member('T2', '方一', twice, '配偶')),
      ]),
      'utf8',
    );
    const report = (await upload(clerk, body, '重复.csv', false)).json();
    expect(report).toMatchObject({ households: 2, validHouseholds: 1, importedHouseholds: 1 });
    expect(report.errors).toEqual([
      { row: 4, column: '身份证号', reason: '此身份证号已在本文件第 2 行的家庭中，一人只能属于一个家庭' },
    ]);
    // The stored household (written by COPY) reads back like one entered by hand: masked, with its history.
    const found = (await clerk.request('GET', `/api/households?idNumber=${twice}`)).json().items;
    expect(found).toHaveLength(1);
    const detail = (await clerk.request('GET', `/api/households/${found[0].id}`)).json();
    expect(detail.members[0]).toMatchObject({ name: '方一', idMasked: maskIdNumber(twice) });
    expect(detail.members[0].phoneMasked).toMatch(/^139\*{4}0011$/);
    expect(detail.history[0]).toMatchObject({ action: 'household.create', actorUsername: 'lingchuan' });
  });

  it('downloads the error report as CSV', async () => {
    const report = (await upload(clerk, file, 'x.csv', true)).json();
    const res = await clerk.request('GET', `/api/households/import/${report.importId}/errors.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('"行号","列","原因"');
    expect(lines.length).toBe(report.errors.length + 1);
    const other = await t.login('qiulu');
    expect((await other.request('GET', `/api/households/import/${report.importId}/errors.csv`)).statusCode).toBe(404);
  });

  it('reads GBK-encoded CSV from Chinese Excel, and XLSX made from the template', async () => {
    const gbkRows = [HEADERS, row(member('G7', '方七', pid(), '户主'))];
    const text = csv(gbkRows);
    const gbk = Buffer.from(new TextEncoderGBK().encode(text));
    const g = (await upload(clerk, gbk, 'gbk.csv', false)).json();
    expect(g).toMatchObject({ importedHouseholds: 1, errors: [] });
    expect((await clerk.request('GET', `/api/households?name=${encodeURIComponent('方七')}`)).json().total).toBe(1);

    const template = await clerk.request('GET', '/api/households/import/template.xlsx');
    expect(template.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(HEADERS);
    sheet.spliceRows(2, 1);
    sheet.addRow(row(member('H8', '朱八', pid(), '户主')));
    sheet.addRow(row(member('H8', '朱小八', pid('2010-06-06'), '子女', { 在学情况: '初中' })));
    const x = (await upload(clerk, Buffer.from(await wb.xlsx.writeBuffer()), 'template.xlsx', false)).json();
    expect(x).toMatchObject({ rows: 2, households: 1, importedHouseholds: 1, errors: [] });
  });

  it('answers a malformed file name header or an empty body with a clear 4xx, not a crash', async () => {
    const odd = await clerk.request('POST', '/api/households/import?dryRun=true', file, {
      'content-type': 'text/csv',
      'x-filename': '%E0%A4%A',
    });
    expect(odd.statusCode).toBe(200);
    const empty = await clerk.request('POST', '/api/households/import?dryRun=true', Buffer.alloc(0), {
      'content-type': 'application/octet-stream',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toEqual([{ path: 'file', message: '请选择要导入的文件' }]);
    // JSON is not a file (found by the route fuzzing: it reached the disk writer as an object).
    const json = await clerk.request('POST', '/api/households/import?dryRun=true', { a: 1 });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.fields).toEqual([{ path: 'file', message: '请选择要导入的文件' }]);
  });

  it('refuses a file without the required columns, naming them', async () => {
    const res = (await upload(clerk, Buffer.from('姓名,身份证号\n林,1\n'), 'bad.csv', true)).json();
    expect(res.households).toBe(0);
    expect(res.errors.map((e: { column: string }) => e.column)).toEqual(
      expect.arrayContaining(['户编号', '村居代码', '与户主关系']),
    );
  });
});

describe('imports interrupted by a stop (several server processes on one database)', () => {
  const silent = pino({ level: 'silent' });
  /** An import recorded as running (as the upload route records it), its file not on disk. */
  const running = (fileName: string) =>
    runAsSystem('test', silent, () =>
      startRegisterImport(t.database.db, { path: '', fileName, size: 0, sha256: 'x' }, false),
    );
  const statusOf = async (id: string) =>
    (await t.database.db.selectFrom('registry_imports').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;

  it('a process starting up marks the imports no process runs, not one another process holds', async () => {
    const held = await running('held.csv');
    const left = await running('left.csv');
    // PGlite: one process owns the data directory, so there is no other process's import to leave alone.
    const other = t.database.kind === 'postgresql' ? await t.database.pool!.connect() : null;
    try {
      await other?.query('select pg_advisory_lock(hashtext($1))', [`registry_import:${held}`]);
      expect(await failInterruptedImports(t.database.db, '导入中断')).toBe(other ? 1 : 2);
      expect(await statusOf(left)).toBe('failed');
      expect(await statusOf(held)).toBe(other ? 'running' : 'failed');
      await other?.query('select pg_advisory_unlock(hashtext($1))', [`registry_import:${held}`]);
      expect(await failInterruptedImports(t.database.db, '导入中断')).toBe(other ? 1 : 0);
      expect(await statusOf(held)).toBe('failed');
    } finally {
      other?.release();
    }
  });

  it('an import marked interrupted before it took its lock stops and keeps the reason; a finished one holds no lock', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jz-import-'));
    const file = path.join(dir, 'upload.csv');
    fs.writeFileSync(file, csv([HEADERS, row(member('Z1', '林中断', pid(), '户主'))]));
    const saved = { path: file, fileName: 'upload.csv', size: fs.statSync(file).size, sha256: 'x' };
    const protector = new Protector(t.config);
    const before = await householdCount();
    const id = await runAsSystem('test', silent, () => startRegisterImport(t.database.db, saved, false));
    await failInterruptedImports(t.database.db, '导入中断');
    await expect(
      runAsSystem('test', silent, () => runRegisterImport(t.database, protector, id, saved, false)),
    ).rejects.toThrow(/interrupted/);
    const marked = await t.database.db
      .selectFrom('registry_imports')
      .select(['status', 'failure'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(marked).toEqual({ status: 'failed', failure: '导入中断' });
    expect(await householdCount()).toBe(before);
    expect(fs.existsSync(file)).toBe(false);

    // Through the page's upload: done, and its lock is free again (another session takes it at once).
    const second = Buffer.from(csv([HEADERS, row(member('Z2', '林完成', pid(), '户主'))]));
    const done = await upload(clerk, second, 'done.csv', false);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().importedHouseholds).toBe(1);
    if (t.database.kind === 'postgresql') {
      const last = await t.database.db
        .selectFrom('registry_imports')
        .select('id')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      const other = await t.database.pool!.connect();
      try {
        const r = await other.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
          `registry_import:${last.id}`,
        ]);
        expect(r.rows[0]!.ok).toBe(true);
        await other.query('select pg_advisory_unlock_all()');
      } finally {
        other.release();
      }
    }
  });
});

/** GBK encoding for the test file (Node decodes GBK but has no encoder): maps the characters used here. */
class TextEncoderGBK {
  encode(text: string): Uint8Array {
    const decoder = new TextDecoder('gbk');
    const table = new Map<string, number[]>();
    for (let hi = 0x81; hi <= 0xfe; hi++)
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        const ch = decoder.decode(new Uint8Array([hi, lo]));
        if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
      }
    const out: number[] = [];
    for (const ch of text) {
      if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
      else out.push(...(table.get(ch) ?? [0x3f]));
    }
    return new Uint8Array(out);
  }
}
