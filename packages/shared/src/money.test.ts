import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYuan } from './money';

describe('parseYuan', () => {
  it('reads yuan with up to two decimals as integer fen', () => {
    expect(parseYuan('0')).toBe(0);
    expect(parseYuan('150.5')).toBe(15_050);
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('3000.')).toBe(300_000);
  });

  it('refuses negative, non-numeric and over-precise amounts', () => {
    for (const bad of ['-20', 'abc', '1.234', '', '1,000', ' 1']) expect(parseYuan(bad)).toBeNull();
  });

  it('round-trips every fen amount written as yuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
        expect(parseYuan(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`)).toBe(fen);
      }),
    );
  });
});
