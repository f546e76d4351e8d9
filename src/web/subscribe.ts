import type { FastifyInstance, FastifyReply } from 'fastify';
import { describeError } from '../errors.js';
import { domainOf } from '../mail/message-id.js';
import { normalizeEmail } from '../store/subscribers.js';
import { checkSubscriberInput } from '../subscriber-input.js';
import { sendPage, type WebContext } from './context.js';
import { asFormBody, listField, textField } from './form-body.js';
import { checkInboxPage, rateLimitedPage, sendFailedPage } from './pages/messages.js';
import { subscribePage, type SubscribeFormValues } from './pages/subscribe-page.js';
import { requestSubscription } from './request-subscription.js';
import { sendAccountEmail } from './send-account-email.js';

const HOUR_MS = 60 * 60 * 1000;

/** `GET /` (the form) and `POST /subscribe` (`GET /subscribe` leads back to the form). */
export async function subscribeRoutes(app: FastifyInstance, ctx: WebContext): Promise<void> {
  const { deps, site, taxonomy, log } = ctx;
  const { config } = deps;
  const messageIdDomain = domainOf(config.mailFrom);
  // Two budgets, so neither one client nor many clients can mail-bomb one stranger with confirmations.
  // Counted in memory per process: a restart forgets them, which is fine for a single-instance service.
  const perIp = app.createRateLimit({ max: config.rateLimit.perIpPerHour, timeWindow: HOUR_MS });
  const perAddress = app.createRateLimit({
    max: config.rateLimit.perAddressPerHour,
    timeWindow: HOUR_MS,
    keyGenerator: (request) => `address:${normalizeEmail(textField(asFormBody(request.body), 'email'))}`,
  });

  const formPage = (reply: FastifyReply, statusCode: number, values: SubscribeFormValues, problems = {}) =>
    sendPage(reply, statusCode, subscribePage(site, taxonomy, { csrfToken: reply.generateCsrf(), values, problems }));

  app.get('/', async (_request, reply) =>
    formPage(reply, 200, { email: '', topics: [], keywords: '', excluded: '', digestSize: String(config.digestSize) }),
  );

  // Someone who reloads or bookmarks the address of a submitted form lands on the form.
  app.get('/subscribe', async (_request, reply) => reply.code(303).header('location', `${site.basePath}/`).send());

  app.post('/subscribe', { preHandler: app.csrfProtection }, async (request, reply) => {
    const byIp = await perIp(request);
    if (!byIp.isAllowed && byIp.isExceeded) return tooMany(reply, byIp.ttlInSeconds);

    const body = asFormBody(request.body);
    const values: SubscribeFormValues = {
      email: textField(body, 'email'),
      topics: listField(body, 'topics'),
      keywords: textField(body, 'keywords'),
      excluded: textField(body, 'excluded'),
      digestSize: textField(body, 'digestSize'),
    };
    const checked = checkSubscriberInput(values, config.digestSize);
    if (!checked.ok) return formPage(reply, 400, values, checked.problems);

    const byAddress = await perAddress(request);
    if (!byAddress.isAllowed && byAddress.isExceeded) return tooMany(reply, byAddress.ttlInSeconds);

    const outcome = requestSubscription(deps.store, checked, deps.now());
    try {
      await sendAccountEmail(deps, outcome, messageIdDomain);
    } catch (error) {
      log.error({ subscriberId: outcome.subscriber.id, error: describeError(error) }, 'sending the subscription email failed');
      return sendPage(reply, 503, sendFailedPage(site));
    }
    log.info({ subscriberId: outcome.subscriber.id, email: outcome.send }, 'subscription request answered');
    // The same page whatever the address's state: nobody learns from it who subscribes.
    return sendPage(reply, 200, checkInboxPage(site, checked.email));
  });

  function tooMany(reply: FastifyReply, retryAfterSeconds: number) {
    return sendPage(reply.header('retry-after', String(retryAfterSeconds)), 429, rateLimitedPage(site, retryAfterSeconds));
  }
}
