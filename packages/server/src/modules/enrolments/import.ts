import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import {
  dibaoAmount,
  isMonth,
  maskIdNumber,
  regionLevelOf,
  tekunAmount,
  type AssistanceKind,
  type EnrolmentImportIssue,
  type EnrolmentImportReport,
  type FieldError,
  type MemberInput,
  type SelfCareTier,
} from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { Protector } from '../../crypto/index';
import { isInScope } from '../../db/scope';
import type { DB } from '../../db/schema';
import { chinaMonth, findEffectiveParams } from '../policy/service';
import {
  checkMembers,
  insertHouseholds,
  readRowsFromFile,
  yuanToFen,
  type PreparedHousehold,
} from '../registry/service';
import { insertEnrolments, type CoveredMember, type NewEnrolment } from './create';

/**
 * The caseload template (存量对象导入): one row per covered person; the rows of one enrolment share
 * its 序号 and are consecutive; the enrolment's columns are read from its first row. A person not
 * yet in the registry is registered with the import (a new household of the covered people).
 */
const H = {
  key: '序号',
  village: '村（社区）代码',
  householdNo: '户编号',
  name: '姓名',
  idNumber: '身份证号',
  relation: '与户主关系',
  kind: '保障类别',
  amount: '月保障金额（元）',
  fromMonth: '起始月份',
  careTier: '自理能力',
  docNo: '批准文号',
  docDate: '批准日期',
} as const;
const HEADERS = Object.values(H);
const KIND: Record<string, AssistanceKind> = { 低保: 'dibao', 特困: 'tekun', 低保边缘: 'dibao_edge' };
const TIER: Record<string, SelfCareTier> = { 全自理: 'self', 半护理: 'partial', 全护理: 'complete' };
const RELATION: Record<string, MemberInput['relation']> = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  子女: 'child',
  父母: 'parent',
  孙子女: 'grandchild',
  祖父母: 'grandparent',
  兄弟姐妹: 'sibling',
  其他: 'other',
};
const NOTES: Record<string, string> = {
  [H.key]: '同一保障对象（户）各行序号相同且相邻；第一行填写保障信息',
  [H.village]: '12位村（社区）代码，须在本人管辖范围内',
  [H.householdNo]: '已在家庭档案中的户编号，可不填（按身份证号查找或新建）',
  [H.name]: '保障成员姓名',
  [H.idNumber]: '18位身份证号，请设为文本格式',
  [H.relation]: Object.keys(RELATION).join('/'),
  [H.kind]: Object.keys(KIND).join('/'),
  [H.amount]: '元，最多两位小数；与保障标准测算不一致时提示但不阻止导入',
  [H.fromMonth]: 'YYYY-MM，开始发放的月份',
  [H.careTier]: `特困必填：${Object.keys(TIER).join('/')}`,
  [H.docNo]: '审批文书编号',
  [H.docDate]: 'YYYY-MM-DD',
};
const EXAMPLE = [
  '1',
  '350302102201',
  '',
  '林某某',
  '350302196001010018',
  '户主',
  '低保',
  '780.00',
  '2021-03',
  '',
  '城民低〔2021〕12号',
  '2021-02-25',
];

