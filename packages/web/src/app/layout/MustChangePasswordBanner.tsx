import { useState } from 'react';
import { Alert, Button } from 'antd';
import { Link } from 'react-router-dom';
import type { Me } from '@jiuzhu/shared';
import { useT } from '../../i18n';

const dismissedKey = (userId: string) => `jiuzhu.pwBannerDismissed.${userId}`;

function readDismissed(userId: string): boolean {
  try {
    return sessionStorage.getItem(dismissedKey(userId)) === '1';
  } catch {
    return false;
  }
}

/** Suggests changing an initial or reset password; dismissal lasts for this browser session. */
export function MustChangePasswordBanner({ me }: { me: Me }) {
  const t = useT();
  const [dismissed, setDismissed] = useState(() => readDismissed(me.id));
  if (!me.mustChangePassword || dismissed) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="must-change-password"
      title={t('password.banner')}
      action={
        <Link to="/account/password">
          <Button size="small" type="primary">
            {t('password.banner.action')}
          </Button>
        </Link>
      }
      closable={{
        'aria-label': t('common.close'),
        onClose: () => {
          try {
            sessionStorage.setItem(dismissedKey(me.id), '1');
          } catch {
            // Storage unavailable: dismissed until the next page load.
          }
          setDismissed(true);
        },
      }}
    />
  );
}
