import type { HTMLAttributes } from 'react';
import { Card, Col, Flex, Row, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useT, type MessageKey } from '../../../i18n';
import { errorsCsvUrl, type ImportError, type ImportReport } from './report';

interface Stat {
  key: keyof ImportReport;
  testId: string;
  label: MessageKey;
  color?: string;
}

/** The counts of a check (dry run) or an import, and every row the server refused. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const t = useT();
  const stats: Stat[] = [
    { key: 'rows', testId: 'import-stat-rows', label: 'import.stat.rows' },
    { key: 'households', testId: 'import-stat-households', label: 'import.stat.households' },
    { key: 'validHouseholds', testId: 'import-stat-valid', label: 'import.stat.valid', color: '#389e0d' },
    // A dry run imports nothing, so its "imported" count would only confuse.
    ...(report.dryRun
      ? []
      : [
          {
            key: 'importedHouseholds',
            testId: 'import-stat-imported',
            label: 'import.stat.imported',
            color: '#1677ff',
          } as Stat,
        ]),
    { key: 'unchangedHouseholds', testId: 'import-stat-unchanged', label: 'import.stat.unchanged' },
  ];

  const columns: TableColumnsType<ImportError & { index: number }> = [
    { title: t('import.error.row'), dataIndex: 'row', width: 90 },
    { title: t('import.error.column'), dataIndex: 'column', width: 180 },
    { title: t('import.error.reason'), dataIndex: 'reason' },
  ];

  return (
    <Flex vertical gap="middle" data-testid="import-report" data-dry-run={String(report.dryRun)}>
      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col key={s.key} xs={12} md={8} xl={4}>
            <Card size="small" data-testid={s.testId}>
              <Statistic
                title={t(s.label)}
                value={report[s.key] as number}
                styles={s.color ? { content: { color: s.color } } : undefined}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={8} xl={4}>
          <Card size="small" data-testid="import-stat-errors">
            <Statistic
              title={t('import.stat.errors')}
              value={report.errors.length}
              styles={report.errors.length > 0 ? { content: { color: '#cf1322' } } : undefined}
            />
          </Card>
        </Col>
      </Row>
      {report.errors.length > 0 && (
        <Card
          size="small"
          title={t('import.errors.title')}
          extra={
            <Typography.Link href={errorsCsvUrl(report.importId)} download data-testid="import-errors-csv">
              <DownloadOutlined /> {t('import.errors.download')}
            </Typography.Link>
          }
        >
          <Table
            rowKey="index"
            size="small"
            columns={columns}
            dataSource={report.errors.map((e, index) => ({ ...e, index }))}
            pagination={report.errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            onRow={(e) => ({ 'data-testid': `import-error-row-${e.index}` }) as HTMLAttributes<HTMLElement>}
            data-testid="import-errors-table"
          />
        </Card>
      )}
    </Flex>
  );
}
