import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

/** Page title (`data-testid="page-title"`) with optional actions on the right. */
export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <Flex align="center" justify="space-between" wrap gap="small" style={{ marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
        {title}
      </Typography.Title>
      {extra ? (
        <Flex gap="small" wrap>
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}
