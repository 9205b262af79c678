import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { Role } from '@jiuzhu/shared';
import { Forbidden, PasswordChangeRequired, Unauthenticated } from '../errors';
import { findSession, SESSION_COOKIE } from '../modules/auth/service';

/**
 * Who may call a route: `public` (no login), `machine` (no session: the route authenticates a
 * department's signed request itself), `staff` (any signed-in role), or a list of roles.
 * Every route must declare it; registration fails otherwise.
 */
export type Access = 'public' | 'machine' | 'staff' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

const PASSWORD_CHANGE_ROUTES = new Set(['POST /api/auth/password', 'POST /api/auth/logout', 'GET /api/auth/me']);

export default fp(async (app) => {
  await app.register(cookie);

  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`Route ${route.method} ${url} does not declare config.access`);
  });

  // onRequest, not preHandler: who the caller is and whether they may call the route is settled
  // before the body is read or validated, so an anonymous caller learns nothing about a
  // protected route's fields (and cannot make the server parse a large body).
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || access === 'public' || access === 'machine') return;
    const token = req.cookies[SESSION_COOKIE];
    // A malformed cookie (control characters, absurd length) is simply no session.
    const session = token && /^[\w-]{16,128}$/.test(token) ? await findSession(app.deps.db, token) : null;
    if (!session) throw Unauthenticated();
    const actor = session.actor;
    req.ctx.actor = actor;
    // The data layer reads this scope for every query of the request.
    req.ctx.scope = { kind: 'region', regionCode: actor.regionCode };
    req.ctx.log = req.log = req.log.child({ user: actor.username });
    if (access !== 'staff' && !access.includes(actor.role)) throw Forbidden();
    // An account given a password by someone else (new, or reset) may only change it, read
    // who it is, or leave, until its owner has chosen one.
    if (session.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${req.method} ${req.routeOptions.url}`))
      throw PasswordChangeRequired();
  });
});
