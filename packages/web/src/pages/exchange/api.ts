import {
  FeedApiKey,
  FeedBatchDetail,
  FeedBatchPage,
  FeedImportResult,
  FeedKind,
  FeedSourceList,
  type FeedBatchQuery,
  type FeedEncoding,
  type FeedKindInput,
  type FeedKindUpdate,
} from '@jiuzhu/shared';
import { api, seg } from '../../api/client';

/** The data-exchange API (部门数据交换): sources and kinds, uploads, batches and their error reports. */
export const exchangeApi = {
  sources: (signal?: AbortSignal) => api.get('/api/feeds/sources', { schema: FeedSourceList, signal }),
  createKind: (body: FeedKindInput) => api.post('/api/feeds/kinds', { body, schema: FeedKind }),
  updateKind: (code: string, body: FeedKindUpdate) =>
    api.patch(`/api/feeds/kinds/${seg(code)}`, { body, schema: FeedKind }),
  issueApiKey: (sourceCode: string) =>
    api.post(`/api/feeds/sources/${seg(sourceCode)}/api-key`, { schema: FeedApiKey }),
  /**
   * Sends the file as it is; the name travels percent-encoded in `x-file-name` (header values
   * are Latin-1 only, and departments' files are called 死亡注销.csv).
   */
  upload: (file: File, opts: { kind: string; encoding: FeedEncoding; asOf?: string }) =>
    api.post('/api/feeds/upload', {
      query: { kind: opts.kind, encoding: opts.encoding, asOf: opts.asOf },
      body: file,
      headers: { 'x-file-name': encodeURIComponent(file.name) },
      schema: FeedImportResult,
    }),
  batches: (query: Partial<FeedBatchQuery>, signal?: AbortSignal) =>
    api.get('/api/feeds/batches', { query, schema: FeedBatchPage, signal }),
  batch: (id: string, signal?: AbortSignal) =>
    api.get(`/api/feeds/batches/${seg(id)}`, { schema: FeedBatchDetail, signal }),
};

/** The error report of a batch (CSV, in the page's language; the browser downloads it with the session cookie). */
export const errorsCsvUrl = (batchId: string, lang: string) =>
  `/api/feeds/batches/${seg(batchId)}/errors.csv?lang=${encodeURIComponent(lang)}`;
