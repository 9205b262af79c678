import { z } from 'zod';
import { Role } from './roles';

export const Password = z.string().min(10).max(128);

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  regionCode: z.string(),
  regionName: z.string(),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const MeResponse = z.object({ user: Me });
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;
