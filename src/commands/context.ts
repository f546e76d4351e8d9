import { existsSync } from 'node:fs';
import { createApp, type App, type AppOverrides } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type LogLevel } from '../log.js';

/** What every command gets: where to print, and how to build the app from the environment. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  out: (line?: string) => void;
  /** Where problems go (stderr). */
  err: (line: string) => void;
  /** Set by tests and the demo to run against a chosen clock or mailer. */
  overrides?: AppOverrides;
}

/**
 * Loads `.env` from the working directory (without overriding real variables), validates the config,
 * and opens the app. Commands default to warnings only on stderr, since their output is the summary;
 * `serve` logs at info. LOG_LEVEL overrides both.
 */
export function openApp(context: CommandContext, defaultLevel: LogLevel = 'warn'): App {
  const config = readConfig(context.env);
  const level = context.env.LOG_LEVEL ? config.logLevel : defaultLevel;
  return createApp(config, createLogger(level), context.overrides);
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  if (env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(env);
}
