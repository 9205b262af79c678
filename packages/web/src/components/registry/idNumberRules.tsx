import type { FormRule } from 'antd';
import { normalizeIdNumber, validateIdNumber } from '@jiuzhu/shared';
import type { Lang, Translate } from '../../i18n';

interface Options {
  lang: Lang;
  t: Translate;
  required: boolean;
  /** `data-testid` of the element holding the message, e.g. `member-0-idNumber-error`. */
  errorTestId: string;
  /** Another check once the number itself is valid (a duplicate in the same household). */
  extra?: (idNumber: string) => string | undefined;
}

/**
 * Inline validation of a resident ID number with the clerk-readable reason from
 * `validateIdNumber` (校验码错误：最后一位应为 X…). Put the item on
 * `validateTrigger={ID_NUMBER_TRIGGERS}` and `validateFirst`: leaving the field (and saving)
 * checks everything; while typing, only mistakes more typing cannot fix are shown, so the
 * clerk is not told "17 digits" at every keystroke.
 */
export function idNumberRules({ lang, t, required, errorTestId, extra }: Options): FormRule[] {
  const fail = (message: string) => Promise.reject(<span data-testid={errorTestId}>{message}</span>);
  return [
    {
      validateTrigger: 'onBlur',
      validator: (_, raw: unknown) => {
        const value = typeof raw === 'string' ? raw : '';
        if (normalizeIdNumber(value) === '') return required ? fail(t('form.required')) : Promise.resolve();
        const result = validateIdNumber(value);
        if (!result.ok) return fail(result.message[lang]);
        const other = extra?.(result.idNumber);
        return other ? fail(other) : Promise.resolve();
      },
    },
    {
      validateTrigger: 'onChange',
      validator: (_, raw: unknown) => {
        const value = normalizeIdNumber(typeof raw === 'string' ? raw : '');
        if (value === '') return Promise.resolve();
        const result = validateIdNumber(value);
        if (result.ok) return Promise.resolve();
        // A short number may still be on its way to 18 characters (and 15 of them are a valid
        // legacy number that would mis-read the birth date), so only "not a digit" is final.
        if (value.length < 18 && result.reason !== 'characters') return Promise.resolve();
        return fail(result.message[lang]);
      },
    },
  ];
}

export const ID_NUMBER_TRIGGERS = ['onChange', 'onBlur'];

/** The number to send: normalised (full-width, spaces, lower-case x) and 15 digits converted to 18. */
export function idNumberToSend(raw: string): string {
  const result = validateIdNumber(raw);
  return result.ok ? result.idNumber : normalizeIdNumber(raw);
}
