import type { ReactNode } from 'react';
import { Button, Card, Flex, Tooltip, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useT } from '../../i18n';

/** One action of a detail page's toolbar. */
export interface ToolbarAction {
  key: string;
  label: string;
  /** The workflow's next step: the blue button. */
  primary?: boolean;
  /** A refusal or an irreversible step: the red button, kept apart from the others. */
  danger?: boolean;
  /** Why it cannot be used yet; the button is disabled and the reason is shown, not hidden. */
  disabledReason?: string;
}

/**
 * The detail-page toolbar: one button per action the user may take; a button opens its form
 * below (one form at a time, closed with ✕). Test ids: `action-<key>`, `action-<key>-why`,
 * `action-form` (the open form's card, `data-action`).
 */
export function ActionToolbar({
  actions,
  open,
  onOpen,
  form,
  formTitle,
  testId = 'case-actions',
}: {
  actions: readonly ToolbarAction[];
  open: string | null;
  onOpen: (key: string | null) => void;
  /** The open action's form. */
  form: ReactNode;
  formTitle?: string;
  testId?: string;
}) {
  const t = useT();
  if (actions.length === 0) return null;
  const regular = actions.filter((a) => !a.danger);
  const danger = actions.filter((a) => a.danger);
  const button = (a: ToolbarAction) => {
    const b = (
      <Button
        key={a.key}
        type={a.primary || open === a.key ? 'primary' : 'default'}
        ghost={!a.primary && open === a.key}
        danger={a.danger}
        disabled={!!a.disabledReason}
        onClick={() => onOpen(open === a.key ? null : a.key)}
        data-testid={`action-${a.key}`}
        aria-pressed={open === a.key}
      >
        {a.label}
      </Button>
    );
    return a.disabledReason ? (
      <Tooltip key={a.key} title={a.disabledReason}>
        <span>{b}</span>
      </Tooltip>
    ) : (
      b
    );
  };
  const reasons = actions.filter((a) => a.disabledReason);
  return (
    <Card size="small" data-testid={testId} title={t('detail.actions')}>
      <Flex wrap gap="small" justify="space-between">
        <Flex wrap gap="small">
          {regular.map(button)}
        </Flex>
        {danger.length > 0 && (
          <Flex wrap gap="small">
            {danger.map(button)}
          </Flex>
        )}
      </Flex>
      {reasons.map((a) => (
        <Typography.Paragraph
          key={a.key}
          type="secondary"
          style={{ margin: '8px 0 0' }}
          data-testid={`action-${a.key}-why`}
        >
          {a.label}：{a.disabledReason}
        </Typography.Paragraph>
      ))}
      {open && form && (
        <Card
          size="small"
          type="inner"
          style={{ marginTop: 12 }}
          title={formTitle}
          extra={
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              aria-label={t('common.close')}
              onClick={() => onOpen(null)}
              data-testid="action-form-close"
            />
          }
          data-testid="action-form"
          data-action={open}
        >
          {form}
        </Card>
      )}
    </Card>
  );
}
