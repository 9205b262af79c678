import type { Kysely } from 'kysely';
import {
  addMonths,
  chinaToday,
  type RosterChange,
  type RosterChanges,
  type RosterEntry,
  type RosterPage,
  type RosterQuery,
} from '@jiuzhu/shared';
import type { DB } from '../../db/schema';
import { xlsxFile } from '../../exports';
import { listCoverage, type CoverageEnrolment } from '../enrolments/service';
import { insuredByMonth, spellStart } from './coverage-math';
import { findSchemeOn } from './scheme';

type Insured = Omit<RosterEntry, 'regionName' | 'insuredFrom'> & { idHash: string; memberId: string | null };

/** How far back the start of a spell of cover is looked for (the list shows "insured since"). */
const SPELL_LOOKBACK_MONTHS = 120;

/** Everyone insured in `month` by the given enrolments, once each (the first enrolment wins). */
function insuredIn(enrolments: CoverageEnrolment[], month: string): Map<string, Insured & { e: CoverageEnrolment }> {
  const out = new Map<string, Insured & { e: CoverageEnrolment }>();
  for (const e of enrolments) {
    const members = insuredByMonth(e.changes, month, month).get(month);
    if (!members) continue;
    for (const h of members) {
      if (out.has(h)) continue;
      const p = e.people.find((x) => x.idHash === h);
      out.set(h, {
        idHash: h,
        memberId: p?.memberId ?? null,
        name: p?.name ?? '',
        idMasked: p?.idMasked ?? '',
        regionCode: e.regionCode,
        kind: e.kind as RosterEntry['kind'],
        enrolmentId: e.enrolmentId,
        e,
      });
    }
  }
  return out;
}

export async function regionNames(db: Kysely<DB>, codes: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(codes)];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', list).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The people insured on a date (its month), in the caller's scope; none when no scheme covers the date. */
export async function insuredOn(
  db: Kysely<DB>,
  city: string,
  on: string,
  regionCode?: string,
): Promise<{ schemeId: string | null; month: string; people: (Insured & { e: CoverageEnrolment })[] }> {
  const month = on.slice(0, 7);
  const scheme = await findSchemeOn(db, city, on);
  if (!scheme) return { schemeId: null, month, people: [] };
  const enrolments = await listCoverage(db, { kinds: scheme.kinds, fromMonth: month, toMonth: month, regionCode });
  const people = [...insuredIn(enrolments, month).values()].sort(
    (a, b) => a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh-CN'),
  );
  return { schemeId: scheme.id, month, people };
}

/** 参保名单: who was insured on a date ("was this person insured on D?"), with counts per county. */
export async function getRoster(db: Kysely<DB>, city: string, q: RosterQuery): Promise<RosterPage> {
  const on = q.on ?? chinaToday();
  const { schemeId, month, people } = await insuredOn(db, city, on, q.regionCode);
  const filtered = q.q ? people.filter((p) => p.name.includes(q.q!)) : people;
  const counts = new Map<string, number>();
  for (const p of filtered) counts.set(p.regionCode.slice(0, 6), (counts.get(p.regionCode.slice(0, 6)) ?? 0) + 1);
  const page = filtered.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const names = await regionNames(db, [...page.map((p) => p.regionCode), ...counts.keys()]);
  return {
    on,
    month,
    schemeId,
    total: filtered.length,
    items: page.map((p) => toEntry(p, names, month)),
    byCounty: [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([regionCode, insured]) => ({ regionCode, regionName: names.get(regionCode) ?? regionCode, insured })),
  };
}

function toEntry(p: Insured & { e: CoverageEnrolment }, names: Map<string, string>, month: string): RosterEntry {
  const first = p.e.changes[0]?.effectiveMonth ?? month;
  const earliest = first > addMonths(month, -SPELL_LOOKBACK_MONTHS) ? first : addMonths(month, -SPELL_LOOKBACK_MONTHS);
  return {
    name: p.name,
    idMasked: p.idMasked,
    regionCode: p.regionCode,
    regionName: names.get(p.regionCode) ?? p.regionCode,
    kind: p.kind,
    enrolmentId: p.enrolmentId,
    insuredFrom: spellStart(p.e.changes, month, earliest),
  };
}

/** Monthly additions and removals: who is insured in `month` but not the month before, and the reverse. */
export async function getRosterChanges(
  db: Kysely<DB>,
  city: string,
  q: { month: string; regionCode?: string },
): Promise<RosterChanges> {
  const prev = addMonths(q.month, -1);
  const [now, before] = await Promise.all([
    insuredOn(db, city, `${q.month}-01`, q.regionCode),
    insuredOn(db, city, `${prev}-01`, q.regionCode),
  ]);
  const a = new Map(now.people.map((p) => [p.idHash, p]));
  const b = new Map(before.people.map((p) => [p.idHash, p]));
  const changed = [
    ...[...a.values()].filter((p) => !b.has(p.idHash)).map((p) => ({ change: 'added' as const, p })),
    ...[...b.values()].filter((p) => !a.has(p.idHash)).map((p) => ({ change: 'removed' as const, p })),
  ];
  const names = await regionNames(
    db,
    changed.map((c) => c.p.regionCode),
  );
  return {
    month: q.month,
    items: changed.map(({ change, p }): RosterChange => ({
      change,
      name: p.name,
      idMasked: p.idMasked,
      regionCode: p.regionCode,
      regionName: names.get(p.regionCode) ?? p.regionCode,
      kind: p.kind,
    })),
  };
}

const KIND_ZH = { dibao: '低保', tekun: '特困' } as const;

/** The roster of a date as an XLSX workbook for the insurer (masked ID numbers only). */
export async function rosterXlsx(db: Kysely<DB>, city: string, q: RosterQuery): Promise<Buffer> {
  const page = await getRoster(db, city, { ...q, page: 1, pageSize: Number.MAX_SAFE_INTEGER });
  const rows = function* () {
    yield [`参保名单（${page.on}，所在月份 ${page.month}）`];
    yield ['姓名', '身份证号（脱敏）', '所在区划', '区划代码', '保障类别', '本次参保起始月'];
    for (const e of page.items) yield [e.name, e.idMasked, e.regionName, e.regionCode, KIND_ZH[e.kind], e.insuredFrom];
    yield [];
    yield ['合计', page.total];
  };
  return xlsxFile([{ name: '参保名单', rows: rows() }]);
}

/** The month's additions and removals as an XLSX workbook. */
export async function rosterChangesXlsx(
  db: Kysely<DB>,
  city: string,
  q: { month: string; regionCode?: string },
): Promise<Buffer> {
  const changes = await getRosterChanges(db, city, q);
  const rows = function* () {
    yield [`参保人员增减名单（${changes.month}）`];
    yield ['增/减', '姓名', '身份证号（脱敏）', '所在区划', '区划代码', '保障类别'];
    for (const c of changes.items)
      yield [c.change === 'added' ? '增加' : '减少', c.name, c.idMasked, c.regionName, c.regionCode, KIND_ZH[c.kind]];
  };
  return xlsxFile([{ name: '增减名单', rows: rows() }]);
}
