import { Alert, Button } from 'antd';
import { errorMessage, isSessionLoss } from '../api/errors';
import { isAbortError } from '../api/client';
import { useT } from '../i18n';

/** A failed load, with a retry button when the page can reload. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  if (!error || isAbortError(error) || isSessionLoss(error)) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={errorMessage(error, t)}
      data-testid="load-error"
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
