import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangePasswordBody, ErrorBody, LoginBody, MeResponse, SessionResponse } from '@jiuzhu/shared';
import { Unauthenticated } from '../../errors';
import { changePassword, findSession, getMe, login, logout, SESSION_COOKIE } from './service';

export default async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.deps;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: config.cookieSecure,
  };

  r.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie',
        body: LoginBody,
        response: { 200: MeResponse, 401: ErrorBody, 423: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const { token, actor, expiresAt } = await login(
        db,
        req.body.username,
        req.body.password,
        config.sessionHours,
        req.ip,
      );
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: expiresAt });
      return { user: await getMe(db, actor) };
    },
  );

  r.post(
    '/api/auth/logout',
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(db, token);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      config: { access: 'staff' },
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: MeResponse } },
    },
    async (req) => {
      if (!req.ctx.actor) throw Unauthenticated();
      return { user: await getMe(db, req.ctx.actor) };
    },
  );

  // The staff app's first question on every load, signed in or not: an answer without a 401, so
  // the login page opens with a clean console. Protected routes still answer 401 as before.
  r.get(
    '/api/auth/session',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'The signed-in user, or null', response: { 200: SessionResponse } },
    },
    async (req) => {
      const token = req.cookies[SESSION_COOKIE];
      const session = token && /^[\w-]{16,128}$/.test(token) ? await findSession(db, token) : null;
      return { user: session ? await getMe(db, session.actor) : null };
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password',
        body: ChangePasswordBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await changePassword(
        db,
        req.ctx.actor!,
        req.cookies[SESSION_COOKIE]!,
        req.body.currentPassword,
        req.body.newPassword,
      );
      return reply.status(204).send(null);
    },
  );
}
