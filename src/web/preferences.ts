import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Subscriber } from '../domain.js';
import { checkSubscriberInput } from '../subscriber-input.js';
import { sendPage, type WebContext } from './context.js';
import { asFormBody, listField, textField } from './form-body.js';
import { lookupToken } from './lookup-token.js';
import type { FieldProblems, InterestsFormValues } from './pages/form-parts.js';
import { awaitingConfirmationPage, errorPage, notSubscribedPage } from './pages/messages.js';
import { preferencesPage } from './pages/preferences-page.js';
import { sendTokenProblem } from './token-pages.js';

interface TokenParams {
  token: string;
}

type Delivery = 'active' | 'paused';
/** A subscriber whose preferences can be managed: confirmed and not gone. */
type ManagedSubscriber = Subscriber & { status: Delivery };

/**
 * `GET /preferences/:token` (manage token): settings, pause/resume, today's preview and the reader's
 * feedback; `POST` saves the settings; `POST /preferences/:token/feedback` removes one feedback click.
 */
export async function preferencesRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { deps, site, taxonomy, log } = ctx;

  function render(
    reply: FastifyReply,
    statusCode: number,
    token: string,
    subscriber: ManagedSubscriber,
    form: { values: InterestsFormValues; delivery: Delivery; problems: FieldProblems; saved: boolean; feedbackRemoved?: boolean },
  ) {
    return sendPage(
      reply,
      statusCode,
      preferencesPage(site, taxonomy, {
        token,
        csrfToken: reply.generateCsrf(),
        email: subscriber.email,
        delivery: form.delivery,
        values: form.values,
        problems: form.problems,
        saved: form.saved,
        // Always the saved settings: a preview of a form that did not validate would mislead.
        preview: deps.previewPapers(subscriber).slice(0, subscriber.digestSize),
        feedback: deps.store.feedbackOf(subscriber.id),
        feedbackRemoved: form.feedbackRemoved ?? false,
        unsubscribeUrl: deps.links.unsubscribeUrl(subscriber.id),
      }),
    );
  }

  /** The subscriber behind a manage token, or the page already sent that says why there is none. */
  function managed(token: string, reply: FastifyReply): { found: true; subscriber: ManagedSubscriber } | { found: false; reply: FastifyReply } {
    const lookup = lookupToken(deps, token, 'manage');
    if (lookup.status !== 'found') return { found: false, reply: sendTokenProblem(ctx, reply, lookup) };
    const { subscriber } = lookup;
    if (subscriber.status === 'pending') return { found: false, reply: sendPage(reply, 200, awaitingConfirmationPage(site)) };
    if (subscriber.status === 'unsubscribed' || subscriber.status === 'bounced') return { found: false, reply: sendPage(reply, 410, notSubscribedPage(site)) };
    return { found: true, subscriber: { ...subscriber, status: subscriber.status } };
  }

  app.get<{ Params: TokenParams; Querystring: { saved?: string; removed?: string } }>('/preferences/:token', async (request, reply) => {
    const found = managed(request.params.token, reply);
    if (!found.found) return found.reply;
    const { subscriber } = found;
    return render(reply, 200, request.params.token, subscriber, {
      values: storedValues(subscriber),
      delivery: subscriber.status,
      problems: {},
      saved: request.query.saved === '1',
      feedbackRemoved: request.query.removed === '1',
    });
  });

  app.post<{ Params: TokenParams }>('/preferences/:token', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { token } = request.params;
    const found = managed(token, reply);
    if (!found.found) return found.reply;
    const { subscriber } = found;

    const body = asFormBody(request.body);
    const requested = textField(body, 'delivery');
    const delivery: Delivery = requested === 'paused' || requested === 'active' ? requested : subscriber.status;
    const values: InterestsFormValues = {
      topics: listField(body, 'topics'),
      keywords: textField(body, 'keywords'),
      excluded: textField(body, 'excluded'),
      digestSize: textField(body, 'digestSize'),
    };
    const checked = checkSubscriberInput({ email: subscriber.email, ...values }, subscriber.digestSize);
    if (!checked.ok) {
      // The address is not on this form; a problem with it is not the reader's to fix here.
      const { email: _email, ...problems } = checked.problems;
      return render(reply, 400, token, subscriber, { values, delivery, problems, saved: false });
    }

    const now = deps.now();
    deps.store.transaction(() => {
      deps.store.updateSubscriberInterests(subscriber.id, checked.interests, checked.digestSize, now);
      if (delivery !== subscriber.status) deps.store.setSubscriberStatus(subscriber.id, delivery, now);
    });
    log.info({ subscriberId: subscriber.id, status: delivery }, 'preferences saved');
    // Post/redirect/get: reloading the page shows it again instead of posting the form twice.
    return reply.code(303).header('location', `${site.basePath}/preferences/${token}?saved=1`).send();
  });

  // The paper id comes in the body, never the URL; removing is scoped to the token's subscriber, so an id of someone else's click removes nothing.
  app.post<{ Params: TokenParams }>('/preferences/:token/feedback', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { token } = request.params;
    const found = managed(token, reply);
    if (!found.found) return found.reply;
    const { subscriber } = found;
    const paperId = paperIdField(textField(asFormBody(request.body), 'paper'));
    if (paperId === null) return sendPage(reply, 400, errorPage(site, 400));
    const removed = deps.store.removeFeedback(subscriber.id, paperId);
    log.info({ subscriberId: subscriber.id, paperId, removed }, 'feedback removed');
    // Removing twice (a double click, a reload) lands on the same page: the click is gone either way.
    return reply.code(303).header('location', `${site.basePath}/preferences/${token}?removed=1#feedback`).send();
  });
}

/** A paper id as a form sends it: a positive whole number, nothing else. */
function paperIdField(value: string): number | null {
  if (!/^[1-9][0-9]{0,14}$/.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}

function storedValues(subscriber: Subscriber): InterestsFormValues {
  return {
    topics: subscriber.interests.topics,
    keywords: subscriber.interests.keywords.join(', '),
    excluded: subscriber.interests.excluded.join(', '),
    digestSize: String(subscriber.digestSize),
  };
}
