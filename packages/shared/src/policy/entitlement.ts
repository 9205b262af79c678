/**
 * Entitlement of an enrolment (纳入保障) for any month, derived from its append-only change
 * list. Pure: the server stores the changes, payroll and the pages ask this function.
 *
 * Month semantics (all months `YYYY-MM`; payroll relies on them):
 * - The state of month M is the result of applying, in `seq` order, every change whose
 *   `effectiveMonth` ≤ M. Changes effective later do not count yet; two changes effective in
 *   the same month apply in the order they were recorded.
 * - Before the `enrolled` change's effective month the state is `pending` (amount 0).
 * - `enrolled` (effective M): paid from M at `amountFen` for `members`. A one-off grant
 *   (`oneOffFen`, 临时救助) is due in M only.
 * - `amount_changed` / `members_changed` (effective M): the new amount (and members) from M.
 * - `suspended` (effective M): months from M pay 0 until a `resumed` effective R, from which
 *   the last amount is paid again. Suspended months are not paid back on resumption.
 * - `gradual_exit_started` (effective M, `months` N, the configured `gradualExitMonths` at the
 *   decision): M … M+N−1 are paid at the current amount (state `gradual_exit`), and from M+N the
 *   enrolment is `ended`. N = 0 ends it from M. A suspension inside the exit does not extend it.
 * - `ended` (effective E): E and every later month pay 0. The server records E as the month
 *   after the end decision, so the month of the decision is still paid.
 * - `ended` is final: nothing after it changes the state.
 */
export type EntitlementChangeType =
  'enrolled' | 'amount_changed' | 'members_changed' | 'suspended' | 'resumed' | 'gradual_exit_started' | 'ended';

export const ENTITLEMENT_CHANGE_TYPES: readonly EntitlementChangeType[] = [
  'enrolled',
  'amount_changed',
  'members_changed',
  'suspended',
  'resumed',
  'gradual_exit_started',
  'ended',
];

export type EntitlementChange = {
  seq: number;
  type: EntitlementChangeType;
  effectiveMonth: string;
  /** enrolled, amount_changed, members_changed: the monthly amount from the effective month. */
  amountFen?: number | null;
  /** enrolled: a one-off grant due in the effective month. */
  oneOffFen?: number | null;
  /** enrolled, members_changed: the covered members (keys) from the effective month. */
  members?: readonly string[] | null;
  /** gradual_exit_started: months still paid. */
  months?: number | null;
};

export type MonthState = 'pending' | 'active' | 'suspended' | 'gradual_exit' | 'ended';

export type MonthEntitlement = {
  month: string;
  state: MonthState;
  /** What is due for the month in fen: the monthly amount (0 unless active or in gradual exit) plus any one-off grant. */
  amountFen: number;
  /** The monthly amount in force (also while suspended), for display. */
  monthlyAmountFen: number;
  oneOffFen: number;
  members: string[];
};

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonth(m: string): boolean {
  return MONTH.test(m);
}

