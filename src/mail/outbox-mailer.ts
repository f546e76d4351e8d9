import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Mailer, OutgoingMessage, SentMessage } from '../domain.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { MailError } from './errors.js';
import { buildMime, parseSender } from './build-mime.js';

export interface OutboxMailerConfig {
  dir: string;
  from: string;
}

/**
 * When no SMTP server is configured: each message becomes a real RFC 5322 `.eml` file in `dir`,
 * built exactly as SMTP would carry it (`buildMime`: CRLF line ends, same headers), so it opens
 * in any mail client. Files are named by Message-ID: sending the same digest again overwrites it.
 */
export function createOutboxMailer(config: OutboxMailerConfig, log: Logger): Mailer {
  const sender = parseSender(config.from);
  let dirReady: Promise<unknown> | null = null;

  return {
    async send(message: OutgoingMessage): Promise<SentMessage> {
      const { raw } = buildMime(message, sender);
      const file = path.join(config.dir, outboxFileName(message));
      try {
        await (dirReady ??= mkdir(config.dir, { recursive: true }));
        await writeFileAtomically(file, raw);
      } catch (thrown) {
        dirReady = null;
        throw new MailError(`saving ${message.messageId} to ${config.dir} failed: ${describeError(thrown)}`, { kind: 'transient', cause: thrown });
      }
      log.debug({ messageId: message.messageId, file }, 'message saved to the outbox');
      return { messageId: message.messageId, response: `saved to ${file}` };
    },
    describe: () => `outbox ${config.dir}`,
    async close() {},
  };
}

/** `2026-12-03_digest.2026-12-03.1f2e…@example.org.eml`: sorted by date, one file per Message-ID. */
export function outboxFileName(message: Pick<OutgoingMessage, 'messageId' | 'date'>): string {
  const id = message.messageId.replace(/^<|>$/g, '');
  const date = /^digest\.(\d{4}-\d{2}-\d{2})\./.exec(id)?.[1] ?? message.date.toISOString().slice(0, 10);
  const safeId = id.replace(/[^A-Za-z0-9._@+-]/g, '_').slice(0, 180);
  return `${date}_${safeId}.eml`;
}

/**
 * Temp file in the same directory, flushed to disk, then renamed over the target: readers (and a
 * crash) see either no file or the whole message, never half of one.
 */
async function writeFileAtomically(file: string, content: Buffer): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(content);
    await handle.datasync();
  } catch (thrown) {
    await handle.close();
    await rm(temp, { force: true });
    throw thrown;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (thrown) {
    await rm(temp, { force: true });
    throw thrown;
  }
}
