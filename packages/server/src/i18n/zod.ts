import { z } from 'zod';
import { messages, t, type Lang, type MessageKey } from './messages';

const zodLocales = { 'zh-CN': z.locales.zhCN().localeError, 'en-US': z.locales.en().localeError };

/**
 * zod's default messages are English; a message a schema wrote itself is kept as written.
 * The validation entry carries the issue's fields in `params`, enough to re-render it.
 */
export function localiseZodMessage(
  lang: Lang,
  v: { keyword: string; message?: string; params: Record<string, unknown> },
): string {
  const issue = { ...v.params, code: v.keyword, message: v.message } as unknown as Parameters<
    (typeof zodLocales)['en-US']
  >[0];
  // A missing value: say so plainly instead of "expected string, received undefined".
  if (v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? '')) {
    return lang === 'zh-CN' ? '此项为必填项' : 'Required';
  }
  // Shared schemas name server messages by key (control characters, calendar dates).
  if (v.message !== undefined && v.message in messages) return t(lang, v.message as MessageKey);
  const asDefault = zodLocales['en-US'](issue);
  const defaultMessage = typeof asDefault === 'string' ? asDefault : asDefault?.message;
  if (v.message !== undefined && v.message !== defaultMessage) return v.message;
  const localised = zodLocales[lang](issue);
  return (typeof localised === 'string' ? localised : localised?.message) ?? v.message ?? v.keyword;
}
