/**
 * A yuan amount written as text ('1234', '1234.5', '0.05') as integer fen, in integer
 * arithmetic; null unless it is a non-negative amount with at most two decimals.
 */
export function parseYuan(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
