import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Flex, Progress, Spin, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { isAbortError } from '../../../api/client';
import { errorMessage, isSessionLoss } from '../../../api/errors';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ImportReportView } from './ImportReportView';
import {
  freshHouseholds,
  ImportFailed,
  TEMPLATE_URL,
  uploadImport,
  type ImportProgress,
  type ImportReport,
} from './report';

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'done';

const ACCEPTED = ['.xlsx', '.csv'];

/**
 * Bulk import in two steps: the file is checked first (dry run: nothing is written, every
 * problem is listed), and only a confirmed second upload of the same file imports it.
 */
export default function HouseholdImportPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [phase, setPhase] = useState<Phase>('idle');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);

  function fail(e: unknown, back: Phase) {
    setPhase(back);
    if (isAbortError(e) || isSessionLoss(e)) return;
    setError(e instanceof ImportFailed ? t('import.failed', { reason: e.message }) : errorMessage(e, t));
  }

  const customRequest: UploadProps['customRequest'] = ({ file: picked, onSuccess, onError }) => {
    const f = picked as File;
    setFile(f);
    setReport(null);
    setError(null);
    setPhase('checking');
    setProgress(null);
    uploadImport(f, true, setProgress).then(
      (r) => {
        setReport(r);
        setPhase('checked');
        onSuccess?.(r);
      },
      (e: unknown) => {
        fail(e, 'idle');
        onError?.(e instanceof Error ? e : new Error(String(e)));
      },
    );
  };

  async function confirm() {
    if (!file) return;
    setError(null);
    setPhase('importing');
    setProgress(null);
    try {
      const r = await uploadImport(file, false, setProgress);
      setReport(r);
      setPhase('done');
      void message.success(t('import.done', { imported: r.importedHouseholds }));
    } catch (e) {
      fail(e, 'checked');
    }
  }

  function restart() {
    setFile(null);
    setReport(null);
    setError(null);
    setPhase('idle');
  }

  const busy = phase === 'checking' || phase === 'importing';
  const canConfirm = phase === 'checked' && !!report && freshHouseholds(report) > 0;

  return (
    <>
      <PageHeader
        title={t('import.title')}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/households')} data-testid="import-back">
            {t('import.backToList')}
          </Button>
        }
      />
      <Flex vertical gap="middle">
        <Card size="small" title={t('import.step.template')}>
          <Typography.Paragraph type="secondary">{t('import.template.help')}</Typography.Paragraph>
          <Typography.Link href={TEMPLATE_URL} download data-testid="import-template">
            <DownloadOutlined /> {t('import.template.download')}
          </Typography.Link>
        </Card>

        <Card size="small" title={t('import.step.upload')}>
          {phase === 'idle' || phase === 'checking' ? (
            <div data-testid="import-upload">
              <Upload.Dragger
                accept={ACCEPTED.join(',')}
                multiple={false}
                maxCount={1}
                showUploadList={false}
                disabled={busy}
                beforeUpload={(f) => {
                  const ok = ACCEPTED.some((ext) => f.name.toLowerCase().endsWith(ext));
                  if (!ok) void message.error(t('import.file.type'));
                  return ok || Upload.LIST_IGNORE;
                }}
                customRequest={customRequest}
              >
                {phase === 'checking' ? (
                  <Flex vertical align="center" gap="small" data-testid="import-checking">
                    <Spin />
                    <Typography.Text>{t('import.checking', { name: file?.name ?? '' })}</Typography.Text>
                    <ImportProgressBar progress={progress} />
                  </Flex>
                ) : (
                  <>
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">{t('import.upload.text')}</p>
                    <p className="ant-upload-hint">{t('import.upload.hint')}</p>
                  </>
                )}
              </Upload.Dragger>
            </div>
          ) : (
            <Flex align="center" gap="small" wrap>
              <Typography.Text strong data-testid="import-file-name">
                {file?.name}
              </Typography.Text>
              <Button icon={<ReloadOutlined />} onClick={restart} disabled={busy} data-testid="import-restart">
                {t('import.restart')}
              </Button>
            </Flex>
          )}
        </Card>

        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            closable
            onClose={() => setError(null)}
            data-testid="import-error"
          />
        )}

        {phase === 'importing' && (
          <Card size="small" data-testid="import-importing">
            <ImportProgressBar progress={progress} />
          </Card>
        )}

        {report && (
          <Card
            size="small"
            title={t(report.dryRun ? 'import.step.check' : 'import.step.result')}
            data-testid={report.dryRun ? 'import-check' : 'import-result'}
          >
            <Flex vertical gap="middle">
              {report.dryRun ? (
                <Alert
                  type={report.errors.length > 0 ? 'warning' : 'success'}
                  showIcon
                  title={
                    report.errors.length > 0
                      ? t('import.check.withErrors', {
                          valid: report.validHouseholds,
                          fresh: freshHouseholds(report),
                          errors: report.errors.length,
                        })
                      : t('import.check.clean', { valid: report.validHouseholds, fresh: freshHouseholds(report) })
                  }
                  description={
                    report.unchangedHouseholds > 0
                      ? `${t('import.check.unchanged', { unchanged: report.unchangedHouseholds })} ${t('import.check.nothingWritten')}`
                      : t('import.check.nothingWritten')
                  }
                  data-testid="import-check-summary"
                />
              ) : (
                <Alert
                  type="success"
                  showIcon
                  title={t('import.result.summary', {
                    imported: report.importedHouseholds,
                    unchanged: report.unchangedHouseholds,
                  })}
                  data-testid="import-done"
                />
              )}
              <ImportReportView report={report} />
              {report.dryRun ? (
                <Flex gap="small" justify="end">
                  <Button onClick={restart} disabled={busy}>
                    {t('common.cancel')}
                  </Button>
                  <Button
                    type="primary"
                    loading={phase === 'importing'}
                    disabled={!canConfirm && phase !== 'importing'}
                    onClick={() => void confirm()}
                    data-testid="import-confirm"
                  >
                    {t('import.confirm', { fresh: freshHouseholds(report) })}
                  </Button>
                </Flex>
              ) : (
                <Flex gap="small" justify="end">
                  <Button onClick={restart} data-testid="import-another">
                    {t('import.another')}
                  </Button>
                  <Button type="primary" onClick={() => navigate('/households')} data-testid="import-to-list">
                    {t('import.toList')}
                  </Button>
                </Flex>
              )}
            </Flex>
          </Card>
        )}
      </Flex>
    </>
  );
}

/** How far the server got with the file: bytes read of the whole, and rows so far. */
function ImportProgressBar({ progress }: { progress: ImportProgress | null }) {
  const t = useT();
  if (!progress || progress.bytesTotal === 0) return null;
  const percent = Math.min(99, Math.floor((progress.bytesDone / progress.bytesTotal) * 100));
  return (
    <Flex vertical align="center" style={{ width: '100%', maxWidth: 360 }} data-testid="import-progress">
      <Progress percent={progress.status === 'done' ? 100 : percent} size="small" />
      <Typography.Text type="secondary">{t('import.progress', { rows: progress.rows })}</Typography.Text>
    </Flex>
  );
}
