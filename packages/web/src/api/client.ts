import { ErrorBody, type ErrorCode, type FieldError } from '@jiuzhu/shared';
import { currentLang } from '../i18n/lang';

/**
 * The one HTTP client of the web app. Every call goes through `request`, so every failure
 * arrives as an `ApiError` carrying the API's error contract `{ error: { code, message,
 * fields?, details? } }`, with `message` already in the user's language.
 */

/** Codes the client adds for failures that never reached (or never came back from) the API. */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly fields: readonly FieldError[] = [],
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/**
 * Structural view of a zod schema, so the client validates responses against the shared
 * contract without depending on zod's own types.
 */
export interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions<T = unknown> {
  query?: Query;
  /** Validates the 2xx body; the call then resolves to the schema's type. */
  schema?: Schema<T>;
  /** JSON-encoded, except a `Blob` (an uploaded file), which is sent as is. */
  body?: unknown;
  /** Extra request headers (an upload's file name). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** False for calls whose 401 means "wrong credentials" rather than "session gone" (login). */
  authRedirect?: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let onUnauthorized: (() => void) | undefined;

/** The session registers what a lost session means (back to the login page). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, fields, details } = parsed.data.error;
    return new ApiError(status, code, message, fields ?? [], details ?? {});
  }
  // Not our contract (a proxy page, a crash before the error handler): keep the status.
  return new ApiError(
    status,
    status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE',
    typeof body === 'string' ? body.slice(0, 200) : '',
  );
}

/**
 * Without a schema the result is `unknown` (mutations whose answer the page does not read);
 * with one, it is the schema's type, checked at runtime against the shared contract.
 */
async function request<T = unknown>(method: Method, path: string, opts: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLang(),
    ...opts.headers,
  };
  let body: string | Blob | undefined;
  if (opts.body instanceof Blob) {
    headers['Content-Type'] = 'application/octet-stream';
    body = opts.body;
  } else if (opts.body !== undefined) {
    // Only send a JSON content type with a body: Fastify rejects an empty JSON body.
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }

  const data = await readBody(res);
  if (!res.ok) {
    const error = toApiError(res.status, data);
    // INVALID_CREDENTIALS is a wrong password typed into a form (login, change password),
    // not a lost session, so it stays on the page.
    if (res.status === 401 && opts.authRedirect !== false && error.code !== 'INVALID_CREDENTIALS') {
      onUnauthorized?.();
    }
    throw error;
  }
  if (!opts.schema) return data as T;
  const parsed = opts.schema.safeParse(data);
  if (!parsed.success) {
    console.error(`[api] ${method} ${path}: response does not match the contract`, parsed.error);
    throw new ApiError(res.status, 'BAD_RESPONSE', '');
  }
  return parsed.data;
}

type NoBody<T> = Omit<RequestOptions<T>, 'body'>;

export const api = {
  get: <T = unknown>(path: string, opts?: NoBody<T>) => request<T>('GET', path, opts),
  post: <T = unknown>(path: string, opts?: RequestOptions<T>) => request<T>('POST', path, opts),
  put: <T = unknown>(path: string, opts?: RequestOptions<T>) => request<T>('PUT', path, opts),
  patch: <T = unknown>(path: string, opts?: RequestOptions<T>) => request<T>('PATCH', path, opts),
  delete: <T = unknown>(path: string, opts?: NoBody<T>) => request<T>('DELETE', path, opts),
};

/** Encodes one path segment (ids, dates, region codes). */
export const seg = (value: string | number): string => encodeURIComponent(String(value));
