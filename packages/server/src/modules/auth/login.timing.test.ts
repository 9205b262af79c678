import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';

// A timing test: it runs in the `timing` project, alone after every other file (vitest.config.ts),
// so that another file's load on the two cores does not skew the comparison.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const loginFrom = (ip: string, username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('login timing', () => {
  it('takes as long to refuse an unknown account as a wrong password for a known one', async () => {
    const time = async (username: string, i: number) => {
      const started = performance.now();
      const res = await loginFrom(`10.0.4.${i}`, username, 'wrong-password');
      expect(res.statusCode).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, each from a fresh address, so neither side meets a lock or a warmer cache.
    for (let i = 1; i <= 12; i++) {
      known.push(await time('lingchuan', i));
      unknown.push(await time(`nobody-${i}`, i + 100));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both are dominated by one password hash; without the dummy hash the unknown side is ~0 ms.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.6);
    expect(median(unknown) / median(known)).toBeLessThan(1.6);
  });
});
