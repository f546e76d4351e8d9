import type { Interests, Subscriber } from '../domain.js';
import type { WebDeps } from './context.js';

export interface SubscriptionRequest {
  email: string;
  interests: Interests;
  digestSize: number;
}

/** Which email answers a request: a confirmation, or (already subscribed) a link to the preferences. */
export type SubscriptionOutcome = { send: 'confirm'; subscriber: Subscriber } | { send: 'manage'; subscriber: Subscriber };

/**
 * Records a subscription request, per the address's state:
 * - new → a `pending` subscriber with these interests; confirm;
 * - `pending` → the new interests replace the old; confirm (again);
 * - `active` or `paused` → nothing changes (a stranger must not rewrite someone's topics); manage;
 * - `unsubscribed` or `bounced` → back to `pending` with the new interests; confirm.
 * One transaction: the read and the write see the same state.
 */
export function requestSubscription(store: WebDeps['store'], request: SubscriptionRequest, now: Date): SubscriptionOutcome {
  return store.transaction((): SubscriptionOutcome => {
    const existing = store.findSubscriberByEmail(request.email);
    if (!existing) {
      const subscriber = store.addSubscriber({ email: request.email, status: 'pending', interests: request.interests, digestSize: request.digestSize }, now);
      return { send: 'confirm', subscriber };
    }
    if (existing.status === 'active' || existing.status === 'paused') return { send: 'manage', subscriber: existing };
    store.updateSubscriberInterests(existing.id, request.interests, request.digestSize, now);
    if (existing.status !== 'pending') store.setSubscriberStatus(existing.id, 'pending', now);
    return { send: 'confirm', subscriber: store.getSubscriber(existing.id) ?? existing };
  });
}
