import type { Feedback, FeedbackDirection, Paper } from '../../domain.js';
import { shortenAuthors } from '../../render/format-paper.js';
import { collapseWhitespace, httpUrl } from '../../render/safe-html.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField } from './form-parts.js';
import { renderPage, type Site } from './layout.js';

/** What a "more like this" / "less like this" click is called wherever it is shown. */
export const DIRECTION_LABELS: Record<FeedbackDirection, string> = { more: 'More like this', less: 'Less like this' };

const QUESTIONS: Record<FeedbackDirection, string> = {
  more: 'Show you more papers like this?',
  less: 'Show you fewer papers like this?',
};
const BUTTONS: Record<FeedbackDirection, string> = { more: 'Yes, more like this', less: 'Yes, fewer like this' };
// Worded after rank-papers: feedback reorders papers that match the reader's interests, bounded, and never admits one.
const EFFECTS: Record<FeedbackDirection, string> = {
  more: 'Papers close to this one move up in your next digests, among those that match your topics.',
  less: 'Papers close to this one move down in your next digests.',
};

export interface FeedbackPageOptions {
  /** The link's path without the direction (`/feedback/<token>/<paper>`): where the forms post. */
  path: string;
  csrfToken: string;
  direction: FeedbackDirection;
  paper: Paper;
  /** The subscriber's standing click on this paper, if any. */
  current: Feedback | null;
  manageUrl: string;
}

/** `GET /feedback/:token/:paper/:direction`: the question and one button. The GET records nothing (mail scanners follow links). */
export function feedbackPage(site: Site, options: FeedbackPageOptions): string {
  const { direction, current } = options;
  return renderPage(site, {
    title: QUESTIONS[direction],
    body: html`${paperSummary(options.paper)}
${current ? standingNotice(direction, current) : ''}
<p>${EFFECTS[direction]}</p>
<form method="post" action="${options.path}/${direction}">
${csrfField(options.csrfToken)}
<div class="actions"><button type="submit" class="button">${BUTTONS[direction]}</button></div>
</form>
<p class="muted small">Not what you meant? Close this page: nothing changes unless you press the button. Your <a href="${options.manageUrl}">preferences page</a> lists all your feedback.</p>`,
  });
}

function standingNotice(direction: FeedbackDirection, current: Feedback): SafeHtml {
  const when = html`<time datetime="${current.at}">${formatDay(current.at)}</time>`;
  return current.direction === direction
    ? html`<p class="notice" role="status">You already asked for ${direction === 'more' ? 'more' : 'fewer'} papers like this one (${when}). Pressing the button again changes nothing.</p>`
    : html`<p class="notice" role="status">On ${when} you asked for ${current.direction === 'more' ? 'more' : 'fewer'} papers like this one. Pressing the button replaces that.</p>`;
}

/** `POST /feedback/:token/:paper/:direction`: what was recorded, an Undo button and the way to all feedback. */
export function feedbackRecordedPage(site: Site, options: { path: string; csrfToken: string; direction: FeedbackDirection; paper: Paper; manageUrl: string }): string {
  const title = paperTitle(options.paper);
  return renderPage(site, {
    title: 'Thanks for the feedback',
    body: html`<p class="lead">Noted: your next digest leans ${options.direction === 'more' ? 'toward' : 'away from'} papers like «${title}».</p>
<p>${EFFECTS[options.direction]}</p>
<form method="post" action="${options.path}/undo">
${csrfField(options.csrfToken)}
<div class="actions"><button type="submit" class="button secondary">Undo</button><a href="${options.manageUrl}">See all your feedback and preferences</a></div>
</form>`,
  });
}

/** `POST /feedback/:token/:paper/undo`. */
export function feedbackUndonePage(site: Site, options: { paper: Paper; manageUrl: string }): string {
  return renderPage(site, {
    title: 'Undone',
    body: html`<p class="lead">Your digest no longer takes «${paperTitle(options.paper)}» into account.</p>
<p class="actions"><a class="button secondary" href="${options.manageUrl}">Go to your preferences</a></p>`,
  });
}

/** A feedback link whose paper papermail no longer keeps (old papers are cleared out). */
export function paperGonePage(site: Site, options: { manageUrl: string }): string {
  return renderPage(site, {
    title: 'This paper is no longer here',
    body: html`<p class="lead">papermail no longer keeps the paper this link was about, so there is nothing to change.</p>
<p>Links in newer digests work as usual.</p>
<p class="actions"><a class="button secondary" href="${options.manageUrl}">Go to your preferences</a></p>`,
  });
}

/**
 * The "Your feedback" card of the preferences page: each click with a Remove button. The paper id
 * goes in the form body, never in a URL. Nothing at all when there is no feedback and no notice to show.
 */
export function feedbackSection(
  site: Site,
  options: { token: string; csrfToken: string; feedback: readonly (Feedback & { paper: Paper })[]; removed: boolean },
): SafeHtml | null {
  const { feedback } = options;
  if (feedback.length === 0 && !options.removed) return null;
  const action = `${site.basePath}/preferences/${options.token}/feedback`;
  return html`<h2 id="feedback">Your feedback</h2>
${options.removed ? html`<p class="notice" role="status">Removed: that paper no longer steers your digest.</p>` : ''}
<p class="muted small">Your “More like this” and “Less like this” clicks in the digests tune which papers come first. Remove one here to undo it.</p>
${
  feedback.length === 0
    ? ''
    : html`<ul class="papers feedback-list" aria-labelledby="feedback">${feedback.map(
        (item) => html`<li><div class="feedback-item"><span class="paper-title">${paperLink(item.paper)}</span><span class="paper-meta">${DIRECTION_LABELS[item.direction]} · <time datetime="${item.at}">${formatDay(item.at)}</time></span></div>
<form method="post" action="${action}">
${csrfField(options.csrfToken)}
<input type="hidden" name="paper" value="${item.paperId}">
<button type="submit" class="button secondary compact">Remove<span class="visually-hidden"> feedback on ${paperTitle(item.paper)}</span></button>
</form></li>`,
      )}</ul>`
}`;
}

function paperSummary(paper: Paper): SafeHtml {
  const authors = shortenAuthors(paper.authors);
  return html`<p class="paper-summary"><span class="paper-title">${paperLink(paper)}</span>${authors ? html`<span class="paper-meta">${authors}</span>` : ''}</p>`;
}

function paperTitle(paper: Paper): string {
  return collapseWhitespace(paper.title) || 'Untitled paper';
}

function paperLink(paper: Paper): SafeHtml {
  const url = httpUrl(paper.url);
  const title = paperTitle(paper);
  return url ? html`<a href="${url}" rel="noreferrer noopener">${title}</a>` : html`${title}`;
}

/** "2026-12-03T09:00:00.000Z" → "3 Dec 2026" (UTC: the site does not know the reader's time zone). */
function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DAY_FORMAT.format(date);
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
