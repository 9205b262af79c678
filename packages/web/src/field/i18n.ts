import { enUS } from './locales/en-US';
import { zhCN, type FieldKey } from './locales/zh-CN';

export const lang: 'zh-CN' | 'en-US' = navigator.language.startsWith('en') ? 'en-US' : 'zh-CN';
const table: Record<FieldKey, string> = lang === 'en-US' ? enUS : zhCN;

export function t(key: FieldKey, params: Record<string, string | number> = {}): string {
  return table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