export async function caseloadTemplate(format: 'xlsx' | 'csv'): Promise<Buffer> {
  if (format === 'csv') {
    const line = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
    return Buffer.from(`\ufeff${line([...HEADERS])}\n${line(EXAMPLE)}\n`, 'utf8');
  }
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('存量对象');
  sheet.addRow([...HEADERS]);
  sheet.addRow(EXAMPLE);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => {
    c.width = 18;
    c.numFmt = '@';
  });
  const notes = wb.addWorksheet('填写说明');
  notes.addRow(['列', '说明']);
  for (const h of HEADERS) notes.addRow([h, NOTES[h] ?? '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

type Group = { key: string; rows: { line: number; v: Record<string, string> }[] };

/**
 * Loads (or with dryRun only checks) a caseload file. Row errors carry the line, the column
 * header and the reason; an amount unlike the standard is a warning. Each enrolment's key is its
 * kind, start month and first person, so loading the same file again adds nothing. Groups are
 * processed in batches that yield, so a large file does not hold the event loop or the database.
 */
export async function importCaseload(
  deps: { db: Kysely<DB>; protector: Protector; config: { city: string } },
  file: { path: string; fileName: string },
  dryRun: boolean,
): Promise<EnrolmentImportReport> {
  const { db, protector } = deps;
  const errors: EnrolmentImportIssue[] = [];
  const warnings: EnrolmentImportIssue[] = [];
  const groups: Group[] = [];
  let header: string[] | null = null;
  let rows = 0;
  for await (const row of readRowsFromFile(file.path, file.fileName)) {
    // A large caseload must not hold other requests: a turn of the event loop every 100 rows.
    if (row.line % 100 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!header) {
      header = row.cells;
      const missing = HEADERS.filter((h) => !header!.includes(h));
      if (missing.length > 0) {
        errors.push({ row: row.line, column: missing.join('、'), reason: '缺少列，请使用模板' });
        break;
      }
      continue;
    }
    if (row.cells.every((c) => c === '')) continue;
    rows++;
    const v = Object.fromEntries(header.map((h, i) => [h, row.cells[i] ?? '']));
    const key = v[H.key] ?? '';
    const last = groups[groups.length - 1];
    if (last && last.key === key && key !== '') last.rows.push({ line: row.line, v });
    else groups.push({ key, rows: [{ line: row.line, v }] });
  }
  const report = { dryRun, rows, enrolments: groups.length, created: 0, unchanged: 0, newPeople: 0 };
  const month = chinaMonth();
  const BATCH = 200;
  for (let i = 0; i < groups.length; i += BATCH) {
    const part = groups.slice(i, i + BATCH);
    const ready: { enrolment: NewEnrolment; household: PreparedHousehold | null }[] = [];
    for (const g of part) {
      const r = await checkGroup(deps, g, month, errors, warnings);
      if (!r) continue;
      const seen = await db
        .selectFrom('enrolments')
        .select('id')
        .where('import_key', '=', r.enrolment.importKey!)
        .executeTakeFirst();
      if (seen) {
        report.unchanged++;
        continue;
      }
      if (ready.some((x) => x.enrolment.importKey === r.enrolment.importKey)) {
        errors.push({ row: g.rows[0]!.line, column: H.key, reason: '与文件中另一条记录重复' });
        continue;
      }
      ready.push(r);
    }
    report.created += ready.length;
    report.newPeople += ready.reduce((n, r) => n + (r.household?.members.length ?? 0), 0);
    if (!dryRun && ready.length > 0)
      await db.transaction().execute(async (trx) => {
        const fresh = ready.filter((r) => r.household);
        const ids = await insertHouseholds(
          trx,
          protector,
          fresh.map((r) => r.household!),
          'household.import',
        );
        fresh.forEach((r, k) => {
          r.enrolment.householdId = ids[k]!;
        });
        // New people's registry member ids, for the covered-member links.
        if (fresh.length > 0) {
          const linked = await trx
            .selectFrom('members')
            .select(['id', 'id_hash'])
            .where('household_id', 'in', ids)
            .execute();
          const byHash = new Map(linked.map((m) => [m.id_hash, m.id]));
          for (const r of fresh) {
            r.enrolment.members = r.enrolment.members.map((m) => ({ ...m, memberId: byHash.get(m.idHash) ?? null }));
            if (r.enrolment.kind === 'tekun') r.enrolment.personMemberId = r.enrolment.members[0]?.memberId ?? null;
          }
        }
        await insertEnrolments(
          trx,
          ready.map((r) => r.enrolment),
          'enrolment.import',
        );
      });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...report, errors, warnings };
}

async function checkGroup(
  deps: { db: Kysely<DB>; protector: Protector; config: { city: string } },
  g: Group,
  month: string,
  errors: EnrolmentImportIssue[],
  warnings: EnrolmentImportIssue[],
): Promise<{ enrolment: NewEnrolment; household: PreparedHousehold | null } | null> {
  const { db, protector } = deps;
  const first = g.rows[0]!;
  const before = errors.length;
  const err = (line: number, column: string, reason: string) => errors.push({ row: line, column, reason });
  const kind = KIND[first.v[H.kind] ?? ''];
  if (!kind) err(first.line, H.kind, `应为 ${Object.keys(KIND).join('/')}`);
  const amount = yuanToFen(first.v[H.amount] ?? '');
  if (amount === null) err(first.line, H.amount, '金额格式不正确');
  const fromMonth = first.v[H.fromMonth] ?? '';
  if (!isMonth(fromMonth) || fromMonth > month) err(first.line, H.fromMonth, '应为不晚于本月的 YYYY-MM');
  const tier = TIER[first.v[H.careTier] ?? ''];
  if (kind === 'tekun' && !tier) err(first.line, H.careTier, `特困须填写 ${Object.keys(TIER).join('/')}`);
  if (kind === 'tekun' && g.rows.length !== 1) err(g.rows[1]!.line, H.key, '特困按人纳入，每条一人');
  const docDate = first.v[H.docDate] ?? '';
  if (docDate !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(docDate)) err(first.line, H.docDate, '应为 YYYY-MM-DD');
  const village = first.v[H.village] ?? '';
  const known = /^\d{12}$/.test(village)
    ? await db.selectFrom('regions').select('code').where('code', '=', village).executeTakeFirst()
    : undefined;
  if (!known || regionLevelOf(village) !== 'village') err(first.line, H.village, '不是有效的村（社区）代码');
  else if (!isInScope(village)) err(first.line, H.village, '不在您的管辖范围内');

  const inputs: MemberInput[] = g.rows.map((r) => ({
    name: r.v[H.name] ?? '',
    idNumber: r.v[H.idNumber] ?? '',
    relation: RELATION[r.v[H.relation] ?? ''] ?? 'other',
    hukouType: 'rural',
    workAbility: 'full',
    schoolStatus: 'none',
    income: {},
    assets: {},
  }));
  g.rows.forEach((r) => {
    if (!RELATION[r.v[H.relation] ?? '']) err(r.line, H.relation, `应为 ${Object.keys(RELATION).join('/')}`);
  });
  const fields: FieldError[] = [];
  const checked = checkMembers(inputs, getContext().lang, fields);
  for (const f of fields) {
    const n = Number(f.path.split('.')[1] ?? 0);
    err(g.rows[n]?.line ?? first.line, f.path.endsWith('name') ? H.name : H.idNumber, f.message);
  }
  if (errors.length > before) return null;

  const hashes = checked.map((m) => protector.idHash(m.normalisedId!));
  const registered = await db
    .selectFrom('members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['m.id', 'm.id_hash', 'm.household_id', 'h.region_code', 'h.household_no'])
    .where('m.id_hash', 'in', hashes)
    .execute();
  const households = new Set(registered.map((r) => r.household_id));
  const householdNo = first.v[H.householdNo] ?? '';
  if (households.size > 1 || (registered.length > 0 && registered.length < hashes.length)) {
    err(first.line, H.idNumber, '成员分属不同家庭档案或部分未登记，请先在家庭档案中调整');
    return null;
  }
  const existing = registered[0];
  if (existing && !isInScope(existing.region_code)) {
    err(first.line, H.idNumber, '该家庭档案不在您的管辖范围内');
    return null;
  }
  if (householdNo !== '' && existing?.household_no !== householdNo) {
    err(first.line, H.householdNo, '户编号与身份证号对应的家庭档案不一致');
    return null;
  }
  if (existing) {
    const open = await db
      .selectFrom('enrolments')
      .select('id')
      .where('household_id', '=', existing.household_id)
      .where('kind', '=', kind!)
      .where('status', '<>', 'ended')
      .where('import_key', 'is', null)
      .executeTakeFirst();
    if (open && kind !== 'tekun') {
      err(first.line, H.kind, '该家庭已在册享受此类保障');
      return null;
    }
  }
  const memberOf = new Map(registered.map((r) => [r.id_hash, r.id]));
  const members: CoveredMember[] = checked.map((m, i) => ({
    idHash: hashes[i]!,
    memberId: memberOf.get(hashes[i]!) ?? null,
    name: m.name,
    idMasked: maskIdNumber(m.normalisedId!),
    relation: m.relation,
  }));
  await warnOnAmount(deps, village, kind!, amount!, tier, checked, month, first.line, warnings);
  const dibao = await findEffectiveParams(db, deps.config.city, village, kind === 'temporary' ? 'dibao' : kind!, month);
  return {
    household: existing
      ? null
      : { regionCode: village, address: '（存量导入，待补录）', assistanceStatus: 'none', members: checked },
    enrolment: {
      kind: kind!,
      householdId: existing?.household_id ?? null,
      regionCode: existing?.region_code ?? village,
      source: 'import',
      importKey: `${kind}:${fromMonth}:${hashes[0]}`,
      personMemberId: kind === 'tekun' ? (members[0]!.memberId ?? null) : null,
      careTier: kind === 'tekun' ? tier! : null,
      approvalDocNo: first.v[H.docNo] || null,
      approvalDate: docDate || null,
      fromMonth,
      monthlyAmountFen: amount!,
      members,
      approvalLevel: dibao?.approvalLevel ?? 'county',
      reason: 'import',
    },
  };
}

/** An amount unlike what the configured standard gives today is reported, not refused. */
async function warnOnAmount(
  deps: { db: Kysely<DB>; config: { city: string } },
  village: string,
  kind: AssistanceKind,
  amount: number,
  tier: SelfCareTier | undefined,
  members: { birthDate?: string }[],
  month: string,
  line: number,
  warnings: EnrolmentImportIssue[],
): Promise<void> {
  const dibao = await findEffectiveParams(deps.db, deps.config.city, village, 'dibao', month);
  if (!dibao) return;
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  if (kind === 'dibao') {
    const ages = members.map((m) => Number(month.slice(0, 4)) - Number((m.birthDate ?? month).slice(0, 4)));
    const max = dibaoAmount(dibao, { members: ages.map((age) => ({ age })), incomeFen: 0 }).amountFen;
    if (amount > max)
      warnings.push({ row: line, column: H.amount, reason: `高于按现行标准测算的最高金额 ${yuan(max)} 元` });
  }
  if (kind === 'tekun' && tier) {
    const tekun = await findEffectiveParams(deps.db, deps.config.city, village, 'tekun', month);
    if (!tekun) return;
    const expected = tekunAmount(tekun, dibao.standardFen, { incomeFen: 0, tier }).amountFen;
    if (amount !== expected)
      warnings.push({ row: line, column: H.amount, reason: `与按现行标准测算的 ${yuan(expected)} 元不一致` });
  }
}
