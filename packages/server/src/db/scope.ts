import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { currentScope, type Scope } from '../context';

/**
 * The region filter every scoped query carries: `column LIKE '<region code>%'`
 * (a division code's prefix is its ancestors; the column is collated "C" so the
 * b-tree index serves the prefix match). The system scope sees everything.
 */
export function inScope(column: string, scope: Scope = currentScope()): RawBuilder<SqlBool> {
  if (scope.kind === 'system') return sql<SqlBool>`true`;
  if (!/^\d+$/.test(scope.regionCode)) throw new Error('Scope region code must be digits');
  return sql<SqlBool>`${sql.ref(column)} like ${scope.regionCode + '%'}`;
}

/** True when a region code is visible in the scope (for checks on values not yet in a table). */
export function isInScope(regionCode: string, scope: Scope = currentScope()): boolean {
  return scope.kind === 'system' || regionCode.startsWith(scope.regionCode);
}
