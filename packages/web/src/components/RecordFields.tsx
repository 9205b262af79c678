import type { ReactNode } from 'react';
import { Typography } from 'antd';
import type { RecordFieldLabel } from '@jiuzhu/shared';
import { useI18n } from '../i18n';
import { formatYuan } from '../lib/format';
import { codeValueLabel } from '../lib/labels';
import { RegionName } from './regions/RegionName';

// Shown elsewhere on the same line or page (the person, the record's own number).
const SKIP = new Set(['record_id', 'id_number', 'name']);

/**
 * A department record's fields as people read them: the catalogue's names, money in 元,
 * code values by name, regions by name. A field the catalogue does not name is left out
 * rather than shown by its key.
 */
export function RecordFields({
  data,
  fields,
  separator = ' · ',
}: {
  data: Record<string, unknown>;
  fields: readonly RecordFieldLabel[];
  separator?: string;
}) {
  const { t, lang } = useI18n();
  const parts: ReactNode[] = [];
  for (const f of fields) {
    const v = data[f.name];
    if (SKIP.has(f.name) || v === null || v === undefined || v === '' || typeof v === 'object') continue;
    let value: ReactNode;
    if (f.type === 'fen' && typeof v === 'number') value = t('common.yuan', { amount: formatYuan(v) });
    else if (f.type === 'code') value = codeValueLabel(f.name, String(v), lang);
    else if (f.type === 'region') value = <RegionName code={String(v)} />;
    else if (typeof v === 'boolean') value = t(v ? 'common.yes' : 'common.no');
    else value = String(v);
    parts.push(
      <span key={f.name} data-testid={`record-field-${f.name}`}>
        {parts.length > 0 ? separator : ''}
        <Typography.Text type="secondary">{f.label}：</Typography.Text>
        {value}
      </span>,
    );
  }
  return <>{parts}</>;
}
