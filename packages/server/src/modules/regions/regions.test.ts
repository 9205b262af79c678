import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openAndPrepare } from '../../boot';
import { loadConfig } from '../../config';
import {
  createSchema,
  createTestApp,
  dropSchema,
  freshSchema,
  onPostgres,
  type Agent,
  type TestApp,
} from '../../../test/harness';

type Region = { code: string; name: string; level: string; parentCode: string | null; childCount: number };

let t: TestApp;
let admin: Agent;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

async function children(agent: Agent, code: string): Promise<Region[]> {
  const res = await agent.request('GET', `/api/regions/${code}/children`);
  expect(res.statusCode, code).toBe(200);
  return res.json().items;
}

describe('the division tree of Putian (3503)', () => {
  it('has 5 counties/districts, 57 townships and 979 villages, each childCount matching its children', async () => {
    const root = (await admin.request('GET', '/api/regions/3503')).json();
    expect(root).toEqual({ code: '3503', name: '莆田市', level: 'city', parentCode: null, childCount: 5 });

    const counties = await children(admin, '3503');
    expect(counties.map((c) => `${c.code} ${c.name}`)).toEqual([
      '350302 城厢区',
      '350303 涵江区',
      '350304 荔城区',
      '350305 秀屿区',
      '350322 仙游县',
    ]);
    const townships: Region[] = [];
    for (const county of counties) {
      const items = await children(admin, county.code);
      expect(items.length, county.name).toBe(county.childCount);
      townships.push(...items);
    }
    expect(townships).toHaveLength(57);
    let villages = 0;
    for (const township of townships) {
      expect(township.level).toBe('township');
      const items = await children(admin, township.code);
      expect(items.length, township.name).toBe(township.childCount);
      for (const v of items) {
        expect(v).toMatchObject({ level: 'village', parentCode: township.code, childCount: 0 });
        expect(v.code.startsWith(township.code)).toBe(true);
      }
      villages += items.length;
    }
    expect(villages).toBe(979);

    const byLevel = await t.database.db
      .selectFrom('regions')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('level')
      .execute();
    expect(Object.fromEntries(byLevel.map((r) => [r.level, Number(r.n)]))).toEqual({
      city: 1,
      county: 5,
      township: 57,
      village: 979,
    });
  });

  it('lists 灵川镇 (350302102) among the children of 城厢区', async () => {
    const items = await children(admin, '350302');
    expect(items).toContainEqual(
      expect.objectContaining({ code: '350302102', name: '灵川镇', level: 'township', parentCode: '350302' }),
    );
    expect(items.map((r) => r.code)).toEqual([...items.map((r) => r.code)].sort());
  });

  it('searches by name, shallowest first, with the path of names from the city down', async () => {
    const lc = (await admin.request('GET', `/api/regions/search?q=${encodeURIComponent('灵川')}`)).json();
    expect(lc.items).toEqual([
      {
        code: '350302102',
        name: '灵川镇',
        level: 'township',
        parentCode: '350302',
        childCount: 15,
        path: ['莆田市', '城厢区', '灵川镇'],
      },
    ]);
    const yz = (await admin.request('GET', `/api/regions/search?q=${encodeURIComponent('云庄')}`)).json();
    expect(yz.items.map((r: { code: string; path: string[] }) => [r.code, r.path.join(' / ')])).toEqual([
      ['350302102201', '莆田市 / 城厢区 / 灵川镇 / 云庄村委会'],
      ['350322101220', '莆田市 / 仙游县 / 榜头镇 / 云庄村委会'],
    ]);
    const county = (await admin.request('GET', `/api/regions/search?q=${encodeURIComponent('城厢')}`)).json();
    expect(county.items[0]).toMatchObject({ code: '350302', path: ['莆田市', '城厢区'] });
    const city = (await admin.request('GET', `/api/regions/search?q=${encodeURIComponent('莆田')}`)).json();
    expect(city.items[0]).toMatchObject({ code: '3503', path: ['莆田市'] });

    const limited = (await admin.request('GET', `/api/regions/search?q=${encodeURIComponent('村')}&limit=7`)).json();
    expect(limited.items).toHaveLength(7);
    // LIKE wildcards are literal.
    expect((await admin.request('GET', '/api/regions/search?q=%25')).json().items).toEqual([]);
    expect((await admin.request('GET', '/api/regions/search?q=_')).json().items).toEqual([]);
  });

  it('searches only inside the caller’s region', async () => {
    const lingchuan = await t.login('lingchuan');
    const yz = (await lingchuan.request('GET', `/api/regions/search?q=${encodeURIComponent('云庄')}`)).json();
    expect(yz.items.map((r: { code: string }) => r.code)).toEqual(['350302102201']);
  });

  it('answers 400 to a malformed code or query, 404 to an unknown code, 403 outside the region, 401 without login', async () => {
    for (const url of [
      '/api/regions/abc',
      '/api/regions/abc/children',
      '/api/regions/35030',
      '/api/regions/3503021',
      '/api/regions/35030210220',
    ]) {
      const res = await admin.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'params.code' }] });
    }
    for (const url of ['/api/regions/search', '/api/regions/search?q=', '/api/regions/search?q=a&limit=0']) {
      expect((await admin.request('GET', url)).statusCode, url).toBe(400);
    }
    const unknown = await admin.request('GET', '/api/regions/350302199');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toEqual({ code: 'NOT_FOUND', message: '未找到区划' });
    expect((await admin.request('GET', '/api/regions/350302199/children')).statusCode).toBe(404);

    const lingchuan = await t.login('lingchuan');
    for (const code of ['350302103', '350303105', '350303']) {
      const res = await lingchuan.request('GET', `/api/regions/${code}`);
      expect(res.statusCode, code).toBe(403);
      expect(res.json().error).toEqual({ code: 'FORBIDDEN', message: '超出您的管辖区域' });
    }
    // The regions above her own are readable by name (her county's standards apply to her), not their children.
    expect((await lingchuan.request('GET', '/api/regions/350302')).json()).toMatchObject({ name: '城厢区' });
    expect((await lingchuan.request('GET', '/api/regions/3503')).json()).toMatchObject({ name: '莆田市' });
    expect((await lingchuan.request('GET', '/api/regions/350302/children')).statusCode).toBe(403);
    expect((await t.anonymous.request('GET', '/api/regions/3503')).statusCode).toBe(401);
  });
});

