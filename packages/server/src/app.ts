import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { validatorCompiler } from './plugins/validation';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/database';
import type { DB } from './db/schema';
import contextPlugin, { genRequestId } from './plugins/context';
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors';
import authPlugin from './plugins/auth';
import openapiPlugin from './plugins/openapi';
import idempotencyPlugin from './plugins/idempotency';
import securityPlugin from './plugins/security';
import healthRoutes from './modules/health/routes';
import authRoutes from './modules/auth/routes';
import regionRoutes from './modules/regions/routes';
import userRoutes from './modules/users/routes';
import calendarRoutes from './modules/calendar/routes';
import auditRoutes from './modules/audit/routes';
import registryRoutes from './modules/registry/routes';
import exchangeRoutes from './modules/exchange/routes';
import collisionRoutes from './modules/collision/routes';
import leadRoutes from './modules/leads/routes';
import policyRoutes from './modules/policy/routes';
import caseRoutes from './modules/cases/routes';
import publicCaseRoutes from './modules/cases/public-routes';
import citizenRoutes from './modules/citizen/routes';
import enrolmentRoutes from './modules/enrolments/routes';
import reviewRoutes from './modules/reviews/routes';
import publicRecipientRoutes from './modules/enrolments/public-routes';
import insuranceRoutes from './modules/insurance/routes';
import payrollRoutes from './modules/payroll/routes';
// ---- phone side (issue 17)
import referralRoutes from './modules/referrals/routes';
import careRoutes from './modules/care/routes';
import dashboardRoutes from './modules/dashboard/routes';
import provinceRoutes from './modules/province/routes';
import { Protector } from './crypto/index';
import { startJobs, type Jobs } from './jobs/index';

export type Deps = { config: Config; database: Database; db: Kysely<DB>; protector: Protector; jobs: Jobs };

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
  }
}

/** Paths and keys that never reach a log line. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
];

export type BuildOptions = { config: Config; database: Database; logger?: Logger | boolean };

/** Builds the HTTP application on an open, migrated database. Does not listen. */
export async function buildApp({ config, database, logger }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof logger === 'object' ? logger : undefined,
    logger: typeof logger === 'object' ? undefined : (logger ?? false),
    genReqId: genRequestId,
    // Requests are logged by the context plugin, with personal query parameters redacted.
    logController: new LogController({ disableRequestLogging: true }),
    // Only a known proxy may name the client (else anyone could dodge rate limits with X-Forwarded-For).
    trustProxy: config.trustProxy.split(',').map((a) => a.trim()),
    bodyLimit: 10 * 1024 * 1024,
    // Errors before routing and of the HTTP parser answer in the one error contract too.
    frameworkErrors,
    clientErrorHandler,
  } as never) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The job queue starts with the app and stops when it closes (before the database is closed).
  const jobs = await startJobs({ config, database, log: app.log });
  app.addHook('onClose', () => jobs.stop());
  app.decorate('deps', { config, database, db: database.db, protector: new Protector(config), jobs });

  await app.register(contextPlugin);
  await app.register(securityPlugin);
  await app.register(errorsPlugin);
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin);
  await app.register(openapiPlugin);
  await app.register(idempotencyPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(regionRoutes);
  await app.register(userRoutes);
  await app.register(calendarRoutes);
  await app.register(auditRoutes);
  await app.register(registryRoutes);
  await app.register(exchangeRoutes);
  await app.register(collisionRoutes);
  await app.register(leadRoutes);
  await app.register(policyRoutes);
  await app.register(caseRoutes);
  await app.register(publicCaseRoutes);
  await app.register(citizenRoutes);
  await app.register(enrolmentRoutes);
  await app.register(insuranceRoutes);
  await app.register(payrollRoutes);
  // ---- phone side (issue 17)
  await app.register(referralRoutes);
  await app.register(careRoutes);
  await app.register(dashboardRoutes);
  // Scheduled reviews (issue 9)
  await app.register(reviewRoutes);
  await app.register(publicRecipientRoutes);
  await app.register(provinceRoutes);

  await serveWeb(app, config);
  return app;
}

const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Serves the built staff web app at `/` with history-API fallback, when it has been built. */
async function serveWeb(app: FastifyInstance, config: Config): Promise<void> {
  const root = config.webDist ? path.resolve(config.webDist) : DEFAULT_WEB_DIST;
  if (!fs.existsSync(path.join(root, 'index.html'))) return;
  // Unknown non-API GETs fall back to index.html in the errors plugin's not-found handler.
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    // The build writes .br and .gz beside each hashed asset (packages/web/build/precompress.ts).
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      // Hashed file names change with their content, so they are cached for good; the HTML (and
      // the manifest and service worker, unhashed) must be asked again so a new release is seen.
      const hashed = filePath.split(path.sep).includes('assets');
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
