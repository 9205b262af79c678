import { z } from 'zod';
import { Role } from './roles';
import { Password } from './auth';
import { RegionCode } from './common';

export const Username = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-z][a-z0-9_.-]*$/, 'lowercase letters, digits, _ . -');

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  regionCode: z.string(),
  regionName: z.string(),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ items: z.array(User), total: z.number().int() });
export type UserList = z.infer<typeof UserList>;

export const UserListQuery = z.strictObject({
  q: z.string().max(64).optional(),
  role: Role.optional(),
  regionCode: RegionCode.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const CreateUserBody = z.strictObject({
  username: Username,
  displayName: z.string().min(1).max(64),
  role: Role,
  regionCode: RegionCode,
  password: Password,
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  displayName: z.string().min(1).max(64).optional(),
  role: Role.optional(),
  regionCode: RegionCode.optional(),
  active: z.boolean().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ResetPasswordBody = z.strictObject({ newPassword: Password });
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;
