import { sql, type Expression, type Kysely, type OrderByItemBuilder, type SqlBool, type Transaction } from 'kysely';
import {
  maskIdNumber,
  regionLevelOf,
  validateIdNumber,
  type FieldError,
  type Household,
  type HouseholdInput,
  type HouseholdSearchQuery,
  type HouseholdSummary,
  type HouseholdUpdateInput,
  type HistoryEntry,
  type Member,
  type MemberInput,
  type MemberUpdateInput,
  chinaToday,
} from '@jiuzhu/shared';
import { currentScope, getContext } from '../../context';
import { maskAddress, maskBankAccount, maskPhone, type Protector } from '../../crypto/index';
import { inScope, isInScope } from '../../db/scope';
import type { DB, MemberRow } from '../../db/schema';
import { AppError, Conflict, Forbidden, Invalid, InvalidField, NotFound } from '../../errors';
import { t } from '../../i18n/messages';
import { recordAudit } from '../audit/service';
import { checkMembers, type CheckedMember } from './validation';
import { accountFacts } from './account-facts';
// For the payroll (modules/payroll/build.ts): the account facts stored beside each account.
export { accountCheck, accountHash, accountValidFrom, luhnValid, type AccountCheck } from './account-facts';

type Flag = HouseholdSummary['flags'][number];
export const FLAGS: readonly Flag[] = ['staff_relative', 'disability', 'serious_illness', 'elderly', 'minor'];

