import type { RunProgress } from '../jobs/run-progress.js';

/** The part of a `NodeJS.WriteStream` the progress line needs, so tests can hand it a fake. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** Terminal width in characters; read at every draw, so a resized window is followed. */
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressLineOptions {
  stream: ProgressStream;
  /** Read once, for `CI` and `TERM`. */
  env: NodeJS.ProcessEnv;
  /** A monotonic clock in milliseconds; `performance.now` unless a test hands in a fake. */
  now?: () => number;
  /** Redraw at most this often, except for a phase change and a phase's last step. */
  minIntervalMs?: number;
}

export interface ProgressLine {
  /** Records where the run stands and redraws the line when it is due. Safe to pass detached. */
  update(progress: RunProgress): void;
  /** Erases the line for a message on the same stream; the next update draws it again. */
  clear(): void;
  /** Erases the line for good: the summary printed afterwards starts on a clean line. Idempotent. */
  finish(): void;
}

export const DEFAULT_MIN_INTERVAL_MS = 200;
/** Under a second of samples, a rate (and so an ETA) is mostly noise: both wait until then. */
export const MIN_RATE_WINDOW_MS = 1_000;
const FALLBACK_COLUMNS = 80;
const CLEAR_LINE = '\r\x1b[2K';

const quiet: ProgressLine = { update() {}, clear() {}, finish() {} };

/**
 * A single status line, redrawn in place on a terminal, for runs long enough to wonder about.
 * Silent (every call a no-op) when the stream is not a TTY or CI is set, so logs and CI output
 * never fill with carriage returns and escape codes.
 */
export function createProgressLine(options: ProgressLineOptions): ProgressLine {
  const { stream, env, now = () => performance.now(), minIntervalMs = DEFAULT_MIN_INTERVAL_MS } = options;
  // A dumb terminal shows escape codes as they are.
  if (!stream.isTTY || isCi(env) || env.TERM === 'dumb') return quiet;

  let ranked: { done: number; total: number } | null = null;
  let phaseStart: { phase: RunProgress['phase']; at: number; done: number } | null = null;
  let drawnAt: number | null = null;
  let drawn = '';
  let finished = false;

  function draw(text: string, at: number): void {
    drawnAt = at;
    if (text === drawn) return;
    stream.write(CLEAR_LINE + text);
    drawn = text;
  }

  function erase(): void {
    if (drawn !== '') stream.write(CLEAR_LINE);
    drawn = '';
    drawnAt = null;
  }

  return {
    update(progress) {
      if (finished) return;
      const at = now();
      const phaseChanged = phaseStart?.phase !== progress.phase;
      if (phaseChanged) phaseStart = { phase: progress.phase, at, done: progress.done };
      if (progress.phase === 'plan') ranked = { done: progress.done, total: progress.total };
      const due = phaseChanged || drawnAt === null || progress.done >= progress.total || at - drawnAt >= minIntervalMs;
      if (!due || !phaseStart) return;
      const elapsedMs = at - phaseStart.at;
      const progressed = progress.done - phaseStart.done;
      const perSecond = elapsedMs >= MIN_RATE_WINDOW_MS && progressed > 0 ? (progressed * 1000) / elapsedMs : null;
      draw(formatProgressLine({ progress, ranked, perSecond }, width(stream)), at);
    },
    clear: erase,
    finish() {
      erase();
      finished = true;
    },
  };
}

/** CI=true, CI=1, CI=woodpecker…: any non-empty value but "false" and "0" means CI. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** One column short of the width: writing the last column makes some terminals wrap at once. */
function width(stream: ProgressStream): number {
  const columns = stream.columns && stream.columns > 0 ? stream.columns : FALLBACK_COLUMNS;
  return Math.max(columns - 1, 1);
}

export interface ProgressLineState {
  progress: RunProgress;
  /** The last plan report, still shown while sending. */
  ranked: { done: number; total: number } | null;
  /** This phase's items per second so far, or null while too early to tell. */
  perSecond: number | null;
}

/**
 * `papermail run · ranked 100,000/100,000 subscribers · sent 41,200/95,000 digests · 1,180/s · ETA 46 s`,
 * fitted to `maxWidth`: a narrow terminal loses the finished ranking, then the prefix, before the
 * rate and ETA, and only then is the line cut.
 */
export function formatProgressLine({ progress, ranked, perSecond }: ProgressLineState, maxWidth: number): string {
  const prefix = 'papermail run';
  const rankedPart = ranked ? `ranked ${count(ranked.done)}/${count(ranked.total)} subscribers` : null;
  const phaseParts: string[] = [];
  if (progress.phase === 'send') {
    phaseParts.push(`sent ${count(progress.sent)}/${count(progress.total)} digests`);
    if (progress.failed > 0) phaseParts.push(`failed ${count(progress.failed)}`);
  }
  if (perSecond !== null) {
    phaseParts.push(`${rate(perSecond)}/s`);
    const remaining = progress.total - progress.done;
    if (remaining > 0) phaseParts.push(`ETA ${formatDuration((remaining / perSecond) * 1000)}`);
  }
  const finishedRanking = progress.phase === 'send' ? [] : [rankedPart];
  const variants = [
    [prefix, rankedPart, ...phaseParts],
    [prefix, ...finishedRanking, ...phaseParts],
    [...finishedRanking, ...phaseParts],
  ].map((parts) => parts.filter((part): part is string => part !== null).join(' · '));
  return variants.find((line) => line.length <= maxWidth) ?? cut(variants.at(-1) ?? '', maxWidth);
}

/** `12 s`, `3 min 20 s`, `1 h 5 min`: rounded up, so a run with work left never says 0 s. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
}

const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function count(n: number): string {
  return integers.format(n);
}

/** Whole numbers from 10/s up; below that a decimal, so a slow relay does not read as 0/s. */
function rate(perSecond: number): string {
  return perSecond >= 10 ? integers.format(perSecond) : oneDecimal.format(perSecond);
}

function cut(line: string, maxWidth: number): string {
  return line.length <= maxWidth ? line : `${line.slice(0, maxWidth - 1)}…`;
}
