import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Role } from '@jiuzhu/shared';
import type { Lang } from './i18n/messages';

/** The signed-in staff member of a request. */
export type Actor = {
  id: string;
  username: string;
  role: Role;
  regionCode: string;
};

/**
 * What the data layer may see: a region subtree (a division-code prefix) or,
 * for jobs and the CLI only, the whole system.
 */
export type Scope = { kind: 'region'; regionCode: string } | { kind: 'system'; reason: string };

export type RequestContext = {
  requestId: string | null;
  actor: Actor | null;
  scope: Scope | null;
  lang: Lang;
  log: FastifyBaseLogger;
};

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Enters a context for the rest of the current async call chain (used by the HTTP hook). */
export function enterContext(ctx: RequestContext): void {
  storage.enterWith(ctx);
}

export function findContext(): RequestContext | undefined {
  return storage.getStore();
}

export function getContext(): RequestContext {
  const ctx = storage.getStore();
  if (!ctx) throw new Error('No request context: wrap the call in runWithContext or runAsSystem');
  return ctx;
}

/** The scope of the current call; throws when none was set, so a query cannot silently see everything. */
export function currentScope(): Scope {
  const scope = getContext().scope;
  if (!scope)
    throw new Error('No data scope in context: the caller is not signed in and no system scope was requested');
  return scope;
}

export function currentActor(): Actor | null {
  return findContext()?.actor ?? null;
}

/** Runs a job or CLI command with the explicit system scope. */
export function runAsSystem<T>(reason: string, log: FastifyBaseLogger, fn: () => T): T {
  return runWithContext({ requestId: null, actor: null, scope: { kind: 'system', reason }, lang: 'zh-CN', log }, fn);
}