/** One SQL condition per flag, on a household aliased `h`. */
function flagCondition(flag: Flag): Expression<SqlBool> {
  switch (flag) {
    case 'staff_relative':
      return sql<SqlBool>`exists (select 1 from members fm join staff_relatives fs on fs.relative_id_hash = fm.id_hash where fm.household_id = h.id)`;
    case 'disability':
      return sql<SqlBool>`exists (select 1 from members fm where fm.household_id = h.id and fm.disability_grade is not null)`;
    case 'serious_illness':
      return sql<SqlBool>`exists (select 1 from members fm where fm.household_id = h.id and fm.serious_illness is not null)`;
    case 'elderly':
      return sql<SqlBool>`exists (select 1 from members fm where fm.household_id = h.id and fm.birth_date <= current_date - interval '60 years')`;
    case 'minor':
      return sql<SqlBool>`exists (select 1 from members fm where fm.household_id = h.id and fm.birth_date > current_date - interval '18 years')`;
  }
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function summaryQuery(db: Kysely<DB>) {
  return db
    .selectFrom('households as h')
    .innerJoin('regions as r', 'r.code', 'h.region_code')
    .where(inScope('h.region_code'));
}

type SummaryRow = {
  id: string;
  household_no: string;
  region_code: string;
  region_name: string;
  assistance_status: string;
  updated_at: Date;
  head_name: string | null;
  head_id_masked: string | null;
  member_count: number;
} & Record<`flag_${Flag}`, boolean>;

function selectSummary(q: ReturnType<typeof summaryQuery>) {
  return q.select([
    'h.id',
    'h.household_no',
    'h.region_code',
    'r.name as region_name',
    'h.assistance_status',
    'h.updated_at',
    sql<string | null>`(select m.name from members m where m.household_id = h.id and m.relation = 'head')`.as(
      'head_name',
    ),
    sql<string | null>`(select m.id_masked from members m where m.household_id = h.id and m.relation = 'head')`.as(
      'head_id_masked',
    ),
    sql<number>`(select count(*)::int from members m where m.household_id = h.id)`.as('member_count'),
    ...FLAGS.map((f) => sql<boolean>`${flagCondition(f)}`.as(`flag_${f}`)),
  ]);
}

function toSummary(r: SummaryRow): HouseholdSummary {
  return {
    id: r.id,
    householdNo: r.household_no,
    regionCode: r.region_code,
    regionName: r.region_name,
    headName: r.head_name ?? '',
    headIdMasked: r.head_id_masked ?? '',
    memberCount: Number(r.member_count),
    assistanceStatus: r.assistance_status as HouseholdSummary['assistanceStatus'],
    flags: FLAGS.filter((f) => r[`flag_${f}`]),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * The county tags (a region code's first six digits, see name_grams_in in migration 0113) of every
 * region both in the caller's scope and under the search's region filter: one without asking when
 * the narrower of the two is a county or below; none when the two do not overlap (nothing matches).
 */
async function countiesSearched(db: Kysely<DB>, regionCode: string | undefined): Promise<string[]> {
  const scope = currentScope();
  const prefixes = [scope.kind === 'system' ? '' : scope.regionCode, regionCode ?? ''];
  const narrower = prefixes[0]!.length >= prefixes[1]!.length ? prefixes[0]! : prefixes[1]!;
  if (!prefixes.every((p) => narrower.startsWith(p))) return [];
  if (narrower.length >= 6) return [narrower.slice(0, 6)];
  const rows = await db
    .selectFrom('regions')
    .select(sql<string>`left(code, 6)`.as('county'))
    .distinct()
    .where('code', 'like', `${narrower}%`)
    .execute();
  return rows.map((r) => r.county);
}

/** Households in the caller's region, by name (partial), ID number (exact, via the blind index), place, status, flag. */
export async function searchHouseholds(
  db: Kysely<DB>,
  protector: Protector,
  q: HouseholdSearchQuery,
): Promise<{ items: HouseholdSummary[]; total: number }> {
  // Page and count read households alone (the region's name is only wanted on the page's rows).
  let query = db.selectFrom('households as h').where(inScope('h.region_code'));
  if (q.name) {
    const fragment = q.name.trim();
    const pattern = likePattern(fragment);
    // Under three characters the trigram index cannot help: the name-grams index of 0113 can, asked
    // for the grams tagged with the counties the search covers (so it returns only their people).
    const short = [...fragment].length <= 2 && fragment.length > 0;
    const tokens = short ? (await countiesSearched(db, q.regionCode)).map((c) => `${c}:${fragment}`) : [];
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('members as m')
          .select('m.id')
          .whereRef('m.household_id', '=', 'h.id')
          .where('m.name', 'like', pattern)
          .$if(short, (qb) => qb.where(sql<SqlBool>`name_grams_in(m.region_code, m.name) && ${tokens}::text[]`)),
      ),
    );
  }
  if (q.idNumber) {
    const v = validateIdNumber(q.idNumber);
    if (!v.ok) throw Invalid([{ path: 'query.idNumber', message: v.message[getContext().lang] }]);
    const hash = protector.idHash(v.idNumber);
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('members as m').select('m.id').whereRef('m.household_id', '=', 'h.id').where('m.id_hash', '=', hash),
      ),
    );
  }
  if (q.regionCode) query = query.where('h.region_code', 'like', `${q.regionCode}%`);
  if (q.status) query = query.where('h.assistance_status', '=', q.status);
  if (q.flag) query = query.where(flagCondition(q.flag));
  if (q.householdNo) query = query.where('h.household_no', 'like', likePattern(q.householdNo));
  const SORTS = {
    householdNo: sql`h.household_no`,
    headName: sql`(select m.name from members m where m.household_id = h.id and m.relation = 'head')`,
    memberCount: sql`(select count(*) from members m where m.household_id = h.id)`,
    region: sql`h.region_code`,
    updatedAt: sql`h.updated_at`,
  } as const;
  const direction = (ob: OrderByItemBuilder) => (q.order === 'desc' ? ob.desc().nullsLast() : ob.asc().nullsLast());
  // The page's households first, then their head, member count and flags: computed for the whole
  // match, the planner hashed every member with a flag (four scans of the register, ~0.7 s at city
  // size) to decorate twenty rows.
  const page = query
    .select('h.id')
    .$if(!!q.sort, (qb) => qb.orderBy(SORTS[q.sort!], direction))
    .orderBy('h.household_no')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [rows, count] = await Promise.all([
    selectSummary(summaryQuery(db).where('h.id', 'in', page))
      .$if(!!q.sort, (qb) => qb.orderBy(SORTS[q.sort!], direction))
      .orderBy('h.household_no')
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: (rows as SummaryRow[]).map(toSummary), total: Number(count.n) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Today's date in China, YYYY-MM-DD. */

function toMember(protector: Protector, m: MemberRow, staffRelative: boolean, today: string): Member {
  const adl = m.adl as Member['adl'];
  return {
    id: m.id,
    name: m.name,
    idMasked: m.id_masked,
    sex: m.sex,
    birthDate: m.birth_date,
    age: ageOn(m.birth_date, today),
    relation: m.relation as Member['relation'],
    hukouType: m.hukou_type as Member['hukouType'],
    phoneMasked: m.phone_enc ? maskPhone(protector.decrypt(m.phone_enc, 'member.phone')) : null,
    bankAccountMasked: m.bank_account_enc
      ? maskBankAccount(protector.decrypt(m.bank_account_enc, 'member.bank_account'))
      : null,
    bankName: m.bank_name,
    disability:
      m.disability_type && m.disability_grade
        ? { type: m.disability_type as NonNullable<Member['disability']>['type'], grade: m.disability_grade }
        : null,
    seriousIllness: m.serious_illness,
    workAbility: m.work_ability as Member['workAbility'],
    adl: adl && Object.keys(adl).length === 6 ? adl : null,
    selfCare: m.self_care as Member['selfCare'],
    schoolStatus: m.school_status as Member['schoolStatus'],
    income: m.income,
    assets: m.assets,
    staffRelative,
  };
}

const RELATION_ORDER = [
  'head',
  'spouse',
  'child',
  'daughter_in_law',
  'son_in_law',
  'grandchild',
  'parent',
  'grandparent',
  'sibling',
  'other',
];

/** A household of the caller's region with its members (masked) and history; 404 outside the region. */
export async function getHousehold(db: Kysely<DB>, protector: Protector, id: string): Promise<Household> {
  if (!UUID.test(id)) throw NotFound('entity.household');
  const row = await selectSummary(summaryQuery(db).where('h.id', '=', id))
    .select(['h.address_enc', 'h.version'])
    .executeTakeFirst();
  if (!row) throw NotFound('entity.household');
  const [members, relatives, history] = await Promise.all([
    db.selectFrom('members').selectAll().where('household_id', '=', id).where(inScope('region_code')).execute(),
    db
      .selectFrom('members as m')
      .innerJoin('staff_relatives as s', 's.relative_id_hash', 'm.id_hash')
      .select('m.id')
      .where('m.household_id', '=', id)
      .execute(),
    db
      .selectFrom('registry_history')
      .selectAll()
      .where('household_id', '=', id)
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
  ]);
  const relativeIds = new Set(relatives.map((r) => r.id));
  const today = chinaToday();
  members.sort(
    (a, b) =>
      RELATION_ORDER.indexOf(a.relation) - RELATION_ORDER.indexOf(b.relation) ||
      a.birth_date.localeCompare(b.birth_date),
  );
  return {
    ...toSummary(row as SummaryRow),
    addressMasked: maskAddress(protector.decrypt(row.address_enc, 'household.address')),
    version: row.version,
    members: members.map((m) => toMember(protector, m, relativeIds.has(m.id), today)),
    history: history.map((h): HistoryEntry => ({
      id: Number(h.id),
      at: h.at.toISOString(),
      actorUsername: h.actor_username,
      action: h.action,
      memberId: h.member_id,
      changes: h.changes,
    })),
  };
}

/** A village in the caller's region, or a field error. */
async function checkVillage(db: Kysely<DB>, regionCode: string): Promise<void> {
  if (!isInScope(regionCode)) throw Forbidden('error.outOfRegion');
  if (regionLevelOf(regionCode) !== 'village') throw InvalidField('regionCode', 'registry.villageRequired');
  const region = await db.selectFrom('regions').select('code').where('code', '=', regionCode).executeTakeFirst();
  if (!region) throw InvalidField('regionCode', 'error.regionUnknown');
}

/**
 * The people among these blind-index hashes who are registered already (optionally outside one
 * household), with their household. Deliberately unscoped: a person registered in another
 * region must still be refused, and callers decide what of the household they may name.
 */
export async function findRegistered(
  db: Kysely<DB>,
  hashes: string[],
  exceptHouseholdId: string | null = null,
): Promise<{ id_hash: string; household_no: string; region_code: string }[]> {
  if (hashes.length === 0) return [];
  let q = db
    .selectFrom('members as m')
    .innerJoin('households as h', 'h.id', 'm.household_id')
    .select(['m.id_hash', 'h.household_no', 'h.region_code'])
    .where('m.id_hash', 'in', hashes);
  if (exceptHouseholdId) q = q.where('m.household_id', '!=', exceptHouseholdId);
  return q.execute();
}

/** ID numbers already registered in another household: each a field error naming the household when visible. */
async function checkNotRegisteredElsewhere(
  db: Kysely<DB>,
  protector: Protector,
  members: CheckedMember<MemberInput | MemberUpdateInput>[],
  ownHouseholdId: string | null,
  fields: FieldError[],
): Promise<void> {
  const byHash = new Map<string, number>();
  members.forEach((m, i) => m.normalisedId && byHash.set(protector.idHash(m.normalisedId), i));
  // Deliberately unscoped: a person in a household of another region must still be refused, without naming it.
  const lang = getContext().lang;
  for (const r of await findRegistered(db, [...byHash.keys()], ownHouseholdId)) {
    const i = byHash.get(r.id_hash)!;
    fields.push({
      path: `members.${i}.idNumber`,
      message: isInScope(r.region_code)
        ? t(lang, 'registry.idRegisteredElsewhere', { householdNo: r.household_no })
        : t(lang, 'registry.idRegisteredOutside'),
    });
  }
}

type MemberValues = Omit<
  MemberRow,
  | 'id'
  | 'household_id'
  | 'created_at'
  | 'updated_at'
  | 'id_number_enc'
  | 'id_hash'
  | 'id_masked'
  | 'sex'
  | 'birth_date'
  | 'adl'
  | 'income'
  | 'assets'
> & { adl: string; income: string; assets: string };

/** The account's ciphertext and the facts the payroll reads without decrypting (account-facts.ts). */
function withAccountFacts(protector: Protector, account: string | null | undefined) {
  const enc = protector.encryptOptional(account, 'member.bank_account');
  return { bank_account_enc: enc, ...accountFacts(protector, account, enc) };
}

/** The columns of a member that an edit may change (everything but the identity). */
function memberValues(
  protector: Protector,
  m: CheckedMember<MemberInput | MemberUpdateInput>,
  regionCode: string,
): MemberValues {
  return {
    region_code: regionCode,
    name: m.name,
    relation: m.relation,
    hukou_type: m.hukouType,
    phone_enc: protector.encryptOptional(m.phone, 'member.phone'),
    ...withAccountFacts(protector, m.bankAccount),
    bank_name: m.bankName ?? null,
    disability_type: m.disability?.type ?? null,
    disability_grade: m.disability?.grade ?? null,
    disability_cert_enc: protector.encryptOptional(m.disability?.certificateNo, 'member.disability_cert'),
    serious_illness: m.seriousIllness ?? null,
    work_ability: m.workAbility,
    adl: JSON.stringify(m.adl ?? {}),
    self_care: m.selfCare,
    school_status: m.schoolStatus,
    income: JSON.stringify(m.income ?? {}),
    assets: JSON.stringify(m.assets ?? {}),
  };
}

function identityValues(protector: Protector, normalisedId: string, sex: 'male' | 'female', birthDate: string) {
  return {
    id_number_enc: protector.encrypt(normalisedId, 'member.id_number'),
    id_hash: protector.idHash(normalisedId),
    id_masked: maskIdNumber(normalisedId),
    sex,
    birth_date: birthDate,
  };
}

async function history(
  trx: Transaction<DB>,
  householdId: string,
  regionCode: string,
  action: string,
  changes: HistoryEntry['changes'],
  memberId: string | null = null,
): Promise<void> {
  await trx
    .insertInto('registry_history')
    .values({
      household_id: householdId,
      member_id: memberId,
      region_code: regionCode,
      actor_username: getContext().actor?.username ?? 'system',
      action,
      changes: JSON.stringify(changes),
    })
    .execute();
}

/** Unique-constraint races (two clerks registering one person at once) become the same field error as the check. */
function mapUniqueViolation(err: unknown): never {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint === 'members_id_hash_key') {
    throw new AppError(409, 'CONFLICT', 'registry.idRegisteredOutside');
  }
  throw err;
}

/** A household ready to store: input checked, ID numbers normalised. */
export type PreparedHousehold = {
  regionCode: string;
  address: string;
  assistanceStatus: HouseholdInput['assistanceStatus'];
  /** An import file's household key: the same key again is the same household. */
  sourceKey?: string;
  members: CheckedMember<MemberInput>[];
};

/**
 * Stores checked households set-based: one INSERT for the households, one for all their
 * members, one for their history, one audit row for the batch. Returns the new ids in order.
 */
export async function insertHouseholds(
  trx: Transaction<DB>,
  protector: Protector,
  batch: PreparedHousehold[],
  auditAction = 'household.create',
): Promise<string[]> {
  if (batch.length === 0) return [];
  const numbers = await sql<{
    n: number;
  }>`select nextval('household_no_seq')::int as n from generate_series(1, ${batch.length})`.execute(trx);
  const households = await trx
    .insertInto('households')
    .values(
      batch.map((h, i) => ({
        household_no: `${h.regionCode}${String(numbers.rows[i]!.n).padStart(6, '0')}`,
        region_code: h.regionCode,
        address_enc: protector.encrypt(h.address, 'household.address'),
        assistance_status: h.assistanceStatus,
        source_key: h.sourceKey ?? null,
      })),
    )
    .returning('id')
    .execute();
  const ids = households.map((r) => r.id);
  const members = batch.flatMap((h, i) =>
    h.members.map((m) => ({
      household_id: ids[i]!,
      ...identityValues(protector, m.normalisedId!, m.sex!, m.birthDate!),
      ...memberValues(protector, m, h.regionCode),
    })),
  );
  // Bounded statement size: PostgreSQL takes at most 65,535 parameters in one statement.
  for (let i = 0; i < members.length; i += 2000)
    await trx
      .insertInto('members')
      .values(members.slice(i, i + 2000))
      .execute();
  const actor = getContext().actor?.username ?? 'system';
  await trx
    .insertInto('registry_history')
    .values(
      batch.map((h, i) => ({
        household_id: ids[i]!,
        region_code: h.regionCode,
        actor_username: actor,
        action: 'household.create',
        changes: JSON.stringify([
          { field: 'members', old: null, new: h.members.map((m) => `${m.name} ${maskIdNumber(m.normalisedId!)}`) },
          { field: 'assistanceStatus', old: null, new: h.assistanceStatus },
        ]),
      })),
    )
    .execute();
  await recordAudit(trx, {
    action: auditAction,
    entity: 'household',
    entityId: batch.length === 1 ? ids[0]! : null,
    regionCode: batch.length === 1 ? batch[0]!.regionCode : commonPrefix(batch.map((h) => h.regionCode)),
    detail: { households: batch.length, members: members.length },
  });
  return ids;
}

/** The longest region-code prefix the codes share (the region an audit row of many households concerns). */
export function commonPrefix(codes: string[]): string {
  let p = codes[0] ?? '';
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Checks one household as a clerk entered it; collects field errors instead of stopping at the first. */
export async function prepareHousehold(
  db: Kysely<DB>,
  protector: Protector,
  input: HouseholdInput,
  fields: FieldError[],
): Promise<PreparedHousehold> {
  const members = checkMembers(input.members, getContext().lang, fields);
  await checkNotRegisteredElsewhere(db, protector, members, null, fields);
  return { regionCode: input.regionCode, address: input.address, assistanceStatus: input.assistanceStatus, members };
}

export async function createHousehold(db: Kysely<DB>, protector: Protector, input: HouseholdInput): Promise<Household> {
  await checkVillage(db, input.regionCode);
  const fields: FieldError[] = [];
  const prepared = await prepareHousehold(db, protector, input, fields);
  if (fields.length > 0) throw Invalid(fields);
  const [id] = await db
    .transaction()
    .execute((trx) => insertHouseholds(trx, protector, [prepared]))
    .catch(mapUniqueViolation);
  return getHousehold(db, protector, id!);
}

const TRACKED: {
  field: string;
  column: keyof MemberValues;
  mask?: (v: string) => string;
  context?: Parameters<Protector['decrypt']>[1];
}[] = [
  { field: 'name', column: 'name' },
  { field: 'relation', column: 'relation' },
  { field: 'hukouType', column: 'hukou_type' },
  { field: 'phone', column: 'phone_enc', mask: maskPhone, context: 'member.phone' },
  { field: 'bankAccount', column: 'bank_account_enc', mask: maskBankAccount, context: 'member.bank_account' },
  { field: 'bankName', column: 'bank_name' },
  { field: 'disabilityType', column: 'disability_type' },
  { field: 'disabilityGrade', column: 'disability_grade' },
  {
    field: 'disabilityCertificate',
    column: 'disability_cert_enc',
    mask: () => '******',
    context: 'member.disability_cert',
  },
  { field: 'seriousIllness', column: 'serious_illness' },
  { field: 'workAbility', column: 'work_ability' },
  { field: 'selfCare', column: 'self_care' },
  { field: 'schoolStatus', column: 'school_status' },
  { field: 'income', column: 'income' },
  { field: 'assets', column: 'assets' },
];

/** Keys in a fixed order: the database hands jsonb back in its own key order, not the editor's. */
function canonicalJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalJson);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined && x !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, canonicalJson(x)]),
    );
  return v;
}

