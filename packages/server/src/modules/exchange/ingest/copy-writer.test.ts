import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyWriter } from './copy-writer';
import { esc } from './prepare';

/** Strings with what COPY and JSON escape, non-ASCII text, pairs and lone surrogates. */
const tricky = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      '林',
      '\\',
      '"',
      '\t',
      '\n',
      '\r',
      '\b',
      '\f',
      '\u0001',
      '\u001f',
      '\u007f',
      '\ud83d',
      '\ude00',
      '😀',
      '\u0800',
      '\u07ff',
      '\uffff',
    ),
  }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
);

describe('COPY text written into a buffer', () => {
  it('writes text values as esc and Buffer.from would', () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 5 }), (values) => {
        const w = new CopyWriter(8); // small: growing is part of the test
        for (const v of values) {
          w.text(v);
          w.byte(9);
        }
        expect(w.bytes().equals(Buffer.from(values.map((v) => `${esc(v)}\t`).join('')))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes JSON strings as esc(JSON.stringify(value)) would', () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 5 }), (values) => {
        const w = new CopyWriter(8);
        for (const v of values) w.jsonString(v);
        expect(w.bytes().toString('utf8')).toBe(values.map((v) => esc(JSON.stringify(v))).join(''));
        expect(w.bytes().equals(Buffer.from(values.map((v) => esc(JSON.stringify(v))).join('')))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes numbers, ASCII and raw text, and drops a row written in part', () => {
    const w = new CopyWriter(4);
    w.uint(0);
    w.uint(7);
    w.uint(1234567890);
    w.ascii('2025-11-01');
    w.raw('林\\N');
    const mark = w.length;
    w.text('half a row');
    w.truncate(mark);
    w.bytesOf(Buffer.from('\n'));
    expect(w.bytes().toString('utf8')).toBe('0712345678902025-11-01林\\N\n');
  });
});
