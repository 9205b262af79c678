/**
 * One event of a household's chain (全流程追踪), as each module reports its own rows; the
 * dashboard module merges them in time order. `at` is an ISO timestamp.
 */
export type TraceRow = {
  at: string;
  type: 'lead' | 'visit' | 'case' | 'enrolment' | 'payment' | 'return' | 'claim';
  action: string;
  actor: string | null;
  ref: string;
  link: string | null;
  amountFen: number | null;
  month: string | null;
};

export const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
