import { ApiError } from '../../api/client';
import { currentLang } from '../../i18n/lang';

/**
 * Fetches a file (a bank file, a report) and hands it to the browser as a download. Through fetch rather than a
 * plain link so an error (not approved, out of region) shows as a message instead of a JSON page.
 */
export async function downloadFile(url: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': currentLang() } });
  if (!res.ok) {
    let message = '';
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? '';
    } catch {
      // Not the error contract: the status alone.
    }
    throw new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', message);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
