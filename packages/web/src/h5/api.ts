import { t } from './i18n';

/** The API's error contract, with the client's own code for a request that never came back. */
export type H5Error = { status: number; code: string; message: string; fields: { path: string; message: string }[] };

export class ApiFailure extends Error {
  constructor(readonly error: H5Error) {
    super(error.message);
  }
}

export async function api<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'accept-language': document.documentElement.lang,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiFailure({ status: 0, code: 'NETWORK', message: t('app.network'), fields: [] });
  }
  const json = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const e = (json as { error?: Partial<H5Error> } | null)?.error;
    throw new ApiFailure({
      status: res.status,
      code: e?.code ?? 'BAD_RESPONSE',
      message: e?.message ?? t('app.network'),
      fields: e?.fields ?? [],
    });
  }
  return json as T;
}
