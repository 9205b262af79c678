import { Descriptions } from 'antd';
import type { AssistanceKind } from '@jiuzhu/shared';
import { useT } from '../../../i18n';
import { PARAM_FIELDS, PARAM_GROUPS, formatParam, getIn } from './params';

/** The parameters of one version, grouped and in words (yuan, ×1.3, 个工作日), never raw JSON. */
export function ParamsView({
  kind,
  params,
  testId,
}: {
  kind: AssistanceKind;
  params: Record<string, unknown>;
  testId?: string;
}) {
  const t = useT();
  const fields = PARAM_FIELDS[kind];
  return (
    <div data-testid={testId}>
      {PARAM_GROUPS.map(({ group, title }) => {
        const items = fields.filter((f) => f.group === group);
        if (items.length === 0) return null;
        return (
          <Descriptions
            key={group}
            size="small"
            bordered
            column={{ xs: 1, md: 2, xl: 3 }}
            title={t(title)}
            style={{ marginBottom: 12 }}
            items={items.map((f) => ({
              key: f.path.join('.'),
              label: t(f.label),
              children: (
                <span data-testid={`param-${f.path.join('.')}`}>{formatParam(t, f.type, getIn(params, f.path))}</span>
              ),
            }))}
          />
        );
      })}
    </div>
  );
}
