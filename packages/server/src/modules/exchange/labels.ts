import type { RecordFieldLabel } from '@jiuzhu/shared';
import type { Lang } from '../../i18n/messages';
import type { FeedColumnSpec } from '../../db/schema';

/**
 * The catalogue's names of a record kind's readable columns, in the caller's language, so
 * that no screen shows a column key (`self_paid_fen`) where a person expects 自付金额.
 * Protected columns are left out: their values are never sent.
 */
export function recordFieldLabels(columns: readonly FeedColumnSpec[], lang: Lang): RecordFieldLabel[] {
  return columns
    .filter((c) => !c.protected)
    .map((c) => ({ name: c.name, label: lang === 'en-US' ? c.labelEn : c.labelZh, type: c.type }));
}
