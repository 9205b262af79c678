import type { HouseholdInput } from '@jiuzhu/shared';
import { COLUMNS } from './import-format';

/** The written form of a stored value, for each column with a list of allowed values (first spelling wins). */
const WRITTEN = new Map(
  COLUMNS.filter((c) => c.values).map((c) => {
    const back = new Map<string | number, string>();
    for (const [written, stored] of Object.entries(c.values!)) if (!back.has(stored)) back.set(stored, written);
    return [c.field, back] as const;
  }),
);

const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const TEMPLATE_HEADER_LINE = COLUMNS.map((c) => c.header).join(',');

/** A household as rows of the import template (CSV lines), one per member. */
export function householdToCsvLines(key: string, h: HouseholdInput): string[] {
  return h.members.map((m) => {
    const source: Record<string, unknown> = {
      key,
      regionCode: h.regionCode,
      address: h.address,
      assistanceStatus: h.assistanceStatus,
      ...m,
      'disability.type': m.disability?.type,
      'disability.grade': m.disability?.grade,
      'disability.certificateNo': m.disability?.certificateNo,
    };
    for (const [k, v] of Object.entries(m.income ?? {})) source[`income.${k}`] = v;
    for (const [k, v] of Object.entries(m.assets ?? {})) source[`assets.${k}`] = v;
    return COLUMNS.map((c) => {
      const v = source[c.field];
      if (v === undefined || v === null) return '';
      if (c.yuan) return ((v as number) / 100).toFixed(2);
      const written = WRITTEN.get(c.field)?.get(v as string | number);
      return quote(written ?? String(v));
    }).join(',');
  });
}
