import type { Config } from '../../src/config.js';
import { loadConfig } from './shipped.js';

/** The site and sender of the benchmark's mail: https, so digests carry RFC 8058 one-click headers as in production. */
export const PUBLIC_URL = 'https://papers.example.org';
export const MAIL_FROM = 'papermail <digest@papers.example.org>';
export const ENVELOPE_FROM = 'digest@papers.example.org';
/** A fixed secret: tokens and Message-IDs are the same from run to run. */
export const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export interface RunSettings {
  databasePath: string;
  smtpPort: number;
  /** SMTP_MAX_CONNECTIONS: papermail's pool size and how many digests it has in flight. */
  connections: number;
  /** SMTP_MAX_MESSAGES: messages per pooled connection before it is replaced. */
  maxMessages: number;
  windowDays: number;
  digestSize: number;
}

/** papermail's configuration for a benchmark run, through the real `loadConfig` (not `process.env`, not `.env`). */
export function benchConfig(settings: RunSettings): Config {
  return loadConfig(benchEnv(settings));
}

/** The same settings as environment variables, for the CLI run. */
export function benchEnv(settings: RunSettings): Record<string, string> {
  return {
    DATABASE_PATH: settings.databasePath,
    SMTP_URL: `smtp://127.0.0.1:${settings.smtpPort}`,
    SMTP_MAX_CONNECTIONS: String(settings.connections),
    SMTP_MAX_MESSAGES: String(settings.maxMessages),
    MAIL_FROM,
    PUBLIC_URL,
    SECRET,
    MAX_AGE_DAYS: String(settings.windowDays),
    DIGEST_SIZE: String(settings.digestSize),
    LOG_LEVEL: 'silent',
  };
}
