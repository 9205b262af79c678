/**
 * Test and demo helpers for payroll: Luhn-valid cards, a registry household with an enrolment
 * stored directly (the payroll tests are about money, not about how the enrolment was decided),
 * and a county finance account. Never imported by production code.
 */
import { makeIdNumber, type EntitlementChange } from '@jiuzhu/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { insertDemoAccount } from '../modules/users/seed';
import { insertEnrolments } from '../modules/enrolments/create';

/** A 19-digit UnionPay-style card (prefix 62…) with a valid Luhn check digit. */
export function luhnCard(n: number, prefix = '622127'): string {
  const body = (prefix + String(n).padStart(18 - prefix.length, '0')).slice(0, 18);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

type Requester = {
  request(method: 'POST', url: string, body: unknown): Promise<{ statusCode: number; body: string; json(): any }>;
};

let seq = 0;

/** A household of one or two in a village through the registry API (the head with a card unless `account: null`). */
export async function payrollHousehold(
  admin: Requester,
  village: string,
  opts: { account?: string | null; bankName?: string; birthDate?: string; spouseAccount?: string } = {},
): Promise<{ householdId: string; headId: string; spouseId: string; headName: string }> {
  seq++;
  // ID numbers from the counter (a random pick collided now and then); the card number only needs to differ.
  const n = seq + Math.floor(Math.random() * 1_000_000);
  const account = opts.account === undefined ? luhnCard(n) : opts.account;
  const res = await admin.request('POST', '/api/households', {
    regionCode: village,
    address: `发放测试${seq}号`,
    members: [
      {
        name: `林发放${seq}`,
        idNumber: makeIdNumber(village.slice(0, 6), opts.birthDate ?? '1958-03-03', 100 + (seq % 800)),
        relation: 'head',
        hukouType: 'rural',
        ...(account ? { bankAccount: account, bankName: opts.bankName ?? '莆田农村商业银行' } : {}),
      },
      {
        name: `陈发放${seq}`,
        idNumber: makeIdNumber(village.slice(0, 6), '1961-06-06', 100 + (seq % 800)),
        relation: 'spouse',
        hukouType: 'rural',
        ...(opts.spouseAccount ? { bankAccount: opts.spouseAccount, bankName: '中国邮政储蓄银行' } : {}),
      },
    ],
  });
  if (res.statusCode !== 201) throw new Error(`household: ${res.statusCode} ${res.body}`);
  const h = res.json();
  return { householdId: h.id, headId: h.members[0].id, spouseId: h.members[1].id, headName: h.members[0].name };
}

/**
 * An enrolment with a whole history, stored directly: the enrolled change from the enrolments
 * module, the later changes appended to its log. `openCache: false` marks the cache row ended so a
 * household can hold several (property tests); the amounts always come from the log.
 */
export async function plantEnrolment(
  db: Kysely<DB>,
  e: {
    householdId: string;
    regionCode: string;
    kind?: 'dibao' | 'tekun' | 'dibao_edge' | 'temporary';
    history: EntitlementChange[];
    memberId?: string;
    openCache?: boolean;
  },
): Promise<string> {
  const [first, ...rest] = e.history;
  if (!first || first.type !== 'enrolled') throw new Error('the first change must be enrolled');
  return db.transaction().execute(async (trx) => {
    const [id] = await insertEnrolments(
      trx,
      [
        {
          kind: e.kind ?? 'dibao',
          householdId: e.householdId,
          regionCode: e.regionCode,
          source: 'seed',
          fromMonth: first.effectiveMonth,
          monthlyAmountFen: first.amountFen ?? 0,
          oneOffAmountFen: first.oneOffFen ?? 0,
          members: [
            {
              idHash: `payroll-${e.householdId}-${seq++}`,
              memberId: e.memberId ?? null,
              name: '林发放',
              idMasked: '3503**********0000',
              relation: 'head',
            },
          ],
          approvalLevel: 'county',
          reason: 'seed',
        },
      ],
      null,
    );
    for (const c of rest)
      await trx
        .insertInto('enrolment_changes')
        .values({
          enrolment_id: id!,
          seq: c.seq,
          type: c.type,
          effective_month: c.effectiveMonth,
          amount_fen: c.amountFen ?? null,
          members: c.members ? [...c.members] : null,
          months: c.months ?? null,
          reason: c.type === 'ended' ? 'other' : 'staff',
          approval_level: 'county',
          actor_username: 'test',
          region_code: e.regionCode,
        })
        .execute();
    if (e.openCache === false)
      await trx.updateTable('enrolments').set({ status: 'ended' }).where('id', '=', id!).execute();
    return id!;
  });
}

/** A county finance officer (demo password), the checker of the county's payrolls. */
export async function financeAccount(db: Kysely<DB>, username: string, regionCode: string): Promise<void> {
  const exists = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (exists) return;
  await db
    .transaction()
    .execute((trx) =>
      insertDemoAccount(trx, { username, displayName: '区财政局（发放复核）', role: 'finance_officer', regionCode }),
    );
}
