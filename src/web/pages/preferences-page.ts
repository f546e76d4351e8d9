import type { Feedback, Paper, RankedPaper, SubscriberStatus, Topic } from '../../domain.js';
import { shortenAuthors, whyItMatched } from '../../render/format-paper.js';
import { collapseWhitespace, httpUrl } from '../../render/safe-html.js';
import { html, type SafeHtml } from '../html.js';
import { feedbackSection } from './feedback-page.js';
import { choice, csrfField, errorSummary, interestFields, type FieldProblems, type InterestsFormValues } from './form-parts.js';
import { renderPage, type Site } from './layout.js';

export interface PreferencesPageOptions {
  token: string;
  csrfToken: string;
  email: string;
  /** The delivery choice shown: `active` (send daily) or `paused`. */
  delivery: Extract<SubscriberStatus, 'active' | 'paused'>;
  values: InterestsFormValues;
  problems: FieldProblems;
  /** Shown after a save (post/redirect/get). */
  saved: boolean;
  /** What today's digest would hold with the saved settings. */
  preview: readonly RankedPaper[];
  /** The reader's "more/less like this" clicks, newest first. */
  feedback: readonly (Feedback & { paper: Paper })[];
  /** Shown after a feedback click was removed (post/redirect/get). */
  feedbackRemoved: boolean;
  unsubscribeUrl: string;
}

/** `GET /preferences/:token`: the subscriber's settings, pause/resume, a preview of today's digest and their feedback clicks. */
export function preferencesPage(site: Site, taxonomy: readonly Topic[], options: PreferencesPageOptions): string {
  const { delivery } = options;
  const feedback = feedbackSection(site, { token: options.token, csrfToken: options.csrfToken, feedback: options.feedback, removed: options.feedbackRemoved });
  return renderPage(site, {
    title: 'Your preferences',
    hasErrors: Object.keys(options.problems).length > 0,
    body: html`<p class="lead">Settings for the digest to <span class="address">${options.email}</span>.</p>
${options.saved ? html`<p class="notice" role="status">Your preferences are saved.${delivery === 'paused' ? ' The digest is paused until you resume it.' : ''}</p>` : ''}
${errorSummary(options.problems)}
<form method="post" action="${site.basePath}/preferences/${options.token}" novalidate>
${csrfField(options.csrfToken)}
<fieldset>
<legend>Daily digest</legend>
<div class="choices">
${choice({ type: 'radio', name: 'delivery', value: 'active', id: 'delivery-active', label: 'Send it every day', checked: delivery === 'active' })}
${choice({ type: 'radio', name: 'delivery', value: 'paused', id: 'delivery-paused', label: 'Pause it for now', hint: 'Nothing is sent until you come back and resume.', checked: delivery === 'paused' })}
</div>
</fieldset>
${interestFields(taxonomy, options.values, options.problems)}
<div class="actions"><button type="submit" class="button">Save preferences</button></div>
</form>`,
    sections: [
      html`<h2 id="preview">Today's digest with your saved settings</h2>
${previewList(options.preview)}`,
      ...(feedback ? [feedback] : []),
      html`<h2>Leave</h2>
<p>Do not want the digest at all? <a href="${options.unsubscribeUrl}">Unsubscribe</a>.</p>`,
    ],
  });
}

function previewList(preview: readonly RankedPaper[]): SafeHtml {
  if (preview.length === 0) {
    return html`<p class="muted">No new paper matches these settings today. Try more topics or broader keywords; the digest skips days with nothing to send.</p>`;
  }
  return html`<ol class="papers" aria-labelledby="preview">${preview.map((ranked) => {
    const title = collapseWhitespace(ranked.paper.title) || 'Untitled paper';
    const url = httpUrl(ranked.paper.url);
    const authors = shortenAuthors(ranked.paper.authors);
    const why = whyItMatched(ranked);
    return html`<li><span class="paper-title">${url ? html`<a href="${url}" rel="noreferrer noopener">${title}</a>` : title}</span>${authors ? html`<span class="paper-meta">${authors}</span>` : ''}${why ? html`<span class="paper-why">${why}</span>` : ''}</li>`;
  })}</ol>`;
}
