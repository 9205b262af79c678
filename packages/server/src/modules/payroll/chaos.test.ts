import { describe, expect, it } from 'vitest';
import { runChaos } from '../../../test/chaos-payroll';

// Three kills in the suite (each a child process opening the database); the full run of 20 or
// more is `npx tsx packages/server/test/chaos-payroll.ts --kills 20` (docs/PAYROLL.md).
describe('payroll build killed at random points', () => {
  it('leaves nothing or a complete draft, and a rerun ends with the lines of an uninterrupted run', async () => {
    const r = await runChaos({ kills: 3 });
    expect(r.lines).toBeGreaterThan(0);
    expect(r.kills).toBe(3);
    expect(r.empty + r.complete).toBe(r.runs);
    // A build killed before its commit leaves nothing.
    expect(r.empty).toBeGreaterThanOrEqual(1);
  }, 900_000);
});
