import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { dibaoAmount, demoPolicyParams } from '@jiuzhu/shared';
import { runAsSystem } from '../context';
import { createTestApp, type TestApp } from '../../test/harness';
import { seedRegistry } from './registry';
import { seedDemoHistories, seedEnrolments } from './enrolments';

let t: TestApp;
const log = pino({ level: 'silent' });
beforeAll(async () => {
  t = await createTestApp();
  await runAsSystem('test seed', log, () =>
    seedRegistry(t.database.db, t.app.deps.protector, { city: '3503', size: 'demo', seed: 3 }),
  );
});
afterAll(() => t?.close());

describe('seeded enrolments (demo size)', () => {
  it('enrols every 低保/特困/边缘 household once, with start months in the past; a second run adds nothing', async () => {
    const db = t.database.db;
    const first = await runAsSystem('test', log, () => seedEnrolments(db, { city: '3503' }));
    const recipients = await db
      .selectFrom('households')
      .select('id')
      .where('assistance_status', 'in', ['dibao', 'tekun', 'dibao_edge'])
      .execute();
    expect(first.households).toBe(recipients.length);
    expect(first.households).toBeGreaterThan(20);
    // 特困 is per person: every member of a 特困 household has an enrolment of their own.
    const tekunPeople = await db
      .selectFrom('members as m')
      .innerJoin('households as h', 'h.id', 'm.household_id')
      .select(['m.id'])
      .where('h.assistance_status', '=', 'tekun')
      .execute();
    const dibaoPeople = await db
      .selectFrom('members as m')
      .innerJoin('households as h', 'h.id', 'm.household_id')
      .select(['m.id'])
      .where('h.assistance_status', '=', 'dibao')
      .execute();
    expect(first.recipients).toBe(tekunPeople.length + dibaoPeople.length);
    const again = await runAsSystem('test', log, () => seedEnrolments(db, { city: '3503' }));
    expect(again.enrolled).toBe(0);
    const rows = await db.selectFrom('enrolments').selectAll().execute();
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(rows.every((r) => r.from_month < thisMonth && r.from_month > '2016-01')).toBe(true);
    expect(new Set(rows.map((r) => r.from_month.slice(0, 4))).size).toBeGreaterThan(3);
    expect(rows).toHaveLength(first.enrolled);
    const tekun = rows.filter((r) => r.kind === 'tekun');
    expect(tekun.every((r) => r.person_member_id && r.care_tier && r.covered_members === 1)).toBe(true);
    expect(new Set(tekun.map((r) => r.person_member_id))).toEqual(new Set(tekunPeople.map((m) => m.id)));
    // 低保 amounts follow the policy math: at least the demo floor, never negative, whole fen.
    const demo = demoPolicyParams(90_000).dibao;
    const dibao = rows.filter((r) => r.kind === 'dibao');
    expect(dibao.length).toBeGreaterThan(10);
    for (const r of dibao) expect(Number.isSafeInteger(r.monthly_amount_fen) && r.monthly_amount_fen > 0).toBe(true);
    // A one-person household with no income gets the standard plus any supplement.
    expect(dibaoAmount(demo, { members: [{ age: 40 }], incomeFen: 0 }).amountFen).toBe(demo.standardFen);
    const changes = await db.selectFrom('enrolment_changes').select(['type', 'reason']).execute();
    expect(changes).toHaveLength(rows.length);
    expect(changes.every((c) => c.type === 'enrolled' && c.reason === 'seed')).toBe(true);
  });

  it('gives the demo city a change, a suspension, a gradual exit and an end, each from next month', async () => {
    const deps = { db: t.database.db, protector: t.app.deps.protector, config: t.config };
    expect(await runAsSystem('test', log, () => seedDemoHistories(deps))).toBe(4);
    const changed = await t.database.db
      .selectFrom('enrolment_changes')
      .select(['type', 'approval_level'])
      .where('seq', '>', 1)
      .execute();
    expect(changed.map((c) => c.type).sort()).toEqual(['amount_changed', 'ended', 'gradual_exit_started', 'suspended']);
    expect(changed.every((c) => c.approval_level === 'system')).toBe(true);
    const lingchuan = await t.login('chengxiang');
    const page = (await lingchuan.request('GET', '/api/enrolments?pageSize=5')).json();
    expect(page.total).toBeGreaterThan(0);
    expect(Object.keys(page.counts)).toContain('dibao');
  });
});