/** Equal values, whatever the key order; an absent value equals null. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalJson(a ?? null)) === JSON.stringify(canonicalJson(b ?? null));
}

/** Field-by-field changes of a member, encrypted values compared in plaintext and recorded masked. */
function memberChanges(protector: Protector, before: MemberRow, after: MemberValues): HistoryEntry['changes'] {
  const changes: HistoryEntry['changes'] = [];
  for (const f of TRACKED) {
    let old: unknown = before[f.column as keyof MemberRow];
    let now: unknown = after[f.column];
    if (f.context) {
      old = old ? protector.decrypt(old as string, f.context) : null;
      now = now ? protector.decrypt(now as string, f.context) : null;
    }
    if (f.column === 'income' || f.column === 'assets') now = JSON.parse(now as string);
    if (sameJson(old, now)) continue;
    changes.push({
      field: f.field,
      old: f.mask && old ? f.mask(old as string) : (old ?? null),
      new: f.mask && now ? f.mask(now as string) : (now ?? null),
    });
  }
  return changes;
}

/**
 * Replaces a household's data with an edited version: existing members (by id) are updated,
 * new ones added, missing ones removed; each change is recorded in the history. The version
 * the editor started from must still be current.
 */
export async function updateHousehold(
  db: Kysely<DB>,
  protector: Protector,
  id: string,
  input: HouseholdUpdateInput,
): Promise<Household> {
  const current = await getHousehold(db, protector, id);
  // The status follows the enrolments (modules/enrolments): an application, a review or a change sets it.
  if (input.assistanceStatus !== current.assistanceStatus) throw Conflict('registry.statusDerived');
  const lang = getContext().lang;
  if (input.regionCode !== current.regionCode) await checkVillage(db, input.regionCode);
  const fields: FieldError[] = [];
  const members = checkMembers(input.members, lang, fields);
  const existingIds = new Set(current.members.map((m) => m.id));
  members.forEach((m, i) => {
    if (m.id && !existingIds.has(m.id)) fields.push({ path: `members.${i}.id`, message: 'registry.unknownMember' });
  });
  await checkNotRegisteredElsewhere(db, protector, members, id, fields);
  if (fields.length > 0) throw Invalid(fields);
  await db
    .transaction()
    .execute(async (trx) => {
      const stored = await trx
        .selectFrom('households')
        .select(['address_enc', 'version'])
        .where('id', '=', id)
        .where(inScope('region_code'))
        .executeTakeFirst();
      if (!stored || stored.version !== input.version) throw Conflict('error.versionConflict');
      const householdChanges: HistoryEntry['changes'] = [];
      if (input.regionCode !== current.regionCode)
        householdChanges.push({ field: 'regionCode', old: current.regionCode, new: input.regionCode });
      if (input.assistanceStatus !== current.assistanceStatus)
        householdChanges.push({
          field: 'assistanceStatus',
          old: current.assistanceStatus,
          new: input.assistanceStatus,
        });
      // The same address typed again is no change.
      const addressChanged =
        !!input.address && input.address !== protector.decrypt(stored.address_enc, 'household.address');
      if (input.address && addressChanged)
        householdChanges.push({ field: 'address', old: current.addressMasked, new: maskAddress(input.address) });

      // Plan every member's change first: a save that changes nothing writes nothing (no version,
      // no history line, no audit row "changed").
      const rows = await trx.selectFrom('members').selectAll().where('household_id', '=', id).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const kept = new Set(members.flatMap((m) => (m.id ? [m.id] : [])));
      const updates: { id: string; values: MemberValues; changes: HistoryEntry['changes'] }[] = [];
      for (const m of members) {
        if (!m.id) continue;
        const values = memberValues(protector, m, input.regionCode);
        const before = byId.get(m.id)!;
        // The editor only saw masked numbers: omitted keeps the stored value (null removed it above).
        if (m.phone === undefined) values.phone_enc = before.phone_enc;
        if (m.bankAccount === undefined)
          Object.assign(values, {
            bank_account_enc: before.bank_account_enc,
            bank_account_hash: before.bank_account_hash,
            bank_account_check: before.bank_account_check,
            bank_account_iin: before.bank_account_iin,
            bank_account_facts_of: before.bank_account_facts_of,
          });
        if (m.disability && m.disability.certificateNo === undefined)
          values.disability_cert_enc = before.disability_cert_enc;
        const changes = memberChanges(protector, before, values);
        const moved = before.region_code !== input.regionCode;
        if (changes.length > 0 || moved || !sameJson(before.adl, JSON.parse(values.adl)))
          updates.push({ id: m.id, values, changes });
      }
      const added = members.filter((m) => !m.id);
      const removed = rows.filter((r) => !kept.has(r.id));
      if (householdChanges.length + updates.length + added.length + removed.length === 0) return;

      const bumped = await trx
        .updateTable('households')
        .set({
          version: sql`version + 1`,
          region_code: input.regionCode,
          assistance_status: input.assistanceStatus,
          ...(input.address && addressChanged
            ? { address_enc: protector.encrypt(input.address, 'household.address') }
            : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('version', '=', input.version)
        .where(inScope('region_code'))
        .executeTakeFirst();
      if (Number(bumped.numUpdatedRows) === 0) throw Conflict('error.versionConflict');
      if (householdChanges.length > 0) await history(trx, id, input.regionCode, 'household.update', householdChanges);

      for (const u of updates) {
        await trx
          .updateTable('members')
          .set({ ...u.values, updated_at: new Date() })
          .where('id', '=', u.id)
          .execute();
        if (u.changes.length > 0) await history(trx, id, input.regionCode, 'member.update', u.changes, u.id);
      }
      for (const m of added) {
        const row = await trx
          .insertInto('members')
          .values({
            household_id: id,
            ...identityValues(protector, m.normalisedId!, m.sex!, m.birthDate!),
            ...memberValues(protector, m, input.regionCode),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await history(
          trx,
          id,
          input.regionCode,
          'member.add',
          [{ field: 'member', old: null, new: `${m.name} ${maskIdNumber(m.normalisedId!)}` }],
          row.id,
        );
      }
      for (const r of removed) {
        await trx.deleteFrom('members').where('id', '=', r.id).execute();
        await history(
          trx,
          id,
          input.regionCode,
          'member.remove',
          [{ field: 'member', old: `${r.name} ${r.id_masked}`, new: null }],
          r.id,
        );
      }
      await recordAudit(trx, {
        action: 'household.update',
        entity: 'household',
        entityId: id,
        regionCode: input.regionCode,
        detail: { version: input.version + 1, members: members.length },
      });
    })
    .catch(mapUniqueViolation);
  return getHousehold(db, protector, id);
}

export type RevealField = 'idNumber' | 'phone' | 'bankAccount' | 'disabilityCertificate' | 'address';

/** Shows one protected value in plaintext to a permitted role, with a reason; the reveal is audited. */
export async function reveal(
  db: Kysely<DB>,
  protector: Protector,
  householdId: string,
  memberId: string | null,
  field: RevealField,
  reason: string,
): Promise<string | null> {
  if (!UUID.test(householdId) || (memberId !== null && !UUID.test(memberId))) throw NotFound('entity.household');
  const household = await db
    .selectFrom('households')
    .select(['id', 'region_code', 'address_enc'])
    .where('id', '=', householdId)
    .where(inScope('region_code'))
    .executeTakeFirst();
  if (!household) throw NotFound('entity.household');
  let value: string | null;
  if (memberId === null) {
    if (field !== 'address') throw InvalidField('field', 'error.validation');
    value = protector.decrypt(household.address_enc, 'household.address');
  } else {
    const m = await db
      .selectFrom('members')
      .select(['id_number_enc', 'phone_enc', 'bank_account_enc', 'disability_cert_enc'])
      .where('id', '=', memberId)
      .where('household_id', '=', householdId)
      .where(inScope('region_code'))
      .executeTakeFirst();
    if (!m) throw NotFound('entity.member');
    const sources = {
      idNumber: [m.id_number_enc, 'member.id_number'],
      phone: [m.phone_enc, 'member.phone'],
      bankAccount: [m.bank_account_enc, 'member.bank_account'],
      disabilityCertificate: [m.disability_cert_enc, 'member.disability_cert'],
    } as const;
    if (field === 'address') throw InvalidField('field', 'error.validation');
    const [token, context] = sources[field];
    value = token ? protector.decrypt(token, context) : null;
  }
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      action: 'registry.reveal',
      entity: memberId ? 'member' : 'household',
      entityId: memberId ?? householdId,
      regionCode: household.region_code,
      detail: { field, reason },
    }),
  );
  return value;
}
// What other modules' imports (the caseload) reuse of the register import.
export { readRows, readRowsFromFile } from './read-rows';
export { yuanToFen } from './import-format';
export { checkMembers } from './validation';
