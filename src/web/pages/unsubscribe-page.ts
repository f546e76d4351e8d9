import { html } from '../html.js';
import { csrfField } from './form-parts.js';
import { renderPage, type Site } from './layout.js';

/** `GET /unsubscribe/:token`: one button. The GET itself changes nothing (mail scanners follow links). */
export function unsubscribePage(site: Site, options: { token: string; csrfToken: string; email: string; manageUrl: string }): string {
  return renderPage(site, {
    title: 'Unsubscribe',
    body: html`<p class="lead">Stop the daily digest to <span class="address">${options.email}</span>?</p>
<form method="post" action="${site.basePath}/unsubscribe/${options.token}">
${csrfField(options.csrfToken)}
<div class="actions"><button type="submit" class="button">Unsubscribe</button></div>
</form>
<p class="muted small">Too many papers, or the wrong ones? You can <a href="${options.manageUrl}">pause the digest or change your topics</a> instead.</p>`,
  });
}

export function unsubscribedPage(site: Site, options: { email: string | null }): string {
  return renderPage(site, {
    title: 'You are unsubscribed',
    body: html`<p class="lead">${options.email ? html`No more digests go to <span class="address">${options.email}</span>.` : 'No more digests go to this address.'}</p>
<p>Changed your mind? You can subscribe again at any time; we will ask you to confirm once more.</p>
<p class="actions"><a class="button secondary" href="${site.basePath}/">Subscribe again</a></p>`,
  });
}
