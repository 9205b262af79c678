import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { chinaToday } from '@jiuzhu/shared';
import { runAsSystem } from '../context';
import { createTestApp, type TestApp } from '../../test/harness';
import { insuredOn } from '../modules/insurance/service';
import { seedRegistry } from './registry';
import { seedEnrolments } from './enrolments';
import { DEMO_INSURER, seedDemoInsurance } from './insurance';

let t: TestApp;
const log = pino({ level: 'silent' });
beforeAll(async () => {
  t = await createTestApp();
  await runAsSystem('test seed', log, async () => {
    await seedRegistry(t.database.db, t.app.deps.protector, { city: '3503', size: 'demo', seed: 3 });
    await seedEnrolments(t.database.db, { city: '3503' });
  });
});
afterAll(() => t?.close());

describe('demo insurance', () => {
  it('adds an insurer on the demo schemes and claims at every step for people on the roster; once', async () => {
    const db = t.database.db;
    const deps = { db, protector: t.app.deps.protector, config: t.config };
    const first = await runAsSystem('test', log, () => seedDemoInsurance(deps));
    expect(first).toMatchObject({ claims: 7, insurer: true });
    const schemes = await db.selectFrom('insurance_schemes').select(['insurer_users', 'is_demo']).execute();
    for (const s of schemes.filter((x) => x.is_demo)) expect(s.insurer_users).toContain(DEMO_INSURER);

    const claims = await db.selectFrom('insurance_claims').selectAll().execute();
    expect(new Set(claims.map((c) => c.status))).toEqual(
      new Set(['reported', 'guided', 'received', 'approved', 'refused', 'paid']),
    );
    // Everyone is on the roster on the event date (figures consistent with the roster).
    for (const c of claims) {
      const roster = await runAsSystem('test', log, () => insuredOn(db, t.config.city, c.event_date));
      expect(roster.people.some((p) => p.idHash === c.id_hash)).toBe(true);
    }
    // The insurer sees them through the API; what the statistics say was paid is what the claims hold.
    const insurer = await t.login(DEMO_INSURER);
    const list = (await insurer.request('GET', '/api/insurance/claims?pageSize=50')).json();
    expect(list.total).toBe(claims.length);
    const year = chinaToday().slice(0, 4);
    const stats = (await insurer.request('GET', `/api/insurance/stats?year=${year}`)).json();
    expect(stats.paidYtdFen).toBe(
      claims.filter((c) => c.paid_on?.startsWith(year)).reduce((a, c) => a + (c.paid_fen ?? 0), 0),
    );
    const again = await runAsSystem('test', log, () => seedDemoInsurance(deps));
    expect(again).toMatchObject({ claims: 0, insurer: false });
    expect((await db.selectFrom('insurance_claims').select('id').execute()).length).toBe(claims.length);
  });
});
