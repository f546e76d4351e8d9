import type { FastifyInstance } from 'fastify';
import type { WebContext } from './context.js';

/** `GET /healthz`: 200 `{ ok: true }` while the database answers, 503 `{ ok: false }` otherwise. */
export async function healthRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  app.get('/healthz', async (_request, reply) => {
    let ok = false;
    try {
      ok = ctx.deps.store.ping();
    } catch (error) {
      ctx.log.warn({ error: (error as Error).message }, 'health check: the database did not answer');
    }
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send({ ok });
  });
}
