import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SinkMessage, SinkRequest, SinkStats } from '../smtp-sink-process.js';

/** `bench/` */
export const BENCH_DIR = path.resolve(import.meta.dirname, '..');
const REPO_ROOT = path.resolve(BENCH_DIR, '..');

type ChildReport<T> = { type: 'result'; result: T } | { type: 'error'; message: string; stack?: string };

/**
 * Runs one benchmark step in a fresh Node process (TypeScript through tsx), so each measurement
 * starts from a clean heap and its peak RSS is its own, as a daily `papermail run` process would be.
 */
export function runChild<Input, Result>(script: string, input: Input, options: { execArgv?: string[] } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(BENCH_DIR, script), [JSON.stringify(input)], {
      cwd: REPO_ROOT,
      // Plain JavaScript (run-cli.mjs) runs without the TypeScript loader and its ~40 MiB.
      execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: ChildReport<Result> | undefined;
    child.on('message', (message: ChildReport<Result>) => {
      report = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (report?.type === 'result') resolve(report.result);
      else if (report?.type === 'error') reject(Object.assign(new Error(`bench: ${script} failed: ${report.message}`), { stack: report.stack }));
      else reject(new Error(`bench: ${script} exited (${signal ?? code}) without a result`));
    });
  });
}

/** The input a parent gave `runChild`. */
export function childInput<Input>(): Input {
  const raw = process.argv[2];
  if (!raw) throw new Error('bench: this script is started by bench/run-bench.ts (npm run bench), not on its own');
  return JSON.parse(raw) as Input;
}

/** Runs a child's main function and reports its result (or its error) to the parent, then exits. */
export function childMain<Result>(main: () => Promise<Result>): void {
  main().then(
    (result) => finish({ type: 'result', result }, 0),
    (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      finish({ type: 'error', message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) }, 1);
    },
  );
}

function finish(report: ChildReport<unknown>, code: number): void {
  if (!process.send) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exit(code);
  }
  // Exiting once the message is flushed lets --cpu-prof write its profile on the way out.
  process.send(report, () => process.exit(code));
}

export interface SinkProcess {
  port: number;
  stats(): Promise<SinkStats>;
  stop(): Promise<void>;
}

/** Starts the SMTP sink in its own process and waits until it listens. */
export async function startSinkProcess(): Promise<SinkProcess> {
  const child: ChildProcess = fork(path.join(BENCH_DIR, 'smtp-sink-process.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench: the SMTP sink exited (${code}) before listening`)));
    child.on('message', (message: SinkMessage) => {
      if (message.type === 'ready') resolve(message.port);
    });
  });
  const request = (message: SinkRequest) => child.send(message);
  return {
    port,
    stats: () =>
      new Promise<SinkStats>((resolve) => {
        const onMessage = (message: SinkMessage) => {
          if (message.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        request({ type: 'stats' });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        request({ type: 'stop' });
      }),
  };
}
