import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeedbackDirection, Paper, Subscriber } from '../domain.js';
import { sendPage, type WebContext } from './context.js';
import { feedbackPage, feedbackRecordedPage, feedbackUndonePage, paperGonePage } from './pages/feedback-page.js';
import { awaitingConfirmationPage, notFoundPage, notSubscribedPage } from './pages/messages.js';
import { lookupToken } from './lookup-token.js';
import { sendTokenProblem } from './token-pages.js';

interface FeedbackParams {
  token: string;
  /** Absent on links from digests sent before 2026-12, whose token names the paper itself. */
  paper?: string;
  direction: string;
}

const PAPER_ID = /^[1-9][0-9]{0,9}$/;

type FeedbackTarget = { found: true; subscriber: Subscriber; paper: Paper } | { found: false; reply: FastifyReply };

function isDirection(value: string): value is FeedbackDirection {
  return value === 'more' || value === 'less';
}

/**
 * "More like this" / "less like this" under each paper of a digest (links from `links.feedbackUrl`).
 *
 * - `GET /feedback/:token/:paper/:direction` asks, with one button, and records nothing: mail scanners
 *   and link previews open every URL in a message, and a GET that recorded would tune digests nobody asked for.
 * - `POST /feedback/:token/:paper/:direction` records the click (one per subscriber and paper: the latest wins).
 * - `POST /feedback/:token/:paper/undo` removes it again.
 * The token (purpose `feedback`, one per digest) names the subscriber; the paper and the direction are
 * in the path. Digests sent before carry a token per paper, `/feedback/:token/:direction`: those links
 * keep working (the same routes without `:paper`), and neither kind of token works on the other's routes.
 */
export async function feedbackRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { deps, site, log } = ctx;

  /** The subscriber and paper behind a feedback token, or the page already sent that says why there are none. */
  function target({ token, paper: paperParam }: { token: string; paper?: string | undefined }, reply: FastifyReply): FeedbackTarget {
    const lookup = lookupToken(deps, token, 'feedback');
    if (lookup.status === 'expired' || lookup.status === 'invalid') return { found: false, reply: sendTokenProblem(ctx, reply, lookup) };
    // A per-digest token (paper 0) needs the paper in the path; an older per-paper token must not have one.
    const perDigest = lookup.status === 'found' && lookup.claims.paperId === 0;
    if (lookup.status === 'found' && perDigest !== (paperParam !== undefined)) return { found: false, reply: sendTokenProblem(ctx, reply, { status: 'invalid' }) };
    if (paperParam !== undefined && !PAPER_ID.test(paperParam)) return { found: false, reply: sendPage(reply, 404, notFoundPage(site)) };
    // Feedback only tunes digests someone still gets; a gone subscription is told so, as on the preferences page.
    if (lookup.status === 'gone' || lookup.subscriber.status === 'unsubscribed' || lookup.subscriber.status === 'bounced') {
      return { found: false, reply: sendPage(reply, 410, notSubscribedPage(site)) };
    }
    const { subscriber } = lookup;
    if (subscriber.status === 'pending') return { found: false, reply: sendPage(reply, 200, awaitingConfirmationPage(site)) };
    const paper = deps.store.getPaper(perDigest ? Number(paperParam) : lookup.claims.paperId);
    if (!paper) return { found: false, reply: sendPage(reply, 404, paperGonePage(site, { manageUrl: deps.links.manageUrl(subscriber.id) })) };
    return { found: true, subscriber, paper };
  }

  const show = async (request: FastifyRequest<{ Params: FeedbackParams }>, reply: FastifyReply) => {
    const { direction } = request.params;
    if (!isDirection(direction)) return sendPage(reply, 404, notFoundPage(site));
    const found = target(request.params, reply);
    if (!found.found) return found.reply;
    const { subscriber, paper } = found;
    const current = deps.store.feedbackOf(subscriber.id).find((item) => item.paperId === paper.id) ?? null;
    return sendPage(
      reply,
      200,
      feedbackPage(site, { path: pathOf(request.params), csrfToken: reply.generateCsrf(), direction, paper, current, manageUrl: deps.links.manageUrl(subscriber.id) }),
    );
  };

  const undo = async (request: FastifyRequest<{ Params: Omit<FeedbackParams, 'direction'> }>, reply: FastifyReply) => {
    const found = target(request.params, reply);
    if (!found.found) return found.reply;
    const { subscriber, paper } = found;
    const removed = deps.store.removeFeedback(subscriber.id, paper.id);
    log.info({ subscriberId: subscriber.id, paperId: paper.id, removed }, 'feedback undone');
    return sendPage(reply, 200, feedbackUndonePage(site, { paper, manageUrl: deps.links.manageUrl(subscriber.id) }));
  };

  const record = async (request: FastifyRequest<{ Params: FeedbackParams }>, reply: FastifyReply) => {
    const { direction } = request.params;
    if (!isDirection(direction)) return sendPage(reply, 404, notFoundPage(site));
    const found = target(request.params, reply);
    if (!found.found) return found.reply;
    const { subscriber, paper } = found;
    deps.store.recordFeedback(subscriber.id, paper.id, direction, deps.now());
    log.info({ subscriberId: subscriber.id, paperId: paper.id, direction }, 'feedback recorded');
    return sendPage(
      reply,
      200,
      feedbackRecordedPage(site, { path: pathOf(request.params), csrfToken: reply.generateCsrf(), direction, paper, manageUrl: deps.links.manageUrl(subscriber.id) }),
    );
  };

  /** The link's path without its last segment: where the page's forms post (`…/more`, `…/undo`). */
  const pathOf = ({ token, paper }: FeedbackParams) => `${site.basePath}/feedback/${token}${paper === undefined ? '' : `/${paper}`}`;

  for (const prefix of ['/feedback/:token/:paper', '/feedback/:token']) {
    app.get<{ Params: FeedbackParams }>(`${prefix}/:direction`, show);
    // Registered beside `/:direction`: the router tries the static segment first.
    app.post<{ Params: Omit<FeedbackParams, 'direction'> }>(`${prefix}/undo`, { preHandler: app.csrfProtection }, undo);
    app.post<{ Params: FeedbackParams }>(`${prefix}/:direction`, { preHandler: app.csrfProtection }, record);
  }
}
