import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { Protector } from '../../../crypto/index';
import type { FeedColumnSpec } from '../../../db/schema';
import { FEED_KINDS } from '../catalogue';
import { emptyPrepared, FEED_PROTECTED_CONTEXT, prepareRows } from './prepare';
import type { RawRow } from './read';
import { compileRowCheck, type RowCheck } from './validate';

const protector = new Protector({
  dataKeyring: { current: 1, keys: new Map([[1, Buffer.alloc(32, 7)]]) },
  dataCipher: 'aes-256-gcm',
  indexKey: Buffer.alloc(32, 9),
});
const AS_OF = '2026-01-01';
const TODAY = '2026-06-01';
const ID = makeIdNumber('350302', '1980-02-29', 17);

const text = fc.oneof(
  fc.constantFrom('', ' ', '林美华', ' 林 ', 'a\\b', 'x\ty', 'l1\nl2', 'q"q', '\u0001', '\ud83d', '😀', 'K1'),
  fc.string({ unit: fc.constantFrom('a', '林', '\\', '"', '\t', '\n', '\r', ' ', '\u001f', '\ude00', '😀') }),
);

/** Mostly a good value of the column (so that whole rows pass), else anything the column may meet. */
function valueOf(c: FeedColumnSpec): fc.Arbitrary<string> {
  const goods: Record<string, string | undefined> = {
    id_number: ID,
    date: '2025-11-01',
    month: '2025-10',
    region: '350302',
    code: c.values?.[0],
    fen: '100',
    integer: '2',
    decimal: '2',
  };
  const good = goods[c.name === 'id_number' ? c.name : c.type];
  const any = anyValueOf(c);
  return fc.oneof(
    { arbitrary: good === undefined ? any : fc.constant(good), weight: 3 },
    { arbitrary: any, weight: 1 },
  );
}

function anyValueOf(c: FeedColumnSpec): fc.Arbitrary<string> {
  if (c.name === 'id_number') {
    return fc.constantFrom(ID, ID.toLowerCase(), ` ${ID}`, ID.slice(0, 17) + '0', '350302800229171', '', 'abc');
  }
  switch (c.type) {
    case 'date':
      return fc.constantFrom('2025-11-01', ' 2025-11-01 ', '2024-02-29', '2025-02-29', '2030-01-01', '2025-1-01', '');
    case 'month':
      return fc.constantFrom('2025-10', '2025-13', ' 2025-01', '2030-01', '2025-00', '');
    case 'fen':
    case 'integer':
    case 'decimal':
      return fc.constantFrom('100', '-5', '007', '-0', '1.50', '3', '1e3', '99999999999999999', ' 42 ', '', '2');
    case 'code':
      return fc.constantFrom(...(c.values ?? []), ` ${c.values?.[0] ?? ''}`, 'bad', '');
    case 'region':
      return fc.constantFrom('350302', '350302001', '35030', ' 350302 ', '');
    default:
      return text;
  }
}

/** Every COPY row, its protected token decrypted (encryption draws a fresh nonce). */
function rowsOf(copy: Uint8Array): string[] {
  return Buffer.from(copy)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const cells = line.split('\t');
      const enc = cells.pop()!;
      return [...cells, enc === '\\N' ? enc : protector.decrypt(enc, FEED_PROTECTED_CONTEXT)].join('\t');
    });
}

describe('the fast path of the row checks', () => {
  it('writes for every kind exactly the rows, errors and counts of the full check', () => {
    for (const kind of FEED_KINDS) {
      const columns = kind.columns as FeedColumnSpec[];
      const check = compileRowCheck(columns, kind.eventDateColumn, AS_OF, TODAY);
      expect(check.fast, kind.code).toBeDefined();
      const full: RowCheck = (values) => check(values);
      fc.assert(
        fc.property(fc.array(fc.tuple(...columns.map(valueOf)), { minLength: 1, maxLength: 20 }), (rowValues) => {
          const rows: RawRow[] = rowValues.map((values, i) => ({ line: i + 2, values: [...values] }));
          const a = emptyPrepared();
          const b = emptyPrepared();
          prepareRows(rows, { check, protector, prefix: 'p\t', batchId: 'b' }, a);
          prepareRows(rows, { check: full, protector, prefix: 'p\t', batchId: 'b' }, b);
          expect(rowsOf(a.copy)).toEqual(rowsOf(b.copy));
          expect({ ...a, copy: null }).toEqual({ ...b, copy: null });
        }),
        { numRuns: 300 },
      );
    }
  });

  it('is left out for a kind whose JSON it would not write the same way', () => {
    const base: FeedColumnSpec[] = ['record_id', 'id_number', 'name'].map((name) => ({
      name,
      type: 'text',
      required: true,
      labelZh: name,
      labelEn: name,
    }));
    const col = (name: string, type: FeedColumnSpec['type'] = 'date'): FeedColumnSpec => ({
      name,
      type,
      required: true,
      labelZh: name,
      labelEn: name,
    });
    expect(compileRowCheck([...base, col('day')], 'day', AS_OF, TODAY).fast).toBeDefined();
    expect(compileRowCheck([...base, col('day'), col('7', 'text')], 'day', AS_OF, TODAY).fast).toBeUndefined();
    expect(compileRowCheck([...base, col('day'), col('__proto__', 'text')], 'day', AS_OF, TODAY).fast).toBeUndefined();
    expect(compileRowCheck([...base, col('day', 'month')], 'day', AS_OF, TODAY).fast).toBeUndefined();
  });
});
