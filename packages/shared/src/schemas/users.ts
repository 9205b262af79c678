import { z } from 'zod';
import { Role } from './roles';
import { Password } from './auth';
import { RegionCode, Text } from './common';

export const Username = Text.min(3)
  .max(32)
  .regex(/^[a-z][a-z0-9_.-]*$/, 'lowercase letters, digits, _ . -');

export const User = z.object({
  id: Text,
  username: Text,
  displayName: Text,
  role: Role,
  regionCode: Text,
  regionName: Text,
  active: z.boolean(),
  lockedUntil: Text.nullable(),
  createdAt: Text,
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ items: z.array(User), total: z.number().int() });
export type UserList = z.infer<typeof UserList>;

export const UserListQuery = z.strictObject({
  q: Text.max(64).optional(),
  role: Role.optional(),
  regionCode: RegionCode.optional(),
  /** `locked`: locked now after wrong passwords. */
  status: z.enum(['active', 'inactive', 'locked']).optional(),
  sort: z.enum(['username', 'displayName', 'role', 'region', 'createdAt']).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const CreateUserBody = z.strictObject({
  username: Username,
  displayName: Text.min(1).max(64),
  role: Role,
  regionCode: RegionCode,
  password: Password,
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  displayName: Text.min(1).max(64).optional(),
  role: Role.optional(),
  regionCode: RegionCode.optional(),
  active: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ResetPasswordBody = z.strictObject({ newPassword: Password });
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;
