import type { FeedbackDirection } from './domain.js';
import type { TokenSigner } from './tokens.js';

/** The URLs papermail puts in emails, built from PUBLIC_URL and signed tokens. */
export interface Links {
  unsubscribeUrl(subscriberId: number): string;
  manageUrl(subscriberId: number): string;
  confirmUrl(subscriberId: number, expiresAt: Date): string;
  /**
   * Where a subscriber's "more / less like this" links start: `…/feedback/<token>`, one signed token
   * per digest; each link adds `/<paper id>/<more|less>`.
   */
  feedbackBaseUrl(subscriberId: number): string;
  /** "More like this" / "less like this" on one paper of a digest. */
  feedbackUrl(subscriberId: number, paperId: number, direction: FeedbackDirection): string;
}

export function createLinks(publicUrl: string, tokens: TokenSigner): Links {
  const base = publicUrl.replace(/\/+$/, '');
  const token = (purpose: 'unsubscribe' | 'manage', subscriberId: number) =>
    tokens.sign({ purpose, subscriberId, paperId: 0, expiresAt: null });
  const feedbackBaseUrl = (subscriberId: number) =>
    `${base}/feedback/${tokens.sign({ purpose: 'feedback', subscriberId, paperId: 0, expiresAt: null })}`;
  return {
    unsubscribeUrl: (subscriberId) => `${base}/unsubscribe/${token('unsubscribe', subscriberId)}`,
    manageUrl: (subscriberId) => `${base}/preferences/${token('manage', subscriberId)}`,
    confirmUrl: (subscriberId, expiresAt) =>
      `${base}/confirm/${tokens.sign({ purpose: 'confirm', subscriberId, paperId: 0, expiresAt })}`,
    feedbackBaseUrl,
    // One token per digest, not per paper: signing is the costliest part of rendering a digest.
    feedbackUrl: (subscriberId, paperId, direction) => `${feedbackBaseUrl(subscriberId)}/${paperId}/${direction}`,
  };
}
