import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The root logger: JSON lines on stderr (stdout is for command output and summaries).
 * Stages take child loggers (`log.child({ stage: 'feeds' })`). Log subscriber ids, never addresses.
 */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino({ level, base: undefined }, destination ?? pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
