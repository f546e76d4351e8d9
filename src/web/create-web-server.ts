import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { describeError } from '../errors.js';
import { TAXONOMY } from '../rank/taxonomy.js';
import { confirmRoutes } from './confirm.js';
import { sendPage, type WebContext, type WebDeps } from './context.js';
import { feedbackRoutes } from './feedback.js';
import { asFormBody, textField } from './form-body.js';
import { healthRoutes } from './health.js';
import type { Site } from './pages/layout.js';
import { errorPage, formExpiredPage, notFoundPage } from './pages/messages.js';
import { preferencesRoutes } from './preferences.js';
import { staticRoutes } from './static.js';
import { subscribeRoutes } from './subscribe.js';
import { unsubscribeRoutes } from './unsubscribe.js';

export type { WebConfig, WebDeps } from './context.js';

/** Forms are a few hundred bytes; nothing legitimate comes near this. */
const BODY_LIMIT_BYTES = 32 * 1024;
const CSRF_COOKIE = 'papermail_csrf';
const CSRF_ERRORS = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/**
 * The web side: subscribe, confirm, manage preferences, "more/less like this" feedback, unsubscribe
 * (with RFC 8058 one-click) and a health check, as server-rendered pages that work without JavaScript. Returns the fastify
 * instance unstarted: `await server.listen({ port, host })` to serve, `server.inject()` to test.
 */
export function createWebServer(deps: WebDeps): FastifyInstance {
  const publicUrl = new URL(deps.config.publicUrl);
  const https = publicUrl.protocol === 'https:';
  const site: Site = {
    basePath: publicUrl.pathname.replace(/\/+$/, ''),
    productName: deps.config.productName ?? 'papermail',
  };
  const log = deps.log.child({ stage: 'web' });
  const ctx: WebContext = { deps, site, taxonomy: TAXONOMY, log };

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's own request lines would log URLs, and URLs here hold tokens: the hook below logs the route pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: deps.config.trustProxy ?? false,
    return503OnClosing: true,
  });

  app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        // Nothing but our own stylesheet and our own forms: no script at all, inline or not.
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    // Token pages must not leak their URL to the sites their links lead to: simplest everywhere.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
    frameguard: { action: 'deny' },
  });
  app.register(fastifyFormbody);
  app.register(fastifyCookie);
  app.register(fastifyCsrfProtection, {
    cookieKey: CSRF_COOKIE,
    // Lax, not Strict: a page opened from a link in an email (a cross-site navigation) must still
    // see the cookie a tab opened earlier set, or that tab's form would stop working.
    cookieOpts: { path: site.basePath || '/', sameSite: 'lax', httpOnly: true, secure: https },
    // Only from the form body: no script on this site sets headers.
    getToken: (request) => {
      const token = textField(asFormBody(request.body), '_csrf');
      return token === '' ? undefined : token;
    },
  });
  // Counters only, applied by the routes that ask (see subscribe.ts).
  app.register(fastifyRateLimit, { global: false });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern (`/confirm/:token`), never the URL: tokens are capabilities.
    log.info(
      { reqId: request.id, method: request.method, route: request.routeOptions.url ?? '(no route)', statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request served',
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (CSRF_ERRORS.has(error.code)) {
      log.info({ reqId: request.id, route: request.routeOptions.url, reason: error.code }, 'form refused: CSRF check failed');
      return sendPage(reply, 403, formExpiredPage(site));
    }
    if (statusCode >= 500) {
      log.error({ reqId: request.id, route: request.routeOptions.url, error: describeError(error) }, 'request failed');
    } else {
      log.info({ reqId: request.id, route: request.routeOptions.url, statusCode, reason: error.code ?? error.message }, 'request refused');
    }
    return sendPage(reply, statusCode, errorPage(site, statusCode));
  });
  app.setNotFoundHandler((_request, reply) => sendPage(reply, 404, notFoundPage(site)));

  // Routes live under PUBLIC_URL's path, so a reverse proxy can pass paths through unchanged.
  // Each module is its own plugin scope (the unsubscribe routes add a multipart parser for themselves).
  app.register(
    async (routes) => {
      for (const module of [staticRoutes, healthRoutes, subscribeRoutes, confirmRoutes, preferencesRoutes, feedbackRoutes, unsubscribeRoutes]) {
        routes.register(async (scope) => module(scope, ctx));
      }
    },
    { prefix: site.basePath },
  );
  return app;
}
