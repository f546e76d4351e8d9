import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Subscriber } from '../domain.js';
import { sendPage, type WebContext } from './context.js';
import { lookupToken } from './lookup-token.js';
import { addMultipartFieldsParser, isOneClickBody } from './one-click.js';
import { notSubscribedPage } from './pages/messages.js';
import { unsubscribedPage, unsubscribePage } from './pages/unsubscribe-page.js';
import { sendTokenProblem } from './token-pages.js';

interface TokenParams {
  token: string;
}

/**
 * `GET /unsubscribe/:token` shows one button; `POST /unsubscribe/:token` unsubscribes at once.
 *
 * The POST takes two kinds of request:
 * - the page's form, with the CSRF token from the page (like every other form on the site);
 * - RFC 8058 one-click, `List-Unsubscribe=One-Click` posted by a mail provider, with no cookie and
 *   so no CSRF token. It needs none: the signed token in the URL is the authority. It is a
 *   capability only the subscriber's mailbox holds, bound to this subscriber and to `unsubscribe`,
 *   and CSRF protection exists to stop a *cookie* from lending authority to a forged request;
 *   here no cookie lends any. Whoever can post the one-click body already holds the token.
 * The one-click answer is the page itself with 200, never a redirect (RFC 8058 §3.1: redirected
 * POSTs are unreliable).
 */
export async function unsubscribeRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { deps, site, log } = ctx;
  addMultipartFieldsParser(app);

  app.get<{ Params: TokenParams }>('/unsubscribe/:token', async (request, reply) => {
    const { token } = request.params;
    const lookup = lookupToken(deps, token, 'unsubscribe');
    if (lookup.status === 'gone') return sendPage(reply, 200, notSubscribedPage(site));
    if (lookup.status !== 'found') return sendTokenProblem(ctx, reply, lookup);
    const { subscriber } = lookup;
    if (subscriber.status === 'unsubscribed' || subscriber.status === 'bounced') return sendPage(reply, 200, notSubscribedPage(site));
    return sendPage(
      reply,
      200,
      unsubscribePage(site, { token, csrfToken: reply.generateCsrf(), email: subscriber.email, manageUrl: deps.links.manageUrl(subscriber.id) }),
    );
  });

  app.post<{ Params: TokenParams }>(
    '/unsubscribe/:token',
    {
      preHandler: (request, reply, done) => (isOneClickBody(request.body) ? done() : app.csrfProtection(request, reply, done)),
    },
    async (request, reply) => {
      const oneClick = isOneClickBody(request.body);
      const lookup = lookupToken(deps, request.params.token, 'unsubscribe');
      // Deleted since the email went out: the address gets nothing already, which is what was asked.
      if (lookup.status === 'gone') return unsubscribed(reply, null);
      if (lookup.status !== 'found') return sendTokenProblem(ctx, reply, lookup);
      unsubscribe(request, lookup.subscriber, oneClick);
      return unsubscribed(reply, lookup.subscriber.email);
    },
  );

  function unsubscribe(request: FastifyRequest, subscriber: Subscriber, oneClick: boolean): void {
    // A bounced address stays bounced: that state says more, and neither state gets mail.
    if (subscriber.status === 'unsubscribed' || subscriber.status === 'bounced') return;
    deps.store.setSubscriberStatus(subscriber.id, 'unsubscribed', deps.now());
    log.info({ subscriberId: subscriber.id, via: oneClick ? 'one-click' : 'page', reqId: request.id }, 'subscriber unsubscribed');
  }

  function unsubscribed(reply: FastifyReply, email: string | null): FastifyReply {
    return sendPage(reply, 200, unsubscribedPage(site, { email }));
  }
}
