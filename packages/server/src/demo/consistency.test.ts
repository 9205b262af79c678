import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { CaseDetail, CaseOverdueStats, CaseSummary, PublicNotice } from '@jiuzhu/shared';
import { runAsSystem } from '../context';
import { createTestApp, type Agent, type TestApp } from '../../test/harness';
import { seedRegistry } from './registry';
import { seedDemoHistories, seedEnrolments } from './enrolments';
import { seedDemoExchange } from './exchange';
import { seedDemoCases } from './cases';

/**
 * The demo city tells one story: seeded as `npm start` seeds an empty database (boot.ts), then
 * walked through the pages' own API answers, every figure must agree with every other.
 */
let t: TestApp;
let county: Agent;
let details: CaseDetail[] = [];
const log = pino({ level: 'silent' });

beforeAll(async () => {
  t = await createTestApp();
  const { config } = t;
  const db = t.database.db;
  const protector = t.app.deps.protector;
  const deps = { db, protector, config };
  await runAsSystem('demo seed', log, async () => {
    await seedRegistry(db, protector, { city: config.city, size: 'demo', seed: 1 });
    await seedEnrolments(db, { city: config.city });
    await seedDemoHistories(deps);
    await seedDemoExchange({ database: t.database, db, protector, config, log }, { city: config.city, seed: 1 });
    await seedDemoCases(deps, config.city);
  });
  county = await t.login('chengxiang');
  const list = (await county.request('GET', '/api/cases?pageSize=200')).json() as { items: CaseSummary[] };
  details = await Promise.all(
    list.items.map(async (c) => (await county.request('GET', `/api/cases/${c.id}`)).json() as CaseDetail),
  );
}, 300_000);
afterAll(() => t?.close());

