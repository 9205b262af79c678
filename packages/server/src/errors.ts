import type { ErrorBody, ErrorCode, FieldError } from '@jiuzhu/shared';
import { messages, t, type Lang, type MessageKey } from './i18n/messages';

type Params = Record<string, string | number>;

/** A typed error the error handler turns into `{ error: { code, message, fields? } }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly params: Params = {},
    readonly fields?: FieldError[],
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${messageKey}`);
  }
}

export const Invalid = (fields: FieldError[], key: MessageKey = 'error.validation') =>
  new AppError(400, 'VALIDATION_FAILED', key, {}, fields);
/** One field wrong, with a specific message key for it. */
export const InvalidField = (path: string, key: MessageKey, params: Params = {}) =>
  new AppError(400, 'VALIDATION_FAILED', key, params, [{ path, message: key }]);
export const Unauthenticated = () => new AppError(401, 'UNAUTHENTICATED', 'error.unauthenticated');
export const PasswordChangeRequired = () =>
  new AppError(403, 'PASSWORD_CHANGE_REQUIRED', 'error.passwordChangeRequired');
export const Forbidden = (key: MessageKey = 'error.forbidden') => new AppError(403, 'FORBIDDEN', key);
export const NotFound = (entity: MessageKey) => new AppError(404, 'NOT_FOUND', 'error.notFound', { entity });
export const Conflict = (key: MessageKey, params: Params = {}) => new AppError(409, 'CONFLICT', key, params);

/** The error contract's body of an AppError in one language (field messages may be message keys). */
export function describeError(err: AppError, lang: Lang): ErrorBody['error'] {
  const localise = (m: string) => (m in messages ? t(lang, m as MessageKey, err.params) : m);
  return {
    code: err.code,
    message: t(lang, err.messageKey, err.params),
    ...(err.fields ? { fields: err.fields.map((f) => ({ path: f.path, message: localise(f.message) })) } : {}),
    ...(err.details ? { details: err.details } : {}),
  };
}
