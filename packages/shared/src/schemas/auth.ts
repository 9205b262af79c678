import { z } from 'zod';
import { Text } from './common';
import { Role } from './roles';

export const Password = Text.min(10).max(128);

export const LoginBody = z.strictObject({
  username: Text.min(1).max(64),
  password: Text.min(1).max(128),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const Me = z.object({
  id: Text,
  username: Text,
  displayName: Text,
  role: Role,
  regionCode: Text,
  regionName: Text,
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const MeResponse = z.object({ user: Me });
export type MeResponse = z.infer<typeof MeResponse>;

/** The session probe of a page that may be anonymous: `user` is null when nobody is signed in (no 401). */
export const SessionResponse = z.object({ user: Me.nullable() });
export type SessionResponse = z.infer<typeof SessionResponse>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: Text.min(1).max(128),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;
