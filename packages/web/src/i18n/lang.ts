import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

/** UI languages; the value is what the API receives in Accept-Language. */
export const LANGS = ['zh-CN', 'en-US'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';

const STORAGE_KEY = 'jiuzhu.lang';
const DAYJS_LOCALE: Record<Lang, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}

function readStored(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

// Module state rather than React state only: the API client, outside React, needs it too.
let current: Lang = readStored();
apply(current);

function apply(lang: Lang): void {
  dayjs.locale(DAYJS_LOCALE[lang]);
  document.documentElement.lang = lang;
}

export function currentLang(): Lang {
  return current;
}

export function storeLang(lang: Lang): void {
  current = lang;
  apply(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}
