import { useState } from 'react';
import { Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { AuditList, type AuditEntry } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { downloadXlsx } from '../../../components/list/exportXlsx';
import { EXPORT_LIMIT } from '../../../components/list/ListPage';
import type { AuditFilters } from './useAuditList';

/** Every row of the current audit search as an .xlsx, in the words the table uses. */
export function AuditExportButton({
  filters,
  actionName,
  entityName,
  roleLabel,
}: {
  filters: AuditFilters;
  actionName: (code: string) => string;
  entityName: (code: string) => string;
  roleLabel: (role: string) => string;
}) {
  const t = useT();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const rows: AuditEntry[] = [];
      for (let page = 1; rows.length < EXPORT_LIMIT; page++) {
        const res = await api.get('/api/audit', { query: { ...filters, page, pageSize: 200 }, schema: AuditList });
        rows.push(...res.items);
        if (res.items.length < 200 || rows.length >= res.total) break;
      }
      await downloadXlsx(t('audit.title'), {
        sheetName: t('audit.title'),
        headers: [
          t('audit.field.seq'),
          t('audit.field.at'),
          t('audit.field.actor'),
          t('audit.field.role'),
          t('audit.field.region'),
          t('audit.field.action'),
          t('audit.field.entity'),
          t('audit.field.household'),
        ],
        rows: rows.map((e) => [
          e.seq,
          formatDateTime(e.at),
          e.actorName ? `${e.actorName}（${e.actorUsername}）` : e.actorUsername,
          roleLabel(e.actorRole),
          e.regionName ?? e.regionCode,
          actionName(e.action),
          entityName(e.entity),
          e.householdNo ?? '',
        ]),
      });
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid="audit-export">
      {t('list.export')}
    </Button>
  );
}
