/**
 * Every route an app registers, the plugins' included: an `onRoute` hook installed through
 * Fastify's `fastify.initialization` diagnostics channel while the real app is built. The
 * route-wide tests (authorization, the public canary) call what this finds, so a route added
 * tomorrow is covered without a list to keep.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Db } from '../../src/db/connection.js';
import type { Keyring } from '../../src/lib/crypto/keyring.js';
import { buildTestApp, type TestApp } from './app.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  /** The route's config says `public: true`. */
  public: boolean;
}

/** Builds the real app and records every route it registers. */
export async function buildCollecting(
  db: Db,
  cipher?: Keyring,
): Promise<{ t: TestApp; routes: RegisteredRoute[] }> {
  const routes: RegisteredRoute[] = [];
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (r: RouteOptions) => {
      for (const method of [r.method].flat()) {
        routes.push({ method, url: r.url, public: r.config?.public === true });
      }
    });
  };
  subscribe('fastify.initialization', onInit);
  try {
    const t = await buildTestApp(db, cipher);
    await t.app.ready();
    return { t, routes };
  } finally {
    unsubscribe('fastify.initialization', onInit);
  }
}

/**
 * Public: by its config, or by living outside /api/v1 (where the auth plugin asks nothing), but
 * git's protocol under /git/, which authenticates itself.
 */
export function isPublicRoute(r: RegisteredRoute): boolean {
  return r.public || (!r.url.startsWith('/api/v1/') && !r.url.startsWith('/git/'));
}