describe('the demo city agrees with itself', () => {
  it('has applications at every step', () => {
    expect(new Set(details.map((d) => d.status))).toEqual(
      new Set([
        'submitted',
        'missing_docs',
        'accepted',
        'verified',
        'notice',
        'pending_approval',
        'enrolled',
        'rejected',
      ]),
    );
  });

  it('an enrolled application has its enrolment; a household on the rolls has one too', async () => {
    const db = t.database.db;
    for (const d of details.filter((c) => c.status === 'enrolled')) {
      const rows = await db.selectFrom('enrolments').select(['kind']).where('case_id', '=', d.id).execute();
      expect(rows.length, d.caseNo).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.kind)), d.caseNo).toEqual(new Set(d.determination!.kinds.map((k) => k.kind)));
    }
    for (const d of details.filter((c) => c.status !== 'enrolled')) {
      const rows = await db.selectFrom('enrolments').select('id').where('case_id', '=', d.id).execute();
      expect(rows, d.caseNo).toEqual([]);
    }
    const onRolls = await db
      .selectFrom('households as h')
      .select(['h.household_no', 'h.assistance_status'])
      .where('h.assistance_status', 'in', ['dibao', 'tekun', 'dibao_edge'])
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('enrolments as e').select('e.id').whereRef('e.household_id', '=', 'h.id'))),
      )
      .execute();
    expect(onRolls).toEqual([]);
  });

  it('a notice on the public board has the dates of its case’s timeline', async () => {
    const board = (await t.anonymous.request('GET', '/api/public/notices?pageSize=200')).json() as {
      items: PublicNotice[];
      total: number;
    };
    const open = details.filter((d) => d.notice?.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    expect(board.total).toBe(open.length);
    for (const d of open) {
      const card = board.items.find((n) => n.villageName === d.regionName && d.applicantName.startsWith(n.name[0]!));
      expect(card, d.caseNo).toBeDefined();
      expect([card!.publishedOn, card!.endsOn], d.caseNo).toEqual([d.notice!.publishedOn, d.notice!.endsOn]);
      const published = d.actions.find((a) => a.action === 'publish_notice');
      expect(published, d.caseNo).toBeDefined();
      expect(d.notice!.publishedOn <= d.notice!.endsOn).toBe(true);
    }
  });

  it('a family’s make-up matches its reason and its ages are those of a family', () => {
    for (const d of details) {
      const applicant = d.memberList[0]!;
      if (d.reason.includes('独居')) {
        expect(d.memberList.length, `${d.caseNo} ${d.reason}`).toBe(1);
        expect(applicant.age, `${d.caseNo} ${d.reason}`).toBeGreaterThanOrEqual(60);
      }
      if (d.reason.includes('子女上学'))
        expect(
          d.memberList.some((m) => m.relation === 'child' && m.age < 25),
          `${d.caseNo} ${d.reason}`,
        ).toBe(true);
      for (const m of d.memberList.filter((x) => x.relation === 'spouse'))
        expect(Math.abs(m.age - applicant.age), `${d.caseNo} spouse`).toBeLessThanOrEqual(15);
      for (const m of d.memberList.filter((x) => x.relation === 'child'))
        expect(applicant.age - m.age, `${d.caseNo} child`).toBeGreaterThanOrEqual(16);
    }
  });

  it('a rejection’s stated reason agrees with the figures computed beside it', () => {
    for (const d of details.filter((c) => c.status === 'rejected')) {
      const text = [d.determination?.overrideReason ?? '', ...d.actions.map((a) => JSON.stringify(a))].join(' ');
      if (text.includes('人均收入高于')) {
        const perCapita = d.verification?.perCapitaIncomeFen;
        expect(perCapita ?? 0, d.caseNo).toBeGreaterThan(0);
      }
    }
  });

  it('逾期统计 counts equal the totals of the application lists behind them', async () => {
    const stats = (await county.request('GET', '/api/cases/overdue')).json() as CaseOverdueStats;
    const total = async (query: string) =>
      ((await county.request('GET', `/api/cases?pageSize=1&${query}`)).json() as { total: number }).total;
    for (const r of [...stats.rows, stats.total]) {
      expect(await total(`region=${r.regionCode}&open=true`), r.regionName).toBe(r.open);
      expect(await total(`region=${r.regionCode}&overdue=step`), r.regionName).toBe(r.overdueSteps);
      expect(await total(`region=${r.regionCode}&overdue=overall`), r.regionName).toBe(r.overdueOverall);
    }
    expect(stats.total.open).toBe(details.filter((d) => !['enrolled', 'rejected'].includes(d.status)).length);
  });

  it('the household list counts what the registry holds; a household listed as on the rolls has that enrolment', async () => {
    const db = t.database.db;
    const all = (await county.request('GET', '/api/households?pageSize=1')).json() as { total: number };
    const stored = await db
      .selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_code', 'like', '350302%')
      .executeTakeFirstOrThrow();
    expect(all.total).toBe(Number(stored.n));
    for (const status of ['dibao', 'tekun', 'dibao_edge'] as const) {
      const listed = (await county.request('GET', `/api/households?pageSize=200&status=${status}`)).json() as {
        items: { id: string; householdNo: string }[];
        total: number;
      };
      expect(listed.total, status).toBe(listed.items.length);
      expect(listed.total, status).toBeGreaterThan(0);
      const enrolled = new Set(
        (
          await db
            .selectFrom('enrolments')
            .select('household_id')
            .where('kind', '=', status)
            .where(
              'household_id',
              'in',
              listed.items.map((h) => h.id),
            )
            .execute()
        ).map((r) => r.household_id),
      );
      expect(
        listed.items.filter((h) => !enrolled.has(h.id)).map((h) => h.householdNo),
        status,
      ).toEqual([]);
      // And the other way: an enrolment still running puts its household on the list.
      const running = await db
        .selectFrom('enrolments as e')
        .innerJoin('households as h', 'h.id', 'e.household_id')
        .select('h.household_no')
        .where('e.kind', '=', status)
        .where('e.status', 'in', ['active', 'gradual_exit'])
        .where('h.region_code', 'like', '350302%')
        .execute();
      const ids = new Set(listed.items.map((h) => h.householdNo));
      expect(
        running.filter((r) => !ids.has(r.household_no)).map((r) => r.household_no),
        status,
      ).toEqual([]);
    }
  });
});
