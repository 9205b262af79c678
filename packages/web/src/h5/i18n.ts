import { enUS } from './locales/en-US';
import { zhCN, type H5Key } from './locales/zh-CN';

/** zh-CN unless the page was opened with ?lang=en-US (the H5 is for the city's residents). */
export const lang: 'zh-CN' | 'en-US' = new URLSearchParams(location.search).get('lang') === 'en-US' ? 'en-US' : 'zh-CN';
const table: Record<H5Key, string> = lang === 'en-US' ? enUS : zhCN;

export function t(key: H5Key, params: Record<string, string | number> = {}): string {
  return table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** Money in yuan for people (the API speaks fen): 900 元, 1234.5 元. */
export function yuan(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return cents === 0 ? String(whole) : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}
