import { ImportProgress, type ImportReport } from '@jiuzhu/shared';
import { api } from '../../../api/client';

export type { ImportError, ImportProgress, ImportReport } from '@jiuzhu/shared';

/** How often the page asks how far a running import got. */
const POLL_MS = 1000;

/** The import did not finish (the server gives the reason). */
export class ImportFailed extends Error {}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Sends the file as it is (the server reads .xlsx and .csv itself). The name travels
 * percent-encoded in `x-filename`: header values are Latin-1 only, and clerks' files are
 * called 家庭信息.xlsx. The server answers at once (Prefer: respond-async) and works on the
 * file in the background; the page polls it, showing how far it got, until the report.
 */
export async function uploadImport(
  file: File,
  dryRun: boolean,
  onProgress: (p: ImportProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<ImportReport> {
  let progress = await api.post('/api/households/import', {
    query: { dryRun },
    body: file,
    headers: { 'x-filename': encodeURIComponent(file.name), prefer: 'respond-async' },
    schema: ImportProgress,
    signal,
  });
  for (;;) {
    onProgress(progress);
    if (progress.status === 'done' && progress.report) return progress.report;
    if (progress.status === 'failed') throw new ImportFailed(progress.failure ?? '');
    await pause(POLL_MS, signal);
    progress = await api.get(`/api/households/import/${encodeURIComponent(progress.importId)}`, {
      schema: ImportProgress,
      signal,
    });
  }
}

/**
 * Households a confirmed import would add: those that passed, less those a previous import
 * already brought in (the server counts both as valid and leaves the latter unchanged).
 */
export const freshHouseholds = (r: ImportReport) => Math.max(0, r.validHouseholds - r.unchangedHouseholds);

export const TEMPLATE_URL = '/api/households/import/template.xlsx';
export const errorsCsvUrl = (importId: string) => `/api/households/import/${encodeURIComponent(importId)}/errors.csv`;
