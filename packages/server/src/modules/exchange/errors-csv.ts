import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { t, type Lang } from '../../i18n/messages';
import { describeReason } from './service';

const PAGE = 5000;

const quote = (s: string | number) => `"${String(s).replace(/"/g, '""')}"`;

/**
 * A batch's error report as CSV: line, column, reason code and reason in the caller's language,
 * never the row's content. UTF-8 with a BOM and CRLF so Excel opens it as it is. Streamed page by
 * page (keyset on the primary key order), so a file with a million bad rows does not fill memory.
 */
export function errorsCsvStream(db: Kysely<DB>, batchId: string, lang: Lang): Readable {
  async function* lines() {
    yield `\uFEFF${[
      t(lang, 'exchange.csv.line'),
      t(lang, 'exchange.csv.column'),
      t(lang, 'exchange.csv.reasonCode'),
      t(lang, 'exchange.csv.reason'),
    ]
      .map(quote)
      .join(',')}\r\n`;
    let after: { line: number; reason: string } | null = null;
    for (;;) {
      let q = db
        .selectFrom('feed_errors')
        .select(['line', 'column_name', 'reason', 'params'])
        .where('batch_id', '=', batchId);
      if (after) {
        const { line, reason } = after;
        q = q.where((eb) => eb.or([eb('line', '>', line), eb.and([eb('line', '=', line), eb('reason', '>', reason)])]));
      }
      const rows = await q.orderBy('line').orderBy('reason').limit(PAGE).execute();
      if (rows.length === 0) return;
      yield rows
        .map(
          (r) =>
            `${[r.line, r.column_name ?? '', r.reason, describeReason(lang, r.reason, r.params)].map(quote).join(',')}\r\n`,
        )
        .join('');
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      after = { line: last.line, reason: last.reason };
    }
  }
  return Readable.from(lines());
}
