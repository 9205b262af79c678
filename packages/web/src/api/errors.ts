import { useCallback, type ReactNode } from 'react';
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

/** A form item's name path, as antd's `NamePath` spells it. */
export type FieldName = (string | number)[];

/**
 * Maps server field paths onto the items of a form whose items are nested (lists of members):
 * `resolve` gets the path split into segments (`members.2.idNumber` → `['members', 2, 'idNumber']`)
 * and returns the item's name, or undefined when no item shows that field.
 */
export interface FieldMapper {
  resolve: (segments: FieldName) => FieldName | undefined;
  /** How a message shows on the item (a test id around it); plain text by default. */
  render?: (name: FieldName, message: string) => ReactNode;
}

/** `body.members.2.idNumber` or `/members/2/idNumber` → `['members', 2, 'idNumber']`. */
export function splitFieldPath(path: string): FieldName {
  const segments: FieldName = path
    .split(/[./]/)
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return segments[0] === 'body' ? segments.slice(1) : segments;
}

/**
 * Puts the server's `fields[{path,message}]` on the matching form items. With a list of
 * names, paths may come as `regionCode`, `body.regionCode` or `/regionCode` and the last
 * segment names the field; with a `FieldMapper`, the mapper decides.
 * Returns the errors that match no field, for an alert above the form.
 */
export function applyFieldErrors(
  form: FormInstance,
  e: unknown,
  fields: readonly string[] | FieldMapper,
): FieldError[] {
  if (!isApiError(e)) return [];
  const unmatched: FieldError[] = [];
  const byField = new Map<string, { name: FieldName; errors: ReactNode[] }>();
  for (const f of e.fields) {
    let name: FieldName | undefined;
    if (Array.isArray(fields)) {
      const last = f.path.split(/[./]/).filter(Boolean).pop() ?? '';
      name = (fields as readonly string[]).includes(last) ? [last] : undefined;
    } else {
      name = (fields as FieldMapper).resolve(splitFieldPath(f.path));
    }
    if (!name) {
      unmatched.push(f);
      continue;
    }
    const key = JSON.stringify(name);
    const shown = Array.isArray(fields) ? f.message : ((fields as FieldMapper).render?.(name, f.message) ?? f.message);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(shown);
    byField.set(key, entry);
  }
  // antd types `errors` as strings, but renders any node (rule messages may be elements too).
  form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors: errors as string[] })));
  return unmatched;
}
