/**
 * The SMTP worker thread: owns the SMTP connections (`smtp-transport.ts`), so socket writes, TLS, DKIM signing and
 * the SMTP conversation run on a second core while the main thread ranks, renders and keeps the ledger.
 * It holds no state the ledger depends on: each message is sent once, as asked, and its outcome
 * (reply, or a classified failure) goes back to the main thread, which records it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MailError } from './errors.js';
import { createSmtpTransport } from './smtp-transport.js';
import type { FromWorker, SmtpWorkerData, ToWorker } from './smtp-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('smtp-worker.ts runs as a worker thread (see smtp-mailer.ts)');

const post = (message: FromWorker) => port.postMessage(message);
const { debug, ...config } = workerData as SmtpWorkerData;
// A debug line per message would cost a message between threads per message: sent only when asked for.
const transport = createSmtpTransport(config, (level, fields, message) => {
  if (level !== 'debug' || debug) post({ type: 'log', level, fields, message });
});

port.on('message', (request: ToWorker) => {
  if (request.type === 'close') {
    transport.close();
    port.close();
    return;
  }
  const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
  transport.send({ raw, envelope: request.envelope }, request.messageId).then(
    (response) => post({ type: 'sent', id: request.id, response }),
    (thrown: unknown) => {
      const error =
        thrown instanceof MailError
          ? { message: thrown.message, kind: thrown.kind, responseCode: thrown.responseCode, command: thrown.command }
          : { message: `sending ${request.messageId} failed: ${String(thrown)}`, kind: 'uncertain' as const, responseCode: null, command: null };
      post({ type: 'failed', id: request.id, error });
    },
  );
});
