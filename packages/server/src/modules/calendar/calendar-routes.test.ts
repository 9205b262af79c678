import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { getCalendar } from './service';

type Day = { date: string; isWorkingDay: boolean; kind: string; name?: string; note?: string; source: string };

let t: TestApp;
let admin: Agent;
let lingchuan: Agent;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
});
afterAll(() => t?.close());

async function lastSeq() {
  const r = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('s'))
    .executeTakeFirstOrThrow();
  return Number(r.s ?? 0);
}

async function overrideRows() {
  return t.database.db.selectFrom('calendar_overrides').selectAll().orderBy('date').execute();
}

/** The audit rows a request wrote. */
async function auditOf(send: () => Promise<LightMyRequestResponse>) {
  const after = await lastSeq();
  const res = await send();
  const rows = await t.database.db.selectFrom('audit_log').selectAll().where('seq', '>', after).execute();
  return { res, rows };
}

/** A rejected request: no override changed, no audit row. */
async function rejected(send: () => Promise<LightMyRequestResponse>) {
  const before = await overrideRows();
  const { res, rows } = await auditOf(send);
  expect(rows).toEqual([]);
  expect(await overrideRows()).toEqual(before);
  return res;
}

async function month(m: string): Promise<{ month: string; yearKnown: boolean; days: Day[] }> {
  const res = await lingchuan.request('GET', `/api/calendar/month?month=${m}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function addWorkingDays(from: string, days: number): Promise<string> {
  const res = await lingchuan.request('GET', `/api/calendar/add-working-days?from=${from}&days=${days}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ from, days });
  return res.json().date;
}

