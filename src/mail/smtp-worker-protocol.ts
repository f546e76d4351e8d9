import type { SmtpFailureKind } from './errors.js';
import type { SmtpTransportConfig } from './smtp-transport.js';

/** What the SMTP worker starts with: its pool's settings, and whether the log wants debug lines. */
export interface SmtpWorkerData extends SmtpTransportConfig {
  debug: boolean;
}

/** Main thread → SMTP worker. */
export type ToWorker =
  | { type: 'send'; id: number; raw: Uint8Array; envelope: { from: string; to: string }; messageId: string }
  /** Close the pool (idle connections now, busy ones after their message) and end the thread. */
  | { type: 'close' };

/** SMTP worker → main thread. */
export type FromWorker =
  | { type: 'sent'; id: number; response: string }
  | { type: 'failed'; id: number; error: { message: string; kind: SmtpFailureKind; responseCode: number | null; command: string | null } }
  | { type: 'log'; level: 'warn' | 'debug'; fields: Record<string, unknown>; message: string };
