import { useState } from 'react';
import { ApiFailure } from './api';
import { t } from './i18n';

/**
 * A public form's sending: the page's own checks first (errors by field), then the request; the
 * server's field errors land on the same fields, anything else in one message.
 */
export function useFormSubmit() {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const err = (path: string) => fieldErrors[path] && <p className="error">{fieldErrors[path]}</p>;

  async function submit(errors: Record<string, string>, send: () => Promise<void>) {
    setFieldErrors(errors);
    setError('');
    if (Object.keys(errors).length > 0) return setError(t('apply.fix'));
    setBusy(true);
    try {
      await send();
      window.scrollTo(0, 0);
    } catch (e) {
      if (e instanceof ApiFailure) {
        setFieldErrors(Object.fromEntries(e.error.fields.map((f) => [f.path, f.message])));
        setError(e.message);
      } else setError(t('app.network'));
    } finally {
      setBusy(false);
    }
  }

  return { error, setError, busy, err, submit };
}
