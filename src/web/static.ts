import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SITE_CSS } from './pages/site-css.js';

/** Changes with the stylesheet's content, so pages can let browsers cache it for long. */
export const SITE_CSS_VERSION = createHash('sha256').update(SITE_CSS).digest('hex').slice(0, 12);

/** A blue page with a white fold: the site's icon, also shown next to its name. */
export const SITE_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/>' +
  '<path d="M10 7h9l5 5v13H10z" fill="#ffffff"/><path d="M19 7v5h5" fill="#bfdbfe"/>' +
  '<path d="M13 16h8M13 19.5h8M13 23h5" stroke="#1d4ed8" stroke-width="1.6" stroke-linecap="round"/></svg>';

/**
 * `GET /static/site.css`: the one stylesheet. Pages link it with `?v=<hash>`, so it may be cached for a year.
 * `GET /static/icon.svg` is the icon; `/favicon.ico`, which browsers ask for on their own, answers 204.
 */
export async function staticRoutes(app: FastifyInstance, _ctx?: unknown): Promise<void> {
  app.get('/static/icon.svg', async (_request, reply) =>
    reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(SITE_ICON_SVG),
  );
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());
  app.get('/static/site.css', async (request, reply) => {
    const versioned = (request.query as { v?: string }).v === SITE_CSS_VERSION;
    return reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .send(SITE_CSS);
  });
}
