import { useState } from 'react';
import { MeResponse, type LoginBody, type Me } from '@jiuzhu/shared';
import { api } from '../../../api/client';

/** Login call; a 401 here means wrong credentials, so it must not trigger the session redirect. */
export function useLogin(onSuccess: (me: Me) => void) {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  async function login(body: LoginBody) {
    setSubmitting(true);
    setError(undefined);
    try {
      const { user } = await api.post('/api/auth/login', { body, schema: MeResponse, authRedirect: false });
      onSuccess(user);
    } catch (e) {
      setError(e);
    } finally {
      setSubmitting(false);
    }
  }

  return { login, submitting, error, clearError: () => setError(undefined) };
}
