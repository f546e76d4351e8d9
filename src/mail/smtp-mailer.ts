import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { Mailer, OutgoingMessage, SentMessage } from '../domain.js';
import type { Logger } from '../log.js';
import { buildMime, parseSender } from './build-mime.js';
import { MailError } from './errors.js';
import { describeSmtpUrl, type SmtpTransportConfig } from './smtp-transport.js';
import type { FromWorker, ToWorker } from './smtp-worker-protocol.js';
import { siblingModule, startWorkerThread } from '../worker-thread.js';

export { describeSmtpUrl } from './smtp-transport.js';

export interface SmtpMailerConfig extends SmtpTransportConfig {
  from: string;
}

export interface SmtpMailerHooks {
  /** Called with each worker thread as it starts (tests use it to kill one mid-send). */
  onWorkerStarted?: (worker: Worker) => void;
}

/** How long `close()` lets the worker say QUIT on its connections before stopping it. */
const CLOSE_TIMEOUT_MS = 5_000;

interface Pending {
  resolve: (sent: SentMessage) => void;
  reject: (error: MailError) => void;
  messageId: string;
}

/**
 * Sends through a pool of SMTP connections that lives in a worker thread: this thread builds each
 * message (`buildMime`, a few tens of µs) and hands over its bytes; the worker runs the SMTP
 * conversations on the other core. A send resolves only once the server accepted the one recipient;
 * otherwise it rejects with a classified `MailError`. A worker that dies takes its in-flight messages
 * with it as `uncertain` (they may have been delivered); the next send starts a new one.
 */
export function createSmtpMailer(config: SmtpMailerConfig, log: Logger, hooks: SmtpMailerHooks = {}): Mailer {
  const endpoint = describeSmtpUrl(config.url);
  const sender = parseSender(config.from);
  const transportConfig: SmtpTransportConfig = { url: config.url, maxConnections: config.maxConnections, maxMessages: config.maxMessages, ...(config.dkim ? { dkim: config.dkim } : {}) };
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Worker | null = null;

  function failAll(reason: string): void {
    for (const [id, request] of pending) {
      pending.delete(id);
      request.reject(
        new MailError(`sending ${request.messageId} via ${endpoint} failed: ${reason}; the server may or may not have accepted it`, { kind: 'uncertain' }),
      );
    }
  }

  function started(): Worker {
    if (worker) return worker;
    const thread = startSmtpWorker(transportConfig);
    hooks.onWorkerStarted?.(thread);
    thread.on('message', (message: FromWorker) => {
      if (message.type === 'log') {
        log[message.level](message.fields, message.message);
        return;
      }
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      if (pending.size === 0) thread.unref();
      if (message.type === 'sent') request.resolve({ messageId: request.messageId, response: message.response });
      else request.reject(new MailError(message.error.message, message.error));
    });
    thread.on('error', (error) => {
      log.error({ error: error.message }, 'the SMTP worker thread crashed');
      failAll(`the SMTP worker thread crashed (${error.message})`);
    });
    thread.on('exit', (code) => {
      if (worker === thread) worker = null;
      failAll(`the SMTP worker thread exited (code ${code})`);
    });
    return (worker = thread);
  }

  return {
    send(message: OutgoingMessage): Promise<SentMessage> {
      let built;
      try {
        built = buildMime(message, sender);
      } catch (thrown) {
        return Promise.reject(thrown);
      }
      const thread = started();
      const id = nextId++;
      const { raw } = built;
      const request: ToWorker = { type: 'send', id, raw, envelope: built.envelope, messageId: message.messageId };
      // The bytes move to the worker without a copy when they own their memory (not a slice of Buffer's shared pool).
      const transfer = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? [raw.buffer as ArrayBuffer] : [];
      return new Promise<SentMessage>((resolve, reject) => {
        pending.set(id, { resolve, reject, messageId: message.messageId });
        thread.ref();
        thread.postMessage(request, transfer);
      });
    },
    describe: () => endpoint,
    async close() {
      const thread = worker;
      if (!thread) return;
      // Messages in flight finish and are reported first: their outcome belongs in the ledger.
      const deadline = Date.now() + CLOSE_TIMEOUT_MS;
      while (pending.size > 0 && Date.now() < deadline) await sleep(5);
      worker = null;
      const exited = once(thread, 'exit');
      thread.postMessage({ type: 'close' } satisfies ToWorker);
      thread.ref();
      const timeout = new AbortController();
      const closed = await Promise.race([exited.then(() => true), sleep(CLOSE_TIMEOUT_MS, false, { signal: timeout.signal }).catch(() => false)]);
      timeout.abort();
      if (!closed) await thread.terminate();
    },
  };
}

/**
 * The SMTP worker thread. Its heap is capped: it holds the pool's few messages at a time, and without
 * a cap V8 lets a busy thread's garbage grow for a long while before collecting it.
 */
function startSmtpWorker(config: SmtpTransportConfig): Worker {
  return startWorkerThread(siblingModule(import.meta.url, 'smtp-worker'), config, { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 });
}
