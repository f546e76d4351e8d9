import { html, type SafeHtml } from '../html.js';
import { renderPage, type Site } from './layout.js';

/** A page that says one thing and offers one way on. */
export function messagePage(site: Site, title: string, body: SafeHtml): string {
  return renderPage(site, { title, body });
}

const startAgain = (site: Site, label = 'Subscribe again') =>
  html`<p class="actions"><a class="button" href="${site.basePath}/">${label}</a></p>`;

/**
 * The answer to every accepted subscription, word for word the same whether the address was new,
 * pending or already subscribed: the page must not tell anyone who subscribes.
 */
export function checkInboxPage(site: Site, email: string): string {
  return messagePage(
    site,
    'Check your inbox',
    html`<p class="lead">We sent an email to <span class="address">${email}</span>.</p>
<p>Open the link in it to continue.</p>
<p class="muted small">No email after a few minutes? Look in your spam folder, or check the address and try again.</p>
<p><a href="${site.basePath}/">Back to the start</a></p>`,
  );
}


/** A forged, damaged or wrong-purpose token: never a stack trace, always a way to start again. */
export function invalidLinkPage(site: Site): string {
  return messagePage(
    site,
    'This link does not work',
    html`<p class="lead">The link you followed is not complete or not valid.</p>
<p>Some mail programs break long links across lines. Try copying the whole link from the email into your browser, or start again.</p>
${startAgain(site, 'Start again')}`,
  );
}

export function expiredLinkPage(site: Site): string {
  return messagePage(
    site,
    'This link has expired',
    html`<p class="lead">Confirmation links work for a few days only, and this one is too old.</p>
<p>Subscribe again with the same address to get a fresh link.</p>
${startAgain(site)}`,
  );
}

/** The subscription behind a still-valid link is gone (unsubscribed, bounced or deleted). */
export function notSubscribedPage(site: Site): string {
  return messagePage(
    site,
    'You are not subscribed',
    html`<p class="lead">This address does not get the daily digest any more.</p>
<p>Changed your mind? You can subscribe again at any time.</p>
${startAgain(site)}`,
  );
}

/** A manage link of a subscriber who has re-subscribed and not confirmed yet. */
export function awaitingConfirmationPage(site: Site): string {
  return messagePage(
    site,
    'Confirm your subscription first',
    html`<p class="lead">This subscription is waiting for you to confirm it.</p>
<p>Open the confirmation link we emailed you. If you cannot find it, subscribe again to get a new one.</p>
${startAgain(site)}`,
  );
}

export function formExpiredPage(site: Site): string {
  return messagePage(
    site,
    'Please try that again',
    html`<p class="lead">For your safety, forms on this site only work for the browser that opened them, and this one could not be checked.</p>
<p>Go back, reload the page and submit the form again. If it keeps happening, allow cookies for this site: papermail uses one, only to protect its forms.</p>
<p><a href="${site.basePath}/">Back to the start</a></p>`,
  );
}

export function rateLimitedPage(site: Site, retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return messagePage(
    site,
    'Too many requests',
    html`<p class="lead">There have been too many subscription requests from here or for this address.</p>
<p>Please wait about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again.</p>
<p><a href="${site.basePath}/">Back to the start</a></p>`,
  );
}

export function sendFailedPage(site: Site): string {
  return messagePage(
    site,
    'We could not send the email',
    html`<p class="lead">Our mail server did not take the message just now.</p>
<p>Please try again in a few minutes.</p>
${startAgain(site, 'Try again')}`,
  );
}

export function notFoundPage(site: Site): string {
  return messagePage(
    site,
    'Page not found',
    html`<p class="lead">There is no page at this address.</p>
<p><a href="${site.basePath}/">Go to the start page</a></p>`,
  );
}

/** Any other failure: a status line, never the error itself. */
export function errorPage(site: Site, statusCode: number): string {
  const clientError = statusCode >= 400 && statusCode < 500;
  return messagePage(
    site,
    clientError ? 'That request did not work' : 'Something went wrong',
    html`<p class="lead">${clientError ? 'The server could not understand that request.' : 'Something went wrong on our side. It has been logged.'}</p>
<p>Please go back and try again in a moment.</p>
<p><a href="${site.basePath}/">Go to the start page</a></p>`,
  );
}

/** A genuine link whose subscription was removed or replaced since it was sent. */
export function linkNoLongerWorksPage(site: Site): string {
  return messagePage(
    site,
    'This link no longer works',
    html`<p class="lead">The subscription this link belonged to has ended or was replaced by a newer request.</p>
<p>You can subscribe again at any time.</p>
${startAgain(site)}`,
  );
}
