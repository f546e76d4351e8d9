import type { Topic } from '../../domain.js';
import type { SubscriberInputField } from '../../subscriber-input.js';
import { LIMITS } from '../../subscriber-input.js';
import { html, type SafeHtml } from '../html.js';

export type FieldProblems = Partial<Record<SubscriberInputField, string>>;

/** What the interest fields show: as typed (after an error) or as stored. */
export interface InterestsFormValues {
  topics: readonly string[];
  keywords: string;
  excluded: string;
  digestSize: string;
}

/** Ids of the elements an error links to, in page order. */
export const FIELD_IDS: Record<SubscriberInputField, string> = {
  email: 'email',
  topics: 'topics',
  keywords: 'keywords',
  excluded: 'excluded',
  digestSize: 'digest-size',
};
const FIELD_ORDER: readonly SubscriberInputField[] = ['email', 'topics', 'keywords', 'excluded', 'digestSize'];

/** "choose at least one topic" → "Choose at least one topic." */
export function sentence(problem: string): string {
  const text = problem.charAt(0).toUpperCase() + problem.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/**
 * The GOV.UK pattern: a summary at the top linking to each field with a problem, and each problem
 * again next to its field, tied to it with `aria-describedby`.
 */
export function errorSummary(problems: FieldProblems): SafeHtml {
  const fields = FIELD_ORDER.filter((field) => problems[field]);
  if (fields.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">Please fix ${fields.length === 1 ? 'this' : 'these'} first</h2>
<ul>${fields.map((field) => html`<li><a href="#${FIELD_IDS[field]}">${sentence(problems[field]!)}</a></li>`)}</ul>
</div>`;
}

function describedBy(...ids: Array<string | false>): string {
  return ids.filter(Boolean).join(' ');
}

function errorLine(field: SubscriberInputField, problems: FieldProblems): SafeHtml {
  const problem = problems[field];
  return problem ? html`<span class="error-message" id="${FIELD_IDS[field]}-error"><span class="visually-hidden">Error: </span>${sentence(problem)}</span>` : html``;
}

export function emailField(value: string, problems: FieldProblems): SafeHtml {
  const invalid = Boolean(problems.email);
  return html`<div class="field">
<label for="email">Email address</label>
${errorLine('email', problems)}
<input type="email" id="email" name="email" value="${value}" autocomplete="email" spellcheck="false" autocapitalize="off" required maxlength="${LIMITS.emailChars}"${invalid ? html` aria-invalid="true" aria-describedby="email-error"` : ''}>
</div>`;
}

/** Topic checkboxes (a fieldset with a legend), keywords, excluded keywords and digest size. */
export function interestFields(taxonomy: readonly Topic[], values: InterestsFormValues, problems: FieldProblems): SafeHtml {
  const chosen = new Set(values.topics);
  const textField = (field: 'keywords' | 'excluded', label: string, hint: string, value: string) => {
    const id = FIELD_IDS[field];
    const invalid = Boolean(problems[field]);
    return html`<div class="field">
<label for="${id}">${label}</label>
<span class="hint" id="${id}-hint">${hint}</span>
${errorLine(field, problems)}
<input type="text" id="${id}" name="${field}" value="${value}" autocomplete="off" aria-describedby="${describedBy(`${id}-hint`, invalid && `${id}-error`)}"${invalid ? html` aria-invalid="true"` : ''}>
</div>`;
  };
  const topicsInvalid = Boolean(problems.topics);
  const sizeInvalid = Boolean(problems.digestSize);
  return html`<fieldset id="topics" aria-describedby="${describedBy('topics-hint', topicsInvalid && 'topics-error')}"${topicsInvalid ? html` class="invalid"` : ''}>
<legend>Topics</legend>
<span class="hint" id="topics-hint">Choose the fields you follow. You can also (or only) give keywords below.</span>
${errorLine('topics', problems)}
<div class="choices topics">
${taxonomy.map((topic) => choice({ type: 'checkbox', name: 'topics', value: topic.slug, id: `topic-${topic.slug}`, label: topic.label, hint: topic.description, checked: chosen.has(topic.slug) }))}</div>
</fieldset>
${textField('keywords', 'Keywords', 'Words or phrases to look for, separated by commas: activation steering, RLHF, protein folding', values.keywords)}
${textField('excluded', 'Never send papers about', 'Words or phrases, separated by commas. Papers that mention them are left out.', values.excluded)}
<div class="field">
<label for="digest-size">Papers per email</label>
<span class="hint" id="digest-size-hint">At most this many papers a day, from 1 to ${LIMITS.digestSizeMax}.</span>
${errorLine('digestSize', problems)}
<input type="number" id="digest-size" name="digestSize" value="${values.digestSize}" min="1" max="${LIMITS.digestSizeMax}" step="1" inputmode="numeric" required aria-describedby="${describedBy('digest-size-hint', sizeInvalid && 'digest-size-error')}"${sizeInvalid ? html` aria-invalid="true"` : ''}>
</div>`;
}

/**
 * A checkbox or radio button in a bordered box that is clickable as a whole. Its accessible name is
 * the short label only (not the whole box's text); the hint is its description.
 */
export function choice(options: { type: 'checkbox' | 'radio'; name: string; value: string; id: string; label: string; hint?: string; checked: boolean }): SafeHtml {
  const { id } = options;
  return html`<label class="choice"><input type="${options.type}" name="${options.name}" value="${options.value}" aria-labelledby="${id}-label"${options.hint ? html` aria-describedby="${id}-hint"` : ''}${options.checked ? html` checked` : ''}><span><span class="choice-label" id="${id}-label">${options.label}</span>${options.hint ? html`<span class="choice-hint" id="${id}-hint">${options.hint}</span>` : ''}</span></label>
`;
}

/** The hidden CSRF field every state-changing form carries (`@fastify/csrf-protection` reads `_csrf`). */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
