import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateUserBody,
  ResetPasswordBody,
  UpdateUserBody,
  User,
  UserList,
  UserListQuery,
  USER_MANAGER_ROLES,
  Text,
} from '@jiuzhu/shared';
import { createUser, getUser, listUsers, resetPassword, unlockUser, updateUser } from './service';

const IdParams = z.strictObject({ id: Text.max(64) });

export default async function userRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const config = { access: USER_MANAGER_ROLES };
  const tags = ['users'];

  r.get(
    '/api/users',
    {
      config,
      schema: {
        tags,
        summary: 'Staff accounts in the caller’s region',
        querystring: UserListQuery,
        response: { 200: UserList },
      },
    },
    (req) => listUsers(db, req.query),
  );
  r.get(
    '/api/users/:id',
    { config, schema: { tags, summary: 'One staff account', params: IdParams, response: { 200: User } } },
    (req) => getUser(db, req.params.id),
  );
  r.post(
    '/api/users',
    { config, schema: { tags, summary: 'Create a staff account', body: CreateUserBody, response: { 201: User } } },
    async (req, reply) => reply.status(201).send(await createUser(db, req.ctx.actor!, req.body)),
  );
  r.patch(
    '/api/users/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change name, role, region or status',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User },
      },
    },
    (req) => updateUser(db, req.ctx.actor!, req.params.id, req.body),
  );
  r.post(
    '/api/users/:id/password',
    {
      config,
      schema: {
        tags,
        summary: 'Set a new password (the user must change it at next login)',
        params: IdParams,
        body: ResetPasswordBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await resetPassword(db, req.ctx.actor!, req.params.id, req.body.newPassword);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/users/:id/unlock',
    { config, schema: { tags, summary: 'Lift a login lockout', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await unlockUser(db, req.ctx.actor!, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
