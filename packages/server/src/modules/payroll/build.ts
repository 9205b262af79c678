import { sql, type Kysely, type Transaction } from 'kysely';
import { addMonths, entitlementFor, type PayrollLineType } from '@jiuzhu/shared';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { loadChangeListsInRegion } from '../enrolments/service';
import { accountCheck, accountHash, accountValidFrom, luhnValid, type AccountCheck } from '../registry/service';

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

/** A payee as the build reads it: the stored account facts, or the ciphertext when they are stale. */
type PayeeAccount = {
  has_account: boolean;
  bank_account_hash: string | null;
  bank_account_check: AccountCheck | null;
  bank_account_iin: string | null;
  /** Only when the stored facts do not belong to the current ciphertext (then it is decrypted). */
  stale_enc: string | null;
};

export { accountHash, luhnValid };

/** Whether an account number passes the checks the scheme allows (Luhn where the prefix is configured). */
export function accountValid(account: string, luhnPrefixes: readonly string[]): boolean {
  const { check, iin } = accountCheck(account);
  return accountValidFrom(check, iin, luhnPrefixes);
}

type Target = { payrollId: string; month: string; regionCode: string; runKind: 'regular' | 'supplementary' };

/** The account columns of the payee `m` (see PayeeAccount); facts are fresh when their stamp is the ciphertext's. */
const payeeAccountColumns = (m: string) =>
  sql.raw(`${m}.bank_account_enc is not null as has_account,
    ${m}.bank_account_hash, ${m}.bank_account_check, ${m}.bank_account_iin,
    case when ${m}.bank_account_facts_of is distinct from md5(${m}.bank_account_enc) then ${m}.bank_account_enc end as stale_enc`);

/** The blind index and state of a payee's account from its stored facts (decrypting only stale ones). */
function accountOf(protector: Protector, p: PayeeAccount, luhnPrefixes: readonly string[]) {
  if (!p.has_account) return { hash: null, state: 'missing' as const };
  if (p.stale_enc !== null) {
    const account = protector.decrypt(p.stale_enc, 'member.bank_account');
    return {
      hash: accountHash(protector, account),
      state: accountValid(account, luhnPrefixes) ? ('ok' as const) : ('invalid' as const),
    };
  }
  return {
    hash: p.bank_account_hash,
    state: accountValidFrom(p.bank_account_check!, p.bank_account_iin, luhnPrefixes)
      ? ('ok' as const)
      : ('invalid' as const),
  };
}

/**
 * The due lines of a payroll: for a regular run, the month's regular and one-off lines, back pay
 * for earlier months already paid to the region by an approved payroll but not to this enrolment,
 * and reissues of failed lines whose account was corrected since; a supplementary run holds only
 * back pay and reissues.
 *
 * The payee is chosen in the query that reads the enrolments (the lateral join), with the account
 * facts stored beside the account (registry/account-facts.ts): a build decrypts nothing unless a
 * member's facts are stale.
 */
