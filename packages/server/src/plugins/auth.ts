import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { Role } from '@jiuzhu/shared';
import { Forbidden, Unauthenticated } from '../errors';
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

export default fp(async (app) => {
  await app.register(cookie);

  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`Route ${route.method} ${url} does not declare config.access`);
  });

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || access === 'public' || access === 'machine') return;
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await findSession(app.deps.db, token) : null;
    if (!session) throw Unauthenticated();
    const actor = session.actor;
    req.ctx.actor = actor;
    // The data layer reads this scope for every query of the request.
    req.ctx.scope = { kind: 'region', regionCode: actor.regionCode };
    req.ctx.log = req.log = req.log.child({ user: actor.username });
    if (access !== 'staff' && !access.includes(actor.role)) throw Forbidden();
  });
});
