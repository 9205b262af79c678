import { describe, expect, it } from 'vitest';
import { uuidv7 } from './import-prepare';

describe('uuidv7', () => {
  it('is a version-7 UUID that starts with the time, so ids made later sort after', async () => {
    const before = Date.now();
    const a = uuidv7();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(a.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(uuidv7() > a).toBe(true);
    expect(new Set(Array.from({ length: 10_000 }, uuidv7)).size).toBe(10_000);
  });
});
