import { useCallback, useState } from 'react';
import type { FormInstance } from 'antd';
import type { FieldError } from '@jiuzhu/shared';
import { isApiError } from './client';
import { applyFieldErrors, errorMessage, isSessionLoss, type FieldMapper } from './errors';
import { useT } from '../i18n';

export interface FormSubmitError {
  message: string;
  /** The API's error code (`CONFLICT`…), for forms that explain some failures their own way. */
  code?: string;
  /** Server field errors whose path matches no form item. */
  fields: FieldError[];
}

/**
 * Runs a form's API call: server field errors go onto the form items; anything else
 * (a conflict, a forbidden region, unmatched fields) becomes `error` for an alert in the form.
 * `fields`: the item names of a flat form, or a `FieldMapper` for nested ones (keep it stable).
 */
export function useFormSubmit(form: FormInstance, fields: readonly string[] | FieldMapper) {
  const t = useT();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<FormSubmitError | null>(null);

  const run = useCallback(
    async (action: () => Promise<void>): Promise<boolean> => {
      setSubmitting(true);
      setError(null);
      try {
        await action();
        return true;
      } catch (e) {
        if (isSessionLoss(e)) return false;
        const unmatched = applyFieldErrors(form, e, fields);
        const placed = isApiError(e) ? e.fields.length - unmatched.length : 0;
        if (placed === 0 || unmatched.length > 0)
          setError({ message: errorMessage(e, t), code: isApiError(e) ? e.code : undefined, fields: unmatched });
        return false;
      } finally {
        setSubmitting(false);
      }
    },
    [form, fields, t],
  );

  const clearError = useCallback(() => setError(null), []);
  return { run, submitting, error, clearError };
}
