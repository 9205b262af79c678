import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import type { FieldError } from '@jiuzhu/shared';
import { isAbortError, isApiError } from './client';
import { useT, type Translate } from '../i18n';

/** The text to show for any failure: the server's localised message when there is one. */
export function errorMessage(e: unknown, t: Translate): string {
  if (isApiError(e)) {
    if (e.code === 'NETWORK') return t('error.network');
    if (e.message) return e.message;
    if (e.code === 'BAD_RESPONSE') return t('error.badResponse');
  }
  return t('error.unknown');
}

/** A lost session is handled by the redirect to the login page; a toast would only add noise. */
export function isSessionLoss(e: unknown): boolean {
  return isApiError(e) && e.status === 401 && e.code !== 'INVALID_CREDENTIALS';
}

/** Shows a failure as a toast, skipping aborted requests and lost sessions. */
export function useNotifyError(): (e: unknown) => void {
  const { message } = App.useApp();
  const t = useT();
  return useCallback(
    (e: unknown) => {
      if (isAbortError(e) || isSessionLoss(e)) return;
      void message.error(errorMessage(e, t));
    },
    [message, t],
  );
}

/**
 * Puts the server's `fields[{path,message}]` on the matching form items. Paths may come as
 * `regionCode`, `body.regionCode` or `/regionCode`; the last segment names the field.
 * Returns the errors that match no field, for an alert above the form.
 */
export function applyFieldErrors(form: FormInstance, e: unknown, fieldNames: readonly string[]): FieldError[] {
  if (!isApiError(e)) return [];
  const unmatched: FieldError[] = [];
  const byField = new Map<string, string[]>();
  for (const f of e.fields) {
    const name = f.path.split(/[./]/).filter(Boolean).pop() ?? '';
    if (fieldNames.includes(name)) byField.set(name, [...(byField.get(name) ?? []), f.message]);
    else unmatched.push(f);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched;
}