describe('calendar', () => {
  it('shows October 2025 with the National Day holidays and the make-up Saturday', async () => {
    const oct = await month('2025-10');
    expect(oct.month).toBe('2025-10');
    expect(oct.yearKnown).toBe(true);
    expect(oct.days).toHaveLength(31);
    const byDate = new Map(oct.days.map((d) => [d.date, d]));
    for (let d = 1; d <= 8; d++) {
      const day = byDate.get(`2025-10-0${d}`)!;
      expect(day, day.date).toMatchObject({ kind: 'holiday', isWorkingDay: false, source: 'official' });
    }
    expect(byDate.get('2025-10-01')!.name).toBe('国庆节');
    expect(byDate.get('2025-10-06')!.name).toBe('中秋');
    expect(byDate.get('2025-10-11')).toMatchObject({ kind: 'makeup_workday', isWorkingDay: true, source: 'official' });
    expect(byDate.get('2025-10-09')).toMatchObject({ kind: 'workday', isWorkingDay: true });
    expect(byDate.get('2025-10-12')).toMatchObject({ kind: 'weekend', isWorkingDay: false });
    expect((await month('2024-02')).days).toHaveLength(29);
  });

  it('counts working days across the National Day holidays: 2025-09-26 + 10 = 2025-10-16', async () => {
    expect(await addWorkingDays('2025-09-26', 10)).toBe('2025-10-16');
    expect(await addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(await addWorkingDays('2025-10-04', 0)).toBe('2025-10-09');
  });

  it('lets a city admin set, see, use and delete an override; each change writes one audit row', async () => {
    const before = await month('2027-02');
    // 2027 has no official schedule yet: nothing known about the year.
    expect(before.yearKnown).toBe(false);
    expect(before.days.find((d) => d.date === '2027-02-08')).toMatchObject({
      kind: 'workday',
      isWorkingDay: true,
      source: 'default',
    });
    expect(await addWorkingDays('2027-02-05', 1)).toBe('2027-02-08');

    const set = await auditOf(() =>
      admin.request('PUT', '/api/calendar/overrides/2027-02-08', {
        isWorkingDay: false,
        note: '春节调休（待国务院通知）',
      }),
    );
    expect(set.res.statusCode).toBe(204);
    expect(set.rows).toHaveLength(1);
    expect(set.rows[0]).toMatchObject({
      action: 'calendar.override_set',
      entity: 'calendar_override',
      entity_id: '2027-02-08',
      region_code: '3503',
      actor_username: 'admin',
      detail: { isWorkingDay: false },
    });

    const after = await month('2027-02');
    expect(after.yearKnown).toBe(true);
    expect(after.days.find((d) => d.date === '2027-02-08')).toEqual({
      date: '2027-02-08',
      isWorkingDay: false,
      kind: 'holiday',
      note: '春节调休（待国务院通知）',
      source: 'override',
    });
    expect(await addWorkingDays('2027-02-05', 1)).toBe('2027-02-09');
    expect((await lingchuan.request('GET', '/api/calendar/overrides?year=2027')).json().items).toEqual([
      expect.objectContaining({ date: '2027-02-08', isWorkingDay: false, updatedBy: 'admin' }),
    ]);

    // Setting it again updates in place: still one override, one more audit row.
    const again = await auditOf(() =>
      admin.request('PUT', '/api/calendar/overrides/2027-02-08', { isWorkingDay: false, note: '春节' }),
    );
    expect(again.res.statusCode).toBe(204);
    expect(again.rows.map((r) => r.action)).toEqual(['calendar.override_set']);
    expect((await overrideRows()).filter((r) => r.date === '2027-02-08')).toHaveLength(1);

    const del = await auditOf(() => admin.request('DELETE', '/api/calendar/overrides/2027-02-08'));
    expect(del.res.statusCode).toBe(204);
    expect(del.rows).toHaveLength(1);
    expect(del.rows[0]).toMatchObject({ action: 'calendar.override_delete', entity_id: '2027-02-08' });
    expect(await addWorkingDays('2027-02-05', 1)).toBe('2027-02-08');
    expect((await month('2027-02')).yearKnown).toBe(false);

    const second = await rejected(() => admin.request('DELETE', '/api/calendar/overrides/2027-02-08'));
    expect(second.statusCode).toBe(404);
    expect(second.json().error).toEqual({ code: 'NOT_FOUND', message: '未找到日历调整' });
  });

  it('reuses the built calendar while the overrides are unchanged, and rebuilds it when one changes', async () => {
    const first = await getCalendar(t.database.db);
    expect(await getCalendar(t.database.db)).toBe(first);
    await admin.request('PUT', '/api/calendar/overrides/2027-04-12', { isWorkingDay: false, note: '停电' });
    const changed = await getCalendar(t.database.db);
    expect(changed).not.toBe(first);
    expect(changed.isWorkingDay('2027-04-12')).toBe(false);
    // A note alone is a change too (the month view shows it).
    await admin.request('PUT', '/api/calendar/overrides/2027-04-12', { isWorkingDay: false, note: '检修' });
    expect((await getCalendar(t.database.db)).dayInfo('2027-04-12').note).toBe('检修');
    expect((await admin.request('DELETE', '/api/calendar/overrides/2027-04-12')).statusCode).toBe(204);
    expect((await getCalendar(t.database.db)).isWorkingDay('2027-04-12')).toBe(true);
  });

  it('makes a weekend a working day with an override', async () => {
    await admin.request('PUT', '/api/calendar/overrides/2027-03-06', { isWorkingDay: true, note: '补班' });
    expect((await month('2027-03')).days.find((d) => d.date === '2027-03-06')).toMatchObject({
      kind: 'makeup_workday',
      isWorkingDay: true,
      source: 'override',
    });
    expect(await addWorkingDays('2027-03-05', 1)).toBe('2027-03-06');
    expect((await admin.request('DELETE', '/api/calendar/overrides/2027-03-06')).statusCode).toBe(204);
  });

  it('refuses overrides from anyone but a city admin with 403, writing nothing', async () => {
    await admin.request('PUT', '/api/calendar/overrides/2027-05-04', { isWorkingDay: false, note: '青年节' });
    for (const username of ['lingchuan', 'chengxiang']) {
      const agent = await t.login(username);
      const put = await rejected(() =>
        agent.request('PUT', '/api/calendar/overrides/2027-02-09', { isWorkingDay: false, note: '越权' }),
      );
      expect(put.statusCode).toBe(403);
      expect(put.json().error.code).toBe('FORBIDDEN');
      const del = await rejected(() => agent.request('DELETE', '/api/calendar/overrides/2027-05-04'));
      expect(del.statusCode).toBe(403);
    }
    expect((await rejected(() => t.anonymous.request('DELETE', '/api/calendar/overrides/2027-05-04'))).statusCode).toBe(
      401,
    );
  });

  it('refuses impossible dates, bad months and unknown fields with 400, writing nothing', async () => {
    const body = { isWorkingDay: false, note: '测试' };
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/api/calendar/overrides/2025-02-30', body, 'params.date'],
      ['PUT', '/api/calendar/overrides/2025-13-01', body, 'params.date'],
      ['DELETE', '/api/calendar/overrides/2025-02-30', undefined, 'params.date'],
      ['PUT', '/api/calendar/overrides/2025-2-3', body, 'params.date'],
      ['PUT', '/api/calendar/overrides/2027-02-10', { ...body, kind: 'holiday' }, 'kind'],
      ['PUT', '/api/calendar/overrides/2027-02-10', { isWorkingDay: false }, 'note'],
      ['PUT', '/api/calendar/overrides/2027-02-10', { isWorkingDay: 'no', note: 'x' }, 'isWorkingDay'],
      ['PUT', '/api/calendar/overrides/2027-02-10', { isWorkingDay: false, note: '' }, 'note'],
    ];
    for (const [method, url, b, path] of cases) {
      const res = await rejected(() => admin.request(method as 'PUT', url, b));
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual([path]);
    }
    for (const [url, path] of [
      ['/api/calendar/month?month=2025-13', 'query.month'],
      ['/api/calendar/month?month=2025-1', 'query.month'],
      ['/api/calendar/month', 'query.month'],
      ['/api/calendar/add-working-days?from=2025-02-30&days=1', 'query.from'],
      ['/api/calendar/add-working-days?from=2025-02-01&days=-1', 'query.days'],
      ['/api/calendar/add-working-days?from=2025-02-01&days=1&extra=1', 'query.extra'],
      ['/api/calendar/overrides?year=1999', 'query.year'],
    ] as const) {
      const res = await lingchuan.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual([path]);
    }
  });
});
