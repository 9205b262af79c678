/**
 * The provincial upload end to end: the outbox filled from rows this file creates, the sender
 * against the receiver stub on a random port through an outage (down, 500, timeout), then
 * recovery: every record accepted exactly once. Then a rejected record corrected and re-sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { payrollHousehold, plantEnrolment } from '../../demo/payroll-driver';
import { Protector } from '../../crypto/index';
import type { ProvinceConfig } from '../../config';
import { fillProvinceOutbox, sendProvinceOutbox, startProvinceStub, type ProvinceStub } from './service';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村
const SECRET = 'province-test-secret-0123456789';

let t: TestApp;
let stub: ProvinceStub;
let admin: Agent;
let chengxiang: Agent;
let lingchuan: Agent;
let cfg: ProvinceConfig;
let protector: Protector;
const enrolmentIds: string[] = [];
let rejectedLineRecord = '';
/** The sender's clock: moved forward past each backoff instead of waiting. */
let clock = Date.parse('2030-01-01T00:00:00Z');
const now = () => new Date(clock);

async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/batches`;
}

beforeAll(async () => {
  stub = await startProvinceStub({ secret: SECRET });
  t = await createTestApp(
    {},
    { province: { url: stub.url, secret: SECRET, batchSize: 3, timeoutMs: 1500, backoffBaseMs: 60_000 } },
  );
  cfg = t.config.province;
  protector = new Protector(t.config);
  const db = t.database.db;
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  const plan = [
    { village: YUNZHUANG, changed: true },
    { village: YUNZHUANG, changed: false },
    { village: DONGZHANG, changed: false },
  ];
  const households: string[] = [];
  for (const p of plan) {
    const h = await payrollHousehold(admin, p.village);
    households.push(h.householdId);
    enrolmentIds.push(
      await plantEnrolment(db, {
        householdId: h.householdId,
        regionCode: p.village,
        history: [
          { seq: 1, type: 'enrolled', effectiveMonth: '2029-01', amountFen: 60_000, oneOffFen: 0 },
          ...(p.changed
            ? [{ seq: 2, type: 'amount_changed' as const, effectiveMonth: '2029-03', amountFen: 70_000 }]
            : []),
        ],
      }),
    );
  }
  // One approved payroll (its lines go to the province) and one draft (its line does not).
  for (const status of ['approved', 'draft'] as const) {
    const row = await db
      .insertInto('payrolls')
      .values({ month: status === 'approved' ? '2029-02' : '2029-03', region_code: '350302', created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const lines = status === 'approved' ? [0, 1] : [0];
    for (const i of lines) {
      const line = await db
        .insertInto('payroll_lines')
        .values({
          payroll_id: row.id,
          enrolment_id: enrolmentIds[i]!,
          month: status === 'approved' ? '2029-02' : '2029-03',
          line_type: 'regular',
          kind: 'dibao',
          region_code: plan[i]!.village,
          household_id: households[i]!,
          amount_fen: 60_000,
          central_fen: 60_000,
          provincial_fen: 0,
          city_fen: 0,
          county_fen: 0,
          status: 'paid',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (status === 'approved' && i === 1) rejectedLineRecord = `payment:${line.id}:v1`;
    }
    await db.updateTable('payrolls').set({ status }).where('id', '=', row.id).execute();
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
  await stub?.close();
});

const outbox = () => t.database.db.selectFrom('province_outbox').selectAll().orderBy('id').execute();

describe('province outbox', () => {
  it('holds one record per source row and version; filling again adds nothing', async () => {
    const db = t.database.db;
    const first = await fillProvinceOutbox({ db, protector });
    // Expected from the source tables, counted here.
    const enrolments = await db.selectFrom('enrolments').select(['id', 'version']).execute();
    const changes = await db.selectFrom('enrolment_changes').select('id').execute();
    const decisions = await db
      .selectFrom('case_actions')
      .select('id')
      .where('to_status', 'in', ['enrolled', 'rejected'])
      .execute();
    expect(first.recipient).toBe(enrolments.length);
    expect(first.enrolment_change).toBe(changes.length);
    expect(first.payment).toBe(2); // the approved payroll's two lines, not the draft's
    expect(first.case_decision).toBe(decisions.length);
    for (const id of enrolmentIds) expect(enrolments.some((e) => e.id === id)).toBe(true);
    // This file's enrolments: 3 enrolled + 1 amount change.
    const ours = await db
      .selectFrom('enrolment_changes')
      .select('id')
      .where('enrolment_id', 'in', enrolmentIds)
      .execute();
    expect(ours).toHaveLength(4);

    const again = await fillProvinceOutbox({ db, protector });
    expect(again).toEqual({ recipient: 0, enrolment_change: 0, payment: 0, case_decision: 0 });
    const rows = await outbox();
    expect(rows).toHaveLength(enrolments.length + changes.length + 2 + decisions.length);
    expect(new Set(rows.map((r) => r.record_id)).size).toBe(rows.length);

    // The payload is encrypted at rest and carries the ID number only once decrypted.
    const rec = rows.find((r) => r.record_id === `recipient:${enrolmentIds[0]}:v1`)!;
    expect(rec.region_code).toBe(YUNZHUANG);
    const payload = JSON.parse(protector.decrypt(rec.payload_enc, 'province_outbox.payload')) as Record<
      string,
      unknown
    >;
    expect(payload.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(rec.payload_enc).not.toContain(String(payload.idNumber));
    expect(payload).toMatchObject({ enrolmentId: enrolmentIds[0], kind: 'dibao', regionCode: YUNZHUANG });
  });

  it('survives the receiver down, answering 500 and timing out; then every record is accepted exactly once', async () => {
    const db = t.database.db;
    const total = (await outbox()).length;
    expect(total).toBeGreaterThan(cfg.batchSize);
    // One payment the province refuses until it is corrected.
    stub.reject = (r) => (r.recordId === rejectedLineRecord ? 'payee bank account unknown' : undefined);

    // 1. Down: nothing listens.
    const down = await sendProvinceOutbox({ db, protector, province: { ...cfg, url: await deadUrl() } }, { now });
    expect(down).toMatchObject({ batches: 1, failed: 1, accepted: 0 });
    let rows = await outbox();
    const tried = rows.filter((r) => r.attempts === 1);
    expect(tried).toHaveLength(cfg.batchSize);
    for (const r of tried) {
      expect(r.status).toBe('pending');
      expect(r.last_error).toBeTruthy();
      expect(new Date(r.next_attempt_at).getTime()).toBe(clock + cfg.backoffBaseMs);
    }
    // Before the backoff ends the failed records wait; the others (never tried) go out next.
    stub.mode = 'fail';
    const early = await sendProvinceOutbox({ db, protector, province: cfg }, { now });
    expect(early.failed).toBe(1);
    rows = await outbox();
    expect(rows.filter((r) => r.attempts === 1)).toHaveLength(2 * cfg.batchSize);
    expect(rows.filter((r) => r.attempts > 1)).toHaveLength(0);
    expect(rows.some((r) => r.last_error === 'HTTP 500')).toBe(true);
    expect(stub.accepted.size).toBe(0);

    // 2. 500 again after the backoff: attempts 2, the delay doubles.
    clock += cfg.backoffBaseMs;
    const again = await sendProvinceOutbox({ db, protector, province: cfg }, { now });
    expect(again.failed).toBe(1);
    rows = await outbox();
    const second = rows.filter((r) => r.attempts === 2);
    expect(second).toHaveLength(cfg.batchSize);
    for (const r of second) expect(new Date(r.next_attempt_at).getTime()).toBe(clock + 2 * cfg.backoffBaseMs);

    // 3. Timing out: the province keeps the records but its answer never arrives in time.
    clock += 2 * cfg.backoffBaseMs;
    stub.mode = 'hang';
    const hung = await sendProvinceOutbox({ db, protector, province: cfg }, { now });
    expect(hung.failed).toBe(1);
    rows = await outbox();
    expect(rows.some((r) => r.last_error === 'timeout')).toBe(true);
    expect(rows.filter((r) => r.status === 'accepted')).toHaveLength(0);
    const keptWhileHanging = stub.accepted.size;
    expect(keptWhileHanging).toBeGreaterThan(0);

    // 4. Recovered: everything due goes out; re-sent records are not stored twice.
    clock += 86_400_000;
    stub.mode = 'ok';
    const ok = await sendProvinceOutbox({ db, protector, province: cfg }, { now });
    expect(ok.failed).toBe(0);
    rows = await outbox();
    const accepted = rows.filter((r) => r.status === 'accepted');
    const rejected = rows.filter((r) => r.status === 'rejected');
    expect(rejected.map((r) => r.record_id)).toEqual([rejectedLineRecord]);
    expect(rejected[0]!.reason).toBe('payee bank account unknown');
    expect(accepted).toHaveLength(total - 1);
    expect(stub.accepted.size).toBe(total - 1);
    for (const r of accepted) expect(stub.accepted.has(r.record_id)).toBe(true);
    expect(stub.repeats).toBeGreaterThanOrEqual(keptWhileHanging);
    // Nothing left to send.
    expect(await sendProvinceOutbox({ db, protector, province: cfg }, { now })).toMatchObject({ batches: 0 });
    // The log of posts: answered and failed ones.
    const batches = await db.selectFrom('province_batches').selectAll().execute();
    expect(batches.filter((b) => b.outcome === 'failed')).toHaveLength(4);
  }, 60_000);

  it('lists the rejected record for correction and re-sends it once corrected', async () => {
    const list = await admin.request('GET', '/api/province/records?status=rejected');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; recordId: string; reason: string }[];
    expect(items.map((i) => i.recordId)).toEqual([rejectedLineRecord]);
    expect(JSON.stringify(list.json())).not.toMatch(/\d{17}[\dX]/); // no ID number on screen
    const id = items[0]!.id;

    expect((await chengxiang.request('POST', `/api/province/records/${id}/resend`)).statusCode).toBe(403);
    stub.reject = undefined; // corrected at the source
    const resent = await admin.request('POST', `/api/province/records/${id}/resend`);
    expect(resent.statusCode).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'pending', resent: 1, attempts: 0 });
    expect((await admin.request('POST', `/api/province/records/${id}/resend`)).statusCode).toBe(409);

    clock += 86_400_000;
    const sent = await sendProvinceOutbox({ db: t.database.db, protector, province: cfg }, { now });
    expect(sent).toMatchObject({ accepted: 1, rejected: 0, failed: 0 });
    const rows = await outbox();
    expect(rows.every((r) => r.status === 'accepted')).toBe(true);
    expect(stub.accepted.size).toBe(rows.length);
  });

  it('counts per type and month in the caller’s region', async () => {
    const rows = await outbox();
    const all = await admin.request('GET', '/api/province/summary');
    expect(all.statusCode).toBe(200);
    expect(all.json().totals).toEqual({ pending: 0, accepted: rows.length, rejected: 0, total: rows.length });
    const payments = all.json().rows.filter((r: { type: string }) => r.type === 'payment');
    expect(payments).toEqual([{ type: 'payment', month: '2029-02', pending: 0, accepted: 2, rejected: 0, total: 2 }]);

    const county = await chengxiang.request('GET', '/api/province/summary');
    expect(county.statusCode).toBe(200);
    expect(county.json().totals.total).toBe(rows.filter((r) => r.region_code.startsWith('350302')).length);
    expect((await lingchuan.request('GET', '/api/province/summary')).statusCode).toBe(403);

    const batches = await admin.request('GET', '/api/province/batches?pageSize=200');
    expect(batches.statusCode).toBe(200);
    const all_ = await t.database.db.selectFrom('province_batches').selectAll().execute();
    expect(batches.json().total).toBe(all_.length);
    expect(batches.json().items.filter((b: { outcome: string }) => b.outcome === 'failed')).toHaveLength(4);
    // A county officer sees the batches that carried its county's records.
    const mine = await chengxiang.request('GET', '/api/province/batches?pageSize=200');
    expect(mine.json().total).toBe(all_.filter((b) => b.counties.includes('350302')).length);
  });
});
