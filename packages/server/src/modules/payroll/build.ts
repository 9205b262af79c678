import { sql, type Kysely, type Transaction } from 'kysely';
import { addMonths, entitlementFor, type EntitlementChange, type PayrollLineType } from '@jiuzhu/shared';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { loadChangeLists } from '../enrolments/service';

/**
 * The lines a payroll should hold now, computed from the enrolment histories (the entitlement math
 * is TypeScript in packages/shared, so the amounts are derived here) and then written set-based:
 * one UPDATE, one INSERT … SELECT FROM unnest(…) and one DELETE in the caller's transaction.
 */
export type DueLine = {
  enrolmentId: string;
  month: string;
  lineType: PayrollLineType;
  kind: string;
  regionCode: string;
  householdId: string | null;
  payeeMemberId: string | null;
  accountHash: string | null;
  amountFen: number;
  reissueOf: number | null;
};

/** What the checks need about each payee, computed while the lines are (accounts are decrypted only in memory). */
export type PayeeFacts = { enrolmentId: string; accountState: 'ok' | 'missing' | 'invalid' };

type Payee = { id: string; householdId: string; relation: string; accountEnc: string | null };

/** The Luhn (mod 10) check over a card number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether an account number passes the checks the scheme allows (Luhn where the prefix is configured). */
export function accountValid(account: string, luhnPrefixes: readonly string[]): boolean {
  if (!/^\d{12,19}$/.test(account)) return false;
  if ((account.length === 16 || account.length === 19) && luhnPrefixes.some((p) => account.startsWith(p)))
    return luhnValid(account);
  return true;
}

export function accountHash(protector: Protector, account: string): string {
  // The same HMAC key as the ID blind index, in its own domain (never joinable with IDs).
  return protector.blindIndex(account, 'bank_account');
}

type Target = { payrollId: string; month: string; regionCode: string; runKind: 'regular' | 'supplementary' };

/**
 * The due lines of a payroll: for a regular run, the month's regular and one-off lines, back pay
 * for earlier months already paid to the region by an approved payroll but not to this enrolment,
 * and reissues of failed lines whose account was corrected since; a supplementary run holds only
 * back pay and reissues.
 */
export async function computeDueLines(
  db: Kysely<DB> | Transaction<DB>,
  protector: Protector,
  target: Target,
  luhnPrefixes: readonly string[],
): Promise<{ lines: DueLine[]; payees: PayeeFacts[] }> {
  const { month, regionCode } = target;
  const enrolments = await db
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.kind', 'e.region_code', 'e.household_id', 'e.person_member_id', 'e.from_month'])
    .where(inScope('e.region_code'))
    .where('e.region_code', 'like', `${regionCode}%`)
    .where('e.from_month', '<=', month)
    .where((eb) => eb.or([eb('e.ends_month', 'is', null), eb('e.ends_month', '>', addMonths(month, -120))]))
    .orderBy('e.id')
    .execute();
  // Months the region was paid by an approved regular payroll that an enrolment has no monthly line for.
  const backMonths = await sql<{ enrolment_id: string; month: string }>`
    select e.id as enrolment_id, p.month
    from enrolments e
    join payrolls p on p.status = 'approved' and p.run_kind = 'regular' and p.month < ${month}
      and p.month >= e.from_month and e.region_code like p.region_code || '%'
      and (e.ends_month is null or p.month < e.ends_month)
    where e.region_code like ${`${regionCode}%`} and ${inScope('e.region_code')}
      and not exists (select 1 from payroll_lines l where l.enrolment_id = e.id and l.month = p.month
        and l.line_type in ('regular', 'back_pay'))`.execute(db);
  const back = new Map<string, string[]>();
  for (const r of backMonths.rows) {
    const list = back.get(r.enrolment_id) ?? [];
    if (!list.includes(r.month)) list.push(r.month);
    back.set(r.enrolment_id, list);
  }
  // The change lists through the enrolments module's one loader, in batches of ids.
  const changes = new Map<string, EntitlementChange[]>();
  const BATCH = 5000;
  for (let i = 0; i < enrolments.length; i += BATCH) {
    const ids = enrolments.slice(i, i + BATCH).map((e) => e.id);
    for (const [id, list] of await loadChangeLists(db, ids)) changes.set(id, list);
  }
  const payeeOf = await payees(db, regionCode);
  const lines: DueLine[] = [];
  const payeeFacts: PayeeFacts[] = [];
  const accountCache = new Map<string, { hash: string | null; state: PayeeFacts['accountState'] }>();
  const accountFor = (p: Payee | undefined) => {
    if (!p || !p.accountEnc) return { hash: null, state: 'missing' as const };
    const cached = accountCache.get(p.id);
    if (cached) return cached;
    const account = protector.decrypt(p.accountEnc, 'member.bank_account');
    const v = {
      hash: accountHash(protector, account),
      state: accountValid(account, luhnPrefixes) ? ('ok' as const) : ('invalid' as const),
    };
    accountCache.set(p.id, v);
    return v;
  };
  for (const e of enrolments) {
    const history = changes.get(e.id) ?? [];
    if (history.length === 0) continue;
    const payee = choosePayee(payeeOf, e.household_id, e.person_member_id);
    const account = accountFor(payee);
    const base = {
      enrolmentId: e.id,
      kind: e.kind,
      regionCode: e.region_code,
      householdId: e.household_id,
      payeeMemberId: payee?.id ?? null,
      accountHash: account.hash,
      reissueOf: null,
    };
    let any = false;
    const push = (m: string, lineType: PayrollLineType, amountFen: number) => {
      if (amountFen <= 0) return;
      lines.push({ ...base, month: m, lineType, amountFen });
      any = true;
    };
    if (target.runKind === 'regular') {
      const now = entitlementFor(history, month);
      push(month, 'regular', now.amountFen - now.oneOffFen);
      push(month, 'one_off', now.oneOffFen);
    }
    for (const m of back.get(e.id) ?? []) {
      const then = entitlementFor(history, m);
      push(m, 'back_pay', then.amountFen - then.oneOffFen);
      // A one-off grant of a month already paid to the region is due too (its own key keeps it once).
      push(m, 'one_off', then.oneOffFen);
    }
    if (any) payeeFacts.push({ enrolmentId: e.id, accountState: account.state });
  }
  lines.push(...(await reissues(db, protector, regionCode, month, payeeOf)));
  return { lines, payees: payeeFacts };
}

