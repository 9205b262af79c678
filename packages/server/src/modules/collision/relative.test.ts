/**
 * Rule thresholds relative to the policy: the builtin wage rule reviews a recipient whose
 * monthly wage reaches 1.5 × the 低保 standard in force for the person's county in the month
 * of the pay date. One wage in two counties after one of them raised its standard; then a
 * re-run after the standard changes again.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, demoPolicyParams, makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { DEMO_DIBAO_STANDARD_FEN } from '../policy/demo-values';
import { chinaMonth } from '../policy/service';
import {
  DISABILITY_LEAD_MAX_GRADE,
  EXEMPT_VEHICLE_TYPES,
  MEDICAL_SELF_PAID_LEAD_FEN,
  MEDICAL_WINDOW_MONTHS,
  STOPPING_CUSTODY_TYPES,
  WAGE_REVIEW_FACTOR,
} from '../../synthetic/feeds/catalogue';
import { BUILTIN_RULES } from './rules';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const DONGZHANG = '350303105201'; // 涵江区 萩芦镇 东张村
const WAGE_HEADER = 'record_id,id_number,name,pay_date,wage_month,employer_name,employer_credit_code,monthly_wage_fen';

let t: TestApp;
let admin: Agent;
let chengxiang: Agent; // county officer of 城厢区 350302
let seq = 0;

const TODAY = chinaToday();
const NOW = chinaMonth();
const monthBefore = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};
const LAST_MONTH = monthBefore(NOW);

async function recipient(village: string) {
  const idNumber = makeIdNumber(village.slice(0, 6), '1975-06-1' + (++seq % 10), 500 + seq);
  const res = await admin.request('POST', '/api/households', {
    regionCode: village,
    address: '5组12号',
    assistanceStatus: 'dibao',
    members: [{ name: `林${seq}`, idNumber, relation: 'head', hukouType: 'rural' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return { idNumber, name: `林${seq}` };
}

async function raiseStandard(agent: Agent, regionCode: string, standardFen: number) {
  const res = await agent.request('POST', '/api/policy/standards', {
    kind: 'dibao',
    regionCode,
    effectiveMonth: NOW,
    params: { ...demoPolicyParams(DEMO_DIBAO_STANDARD_FEN).dibao, standardFen },
    note: '调整低保标准',
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function runsDone() {
  await expect
    .poll(
      async () => {
        const items = (await admin.request('GET', '/api/collision/runs')).json().items as { status: string }[];
        return items.length > 0 && items.every((r) => r.status === 'done');
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe(true);
}

/** Record keys of the wage rule's review signals. */
async function reviewed(): Promise<string[]> {
  const r = await sql<{ record_key: string }>`
    select fr.record_key from signals s
    join collision_rules cr on cr.id = s.rule_id and cr.code = 'wage.recipient'
    join signal_records sr on sr.signal_id = s.id join feed_records fr on fr.id = sr.record_id
    where s.outcome = 'review' order by fr.record_key`.execute(t.database.db);
  return r.rows.map((x) => x.record_key);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chengxiang = await t.login('chengxiang');
});
afterAll(() => t?.close());

describe('wage rule relative to the 低保 standard', () => {
  it('is stored as a multiple of the standard, not as an amount', async () => {
    const res = await admin.request('GET', '/api/collision/rules');
    const wage = (res.json().items as { code: string; definition: { where: unknown[] } }[]).find(
      (r) => r.code === 'wage.recipient',
    )!;
    expect(wage.definition.where).toEqual([
      { field: 'monthly_wage_fen', op: 'gte', value: { timesStandardPerMille: 1500 } },
    ]);
  });

  it('reviews only where the wage reaches 1.5 × the county standard of the record’s month', async () => {
    // 城厢区 raises its standard from 900 to 1,100 yuan this month: its threshold becomes 1,650 yuan;
    // 涵江区 keeps the city's 900 (threshold 1,350). Last month 城厢区 was still at 900.
    await raiseStandard(chengxiang, '350302', 110_000);
    const a = await recipient(YUNZHUANG);
    const b = await recipient(DONGZHANG);
    const wage = 150_000; // 1,500 yuan
    const row = (key: string, p: { idNumber: string; name: string }, payDate: string, wageMonth: string) =>
      `${key},${p.idNumber},${p.name},${payDate},${wageMonth},莆田市某某有限公司,91350302MA00000000,${wage}`;
    const csv = [
      WAGE_HEADER,
      row('A-now', a, TODAY, LAST_MONTH),
      row('B-now', b, TODAY, LAST_MONTH),
      row('A-last', a, `${LAST_MONTH}-01`, monthBefore(LAST_MONTH)),
    ].join('\n');
    const up = await admin.request('POST', `/api/feeds/upload?kind=hrss.wages&asOf=${TODAY}`, Buffer.from(csv), {
      'content-type': 'text/csv',
      'x-file-name': encodeURIComponent('工资.csv'),
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ status: 'loaded', rowsLoaded: 3 });
    await runsDone();
    expect(await reviewed()).toEqual(['A-last', 'B-now']);
  });

  it('a re-run after the standard changes uses the new figure from its effective month', async () => {
    // 城厢区 corrects this month's standard to 950 yuan (threshold 1,425): 1,500 yuan now reaches it.
    await raiseStandard(chengxiang, '350302', 95_000);
    const res = await admin.request('POST', '/api/collision/runs', {});
    expect(res.statusCode, res.body).toBe(202);
    await runsDone();
    expect(await reviewed()).toEqual(['A-last', 'A-now', 'B-now']);
  });
});

describe('builtin rules and the synthetic city agree', () => {
  // The generator labels its ground truth with these figures; the rules carry their own copies.
  const def = (code: string) => BUILTIN_RULES.find((r) => r.code === code)!.definition;
  it('uses the figures the ground truth was labelled with', () => {
    expect(def('wage.recipient').where).toEqual([
      { field: 'monthly_wage_fen', op: 'gte', value: { timesStandardPerMille: WAGE_REVIEW_FACTOR * 1000 } },
    ]);
    expect(def('medical.self_paid').aggregate).toMatchObject({
      value: MEDICAL_SELF_PAID_LEAD_FEN,
      windowMonths: MEDICAL_WINDOW_MONTHS,
    });
    expect(def('disability.severe').where).toEqual([
      { field: 'disability_grade', op: 'lte', value: DISABILITY_LEAD_MAX_GRADE },
    ]);
    expect(new Set(def('vehicle.recipient').where![0]!.value as string[])).toEqual(new Set(EXEMPT_VEHICLE_TYPES));
    expect(new Set(def('custody.recipient').where![0]!.value as string[])).toEqual(new Set(STOPPING_CUSTODY_TYPES));
  });
});
