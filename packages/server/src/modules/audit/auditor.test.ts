import { makeIdNumber } from '@jiuzhu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('the trail for auditors', () => {
  it('answers who looked at this family’s ID numbers: by 户编号, part of an action or a name, with names beside codes', async () => {
    const admin = await t.login('admin');
    const lingchuan = await t.login('lingchuan');
    const res = await admin.request('POST', '/api/households', {
      regionCode: '350302102201',
      address: '莆田市城厢区灵川镇云庄村7组3号',
      members: [
        {
          name: '陈阿婆',
          idNumber: makeIdNumber('350302', '1948-02-11', 611),
          relation: 'head',
          hukouType: 'rural',
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    const other = await admin.request('POST', '/api/households', {
      regionCode: '350302102201',
      address: '莆田市城厢区灵川镇云庄村7组4号',
      members: [
        { name: '陈阿公', idNumber: makeIdNumber('350302', '1947-03-12', 613), relation: 'head', hukouType: 'rural' },
      ],
    });
    const seen = await lingchuan.request('POST', `/api/households/${h.id}/members/${h.members[0].id}/reveal`, {
      field: 'idNumber',
      reason: '核对身份证号码',
    });
    expect(seen.statusCode, seen.body).toBe(200);
    await admin.request('POST', `/api/households/${other.json().id}/reveal`, {
      field: 'address',
      reason: '入户核对住址',
    });

    const auditor = await t.login('admin');
    const rows = (
      await auditor.request('GET', `/api/audit?household=${encodeURIComponent(h.householdNo)}&action=reveal`)
    ).json();
    expect(rows.total).toBe(1);
    expect(rows.items[0]).toMatchObject({
      action: 'registry.reveal',
      actorUsername: 'lingchuan',
      actorName: expect.any(String),
      householdNo: h.householdNo,
      regionName: expect.stringContaining('云庄'),
      detail: { field: 'idNumber' },
    });
    // The household's own rows come too (its creation), under the same 户编号.
    const all = (await auditor.request('GET', `/api/audit?household=${encodeURIComponent(h.householdNo)}`)).json();
    expect(all.items.map((i: { action: string }) => i.action)).toEqual(['registry.reveal', 'household.create']);
    // A part of the display name finds the person.
    const byName = (
      await auditor.request('GET', `/api/audit?actor=${encodeURIComponent('灵川')}&action=reveal`)
    ).json();
    expect(byName.items.every((i: { actorUsername: string }) => i.actorUsername === 'lingchuan')).toBe(true);
    expect(byName.total).toBeGreaterThanOrEqual(1);
  });
});
