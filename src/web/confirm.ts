import type { FastifyInstance } from 'fastify';
import { sendPage, type WebContext } from './context.js';
import { lookupToken } from './lookup-token.js';
import { confirmedPage, confirmPage } from './pages/confirm-page.js';
import { linkNoLongerWorksPage } from './pages/messages.js';
import { sendTokenProblem } from './token-pages.js';

interface TokenParams {
  token: string;
}

/**
 * `GET /confirm/:token` shows a button; only `POST /confirm/:token` confirms. Mail scanners and link
 * previews open every URL in a message, so a GET that confirmed would confirm addresses nobody owns.
 */
export async function confirmRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { deps, site, log } = ctx;

  app.get<{ Params: TokenParams }>('/confirm/:token', async (request, reply) => {
    const { token } = request.params;
    const lookup = lookupToken(deps, token, 'confirm');
    if (lookup.status !== 'found') return sendTokenProblem(ctx, reply, lookup);
    const { subscriber } = lookup;
    switch (subscriber.status) {
      case 'pending':
        return sendPage(reply, 200, confirmPage(site, { token, csrfToken: reply.generateCsrf(), email: subscriber.email }));
      case 'active':
      case 'paused':
        return sendPage(reply, 200, confirmedPage(site, { email: subscriber.email, manageUrl: deps.links.manageUrl(subscriber.id), alreadyConfirmed: true }));
      case 'unsubscribed':
      case 'bounced':
        // Left since this link was sent: only a new subscription (and its new link) brings the address back.
        return sendPage(reply, 410, linkNoLongerWorksPage(site));
    }
  });

  app.post<{ Params: TokenParams }>('/confirm/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
    const lookup = lookupToken(deps, request.params.token, 'confirm');
    if (lookup.status !== 'found') return sendTokenProblem(ctx, reply, lookup);
    const { subscriber } = lookup;
    switch (subscriber.status) {
      case 'pending':
        deps.store.setSubscriberStatus(subscriber.id, 'active', deps.now());
        log.info({ subscriberId: subscriber.id }, 'subscriber confirmed');
        return sendPage(reply, 200, confirmedPage(site, { email: subscriber.email, manageUrl: deps.links.manageUrl(subscriber.id), alreadyConfirmed: false }));
      case 'active':
      case 'paused':
        return sendPage(reply, 200, confirmedPage(site, { email: subscriber.email, manageUrl: deps.links.manageUrl(subscriber.id), alreadyConfirmed: true }));
      case 'unsubscribed':
      case 'bounced':
        return sendPage(reply, 410, linkNoLongerWorksPage(site));
    }
  });
}