/** The month `n` months after `month` (n may be negative). */
export function addMonths(month: string, n: number): string {
  if (!isMonth(month)) throw new RangeError(`not a month: ${month}`);
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const y = Math.floor(total / 12);
  return `${String(y).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive (empty when to < from). */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

function assertChanges(changes: readonly EntitlementChange[]): EntitlementChange[] {
  const sorted = [...changes].sort((a, b) => a.seq - b.seq);
  sorted.forEach((c, i) => {
    if (!isMonth(c.effectiveMonth)) throw new RangeError(`change ${c.seq}: not a month`);
    if (i > 0 && sorted[i - 1]!.seq === c.seq) throw new RangeError(`change ${c.seq} twice`);
    for (const v of [c.amountFen, c.oneOffFen])
      if (v != null && (!Number.isSafeInteger(v) || v < 0)) throw new RangeError(`change ${c.seq}: fen`);
  });
  if (sorted.length > 0 && sorted[0]!.type !== 'enrolled') throw new RangeError('the first change must be enrolled');
  return sorted;
}

/** The entitlement in one month (see the module comment for the exact semantics). */
export function entitlementFor(changes: readonly EntitlementChange[], month: string): MonthEntitlement {
  if (!isMonth(month)) throw new RangeError(`not a month: ${month}`);
  return entitlementOf(assertChanges(changes), month);
}

function entitlementOf(sorted: EntitlementChange[], month: string): MonthEntitlement {
  let state: MonthState = 'pending';
  let amount = 0;
  let oneOff = 0;
  let members: string[] = [];
  // While suspended, where to go back to on resumption (active, or a gradual exit still running).
  let exitEnds: string | null = null;
  for (const c of sorted) {
    if (c.effectiveMonth > month) continue;
    if (state === 'ended') break;
    switch (c.type) {
      case 'enrolled':
        state = 'active';
        amount = c.amountFen ?? 0;
        oneOff = c.effectiveMonth === month ? (c.oneOffFen ?? 0) : 0;
        members = [...(c.members ?? [])];
        break;
      case 'amount_changed':
        amount = c.amountFen ?? amount;
        break;
      case 'members_changed':
        amount = c.amountFen ?? amount;
        members = [...(c.members ?? members)];
        break;
      case 'suspended':
        if (state !== 'pending') state = 'suspended';
        break;
      case 'resumed':
        if (state === 'suspended') state = exitEnds ? 'gradual_exit' : 'active';
        break;
      case 'gradual_exit_started':
        exitEnds = addMonths(c.effectiveMonth, Math.max(0, c.months ?? 0));
        if (state !== 'suspended') state = 'gradual_exit';
        break;
      case 'ended':
        state = 'ended';
        break;
    }
    if (state !== 'ended' && exitEnds !== null && month >= exitEnds) state = 'ended';
  }
  const paid = state === 'active' || state === 'gradual_exit';
  return {
    month,
    state,
    amountFen: (paid ? amount : 0) + oneOff,
    monthlyAmountFen: state === 'pending' ? 0 : amount,
    oneOffFen: oneOff,
    members: state === 'pending' ? [] : members,
  };
}

/** Month by month from `from` to `to` inclusive. */
export function entitlementSeries(changes: readonly EntitlementChange[], from: string, to: string): MonthEntitlement[] {
  const sorted = assertChanges(changes);
  return monthRange(from, to).map((m) => entitlementOf(sorted, m));
}

/** Summary the server caches on the enrolment row: the latest decision's state and the first unpaid month. */
export type EntitlementSummary = {
  status: 'active' | 'suspended' | 'gradual_exit' | 'ended';
  /** The first month no longer paid because of an end or an exhausted gradual exit; null while open. */
  endsMonth: string | null;
  fromMonth: string;
  monthlyAmountFen: number;
  members: string[];
};

export function summarise(changes: readonly EntitlementChange[]): EntitlementSummary {
  const sorted = assertChanges(changes);
  if (sorted.length === 0) throw new RangeError('no changes');
  let status: EntitlementSummary['status'] = 'active';
  let endsMonth = null as string | null;
  let amount = 0;
  let members: string[] = [];
  for (const c of sorted) {
    if (status === 'ended') break;
    switch (c.type) {
      case 'enrolled':
        amount = c.amountFen ?? 0;
        members = [...(c.members ?? [])];
        break;
      case 'amount_changed':
        amount = c.amountFen ?? amount;
        break;
      case 'members_changed':
        amount = c.amountFen ?? amount;
        members = [...(c.members ?? members)];
        break;
      case 'suspended':
        status = 'suspended';
        break;
      case 'resumed':
        status = endsMonth ? 'gradual_exit' : 'active';
        break;
      case 'gradual_exit_started':
        status = 'gradual_exit';
        endsMonth = addMonths(c.effectiveMonth, Math.max(0, c.months ?? 0));
        break;
      case 'ended':
        status = 'ended';
        endsMonth = endsMonth && endsMonth < c.effectiveMonth ? endsMonth : c.effectiveMonth;
        break;
    }
  }
  return { status, endsMonth, fromMonth: sorted[0]!.effectiveMonth, monthlyAmountFen: amount, members };
}

/** Whether a change of `type` may follow the current summary (the server answers 409 otherwise). */
export function changeAllowed(status: EntitlementSummary['status'], type: EntitlementChangeType): boolean {
  switch (type) {
    case 'enrolled':
      return false;
    case 'amount_changed':
    case 'members_changed':
      return status === 'active' || status === 'suspended' || status === 'gradual_exit';
    case 'suspended':
      return status === 'active' || status === 'gradual_exit';
    case 'resumed':
      return status === 'suspended';
    case 'gradual_exit_started':
      return status === 'active';
    case 'ended':
      return status !== 'ended';
  }
}
