import type { FormInstance } from 'antd';
import type { ChangePasswordBody } from '@jiuzhu/shared';
import { ApiError, api, isApiError } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function useChangePassword(form: FormInstance) {
  const submit = useFormSubmit(form, FIELDS);

  async function change(body: ChangePasswordBody): Promise<boolean> {
    return submit.run(async () => {
      try {
        await api.post('/api/auth/password', { body });
      } catch (e) {
        // A wrong current password belongs on that field, not in a banner.
        if (isApiError(e) && e.code === 'INVALID_CREDENTIALS' && e.fields.length === 0) {
          throw new ApiError(e.status, e.code, e.message, [{ path: 'currentPassword', message: e.message }]);
        }
        throw e;
      }
    });
  }

  return { change, submitting: submit.submitting, error: submit.error };
}