export async function computeDueLines(
  db: Kysely<DB> | Transaction<DB>,
  protector: Protector,
  target: Target,
  luhnPrefixes: readonly string[],
): Promise<{ lines: DueLine[]; payees: PayeeFacts[] }> {
  const { month, regionCode } = target;
  const like = `${regionCode}%`;
  const endsAfter = addMonths(month, -120);
  // Members of the region only; tested in the candidates' order (in the region first) rather than
  // as a filter, so that the lookup stays on the household index whatever the planner's statistics
  // (a fresh database: a bitmap AND with the region index per enrolment took minutes).
  const inRegion = sql`(${inScope('m.region_code')} and m.region_code like ${like})`;
  // The designated payee: the supported person of a 特困 enrolment; otherwise the household head if
  // they hold an account, else the eldest member who does, else the head (the account then shows as
  // missing), else the eldest member. Payees are members of the payroll's region in scope.
  const enrolments = await sql<
    {
      id: string;
      kind: string;
      region_code: string;
      household_id: string | null;
      payee_id: string | null;
    } & PayeeAccount
  >`
    select e.id, e.kind, e.region_code, e.household_id, p.id as payee_id, ${payeeAccountColumns('p')}
    from enrolments e
    left join lateral (
      select * from (
        select m.*, ${inRegion} as in_region from members m
        where e.person_member_id is not null and m.id = e.person_member_id
        union all
        (select m.*, ${inRegion} from members m
        where e.person_member_id is null and m.household_id = e.household_id
        order by ${inRegion} desc, (m.relation = 'head' and m.bank_account_enc is not null) desc,
          (m.bank_account_enc is not null) desc, (m.relation = 'head') desc, m.birth_date, m.id
        limit 1)) c
      where c.in_region) p on true
    where ${inScope('e.region_code')} and e.region_code like ${like} and e.from_month <= ${month}
      and (e.ends_month is null or e.ends_month > ${endsAfter})
    order by e.id`.execute(db);
  // Months the region was paid by an approved regular payroll that an enrolment has no monthly line for.
  const backMonths = await sql<{ enrolment_id: string; month: string }>`
    select e.id as enrolment_id, p.month
    from enrolments e
    join payrolls p on p.status = 'approved' and p.run_kind = 'regular' and p.month < ${month}
      and p.month >= e.from_month and e.region_code like p.region_code || '%'
      and (e.ends_month is null or p.month < e.ends_month)
    where e.region_code like ${like} and ${inScope('e.region_code')}
      and not exists (select 1 from payroll_lines l where l.enrolment_id = e.id and l.month = p.month
        and l.line_type in ('regular', 'back_pay'))`.execute(db);
  const back = new Map<string, string[]>();
  for (const r of backMonths.rows) {
    const list = back.get(r.enrolment_id) ?? [];
    if (!list.includes(r.month)) list.push(r.month);
    back.set(r.enrolment_id, list);
  }
  // The change lists through the enrolments module's loader, one query for the same enrolments.
  const changes = await loadChangeListsInRegion(db, { regionCode, fromMonthUpTo: month, endsAfter, members: false });
  const lines: DueLine[] = [];
  const payeeFacts: PayeeFacts[] = [];
  for (const e of enrolments.rows) {
    const history = changes.get(e.id) ?? [];
    if (history.length === 0) continue;
    const account = e.payee_id ? accountOf(protector, e, luhnPrefixes) : { hash: null, state: 'missing' as const };
    const base = {
      enrolmentId: e.id,
      kind: e.kind,
      regionCode: e.region_code,
      householdId: e.household_id,
      payeeMemberId: e.payee_id,
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
  lines.push(...(await reissues(db, protector, target)));
  return { lines, payees: payeeFacts };
}

/**
 * Failed lines (退票) of the region whose payee's account has changed since the failure: reissued
 * once each (the unique index on reissue_of), for the failed line's month and amount.
 *
 * The bank pays a payee's net as one row and a return fails every line of it (bankfiles.ts), so the
 * lines of a payee failed in one payroll are reissued together or not at all: all of them once the
 * account is none of the accounts those lines were paid to. A recovery (negative adjustment) is
 * thus never reissued without the payment it was netted against, and the reissued lines net to what
 * the returned row paid. A failed reissue is such a line too (its own reissue names it).
 */
async function reissues(db: Kysely<DB> | Transaction<DB>, protector: Protector, target: Target): Promise<DueLine[]> {
  const { payrollId, regionCode, month } = target;
  const like = `${regionCode}%`;
  const failed = await sql<
    {
      id: string;
      payroll_id: string;
      enrolment_id: string;
      month: string;
      kind: string;
      region_code: string;
      household_id: string | null;
      payee_member_id: string;
      account_hash: string | null;
      amount_fen: number;
    } & PayeeAccount
  >`
    select l.id, l.payroll_id, l.enrolment_id, l.month, l.kind, l.region_code, l.household_id, l.payee_member_id, l.account_hash,
      l.amount_fen, ${payeeAccountColumns('m')}
    from payroll_lines l
    join payrolls p on p.id = l.payroll_id
    join members m on m.id = l.payee_member_id and ${inScope('m.region_code')} and m.region_code like ${like}
    where l.status = 'failed' and p.month <= ${month}
      and ${inScope('l.region_code')} and l.region_code like ${like}
      -- A reissue this draft holds is due again (a rebuild keeps it); one in another payroll is that payroll's.
      and not exists (select 1 from payroll_lines r where r.reissue_of = l.id and r.payroll_id <> ${payrollId})
    order by l.id`.execute(db);
  const rows = new Map<string, typeof failed.rows>();
  for (const f of failed.rows) {
    const key = `${f.payroll_id}/${f.payee_member_id}`;
    const row = rows.get(key) ?? [];
    row.push(f);
    rows.set(key, row);
  }
  const out: DueLine[] = [];
  for (const row of rows.values()) {
    const payee = row[0]!;
    if (!payee.has_account) continue;
    const { hash } = accountOf(protector, payee, []);
    // Not corrected yet (still an account the row's lines were paid to): stays failed (unclaimed).
    if (row.some((f) => f.account_hash === hash)) continue;
    for (const f of row)
      out.push({
        enrolmentId: f.enrolment_id,
        month: f.month,
        lineType: 'reissue',
        kind: f.kind,
        regionCode: f.region_code,
        householdId: f.household_id,
        payeeMemberId: f.payee_member_id,
        accountHash: hash,
        amountFen: f.amount_fen,
        reissueOf: Number(f.id),
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
  // The due lines cross the wire once, into a table of the transaction that the three statements read.
  await sql`create temp table payroll_due (enrolment_id uuid, month text, line_type text, kind text, region_code text,
    household_id uuid, payee_member_id uuid, account_hash text, amount_fen int, reissue_of bigint) on commit drop`.execute(
    trx,
  );
  await sql`insert into payroll_due select * from unnest(
    ${col('enrolmentId')}::uuid[], ${col('month')}::text[], ${col('lineType')}::text[], ${col('kind')}::text[],
    ${col('regionCode')}::text[], ${col('householdId')}::uuid[], ${col('payeeMemberId')}::uuid[],
    ${col('accountHash')}::text[], ${col('amountFen')}::int[], ${col('reissueOf')}::bigint[])`.execute(trx);
  await sql`analyze payroll_due`.execute(trx);
  const staged = sql`payroll_due s`;
  // Only the line types a build computes: lines written elsewhere in the module (emergency, adjustment) stay.
  await sql`delete from payroll_lines l where l.payroll_id = ${payrollId}
    and l.line_type in ('regular', 'back_pay', 'one_off', 'reissue') and not exists (
    select 1 from ${staged} where s.enrolment_id = l.enrolment_id and s.month = l.month and s.line_type = l.line_type
      and s.reissue_of is not distinct from l.reissue_of)`.execute(trx);
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
      and l.reissue_of is not distinct from n.reissue_of
      and (l.amount_fen, l.payee_member_id, l.account_hash, l.household_id)
        is distinct from (n.amount_fen, n.payee_member_id, n.account_hash, n.household_id)`.execute(trx);
  await sql`insert into payroll_lines (payroll_id, enrolment_id, month, line_type, kind, region_code, household_id,
      payee_member_id, account_hash, amount_fen, central_fen, provincial_fen, city_fen, county_fen, reissue_of)
    select ${payrollId}, s.enrolment_id, s.month, s.line_type, s.kind, s.region_code, s.household_id, s.payee_member_id,
      s.account_hash, s.amount_fen, ${split}, s.reissue_of
    from ${staged} join payroll_fund_shares f on f.kind = s.kind
    order by s.enrolment_id, s.month, s.line_type
    on conflict do nothing`.execute(trx);
  await sql`drop table payroll_due`.execute(trx);
}
