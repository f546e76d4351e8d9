import type { Subscriber } from '../domain.js';
import type { TokenClaims, TokenPurpose, TokenSigner } from '../tokens.js';
import type { WebDeps } from './context.js';

export type TokenLookup =
  | { status: 'found'; subscriber: Subscriber; claims: TokenClaims }
  /** A genuine token whose subscriber was deleted since. */
  | { status: 'gone' }
  | { status: 'expired' }
  /** Forged, damaged, or made for another purpose: all look the same from outside. */
  | { status: 'invalid' };

/** Checks a token from a URL for one purpose and finds its subscriber. */
export function lookupToken(
  deps: { tokens: TokenSigner; store: Pick<WebDeps['store'], 'getSubscriber'>; now: () => Date },
  token: string,
  purpose: TokenPurpose,
): TokenLookup {
  const check = deps.tokens.verify(token, purpose, deps.now());
  if (check.status !== 'valid') return { status: check.status };
  const subscriber = deps.store.getSubscriber(check.claims.subscriberId);
  return subscriber ? { status: 'found', subscriber, claims: check.claims } : { status: 'gone' };
}
