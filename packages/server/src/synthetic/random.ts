/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the draws the
 * generator needs. Pure 32-bit integer arithmetic (Math.imul, >>> 0), so the
 * same seed gives the same sequence on every engine and machine; Math.random
 * is never used.
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** 32-bit FNV-1a of a string: turns labels into seeds for independent streams. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Weighted<T> {
  readonly value: T;
  readonly weight: number;
}

/** A precomputed weighted choice: O(log n) per draw, for tables drawn from many times. */
export interface WeightedTable<T> {
  readonly values: readonly T[];
  /** Cumulative weights, normalised so the last is 1. */
  readonly cumulative: Float64Array;
}

export function weightedTable<T>(
  entries: readonly Weighted<T>[] | readonly (readonly [T, number])[],
): WeightedTable<T> {
  const pairs = entries.map((e) => (Array.isArray(e) ? { value: e[0], weight: e[1] } : e)) as Weighted<T>[];
  const usable = pairs.filter((p) => p.weight > 0);
  if (usable.length === 0) throw new RangeError('a weighted table needs at least one positive weight');
  const total = usable.reduce((sum, p) => sum + p.weight, 0);
  const cumulative = new Float64Array(usable.length);
  let running = 0;
  usable.forEach((p, i) => {
    running += p.weight;
    cumulative[i] = running / total;
  });
  cumulative[usable.length - 1] = 1;
  return { values: usable.map((p) => p.value), cumulative };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    const mix = splitmix32(hashString(typeof seed === 'number' ? `#${seed}` : seed));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // Discard the first outputs: sfc32 needs a few rounds to mix a fresh state.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** An independent stream for a labelled purpose, derived from this one's seed material. */
  fork(label: string): Random {
    return new Random(`${label}:${this.uint32()}:${this.uint32()}`);
  }

  /** sfc32: 32 random bits. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need integers with min <= max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One value of a weighted list; weights need not sum to 1. Use `weightedTable` for hot paths. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) if (w > 0) total += w;
    if (total <= 0) throw new RangeError('weighted pick needs at least one positive weight');
    let r = this.next() * total;
    for (const [value, w] of entries) {
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return value;
    }
    // Floating-point remainder: the last positive entry.
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i]![1] > 0) return entries[i]![0];
    throw new Error('unreachable');
  }

  from<T>(table: WeightedTable<T>): T {
    const r = this.next();
    const cum = table.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r < cum[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return table.values[lo]!;
  }

  /** Standard normal by Box–Muller, scaled: mean + sd·Z. */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next(); // (0, 1]: log(u) is finite
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A normal draw rounded and clamped to [min, max]: ages, counts. */
  normalInt(mean: number, sd: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, Math.round(this.normal(mean, sd))));
  }

  /** exp(N(mu, sigma)); `median` = e^mu is the easier parameter to reason about. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Fisher–Yates, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
