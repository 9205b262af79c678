import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness';
import { xlsxFile } from './exports';

// Issue 11, defect 1 ("the same for exports"): a roster or bank file of tens of thousands of lines
// must not hold the event loop while it is written.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const ROWS = 40_000;
function* rows() {
  yield ['姓名', '身份证号（脱敏）', '所在区划', '区划代码', '保障类别', '本次参保起始月'];
  for (let i = 0; i < ROWS; i++)
    yield [
      `林${i}`,
      `3503**********${String(i % 10_000).padStart(4, '0')}`,
      '灵川镇径里村',
      '350302102202',
      '低保',
      1234.5 + i,
    ];
}

describe('a large XLSX export runs in turns', () => {
  it('answers /api/health within 200 ms while a workbook of tens of thousands of rows is written', async () => {
    // The first request opens what it needs (a pool connection on PostgreSQL): not the export's cost.
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    let done = false;
    const timings: number[] = [];
    const writing = xlsxFile([{ name: '参保名单', rows: rows() }]).finally(() => {
      done = true;
    });
    while (!done) {
      const started = performance.now();
      const health = await t.app.inject({ method: 'GET', url: '/api/health' });
      timings.push(performance.now() - started);
      expect(health.statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const bytes = await writing;
    // The health check was answered many times during the export, never late.
    expect(timings.length).toBeGreaterThan(5);
    expect(Math.max(...timings)).toBeLessThan(200);

    // The file is whole: every row, in order, readable by a workbook reader.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('参保名单')!;
    expect(ws.rowCount).toBe(ROWS + 1);
    expect(ws.getRow(1).getCell(1).value).toBe('姓名');
    expect(ws.getRow(ROWS + 1).values).toEqual([
      undefined,
      `林${ROWS - 1}`,
      `3503**********${String((ROWS - 1) % 10_000).padStart(4, '0')}`,
      '灵川镇径里村',
      '350302102202',
      '低保',
      1234.5 + ROWS - 1,
    ]);
  }, 120_000);
});
