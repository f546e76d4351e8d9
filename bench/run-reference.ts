/**
 * Child step: the reference papermail is compared with. nodemailer, pooled like papermail's SMTP
 * mailer (same connection count, same messages per connection, no requeues), sends PRE-BUILT
 * messages into the same sink: the bytes of real digests of this day, built once before the clock
 * starts, cycled until as many were sent as papermail sent. No ranking, no rendering, no MIME
 * building, no ledger: what the machine's SMTP client side can do with messages of this size.
 */
import nodemailer from 'nodemailer';
import { createApp, silentLogger } from './support/shipped.js';
import { childInput, childMain } from './support/child.js';
import { kernelMemory, mark, sampleMemory, since, type MemoryPeaks, type Span } from './support/measure.js';
import { buildRaw, candidateIndex, composeSample, digestLinks, sampleDigests, UNUSED_MAILER } from './support/sample-digests.js';
import { benchConfig, ENVELOPE_FROM, type RunSettings } from './support/settings.js';

export interface ReferenceInput extends RunSettings {
  digestDate: string;
  now: string;
  /** How many messages to send (papermail's digests in the run it is compared with). */
  messages: number;
  /** Distinct pre-built messages, cycled. */
  distinct: number;
  /** Messages handed to the pool at once (the pool queues what its connections are not carrying). */
  inFlight: number;
}

export interface ReferenceResult {
  send: Span;
  sent: number;
  distinct: number;
  meanMessageBytes: number;
  /** Building the distinct messages (not timed in `send`). */
  prebuild: Span;
  memory: { baselineRssBytes: number; peaks: MemoryPeaks };
}

childMain<ReferenceResult>(async () => {
  const input = childInput<ReferenceInput>();
  const config = benchConfig(input);
  const app = createApp(config, silentLogger(), { now: () => new Date(input.now), mailer: UNUSED_MAILER });
  const prebuildStart = mark();
  const renderer = await app.renderer();
  const { index, minPaperId } = candidateIndex(app);
  const raws: { to: string; raw: Buffer }[] = [];
  for (const digest of sampleDigests(app, index, minPaperId, input.digestDate, input.distinct)) {
    const links = digestLinks(app, digest.subscriber.id);
    const rendered = renderer.render({ subscriber: digest.subscriber, date: input.digestDate, papers: digest.papers }, links);
    const message = composeSample(app, rendered, digest, input.digestDate, links);
    raws.push({ to: message.to, raw: await buildRaw(message, config.mail.from) });
  }
  await app.close();
  const prebuild = since(prebuildStart);
  if (raws.length === 0) throw new Error('bench: no subscriber of this day has a digest; nothing to send');
  const meanMessageBytes = raws.reduce((sum, { raw }) => sum + raw.length, 0) / raws.length;

  const transporter = nodemailer.createTransport({
    host: '127.0.0.1',
    port: input.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: input.connections,
    maxMessages: input.maxMessages,
    maxRequeues: 0,
  });
  transporter.on('error', () => {});

  const baselineRssBytes = kernelMemory().rssBytes ?? process.memoryUsage().rss;
  const memory = sampleMemory(50);
  const start = mark();
  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < input.messages) {
      const { to, raw } = raws[next++ % raws.length]!;
      await transporter.sendMail({ envelope: { from: ENVELOPE_FROM, to: [to] }, raw });
      sent++;
    }
  };
  await Promise.all(Array.from({ length: input.inFlight }, worker));
  const send = since(start);
  const peaks = memory.stop();
  transporter.close();
  return { send, sent, distinct: raws.length, meanMessageBytes, prebuild, memory: { baselineRssBytes, peaks } };
});
