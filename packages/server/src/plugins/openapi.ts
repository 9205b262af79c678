import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI generated from the route schemas: JSON at /api/openapi.json, a browsable UI at /api/docs (when configured). */
export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Jiuzhu API', description: '救助 — social-assistance platform', version: '0.1.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'jz_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // The document describes every route and field: an outsider's map. Off in production unless
  // JIUZHU_API_DOCS=on (the routes are still registered with swagger so tests can read it).
  if (!app.deps.config.apiDocs) return;
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());
});