/** The payee candidates of the region's households: every member with the columns the choice needs. */
async function payees(db: Kysely<DB> | Transaction<DB>, regionCode: string) {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'household_id', 'relation', 'bank_account_enc', 'birth_date'])
    .where(inScope('region_code'))
    .where('region_code', 'like', `${regionCode}%`)
    .orderBy('household_id')
    .orderBy('birth_date')
    .orderBy('id')
    .execute();
  const byHousehold = new Map<string, Payee[]>();
  const byId = new Map<string, Payee>();
  for (const r of rows) {
    const p = { id: r.id, householdId: r.household_id, relation: r.relation, accountEnc: r.bank_account_enc };
    byId.set(r.id, p);
    const list = byHousehold.get(r.household_id) ?? [];
    list.push(p);
    byHousehold.set(r.household_id, list);
  }
  return { byHousehold, byId };
}

/**
 * The designated payee: the supported person of a 特困 enrolment; otherwise the household head if
 * they hold an account, else the eldest member who does, else the head (the account then shows as missing).
 */
function choosePayee(
  p: Awaited<ReturnType<typeof payees>>,
  householdId: string | null,
  personMemberId: string | null,
): Payee | undefined {
  if (personMemberId) return p.byId.get(personMemberId);
  if (!householdId) return undefined;
  const members = p.byHousehold.get(householdId) ?? [];
  const head = members.find((m) => m.relation === 'head');
  if (head?.accountEnc) return head;
  return members.find((m) => m.accountEnc) ?? head ?? members[0];
}

/**
 * Failed lines (退票) of the region whose payee's account has changed since the failure: reissued
 * once (the unique index on reissue_of), for the failed line's month and amount.
 */
