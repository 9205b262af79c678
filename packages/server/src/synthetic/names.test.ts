import { describe, expect, it } from 'vitest';
import { fullName, givenName, surnameTable } from './names';
import { Random } from './random';

describe('names', () => {
  it('weights Putian surnames: 林 and 陈 first, then 黄 and 郑', () => {
    const r = new Random(1);
    const table = surnameTable('3503');
    const counts = new Map<string, number>();
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const s = r.from(table);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
    expect(ranked.slice(0, 2).sort()).toEqual(['林', '陈'].sort());
    expect(ranked.slice(2, 4).sort()).toEqual(['郑', '黄'].sort());
    expect(counts.get('林')! / n).toBeGreaterThan(0.1);
    expect(counts.get('林')! / n).toBeLessThan(0.2);
    // The national top names still occur, at a small share.
    expect(counts.get('赵') ?? 0).toBeGreaterThan(0);
    // Nationally 王 and 李 lead.
    const national = surnameTable('1101');
    let wang = 0;
    for (let i = 0; i < n; i++) if (r.from(national) === '王') wang += 1;
    expect(wang / n).toBeGreaterThan(0.05);
  });

  it('gives one- or two-character given names and repeats some full names, as a real registry does', () => {
    const r = new Random(2);
    const table = surnameTable('3503');
    const names: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const sex = i % 2 === 0 ? 'male' : 'female';
      const year = 1930 + (i % 90);
      const given = givenName(r, sex, year);
      expect(Array.from(given).length).toBeGreaterThanOrEqual(1);
      expect(Array.from(given).length).toBeLessThanOrEqual(2);
      expect(given).toMatch(/^[\u4e00-\u9fff]+$/);
      names.push(fullName(r, table, sex, year));
    }
    const distinct = new Set(names).size;
    expect(distinct).toBeLessThan(names.length * 0.95);
    expect(distinct).toBeGreaterThan(names.length * 0.5);
    const singles = names.filter((n) => Array.from(n).length === 2).length;
    expect(singles / names.length).toBeGreaterThan(0.05);
    expect(singles / names.length).toBeLessThan(0.35);
  });
});
