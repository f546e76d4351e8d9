import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FeedbackDirection, Paper, Subscriber } from '../domain.js';
import { sendPage, type WebContext } from './context.js';
import { feedbackPage, feedbackRecordedPage, feedbackUndonePage, paperGonePage } from './pages/feedback-page.js';
import { awaitingConfirmationPage, notFoundPage, notSubscribedPage } from './pages/messages.js';
import { lookupToken } from './lookup-token.js';
import { sendTokenProblem } from './token-pages.js';

interface FeedbackParams {
  token: string;
  direction: string;
}

type FeedbackTarget = { found: true; subscriber: Subscriber; paper: Paper } | { found: false; reply: FastifyReply };

function isDirection(value: string): value is FeedbackDirection {
  return value === 'more' || value === 'less';
}

/**
 * "More like this" / "less like this" under each paper of a digest (links from `links.feedbackUrl`).
 *
 * - `GET /feedback/:token/:direction` asks, with one button, and records nothing: mail scanners and
 *   link previews open every URL in a message, and a GET that recorded would tune digests nobody asked for.
 * - `POST /feedback/:token/:direction` records the click (one per subscriber and paper: the latest wins).
 * - `POST /feedback/:token/undo` removes it again.
 * The token (purpose `feedback`) names both the subscriber and the paper; the direction is in the
 * path so one token serves both links under a paper.
 */
export async function feedbackRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { deps, site, log } = ctx;

  /** The subscriber and paper behind a feedback token, or the page already sent that says why there are none. */
  function target(token: string, reply: FastifyReply): FeedbackTarget {
    const lookup = lookupToken(deps, token, 'feedback');
    if (lookup.status === 'expired' || lookup.status === 'invalid') return { found: false, reply: sendTokenProblem(ctx, reply, lookup) };
    // Feedback only tunes digests someone still gets; a gone subscription is told so, as on the preferences page.
    if (lookup.status === 'gone' || lookup.subscriber.status === 'unsubscribed' || lookup.subscriber.status === 'bounced') {
      return { found: false, reply: sendPage(reply, 410, notSubscribedPage(site)) };
    }
    const { subscriber } = lookup;
    if (subscriber.status === 'pending') return { found: false, reply: sendPage(reply, 200, awaitingConfirmationPage(site)) };
    const paper = deps.store.getPaper(lookup.claims.paperId);
    if (!paper) return { found: false, reply: sendPage(reply, 404, paperGonePage(site, { manageUrl: deps.links.manageUrl(subscriber.id) })) };
    return { found: true, subscriber, paper };
  }

  app.get<{ Params: FeedbackParams }>('/feedback/:token/:direction', async (request, reply) => {
    const { token, direction } = request.params;
    if (!isDirection(direction)) return sendPage(reply, 404, notFoundPage(site));
    const found = target(token, reply);
    if (!found.found) return found.reply;
    const { subscriber, paper } = found;
    const current = deps.store.feedbackOf(subscriber.id).find((item) => item.paperId === paper.id) ?? null;
    return sendPage(
      reply,
      200,
      feedbackPage(site, { token, csrfToken: reply.generateCsrf(), direction, paper, current, manageUrl: deps.links.manageUrl(subscriber.id) }),
    );
  });

  // Registered beside `/:direction`: the router tries the static segment first.
  app.post<{ Params: { token: string } }>('/feedback/:token/undo', { preHandler: app.csrfProtection }, async (request, reply) => {
    const found = target(request.params.token, reply);
    if (!found.found) return found.reply;
    const { subscriber, paper } = found;
    const removed = deps.store.removeFeedback(subscriber.id, paper.id);
    log.info({ subscriberId: subscriber.id, paperId: paper.id, removed }, 'feedback undone');
    return sendPage(reply, 200, feedbackUndonePage(site, { paper, manageUrl: deps.links.manageUrl(subscriber.id) }));
  });

  app.post<{ Params: FeedbackParams }>('/feedback/:token/:direction', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { token, direction } = request.params;
    if (!isDirection(direction)) return sendPage(reply, 404, notFoundPage(site));
    const found = target(token, reply);
    if (!found.found) return found.reply;
    const { subscriber, paper } = found;
    deps.store.recordFeedback(subscriber.id, paper.id, direction, deps.now());
    log.info({ subscriberId: subscriber.id, paperId: paper.id, direction }, 'feedback recorded');
    return sendPage(
      reply,
      200,
      feedbackRecordedPage(site, { token, csrfToken: reply.generateCsrf(), direction, paper, manageUrl: deps.links.manageUrl(subscriber.id) }),
    );
  });
}
