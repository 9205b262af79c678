import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';

/** One key fact in a detail page's header: a label over its value. */
export interface KeyFact {
  key: string;
  label: string;
  value: ReactNode;
}

/**
 * The detail-page header: the object's name (`data-testid="page-title"`), its status, the few
 * facts a clerk looks for first, and page-level buttons (reload, back). The full record
 * follows below in cards.
 */
export function DetailHeader({
  title,
  status,
  facts,
  extra,
  testId,
}: {
  title: ReactNode;
  status?: ReactNode;
  facts: readonly KeyFact[];
  extra?: ReactNode;
  testId?: string;
}) {
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid={testId}>
      <Flex align="center" justify="space-between" wrap gap="small">
        <Flex align="center" wrap gap="small" style={{ minWidth: 0 }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
            {title}
          </Typography.Title>
          {status}
        </Flex>
        {extra ? (
          <Flex gap="small" wrap>
            {extra}
          </Flex>
        ) : null}
      </Flex>
      {facts.length > 0 && (
        <Flex wrap gap="small" style={{ marginTop: 12, rowGap: 8, columnGap: 32 }}>
          {facts.map((f) => (
            <div key={f.key} data-testid={`fact-${f.key}`} style={{ minWidth: 0 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {f.label}
              </Typography.Text>
              <div>{f.value}</div>
            </div>
          ))}
        </Flex>
      )}
    </Card>
  );
}
