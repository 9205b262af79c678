import { Flex, List, Typography } from 'antd';
import { zhCN, type MessageKey } from '../../locales/zh-CN';
import type { Translate } from '../../i18n';
import { useT } from '../../i18n';
import { formatYuan } from '../../lib/format';

export type Line = { key: string; values: Record<string, number | string>; amountFen?: number; passed?: boolean };

/** Keys come from the server (policy math, case rules); only known ones go through the dictionary. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/** A calculation value as the sentence shows it: fen as yuan, per-mille as a multiplier. */
function formatValue(name: string, value: number | string, t: Translate): string {
  if (typeof value !== 'number') {
    const key =
      name === 'kind'
        ? `policy.kind.${value}`
        : name === 'level'
          ? `policy.approval.${value}`
          : name === 'tier'
            ? `cases.tier.${value}`
            : '';
    return key && isMessageKey(key) ? t(key) : value;
  }
  if (name.endsWith('Fen')) return formatYuan(value);
  if (name === 'perMille') return String(value / 1000);
  if (name === 'hasBusiness') return t(value ? 'common.yes' : 'common.no');
  return String(value);
}

/**
 * One calculation line in words. A key the web app does not know yet (a new rule on the
 * server) shows as the key and its values rather than failing the page.
 */
export function lineText(line: Line, t: Translate): string {
  const vars = Object.fromEntries(Object.entries(line.values).map(([k, v]) => [k, formatValue(k, v, t)]));
  if (isMessageKey(line.key)) return t(line.key, vars);
  const shown = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  return shown.length > 0 ? `${line.key} (${shown.join(', ')})` : line.key;
}

/** The step-by-step calculation: each line in words, its amount on the right. */
export function CalcLines({ lines, testId }: { lines: readonly Line[]; testId?: string }) {
  const t = useT();
  return (
    <List
      size="small"
      bordered
      dataSource={[...lines]}
      data-testid={testId}
      renderItem={(line, i) => (
        <List.Item data-testid={testId ? `${testId}-${i}` : undefined}>
          <Flex justify="space-between" align="baseline" gap={12} style={{ width: '100%' }}>
            {/* A kind's heading line starts its part of the calculation. */}
            <Typography.Text strong={line.key === 'case.calc.kind'}>{lineText(line, t)}</Typography.Text>
            {line.amountFen !== undefined ? (
              <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                {t('common.yuan', { amount: formatYuan(line.amountFen) })}
              </Typography.Text>
            ) : line.passed !== undefined ? (
              <Typography.Text type={line.passed ? 'success' : 'danger'} style={{ whiteSpace: 'nowrap' }}>
                {t(line.passed ? 'cases.calc.passed' : 'cases.calc.failed')}
              </Typography.Text>
            ) : null}
          </Flex>
        </List.Item>
      )}
    />
  );
}
