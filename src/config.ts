import { readFileSync } from 'node:fs';
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import type { LogLevel } from './log.js';
import { PapermailError } from './errors.js';

/** The sources read when FEEDS is unset: Hugging Face's daily papers and arXiv's cs.LG / cs.AI listings. */
export const DEFAULT_FEEDS = [
  'https://huggingface.co/api/daily_papers',
  'https://rss.arxiv.org/rss/cs.LG',
  'https://rss.arxiv.org/rss/cs.AI',
] as const;

export interface Config {
  databasePath: string;
  feeds: readonly string[];
  fetch: { timeoutMs: number; maxBytes: number; userAgent: string };
  maxAgeDays: number;
  digestSize: number;
  schedule: { cron: string; timeZone: string };
  mail: {
    from: string;
    /** Unset: messages are written as .eml files to `outboxDir`. */
    smtpUrl: string | null;
    outboxDir: string;
    maxConnections: number;
    maxMessages: number;
    dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  };
  delivery: {
    /** Resend rows a crash left `uncertain` (same Message-ID). Off: report them and leave them. */
    resendUncertain: boolean;
    retry: { maxAttempts: number; baseDelayMs: number; maxWaitMs: number };
    maxConsecutiveFailures: number;
    /** 0: no limit. */
    ratePerSecond: number;
    maxPerDay: number;
  };
  publicUrl: string;
  /** Null: a secret is generated once and kept in the database (see `resolveSecret`). */
  secret: string | null;
  port: number;
  host: string;
  web: {
    confirmTtlMs: number;
    rateLimit: { perIpPerHour: number; perAddressPerHour: number };
    /** Fastify's trustProxy: false, true, or the proxies' addresses. */
    trustProxy: boolean | string[];
  };
  logLevel: LogLevel;
}

export class ConfigError extends PapermailError {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `at least ${min}`).max(max, `at most ${max}`));

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'an http(s) URL such as https://papers.example.org');

const feedUrl = z
  .string()
  .trim()
  .refine((value) => (/^(https?|file):/i.test(value) && URL.canParse(value)) || /^file:/.test(value), 'an http(s) or file: URL');

