import { sql, type RawBuilder } from 'kysely';

/**
 * The fund split of an amount by a `payroll_fund_shares` row aliased `f`: central, provincial and
 * city shares truncated toward zero, the county taking the remainder, so the four always sum to the
 * amount — for a negative amount (an over-payment recovered) too.
 */
export function fundSplit(amount: RawBuilder<unknown>) {
  const part = (bp: string) => sql`(${amount}::bigint * ${sql.ref(`f.${bp}`)} / 10000)::int`;
  return sql`${part('central_bp')} as central_fen, ${part('provincial_bp')} as provincial_fen,
    ${part('city_bp')} as city_fen,
    (${amount} - ${part('central_bp')} - ${part('provincial_bp')} - ${part('city_bp')})::int as county_fen`;
}
