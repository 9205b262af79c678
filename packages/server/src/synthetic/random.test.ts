import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random, hashString, weightedTable } from './random';

describe('Random', () => {
  it('gives the same sequence on every machine (golden values of sfc32 seeded through splitmix32)', () => {
    const r = new Random(1);
    expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([3224936468, 556074237, 3983846023]);
    const s = new Random('abc');
    expect([s.uint32(), s.uint32()]).toEqual([4010179712, 2073380504]);
    expect(hashString('')).toBe(0x811c9dc5);
  });

  it('repeats a sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const r = new Random(seed);
      return Array.from({ length: 50 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('int stays within inclusive bounds and reaches both ends', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 50 }),
        (seed, min, span) => {
          const r = new Random(seed);
          for (let i = 0; i < 20; i++) {
            const v = r.int(min, min + span);
            if (!Number.isInteger(v) || v < min || v > min + span) return false;
          }
          return true;
        },
      ),
    );
    const r = new Random(7);
    const seen = new Set(Array.from({ length: 500 }, () => r.int(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => r.int(3, 2)).toThrow(RangeError);
  });

  it('weighted picks follow the weights and never pick a zero weight', () => {
    const r = new Random(3);
    const table = weightedTable<string>([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ]);
    const counts = { a: 0, b: 0, never: 0 } as Record<string, number>;
    for (let i = 0; i < 20_000; i++) counts[r.from(table)]! += 1;
    expect(counts.never).toBe(0);
    expect(counts.b! / 20_000).toBeCloseTo(0.75, 1);
    const direct = { x: 0, y: 0 } as Record<string, number>;
    for (let i = 0; i < 20_000; i++)
      direct[
        r.weighted([
          ['x', 9],
          ['y', 1],
          ['z', 0],
        ])
      ]! += 1;
    expect(direct.x! / 20_000).toBeCloseTo(0.9, 1);
    expect(() => weightedTable([['a', 0]])).toThrow(RangeError);
  });

  it('normal and lognormal have the requested centre and spread', () => {
    const r = new Random(11);
    const xs = Array.from({ length: 20_000 }, () => r.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const logs = Array.from({ length: 20_001 }, () => r.lognormal(500, 1)).sort((a, b) => a - b);
    expect(logs[10_000]! / 500).toBeGreaterThan(0.9);
    expect(logs[10_000]! / 500).toBeLessThan(1.1);
    expect(logs[0]).toBeGreaterThan(0);
  });

  it('bernoulli, pick, shuffle and fork', () => {
    const r = new Random(5);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (r.bernoulli(0.3)) hits += 1;
    expect(hits / 10_000).toBeCloseTo(0.3, 1);
    expect(['a', 'b']).toContain(r.pick(['a', 'b']));
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    const a = new Random(9).fork('x');
    const b = new Random(9).fork('x');
    expect(a.uint32()).toBe(b.uint32());
    expect(new Random(9).fork('x').uint32()).not.toBe(new Random(9).fork('y').uint32());
  });
});
