import type { Topic } from '../../domain.js';
import { html } from '../html.js';
import { csrfField, emailField, errorSummary, interestFields, type FieldProblems, type InterestsFormValues } from './form-parts.js';
import { renderPage, type Site } from './layout.js';

export interface SubscribeFormValues extends InterestsFormValues {
  email: string;
}

export interface SubscribePageOptions {
  csrfToken: string;
  values: SubscribeFormValues;
  problems: FieldProblems;
}

/** `GET /`: the subscription form; after a refused `POST /subscribe`, the same form with its problems and the values as typed. */
export function subscribePage(site: Site, taxonomy: readonly Topic[], { csrfToken, values, problems }: SubscribePageOptions): string {
  return renderPage(site, {
    title: 'Trending research papers, once a day',
    hasErrors: Object.keys(problems).length > 0,
    body: html`<p class="lead">Pick your fields and keywords. Each morning ${site.productName} emails you the new papers people are reading that match them, and nothing else.</p>
${errorSummary(problems)}
<form method="post" action="${site.basePath}/subscribe" novalidate>
${csrfField(csrfToken)}
${emailField(values.email, problems)}
${interestFields(taxonomy, values, problems)}
<div class="actions"><button type="submit" class="button">Subscribe</button></div>
</form>
<p class="muted small">We first send one email to confirm the address. Every digest has a link to change your topics and a one-click unsubscribe.</p>`,
  });
}