async function reissues(
  db: Kysely<DB> | Transaction<DB>,
  protector: Protector,
  regionCode: string,
  month: string,
  payeeOf: Awaited<ReturnType<typeof payees>>,
): Promise<DueLine[]> {
  const failed = await db
    .selectFrom('payroll_lines as l')
    .innerJoin('payrolls as p', 'p.id', 'l.payroll_id')
    .select(['l.id', 'l.enrolment_id', 'l.month', 'l.kind', 'l.region_code', 'l.household_id', 'l.payee_member_id'])
    .select(['l.account_hash', 'l.amount_fen'])
    .where('l.status', '=', 'failed')
    .where('l.line_type', '<>', 'reissue')
    .where('p.month', '<=', month)
    .where(inScope('l.region_code'))
    .where('l.region_code', 'like', `${regionCode}%`)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('payroll_lines as r').select('r.id').whereRef('r.reissue_of', '=', 'l.id'))),
    )
    .execute();
  const out: DueLine[] = [];
  for (const f of failed) {
    const payee = f.payee_member_id ? payeeOf.byId.get(f.payee_member_id) : undefined;
    if (!payee?.accountEnc) continue;
    const account = protector.decrypt(payee.accountEnc, 'member.bank_account');
    const hash = accountHash(protector, account);
    if (hash === f.account_hash) continue; // not corrected yet: stays failed (unclaimed)
    out.push({
      enrolmentId: f.enrolment_id,
      month: f.month,
      lineType: 'reissue',
      kind: f.kind,
      regionCode: f.region_code,
      householdId: f.household_id,
      payeeMemberId: payee.id,
      accountHash: hash,
      amountFen: f.amount_fen,
      reissueOf: f.id,
    });
  }
  return out;
}

/**
 * Makes the draft's lines equal to `due`, changing nothing else: lines of this payroll no longer due
 * go, changed ones are updated, new ones are inserted unless another payroll already holds their key
 * (then they are that payroll's, and this one does not pay them twice). Set-based statements only.
 */
export async function writeLines(trx: Transaction<DB>, payrollId: string, due: DueLine[]): Promise<void> {
  const col = <K extends keyof DueLine>(k: K) => due.map((l) => l[k]);
  const staged = sql`unnest(
    ${col('enrolmentId')}::uuid[], ${col('month')}::text[], ${col('lineType')}::text[], ${col('kind')}::text[],
    ${col('regionCode')}::text[], ${col('householdId')}::uuid[], ${col('payeeMemberId')}::uuid[],
    ${col('accountHash')}::text[], ${col('amountFen')}::int[], ${col('reissueOf')}::bigint[]
  ) as s(enrolment_id, month, line_type, kind, region_code, household_id, payee_member_id, account_hash, amount_fen, reissue_of)`;
  // Only the types this build computes: adjustment lines are the maker's, emergency lines emergency.ts's.
  await sql`delete from payroll_lines l where l.payroll_id = ${payrollId}
    and l.line_type in ('regular', 'back_pay', 'one_off', 'reissue') and not exists (
    select 1 from ${staged} where s.enrolment_id = l.enrolment_id and s.month = l.month and s.line_type = l.line_type)`.execute(
    trx,
  );
  const split = sql`
    (s.amount_fen::bigint * f.central_bp / 10000)::int as central_fen,
    (s.amount_fen::bigint * f.provincial_bp / 10000)::int as provincial_fen,
    (s.amount_fen::bigint * f.city_bp / 10000)::int as city_fen,
    (s.amount_fen - (s.amount_fen::bigint * f.central_bp / 10000)::int - (s.amount_fen::bigint * f.provincial_bp / 10000)::int
      - (s.amount_fen::bigint * f.city_bp / 10000)::int) as county_fen`;
  await sql`update payroll_lines l set amount_fen = n.amount_fen, central_fen = n.central_fen,
      provincial_fen = n.provincial_fen, city_fen = n.city_fen, county_fen = n.county_fen,
      payee_member_id = n.payee_member_id, account_hash = n.account_hash, household_id = n.household_id
    from (select s.*, ${split} from ${staged} join payroll_fund_shares f on f.kind = s.kind) n
    where l.payroll_id = ${payrollId} and l.enrolment_id = n.enrolment_id and l.month = n.month and l.line_type = n.line_type
      and (l.amount_fen, l.payee_member_id, l.account_hash, l.household_id)
        is distinct from (n.amount_fen, n.payee_member_id, n.account_hash, n.household_id)`.execute(trx);
  await sql`insert into payroll_lines (payroll_id, enrolment_id, month, line_type, kind, region_code, household_id,
      payee_member_id, account_hash, amount_fen, central_fen, provincial_fen, city_fen, county_fen, reissue_of)
    select ${payrollId}, s.enrolment_id, s.month, s.line_type, s.kind, s.region_code, s.household_id, s.payee_member_id,
      s.account_hash, s.amount_fen, ${split}, s.reissue_of
    from ${staged} join payroll_fund_shares f on f.kind = s.kind
    order by s.enrolment_id, s.month, s.line_type
    on conflict do nothing`.execute(trx);
}
