import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DibaoParams, dibaoAmount, demoPolicyParams, tekunAmount, TekunParams } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { DEMO_DIBAO_STANDARD_FEN } from './demo-values';
import { chinaMonth, findEffectiveParams, seedDemoStandards } from './service';

let t: TestApp;
let admin: Agent;
let chengxiang: Agent; // county officer of 城厢区 350302
let lingchuan: Agent; // township officer of 灵川镇 350302102
let qiulu: Agent; // township officer of 萩芦镇 350303105 (涵江区)

const DEMO = demoPolicyParams(DEMO_DIBAO_STANDARD_FEN);
const NOW = chinaMonth();
const NEXT_YEAR = `${Number(NOW.slice(0, 4)) + 1}-01`;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
});
afterAll(() => t?.close());

const rows = () => t.database.db.selectFrom('policy_standards').selectAll().orderBy('id').execute();
async function auditCount() {
  const r = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/** A refused request: status, no standard written, no audit row. */
async function refused(send: () => Promise<LightMyRequestResponse>, status: number) {
  const before = { rows: await rows(), audit: await auditCount() };
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  expect({ rows: await rows(), audit: await auditCount() }).toEqual(before);
  return res;
}
const effective = (agent: Agent, region: string, kind: string, month?: string) =>
  agent.request(
    'GET',
    `/api/policy/standards/effective?region=${region}&kind=${kind}${month ? `&month=${month}` : ''}`,
  );
const dibaoBody = (regionCode: string, effectiveMonth: string, standardFen: number) => ({
  kind: 'dibao',
  regionCode,
  effectiveMonth,
  params: { ...DEMO.dibao, standardFen },
  note: 'test',
});

describe('demo standards', () => {
  it('are seeded at boot at city level from 2025-01, labelled as demo, 低保 900 yuan', async () => {
    const res = await admin.request('GET', '/api/policy/standards');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { kind: string; regionCode: string; isDemo: boolean; status: string }[];
    expect(items.map((i) => i.kind).sort()).toEqual(['dibao', 'dibao_edge', 'tekun', 'temporary']);
    for (const i of items)
      expect(i).toMatchObject({
        regionCode: '3503',
        regionName: '莆田市',
        isDemo: true,
        status: 'current',
        effectiveMonth: '2025-01',
        version: 1,
      });
    const dibao = res.json().items.find((i: { kind: string }) => i.kind === 'dibao');
    expect(dibao.params).toEqual(DEMO.dibao);
    expect(dibao.params.standardFen).toBe(90_000);
  });

  it('are seeded once (idempotent)', async () => {
    const before = await rows();
    expect(await seedDemoStandards(t.database.db, '3503')).toBe(0);
    expect(await rows()).toEqual(before);
  });

  it('feed the policy math: 特困 ≥ 1.3 × the 低保 standard, a family’s 低保 amount', async () => {
    const dibao = DibaoParams.parse(
      await findEffectiveParams(t.database.db, '3503', '350302102201', 'dibao', '2025-06'),
    );
    const tekun = TekunParams.parse(
      await findEffectiveParams(t.database.db, '3503', '350302102201', 'tekun', '2025-06'),
    );
    expect(tekunAmount(tekun, dibao.standardFen, { incomeFen: 0, tier: 'self' }).basicFen).toBe(117_000);
    expect(dibaoAmount(dibao, { members: [{ age: 40 }, { age: 40 }], incomeFen: 100_000 }).amountFen).toBe(80_000);
  });
});

describe('effective standard', () => {
  it('resolves the city default for any region below it, and says where it came from', async () => {
    const res = await effective(lingchuan, '350302102201', 'dibao', '2025-06');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      region: '350302102201',
      kind: 'dibao',
      month: '2025-06',
      source: 'city',
      standard: { regionCode: '3503', version: 1, isDemo: true },
    });
    // Without a month: the current China month.
    expect((await effective(lingchuan, '350302102', 'tekun')).json().month).toBe(NOW);
  });

  it('is not found before the first version takes effect', async () => {
    const res = await effective(admin, '3503', 'dibao', '2024-12');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('is refused for a region outside one’s own line (a sibling county)', async () => {
    await refused(() => effective(qiulu, '350302', 'dibao', '2025-06'), 403);
    await refused(() => effective(lingchuan, '350303105', 'dibao', '2025-06'), 403);
    // The city above is fine.
    expect((await effective(qiulu, '3503', 'dibao', '2025-06')).statusCode).toBe(200);
  });
});

describe('versions', () => {
  it('a county officer adds their county’s first version (any month), audited once; it overrides the city', async () => {
    const before = await auditCount();
    const res = await chengxiang.request('POST', '/api/policy/standards', dibaoBody('350302', '2025-03', 95_000));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      regionCode: '350302',
      regionName: '城厢区',
      kind: 'dibao',
      effectiveMonth: '2025-03',
      version: 1,
      isDemo: false,
      status: 'current',
      createdBy: 'chengxiang',
    });
    expect(await auditCount()).toBe(before + 1);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: 'policy.standard_create',
      entity: 'policy_standard',
      entity_id: res.json().id,
      region_code: '350302',
      actor_username: 'chengxiang',
    });

    const county = (await effective(lingchuan, '350302102201', 'dibao', '2025-06')).json();
    expect(county).toMatchObject({
      source: 'county',
      standard: { regionCode: '350302', params: { standardFen: 95_000 } },
    });
    // Before the county's month: the city default.
    expect((await effective(lingchuan, '350302102', 'dibao', '2025-02')).json().source).toBe('city');
    // Another county: the city default; other kinds: the city default.
    expect((await effective(qiulu, '350303105', 'dibao', '2025-06')).json().source).toBe('city');
    expect((await effective(lingchuan, '350302102', 'tekun', '2025-06')).json().source).toBe('city');
  });

  it('a later version never starts in a past month, and never changes an earlier one', async () => {
    const first = await rows();
    const res = await refused(
      () => chengxiang.request('POST', '/api/policy/standards', dibaoBody('350302', '2025-04', 96_000)),
      400,
    );
    expect(res.json().error.fields).toEqual([{ path: 'effectiveMonth', message: expect.stringContaining(NOW) }]);
    const en = await chengxiang.request('POST', '/api/policy/standards', dibaoBody('350302', '2025-04', 96_000), {
      'accept-language': 'en-US',
    });
    expect(en.json().error.fields[0].message).toContain('cannot be before this month');

    const next = await chengxiang.request('POST', '/api/policy/standards', dibaoBody('350302', NEXT_YEAR, 100_000));
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json()).toMatchObject({ version: 2, status: 'scheduled' });
    const now = await chengxiang.request('POST', '/api/policy/standards', dibaoBody('350302', NOW, 97_000));
    expect(now.json()).toMatchObject({ version: 3, status: 'current' });
    // Version 1 is untouched.
    const after = await rows();
    for (const r of first) expect(after.find((a) => a.id === r.id)).toEqual(r);

    const list = (await lingchuan.request('GET', '/api/policy/standards?kind=dibao&region=350302102')).json();
    expect(list.month).toBe(NOW);
    const byKey = Object.fromEntries(
      list.items.map((i: { regionCode: string; version: number; status: string }) => [
        `${i.regionCode}#${i.version}`,
        i.status,
      ]),
    );
    expect(byKey).toEqual({
      '3503#1': 'current',
      '350302#1': 'superseded',
      '350302#2': 'scheduled',
      '350302#3': 'current',
    });
    expect((await effective(lingchuan, '350302', 'dibao', NEXT_YEAR)).json().standard.version).toBe(2);
  });

  it('a county officer cannot add versions for another county or the city; township officers none', async () => {
    for (const [agent, region] of [
      [chengxiang, '350303'],
      [chengxiang, '3503'],
      [lingchuan, '350302'],
      [qiulu, '350303'],
    ] as const) {
      const res = await refused(
        () => agent.request('POST', '/api/policy/standards', dibaoBody(region, NEXT_YEAR, 99_000)),
        403,
      );
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('the city admin adds versions for the city or a county, not for a township or village', async () => {
    const city = await admin.request('POST', '/api/policy/standards', {
      kind: 'tekun',
      regionCode: '3503',
      effectiveMonth: NEXT_YEAR,
      params: { ...DEMO.tekun, basicLivingPerMille: 1400 },
    });
    expect(city.json()).toMatchObject({ version: 2, status: 'scheduled', note: '' });
    expect(
      (await admin.request('POST', '/api/policy/standards', dibaoBody('350303', NEXT_YEAR, 98_000))).statusCode,
    ).toBe(201);
    for (const region of ['350302102', '350302102201', '3504', '350399']) {
      const res = await refused(
        () => admin.request('POST', '/api/policy/standards', dibaoBody(region, NEXT_YEAR, 98_000)),
        region === '3504' ? 403 : 400,
      );
      if (region !== '3504') expect(res.json().error.fields[0].path).toBe('regionCode');
    }
  });

  it('rejects malformed parameter sets', async () => {
    const bad: unknown[] = [
      {
        kind: 'tekun',
        regionCode: '3503',
        effectiveMonth: NEXT_YEAR,
        params: { ...DEMO.tekun, basicLivingPerMille: 1200 },
      },
      { kind: 'tekun', regionCode: '3503', effectiveMonth: NEXT_YEAR, params: DEMO.dibao },
      dibaoBody('3503', NEXT_YEAR, 90_000.5),
      dibaoBody('3503', '2026-13', 90_000),
      { ...dibaoBody('3503', NEXT_YEAR, 90_000), extra: 1 },
      { ...dibaoBody('3503', NEXT_YEAR, 90_000), params: { ...DEMO.dibao, gradualExitMonths: 7 } },
      {
        kind: 'temporary',
        regionCode: '3503',
        effectiveMonth: NEXT_YEAR,
        params: { ...DEMO.temporary, specialHardshipMultiple: 3 },
      },
    ];
    for (const body of bad) await refused(() => admin.request('POST', '/api/policy/standards', body), 400);
  });
});

describe('reading', () => {
  it('shows the city and one’s own county, never a sibling county', async () => {
    const q = (await qiulu.request('GET', '/api/policy/standards')).json().items as { regionCode: string }[];
    expect(new Set(q.map((i) => i.regionCode))).toEqual(new Set(['3503', '350303']));
    const l = (await lingchuan.request('GET', '/api/policy/standards')).json().items as { regionCode: string }[];
    expect(new Set(l.map((i) => i.regionCode))).toEqual(new Set(['3503', '350302']));
    await refused(() => qiulu.request('GET', '/api/policy/standards?region=350302'), 403);
    const all = (await admin.request('GET', '/api/policy/standards')).json().items as { regionCode: string }[];
    expect(new Set(all.map((i) => i.regionCode))).toEqual(new Set(['3503', '350302', '350303']));
  });

  it('finance officers and auditors read; insurers do not', async () => {
    for (const [username, role, regionCode] of [
      ['pol.finance', 'finance_officer', '350302'],
      ['pol.auditor', 'auditor', '3503'],
      ['pol.insurer', 'insurer', '3503'],
    ] as const) {
      const res = await admin.request('POST', '/api/users', {
        username,
        displayName: username,
        role,
        regionCode,
        password: 'policy-password-1',
      });
      expect(res.statusCode, res.body).toBe(201);
      const agent = await t.login(username, 'policy-password-1');
      expect((await agent.request('GET', '/api/policy/standards')).statusCode).toBe(role === 'insurer' ? 403 : 200);
      expect((await effective(agent, '350302', 'dibao', '2025-06')).statusCode).toBe(role === 'insurer' ? 403 : 200);
    }
  });
});
