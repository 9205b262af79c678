/**
 * Issue 11, item 15: a first-generation 15-digit ID number is converted to its 18-character
 * form wherever one is entered (public application, staff entry, staff relatives), so the same
 * person is one person to the blind index, the duplicate checks and the collision engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { applicationInput } from '../../demo/case-driver';

const VILLAGE = '350302102201'; // 云庄村, 灵川镇

let t: TestApp;
let lingchuan: Agent;

/** The 15-digit form of an 18-digit number born in the 1900s: no century, no check character. */
const to15 = (id18: string) => id18.slice(0, 6) + id18.slice(8, 17);

beforeAll(async () => {
  t = await createTestApp();
  lingchuan = await t.login('lingchuan');
}, 60_000);
afterAll(() => t?.close());

async function caseMembers(caseNo: string) {
  return t.database.db
    .selectFrom('case_members')
    .innerJoin('cases', 'cases.id', 'case_members.case_id')
    .select(['case_members.id_hash', 'case_members.id_masked'])
    .where('cases.case_no', '=', caseNo)
    .execute();
}

describe('15-digit ID numbers', () => {
  it('a public application stores the 18-character number (its blind index and mask)', async () => {
    const id18 = makeIdNumber('350302', '1962-03-04', 417);
    const input = applicationInput(VILLAGE, {}, 1);
    input.members[0]!.idNumber = to15(id18);
    const res = await t.anonymous.request('POST', '/api/public/applications', input, { 'x-forwarded-for': '10.9.0.1' });
    expect(res.statusCode, res.body).toBe(201);
    const [m] = await caseMembers(res.json().caseNo);
    const { protector } = t.app.deps;
    expect(m!.id_hash).toBe(protector.idHash(id18));
    expect(m!.id_masked).toBe(maskIdNumber(id18));
    // The same person under the 18-character number is the same person to the staff window.
    const again = applicationInput(VILLAGE, {}, 1);
    again.members[0]!.idNumber = id18;
    const staff = await lingchuan.request('POST', '/api/cases', again);
    expect(staff.statusCode).toBe(409);
  });

  it('a staff relative registered with a 15-digit number is stored and shown in the 18-character form', async () => {
    const id18 = makeIdNumber('350302', '1958-11-12', 233);
    const res = await lingchuan.request('POST', '/api/staff-relatives', {
      regionCode: VILLAGE,
      staffName: '黄干部',
      staffPosition: '村委会主任',
      relativeName: '黄亲属',
      relativeIdNumber: to15(id18),
      relation: '兄弟',
    });
    expect(res.statusCode, res.body).toBe(201);
    const list = (await lingchuan.request('GET', '/api/staff-relatives')).json();
    expect(list.items.map((r: { relativeIdMasked: string }) => r.relativeIdMasked)).toContain(maskIdNumber(id18));
    const row = await t.database.db
      .selectFrom('staff_relatives')
      .select('relative_id_hash')
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row.relative_id_hash).toBe(t.app.deps.protector.idHash(id18));
  });
});
