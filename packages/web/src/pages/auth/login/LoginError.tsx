import { Alert } from 'antd';
import { isApiError } from '../../../api/client';
import { errorMessage } from '../../../api/errors';
import { formatDateTime } from '../../../lib/format';
import { useT } from '../../../i18n';

/**
 * 401 INVALID_CREDENTIALS, 423 ACCOUNT_LOCKED and 429 RATE_LIMITED all carry a message the
 * server localised (the lock message includes the unlock time); for a lock we also show
 * `details.lockedUntil` on its own line in local time, since that is what staff act on.
 */
export function LoginError({ error }: { error: unknown }) {
  const t = useT();
  const lockedUntil =
    isApiError(error) && error.code === 'ACCOUNT_LOCKED' && typeof error.details.lockedUntil === 'string'
      ? error.details.lockedUntil
      : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="login-error"
      title={errorMessage(error, t)}
      description={
        lockedUntil ? (
          <span data-testid="login-locked-until">{t('login.lockedUntil', { time: formatDateTime(lockedUntil) })}</span>
        ) : undefined
      }
    />
  );
}
