import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeIdNumber } from '@jiuzhu/shared';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildApp } from '../../app';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';

const YUNZHUANG = '350302102201'; // 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 萩芦镇 东张村

let t: TestApp;
let lingchuan: Agent;
let qiulu: Agent;
let seq = 0;
const id = (county = '350302', birth = '1958-03-09') => makeIdNumber(county, birth, ++seq);

function household(village: string, members: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return { regionCode: village, address: '莆田市城厢区灵川镇云庄村3组45号', members, ...extra };
}

async function counts() {
  const db = t.database.db;
  const n = async (table: 'households' | 'members' | 'audit_log' | 'registry_history') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    households: await n('households'),
    members: await n('members'),
    audit: await n('audit_log'),
    history: await n('registry_history'),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
});
afterAll(() => t?.close());

describe('household registry', () => {
  const headId = id();
  const spouseId = id('350302', '1961-07-20');
  let householdId = '';

  it('registers a household with protected personal data, shown masked', async () => {
    const res = await lingchuan.request(
      'POST',
      '/api/households',
      household(YUNZHUANG, [
        {
          name: '林国华',
          idNumber: headId,
          relation: 'head',
          hukouType: 'rural',
          phone: '13905941234',
          bankAccount: '6228480012345678901',
          bankName: '农业银行',
          disability: { type: 'physical', grade: 2, certificateNo: `${headId}42` },
          workAbility: 'none',
          adl: { eating: true, dressing: true, transfer: false, toileting: true, walking: false, bathing: false },
          income: { pension: 15_000 },
          assets: { deposits: 300_000 },
        },
        {
          name: '陈秀英',
          idNumber: spouseId.toLowerCase(),
          relation: 'spouse',
          hukouType: 'rural',
          seriousIllness: '尿毒症',
        },
      ]),
    );
    expect(res.statusCode).toBe(201);
    const h = res.json();
    householdId = h.id;
    expect(h).toMatchObject({
      regionCode: YUNZHUANG,
      regionName: '云庄村委会',
      headName: '林国华',
      memberCount: 2,
      version: 1,
    });
    expect(h.headIdMasked).toBe(`${headId.slice(0, 4)}**********${headId.slice(-4)}`);
    expect(h.flags.sort()).toEqual(['disability', 'elderly', 'serious_illness']);
    const head = h.members[0];
    expect(head).toMatchObject({
      sex: headId[16]! && Number(headId[16]) % 2 ? 'male' : 'female',
      birthDate: '1958-03-09',
      selfCare: 'partial',
    });
    expect(head.phoneMasked).toBe('139****1234');
    expect(head.bankAccountMasked).toBe('6228 **** **** 8901');
    expect(h.addressMasked).not.toContain('45号');
    for (const secret of [headId, spouseId, '13905941234', '6228480012345678901', '3组45号'])
      expect(res.body).not.toContain(secret);
    expect(h.history[0]).toMatchObject({ actorUsername: 'lingchuan', action: 'household.create' });
  });

  it('refuses bad input with the field path and a clear message, writing nothing', async () => {
    const before = await counts();
    const bad = async (body: unknown) => {
      const res = await lingchuan.request('POST', '/api/households', body);
      return { status: res.statusCode, fields: (res.json().error.fields ?? []) as { path: string; message: string }[] };
    };
    const good = id();
    const wrongCheck = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    let r = await bad(
      household(YUNZHUANG, [{ name: '甲', idNumber: wrongCheck, relation: 'head', hukouType: 'rural' }]),
    );
    expect(r.status).toBe(400);
    expect(r.fields[0]).toMatchObject({ path: 'members.0.idNumber' });
    expect(r.fields[0]!.message).toMatch(/校验码错误|出生日期/);
    r = await bad(
      household(YUNZHUANG, [{ name: '甲', idNumber: '35030219580309', relation: 'head', hukouType: 'rural' }]),
    );
    expect(r.fields[0]!.message).toContain('长度');
    r = await bad(household(YUNZHUANG, [{ name: '甲', idNumber: id(), relation: 'spouse', hukouType: 'rural' }]));
    expect(r.fields).toEqual([{ path: 'members', message: '每户必须有且只有一位户主（现有 0 位）' }]);
    const twice = id();
    r = await bad(
      household(YUNZHUANG, [
        { name: '甲', idNumber: twice, relation: 'head', hukouType: 'rural' },
        { name: '乙', idNumber: twice, relation: 'child', hukouType: 'rural' },
      ]),
    );
    expect(r.fields).toEqual([{ path: 'members.1.idNumber', message: '与本户第 1 位成员的身份证号重复' }]);
    r = await bad(household(YUNZHUANG, [{ name: '甲', idNumber: spouseId, relation: 'head', hukouType: 'rural' }]));
    expect(r.fields[0]!.path).toBe('members.0.idNumber');
    expect(r.fields[0]!.message).toMatch(/已登记在户 350302102201\d{6}/);
    r = await bad(
      household(YUNZHUANG, [
        { name: '甲', idNumber: id(), relation: 'head', hukouType: 'rural', income: { wage: -100 } },
      ]),
    );
    expect(r.fields).toEqual([{ path: 'members.0.income.wage', message: '金额不能为负数' }]);
    r = await bad(household('350302102', [{ name: '甲', idNumber: id(), relation: 'head', hukouType: 'rural' }]));
    expect(r.fields).toEqual([{ path: 'regionCode', message: '请选择家庭所在的村（社区）' }]);
    r = await bad({
      ...household(YUNZHUANG, [{ name: '甲', idNumber: id(), relation: 'head', hukouType: 'rural' }]),
      extra: 1,
    });
    expect(r.fields).toEqual([{ path: 'extra', message: '不允许的字段' }]);
    expect(await counts()).toEqual(before);
  });

  it('tells another region a person is registered elsewhere without naming the household', async () => {
    const res = await qiulu.request(
      'POST',
      '/api/households',
      household(DONGZHANG, [{ name: '林国华', idNumber: headId, relation: 'head', hukouType: 'rural' }]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].message).toBe('此人已登记在其他辖区的家庭，一人只能属于一个家庭，请联系上级核实');
    expect(res.body).not.toContain('350302102201');
  });

  it('searches by partial name, exact ID number, status and flag, within the caller’s region only', async () => {
    const q = async (agent: Agent, query: string) => (await agent.request('GET', `/api/households?${query}`)).json();
    expect((await q(lingchuan, `name=${encodeURIComponent('国')}`)).items.map((h: { id: string }) => h.id)).toEqual([
      householdId,
    ]);
    // One and two characters go through the name-grams index, three through the trigram index.
    for (const part of ['国华', '林国', '林国华'])
      expect((await q(lingchuan, `name=${encodeURIComponent(part)}`)).total, part).toBe(1);
    for (const part of ['林华', '华林', '朱'])
      expect((await q(lingchuan, `name=${encodeURIComponent(part)}`)).total, part).toBe(0);
    expect((await q(lingchuan, `idNumber=${spouseId}`)).total).toBe(1);
    expect((await q(lingchuan, `idNumber=${spouseId.slice(0, 17)}`)).total).toBeUndefined();
    const badId = await lingchuan.request('GET', `/api/households?idNumber=${spouseId.slice(0, 17)}`);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields[0].path).toBe('query.idNumber');
    expect(badId.body).not.toContain(spouseId.slice(0, 17));
    expect((await q(lingchuan, 'flag=serious_illness')).total).toBe(1);
    expect((await q(lingchuan, 'flag=minor')).total).toBe(0);
    expect((await q(lingchuan, 'status=none')).total).toBe(1);
    expect((await q(qiulu, `idNumber=${spouseId}`)).total).toBe(0);
    expect((await q(qiulu, `name=${encodeURIComponent('林国华')}`)).total).toBe(0);
    expect((await qiulu.request('GET', `/api/households/${householdId}`)).statusCode).toBe(404);
  });

  it('indexes every character and every pair of adjacent characters of a name, whatever its length', async () => {
    // name_grams (migrations 0092, 0110): a fixed list for up to four characters, a split for longer names.
    for (const name of [
      '',
      '林',
      '林国',
      '林国华',
      '欧阳国华',
      '林林林',
      '买买提·艾力江',
      '阿卜杜拉·买买提明',
      'abcdefghi',
    ]) {
      const chars = Array.from(name);
      const expected = new Set([...chars, ...chars.slice(1).map((c, i) => chars[i]! + c)]);
      const r = await sql<{ grams: string[] }>`select name_grams(${name}) as grams`.execute(t.database.db);
      expect(new Set(r.rows[0]!.grams), name).toEqual(expected);
    }
  });

  it('edits a household: keeps identities, records every change masked, refuses a stale version', async () => {
    const h = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    const members = h.members.map((m: Record<string, unknown>) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      hukouType: m.hukouType,
    }));
    members[0].phone = '13600001111';
    const childId = id('350302', '2012-09-01');
    members.push({ name: '林小明', idNumber: childId, relation: 'child', hukouType: 'rural', schoolStatus: 'primary' });
    // The assistance status follows the enrolments: editing it by hand is refused, naming the way to do it.
    const byHand = await lingchuan.request('PUT', `/api/households/${householdId}`, {
      version: h.version,
      regionCode: YUNZHUANG,
      assistanceStatus: 'dibao',
      members,
    });
    expect(byHand.statusCode).toBe(409);
    expect(byHand.json().error.message).toContain('救助申请');
    const res = await lingchuan.request('PUT', `/api/households/${householdId}`, {
      version: h.version,
      regionCode: YUNZHUANG,
      address: '莆田市城厢区灵川镇云庄村3组46号',
      assistanceStatus: 'none',
      members,
    });
    expect(res.statusCode).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ version: 2, assistanceStatus: 'none', memberCount: 3 });
    expect(after.flags).toContain('minor');
    const actions = after.history.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['household.update', 'member.update', 'member.add', 'household.create']),
    );
    const phoneChange = after.history
      .filter((e: { action: string }) => e.action === 'member.update')
      .flatMap((e: { changes: { field: string }[] }) => e.changes)
      .find((c: { field: string }) => c.field === 'phone');
    expect(phoneChange).toEqual({ field: 'phone', old: '139****1234', new: '136****1111' });
    expect(JSON.stringify(after.history)).not.toContain('13600001111');
    const stale = await lingchuan.request('PUT', `/api/households/${householdId}`, {
      version: 1,
      regionCode: YUNZHUANG,
      assistanceStatus: 'none',
      members,
    });
    expect(stale.statusCode).toBe(409);

    // Numbers the editor only saw masked: omitted keeps them, null removes them.
    const keep = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    const same = keep.members.map((m: Record<string, unknown>) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      hukouType: m.hukouType,
    }));
    const kept = (
      await lingchuan.request('PUT', `/api/households/${householdId}`, {
        version: keep.version,
        regionCode: YUNZHUANG,
        assistanceStatus: 'none',
        members: same,
      })
    ).json();
    const headAfter = kept.members.find((m: { relation: string }) => m.relation === 'head');
    expect(headAfter).toMatchObject({ phoneMasked: '136****1111', bankAccountMasked: '6228 **** **** 8901' });
    same.find((m: { relation: string }) => m.relation === 'head').phone = null;
    const removed = (
      await lingchuan.request('PUT', `/api/households/${householdId}`, {
        version: kept.version,
        regionCode: YUNZHUANG,
        assistanceStatus: 'none',
        members: same,
      })
    ).json();
    expect(removed.members.find((m: { relation: string }) => m.relation === 'head')).toMatchObject({
      phoneMasked: null,
      bankAccountMasked: '6228 **** **** 8901',
    });
    expect(stale.json().error.message).toBe('该记录已被他人修改，请刷新后重新编辑');
  });

  it('a save that changes nothing writes no history and no audit row; one changed member is the only line', async () => {
    const address = '莆田市城厢区灵川镇云庄村5组12号';
    const created = await lingchuan.request(
      'POST',
      '/api/households',
      household(
        YUNZHUANG,
        [
          {
            name: '黄德明',
            idNumber: id('350302', '1955-02-11'),
            relation: 'head',
            hukouType: 'rural',
            phone: '13912340000',
            income: { wage: 80_000, pension: 120_000, transfer: 5_000 },
            assets: { deposits: 300_000 },
            adl: { eating: true, dressing: true, transfer: true, toileting: true, walking: false, bathing: true },
          },
          {
            name: '黄秀珍',
            idNumber: id('350302', '1957-06-30'),
            relation: 'spouse',
            hukouType: 'rural',
            income: { pension: 90_000 },
          },
        ],
        { address },
      ),
    );
    expect(created.statusCode).toBe(201);
    const h = created.json();
    // The edit form sends back every member as it read it, in its own key order, the address typed again.
    const asRead = (m: Record<string, unknown>) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      hukouType: m.hukouType,
      ...(m.bankName ? { bankName: m.bankName } : {}),
      ...(m.seriousIllness ? { seriousIllness: m.seriousIllness } : {}),
      workAbility: m.workAbility,
      ...(m.adl ? { adl: Object.fromEntries(Object.entries(m.adl as object).reverse()) } : {}),
      schoolStatus: m.schoolStatus,
      income: Object.fromEntries(Object.entries(m.income as object).reverse()),
      assets: Object.fromEntries(Object.entries(m.assets as object).reverse()),
    });
    const before = await counts();
    const same = await lingchuan.request('PUT', `/api/households/${h.id}`, {
      version: h.version,
      regionCode: YUNZHUANG,
      address,
      assistanceStatus: h.assistanceStatus,
      members: h.members.map(asRead),
    });
    expect(same.statusCode).toBe(200);
    expect(same.json().version).toBe(h.version);
    expect(same.json().history).toEqual(h.history);
    expect(await counts()).toEqual(before);
    // A stale version is still refused, even for a save that would change nothing.
    const stale = await lingchuan.request('PUT', `/api/households/${h.id}`, {
      version: h.version + 5,
      regionCode: YUNZHUANG,
      assistanceStatus: h.assistanceStatus,
      members: h.members.map(asRead),
    });
    expect(stale.statusCode).toBe(409);

    // One member's income changes: one history line, for that member only, and one audit row.
    const members = h.members.map(asRead);
    const spouse = members.find((m: { relation: string }) => m.relation === 'spouse')!;
    spouse.income = { pension: 95_000 };
    const edited = await lingchuan.request('PUT', `/api/households/${h.id}`, {
      version: h.version,
      regionCode: YUNZHUANG,
      assistanceStatus: h.assistanceStatus,
      members,
    });
    expect(edited.statusCode).toBe(200);
    const after = await counts();
    expect(after).toEqual({ ...before, history: before.history + 1, audit: before.audit + 1 });
    const lines = edited.json().history.filter((e: { action: string }) => e.action !== 'household.create');
    expect(lines).toEqual([
      expect.objectContaining({
        action: 'member.update',
        memberId: spouse.id,
        changes: [{ field: 'income', old: { pension: 90_000 }, new: { pension: 95_000 } }],
      }),
    ]);
  });

  it('finds a household by part of its number and sorts by a named key within the caller’s region', async () => {
    const q = async (agent: Agent, query: string) => (await agent.request('GET', `/api/households?${query}`)).json();
    const all = await q(lingchuan, 'pageSize=200');
    expect(all.total).toBeGreaterThanOrEqual(2);
    const one = all.items[1];
    const found = await q(lingchuan, `householdNo=${one.householdNo.slice(-6)}`);
    expect(found.items.map((h: { id: string }) => h.id)).toContain(one.id);
    expect(found.items.every((h: { householdNo: string }) => h.householdNo.includes(one.householdNo.slice(-6)))).toBe(
      true,
    );
    expect((await q(qiulu, `householdNo=${one.householdNo}`)).total).toBe(0);
    const byMembers = (await q(lingchuan, 'pageSize=200&sort=memberCount&order=desc')).items.map(
      (h: { memberCount: number }) => h.memberCount,
    );
    expect(byMembers).toEqual([...byMembers].sort((a, b) => b - a));
    const byName = (await q(lingchuan, 'pageSize=200&sort=householdNo&order=desc')).items.map(
      (h: { householdNo: string }) => h.householdNo,
    );
    expect(byName).toEqual([...byName].sort().reverse());
    expect((await lingchuan.request('GET', '/api/households?sort=id_hash')).statusCode).toBe(400);
  });

  it('reveals a protected value only with a reason, to a permitted role, and audits it', async () => {
    const h = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    const head = h.members.find((m: { relation: string }) => m.relation === 'head');
    const url = `/api/households/${householdId}/members/${head.id}/reveal`;
    expect((await lingchuan.request('POST', url, { field: 'idNumber' })).statusCode).toBe(400);
    const res = await lingchuan.request('POST', url, { field: 'idNumber', reason: '办理低保复核' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ field: 'idNumber', value: headId });
    const trail = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'registry.reveal')
      .execute();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor_username: 'lingchuan', entity: 'member', entity_id: head.id });
    expect(JSON.stringify(trail)).not.toContain(headId);
    const auditorRes = await t.app.inject({
      method: 'POST',
      url,
      payload: { field: 'idNumber', reason: '审计抽查' },
      headers: { cookie: (await auditor()).cookie },
    });
    expect(auditorRes.statusCode).toBe(403);
  });

  it('flags every household that contains a registered relative of staff', async () => {
    const res = await lingchuan.request('POST', '/api/staff-relatives', {
      regionCode: '350302102',
      staffName: '王建设',
      staffPosition: '灵川镇社会事务办科员',
      relativeName: '陈秀英',
      relativeIdNumber: spouseId,
      relation: '姑母',
    });
    expect(res.statusCode).toBe(201);
    const list = (await lingchuan.request('GET', '/api/households?flag=staff_relative')).json();
    expect(list.items.map((h: { id: string }) => h.id)).toEqual([householdId]);
    const detail = (await lingchuan.request('GET', `/api/households/${householdId}`)).json();
    expect(detail.flags).toContain('staff_relative');
    expect(detail.members.find((m: { name: string }) => m.name === '陈秀英').staffRelative).toBe(true);
    const again = await lingchuan.request('POST', '/api/staff-relatives', {
      regionCode: '350302102',
      staffName: '王建设',
      staffPosition: '科员',
      relativeName: '陈秀英',
      relativeIdNumber: spouseId,
      relation: '姑母',
    });
    expect(again.statusCode).toBe(409);
    expect((await qiulu.request('GET', '/api/staff-relatives')).json().total).toBe(0);
  });

  it('writes no plaintext ID number or phone to the logs, even when they are searched for or wrong', async () => {
    let logged = '';
    const sink = new Writable({ write: (chunk, _enc, cb) => ((logged += chunk.toString()), cb()) });
    const app = await buildApp({ config: t.config, database: t.database, logger: pino({ level: 'debug' }, sink) });
    try {
      await app.ready();
      const cookie = lingchuan.cookie;
      await app.inject({ method: 'GET', url: `/api/households?idNumber=${headId}`, headers: { cookie } });
      await app.inject({ method: 'GET', url: `/api/households?idNumber=${headId.slice(0, 17)}`, headers: { cookie } });
      const res = await app.inject({
        method: 'POST',
        url: '/api/households',
        headers: { cookie },
        payload: household(YUNZHUANG, [
          {
            name: '甲',
            idNumber: `${headId.slice(0, 17)}0`,
            relation: 'head',
            hukouType: 'rural',
            phone: '13905941234',
          },
        ]),
      });
      expect(res.statusCode).toBe(400);
      expect(logged).toContain('/api/households?idNumber=***');
      for (const secret of [headId, headId.slice(0, 17), '13905941234']) expect(logged).not.toContain(secret);
    } finally {
      await app.close();
    }
  });

  it('stores no plaintext ID number, phone, bank account or address anywhere in the database', async () => {
    const tables = ['households', 'members', 'registry_history', 'staff_relatives', 'audit_log'] as const;
    let dump = '';
    for (const table of tables) dump += JSON.stringify(await t.database.db.selectFrom(table).selectAll().execute());
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of [headId, spouseId, '13905941234', '13600001111', '6228480012345678901', '3组45号']) {
      expect(dump).not.toContain(secret);
    }
  });
});

async function auditor(): Promise<Agent> {
  const admin = await t.login('admin');
  await admin.request('POST', '/api/users', {
    username: 'shenji',
    displayName: '审计',
    role: 'auditor',
    regionCode: '3503',
    password: 'auditor-password-1',
  });
  return t.login('shenji', 'auditor-password-1');
}