describe('another city', () => {
  it('loads the configured city instead: 福州市 (3501)', async () => {
    const fz = await createTestApp({ JIUZHU_CITY: '3501' });
    try {
      const a = await fz.login('admin');
      expect((await a.request('GET', '/api/auth/me')).json().user).toMatchObject({
        regionCode: '3501',
        regionName: '福州市',
      });
      expect((await a.request('GET', '/api/regions/3501')).json()).toMatchObject({
        code: '3501',
        name: '福州市',
        level: 'city',
        parentCode: null,
      });
      const counties = await children(a, '3501');
      expect(counties).toContainEqual(expect.objectContaining({ code: '350102', name: '鼓楼区', level: 'county' }));
      expect((await a.request('GET', '/api/regions/350102')).json()).toMatchObject({
        name: '鼓楼区',
        parentCode: '3501',
      });
      // Putian is not there at all.
      expect((await a.request('GET', '/api/regions/3503')).statusCode).toBe(403);
      const other = await fz.database.db
        .selectFrom('regions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('code', 'not like', '3501%')
        .executeTakeFirstOrThrow();
      expect(Number(other.n)).toBe(0);
    } finally {
      await fz.close();
    }
  });

  it('refuses to boot with a city code the division data does not know', async () => {
    const schema = onPostgres ? freshSchema() : undefined;
    if (schema) await createSchema(process.env.DATABASE_URL!, schema);
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        JIUZHU_CITY: '9999',
        ...(schema ? { DATABASE_URL: process.env.DATABASE_URL!, JIUZHU_DB_SCHEMA: schema } : {}),
      });
      await expect(openAndPrepare(config, pino({ level: 'silent' }), { inMemory: !onPostgres })).rejects.toThrow(
        'Unknown city division code 9999',
      );
    } finally {
      if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
    }
  });
});
