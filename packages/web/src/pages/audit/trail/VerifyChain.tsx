import { useState } from 'react';
import { Alert, Button } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { AuditVerifyResult } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';

export function VerifyChainButton({ onResult }: { onResult: (r: AuditVerifyResult) => void }) {
  const t = useT();
  const notifyError = useNotifyError();
  const [loading, setLoading] = useState(false);
  return (
    <Button
      icon={<SafetyCertificateOutlined />}
      loading={loading}
      data-testid="audit-verify"
      onClick={async () => {
        setLoading(true);
        try {
          onResult(await api.get('/api/audit/verify', { schema: AuditVerifyResult }));
        } catch (e) {
          notifyError(e);
        } finally {
          setLoading(false);
        }
      }}
    >
      {t('audit.verify')}
    </Button>
  );
}

export function VerifyResultAlert({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const t = useT();
  return (
    <Alert
      type={result.ok ? 'success' : 'error'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="audit-verify-result"
      data-ok={result.ok}
      closable={{ onClose, 'aria-label': t('common.close') }}
      title={
        result.ok
          ? t('audit.verify.ok', { checked: result.checked })
          : t('audit.verify.broken', { seq: result.brokenAt ?? '?', checked: result.checked })
      }
      description={!result.ok && result.reason ? t('audit.verify.reason', { reason: result.reason }) : undefined}
    />
  );
}
