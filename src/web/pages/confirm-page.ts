import { html } from '../html.js';
import { csrfField } from './form-parts.js';
import { renderPage, type Site } from './layout.js';

/** `GET /confirm/:token`: a button, because mail scanners open every link and a GET must not confirm. */
export function confirmPage(site: Site, options: { token: string; csrfToken: string; email: string }): string {
  return renderPage(site, {
    title: 'Confirm your subscription',
    body: html`<p class="lead">One step left: confirm that <span class="address">${options.email}</span> should get the daily digest of trending papers.</p>
<form method="post" action="${site.basePath}/confirm/${options.token}">
${csrfField(options.csrfToken)}
<div class="actions"><button type="submit" class="button">Confirm subscription</button></div>
</form>
<p class="muted small">Did not ask for this? Close this page: nothing is sent unless you confirm.</p>`,
  });
}

export function confirmedPage(site: Site, options: { email: string; manageUrl: string; alreadyConfirmed: boolean }): string {
  return renderPage(site, {
    title: options.alreadyConfirmed ? 'You are already subscribed' : 'You are subscribed',
    body: html`<p class="lead">The daily digest goes to <span class="address">${options.email}</span>, with the new trending papers that match your topics.</p>
<p>Your first digest comes with the next daily run. Each one has a link to change your topics and to unsubscribe.</p>
<p class="actions"><a class="button secondary" href="${options.manageUrl}">Change your preferences</a></p>`,
  });
}
