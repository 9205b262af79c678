import { z } from 'zod';
import { Text } from './common';

export const ErrorCode = z.enum([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'ACCOUNT_LOCKED',
  'RATE_LIMITED',
  'INTERNAL',
  'PASSWORD_CHANGE_REQUIRED',
  'IDEMPOTENCY_MISMATCH',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldError = z.object({ path: Text, message: Text });
export type FieldError = z.infer<typeof FieldError>;

/** The one error contract of the API. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: Text,
    fields: z.array(FieldError).optional(),
    details: z.record(Text, z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