const smtpUrl = z
  .string()
  .trim()
  .refine((value) => /^smtps?:\/\//i.test(value) && URL.canParse(value), 'an smtp:// or smtps:// URL such as smtp://user:pass@relay.example.org:587');

const timeZone = z.string().trim().refine((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Berlin or UTC');

const envSchema = z.object({
  DATABASE_PATH: z.string().trim().min(1).default('data/papermail.db'),
  FEEDS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(feedUrl)),
  FETCH_TIMEOUT_MS: integer(100, 600_000).default(20_000),
  FETCH_MAX_BYTES: integer(1_024, 1_073_741_824).default(10 * 1024 * 1024),
  MAX_AGE_DAYS: integer(1, 365).default(7),
  DIGEST_SIZE: integer(1, 50).default(10),
  DIGEST_CRON: z
    .string()
    .trim()
    .refine((value) => isValidCron(value), 'a cron expression such as "0 7 * * *" (07:00 every day)')
    .default('0 7 * * *'),
  TZ: timeZone.default('UTC'),
  MAIL_FROM: z
    .string()
    .trim()
    .refine((value) => /^(?:[^<>\r\n]*<)?[^\s<>@]+@[^\s<>@]+>?$/.test(value), 'an address such as "papermail <digest@example.org>"')
    .default('papermail <digest@localhost>'),
  SMTP_URL: smtpUrl.optional(),
  SMTP_MAX_CONNECTIONS: integer(1, 100).default(5),
  SMTP_MAX_MESSAGES: integer(1, 1_000_000).default(1000),
  OUTBOX_DIR: z.string().trim().min(1).default('data/outbox'),
  RESEND_UNCERTAIN: z
    .string()
    .trim()
    .regex(/^(true|false|1|0|yes|no)$/i, 'true or false')
    .transform((value) => /^(true|1|yes)$/i.test(value))
    .default(false),
  RETRY_MAX_ATTEMPTS: integer(1, 50).default(5),
  RETRY_BASE_DELAY_MS: integer(0, 3_600_000).default(30_000),
  RETRY_MAX_WAIT_MS: integer(0, 3_600_000).default(300_000),
  SMTP_MAX_CONSECUTIVE_FAILURES: integer(1, 100_000).default(10),
  SEND_RATE_PER_SECOND: integer(0, 100_000).default(0),
  SEND_MAX_PER_DAY: integer(0, 100_000_000).default(0),
  DKIM_DOMAIN: z.string().trim().min(1).optional(),
  DKIM_SELECTOR: z.string().trim().min(1).optional(),
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  PUBLIC_URL: httpUrl.default('http://localhost:3000').transform((value) => value.replace(/\/+$/, '')),
  SECRET: z.string().min(32, 'at least 32 characters (try: openssl rand -hex 32)').optional(),
  PORT: integer(1, 65_535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  CONFIRM_LINK_TTL_HOURS: integer(1, 24 * 30).default(72),
  SUBSCRIBE_LIMIT_PER_IP_PER_HOUR: integer(1, 100_000).default(20),
  SUBSCRIBE_LIMIT_PER_ADDRESS_PER_HOUR: integer(1, 1_000).default(3),
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((value): boolean | string[] => (/^(true|1|yes)$/i.test(value) ? true : /^(false|0|no)$/i.test(value) ? false : value.split(',').map((ip) => ip.trim()).filter(Boolean)))
    .default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Secrets may come from files (Docker/Kubernetes secrets): `SECRET_FILE=/run/secrets/papermail`. */
const FILE_VARIANTS = ['SECRET', 'SMTP_URL', 'DKIM_PRIVATE_KEY'] as const;

/**
 * Validates every setting and reports all problems at once, each naming its variable and what it expected.
 * Empty strings count as unset, so `.env.example` can list every key.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') values[key] = value;
  }
  for (const key of FILE_VARIANTS) {
    const path = values[`${key}_FILE`];
    if (!path) continue;
    if (values[key]) {
      problems.push(`${key} and ${key}_FILE are both set: keep one`);
      continue;
    }
    try {
      values[key] = readFileSync(path, 'utf8').trim();
    } catch (error) {
      problems.push(`${key}_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  const parsed = envSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '?');
      const got = key in values && key !== 'SECRET' && !key.includes('KEY') ? ` (got "${values[key]}")` : '';
      problems.push(`${key}: expected ${issue.message}${got}`);
    }
  }
  const dkimKeys = [values.DKIM_DOMAIN, values.DKIM_SELECTOR, values.DKIM_PRIVATE_KEY];
  const dkimSet = dkimKeys.filter(Boolean).length;
  if (dkimSet > 0 && dkimSet < 3) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE): set all three to sign, or none');
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const e = parsed.data;
  return Object.freeze({
    databasePath: e.DATABASE_PATH,
    feeds: Object.freeze(e.FEEDS.length > 0 ? e.FEEDS : [...DEFAULT_FEEDS]),
    fetch: Object.freeze({
      timeoutMs: e.FETCH_TIMEOUT_MS,
      maxBytes: e.FETCH_MAX_BYTES,
      userAgent: `papermail/0.1 (+${e.PUBLIC_URL}; daily research digest)`,
    }),
    maxAgeDays: e.MAX_AGE_DAYS,
    digestSize: e.DIGEST_SIZE,
    schedule: Object.freeze({ cron: e.DIGEST_CRON, timeZone: e.TZ }),
    mail: Object.freeze({
      from: e.MAIL_FROM,
      smtpUrl: e.SMTP_URL ?? null,
      outboxDir: e.OUTBOX_DIR,
      maxConnections: e.SMTP_MAX_CONNECTIONS,
      maxMessages: e.SMTP_MAX_MESSAGES,
      dkim:
        e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
          ? Object.freeze({ domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKey: e.DKIM_PRIVATE_KEY })
          : null,
    }),
    delivery: Object.freeze({
      resendUncertain: e.RESEND_UNCERTAIN,
      retry: Object.freeze({ maxAttempts: e.RETRY_MAX_ATTEMPTS, baseDelayMs: e.RETRY_BASE_DELAY_MS, maxWaitMs: e.RETRY_MAX_WAIT_MS }),
      maxConsecutiveFailures: e.SMTP_MAX_CONSECUTIVE_FAILURES,
      ratePerSecond: e.SEND_RATE_PER_SECOND,
      maxPerDay: e.SEND_MAX_PER_DAY,
    }),
    publicUrl: e.PUBLIC_URL,
    secret: e.SECRET ?? null,
    port: e.PORT,
    host: e.HOST,
    web: Object.freeze({
      confirmTtlMs: e.CONFIRM_LINK_TTL_HOURS * 60 * 60 * 1000,
      rateLimit: Object.freeze({ perIpPerHour: e.SUBSCRIBE_LIMIT_PER_IP_PER_HOUR, perAddressPerHour: e.SUBSCRIBE_LIMIT_PER_ADDRESS_PER_HOUR }),
      trustProxy: e.TRUST_PROXY,
    }),
    logLevel: e.LOG_LEVEL,
  });
}
