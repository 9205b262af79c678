import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import { CONTROL_CHARACTER, TEXT_CONTROL_MESSAGE } from '@jiuzhu/shared';
import type { ZodType } from 'zod';

// The marker fastify-type-provider-zod puts on its validation entries; the error handler keys on it.
const ZOD_VALIDATION = Symbol.for('ZodFastifySchemaValidationError');

/**
 * Path of the first string (value or key) holding a control character other than tab/newline,
 * walked without recursion so a deeply nested body cannot overflow the stack.
 */
export function findControlCharacter(value: unknown): (string | number)[] | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (CONTROL_CHARACTER.test(v)) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (CONTROL_CHARACTER.test(k)) return [...path, k];
        stack.push({ v: item, path: [...path, k] });
      }
    }
  }
  return null;
}

/**
 * The zod validator of every route. The contract's one string type (`Text` in packages/shared)
 * refuses control characters field by field; this also covers the free-form parts of a body
 * (`z.unknown()` values of rule parameters, pushed records), which PostgreSQL's jsonb would
 * refuse with a 500 for a NUL.
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  return (data) => {
    const result = validate(data) as { error?: unknown; value?: unknown };
    if (result.error) return result as never;
    const path = findControlCharacter(data);
    if (!path) return result as never;
    // The same entry shape as the zod validator's, so the error handler names the field.
    const entry = {
      [ZOD_VALIDATION]: true,
      keyword: 'custom',
      instancePath: `/${path.join('/')}`,
      schemaPath: `#/${path.join('/')}/custom`,
      message: TEXT_CONTROL_MESSAGE,
      params: {},
    };
    return { error: [entry] as never };
  };
};
