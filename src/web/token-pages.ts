import type { FastifyReply } from 'fastify';
import { sendPage, type WebContext } from './context.js';
import type { TokenLookup } from './lookup-token.js';
import { expiredLinkPage, invalidLinkPage, linkNoLongerWorksPage } from './pages/messages.js';

/**
 * The answer to a token that leads nowhere: 400 for a forged, damaged or wrong-purpose token,
 * 410 for an expired one or one whose subscriber was deleted. Always a page with a way to start again.
 */
export function sendTokenProblem(ctx: WebContext, reply: FastifyReply, lookup: Exclude<TokenLookup, { status: 'found' }>): FastifyReply {
  switch (lookup.status) {
    case 'invalid':
      return sendPage(reply, 400, invalidLinkPage(ctx.site));
    case 'expired':
      return sendPage(reply, 410, expiredLinkPage(ctx.site));
    case 'gone':
      return sendPage(reply, 410, linkNoLongerWorksPage(ctx.site));
  }
}
