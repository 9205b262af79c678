import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Radio, Select, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { ArrowLeftOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { FeedEncoding, FeedImportResult } from '@jiuzhu/shared';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useI18n } from '../../../i18n';
import { DATE_FORMAT } from '../../../lib/format';
import { errorsCsvUrl, exchangeApi } from '../api';
import { BatchStatusTag, formatDuration, useLocalName } from '../tags';

type Values = { kind: string; encoding: FeedEncoding; asOf?: Dayjs | null };

const ACCEPT: Record<string, string> = { csv: '.csv', xlsx: '.xlsx', jsonl: '.jsonl,.json,.ndjson' };

/** Upload one department file of a chosen record kind; shows the batch's counts and its error report. */
export default function FeedUploadPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const name = useLocalName();
  const [form] = Form.useForm<Values>();
  const [file, setFile] = useState<File | null>(null);
  const [fileMissing, setFileMissing] = useState(false);
  const [result, setResult] = useState<FeedImportResult | null>(null);
  const { run, submitting, error } = useFormSubmit(form, ['kind', 'encoding', 'asOf']);
  const sources = useRequest((signal) => exchangeApi.sources(signal), []);
  const kindCode = Form.useWatch('kind', form);

  const kinds = useMemo(() => (sources.data?.items ?? []).flatMap((s) => s.kinds), [sources.data]);
  const kind = kinds.find((k) => k.code === kindCode);
  const options = (sources.data?.items ?? [])
    .filter((s) => s.kinds.some((k) => k.active))
    .map((s) => ({
      label: name(s.nameZh, s.nameEn),
      title: s.code,
      options: s.kinds
        .filter((k) => k.active)
        .map((k) => ({ value: k.code, label: `${name(k.nameZh, k.nameEn)} (${k.format.toUpperCase()})` })),
    }));

  async function submit(values: Values) {
    if (!file) {
      setFileMissing(true);
      return;
    }
    setResult(null);
    await run(async () => {
      setResult(
        await exchangeApi.upload(file, {
          kind: values.kind,
          encoding: values.encoding,
          asOf: values.asOf ? values.asOf.format(DATE_FORMAT) : undefined,
        }),
      );
    });
  }

  return (
    <>
      <PageHeader
        title={t('exchange.upload.title')}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/exchange/batches')}>
            {t('exchange.backToBatches')}
          </Button>
        }
      />
      <ErrorAlert error={sources.error} onRetry={sources.reload} />
      <Card size="small" style={{ maxWidth: 720 }}>
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ encoding: 'auto' }}
          onFinish={submit}
          data-testid="upload-form"
        >
          <Form.Item
            name="kind"
            label={t('exchange.field.kind')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={options}
              loading={sources.loading}
              placeholder={t('exchange.upload.kindPlaceholder')}
              data-testid="upload-kind"
            />
          </Form.Item>
          {kind && (
            <Typography.Paragraph type="secondary" data-testid="upload-columns">
              {t('exchange.upload.columns', {
                columns: kind.columns.map((c) => `${lang === 'en-US' ? c.labelEn : c.labelZh}（${c.name}）`).join('、'),
              })}
            </Typography.Paragraph>
          )}
          <Form.Item name="encoding" label={t('exchange.field.encoding')}>
            <Radio.Group
              optionType="button"
              options={(['auto', 'utf-8', 'gbk'] as const).map((e) => ({
                value: e,
                label: t(`exchange.encoding.${e}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="asOf" label={t('exchange.field.asOf')} extra={t('exchange.upload.asOfHelp')}>
            <DatePicker format={DATE_FORMAT} data-testid="upload-as-of" />
          </Form.Item>
          <Form.Item
            label={t('exchange.field.file')}
            required
            validateStatus={fileMissing ? 'error' : undefined}
            help={fileMissing ? t('exchange.upload.fileRequired') : undefined}
          >
            <Upload
              accept={kind ? ACCEPT[kind.format] : '.csv,.xlsx,.jsonl'}
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setFileMissing(false);
                setResult(null);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
            >
              <Button icon={<UploadOutlined />} data-testid="upload-file">
                {t('exchange.upload.pick')}
              </Button>
            </Upload>
          </Form.Item>
          <FormErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="upload-submit">
            {t('exchange.upload.submit')}
          </Button>
        </Form>
      </Card>

      {result && (
        <Card size="small" style={{ maxWidth: 720, marginTop: 16 }} data-testid="upload-result">
          {result.alreadyLoaded && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('exchange.upload.alreadyLoaded', { batchNo: result.batchNo })}
              data-testid="upload-already-loaded"
            />
          )}
          {result.failure && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('exchange.upload.failed')}
              description={result.failure.message}
              data-testid="upload-failure"
            />
          )}
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('exchange.field.batchNo')}>
              <Link to={`/exchange/batches/${result.batchId}`} data-testid="upload-batch-link">
                #{result.batchNo}
              </Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.status')}>
              <BatchStatusTag status={result.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.rowsTotal')}>
              <span data-testid="upload-rows-total">{result.rowsTotal}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.rowsLoaded')}>
              <span data-testid="upload-rows-loaded">{result.rowsLoaded}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.rowsRejected')}>
              <span data-testid="upload-rows-rejected">{result.rowsRejected}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.rowsDuplicate')}>
              <span data-testid="upload-rows-duplicate">{result.rowsDuplicate}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.duration')}>
              {formatDuration(result.durationMs)}
            </Descriptions.Item>
          </Descriptions>
          {result.rowsRejected > 0 && (
            <Typography.Link
              href={errorsCsvUrl(result.batchId, lang)}
              download
              style={{ display: 'inline-block', marginTop: 12 }}
              data-testid="upload-errors-link"
            >
              <DownloadOutlined /> {t('exchange.errors.download')}
            </Typography.Link>
          )}
        </Card>
      )}
    </>
  );
}
