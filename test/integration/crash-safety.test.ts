import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open-store.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

// These tests run the built CLI (`npm test` builds dist/ first) as real processes and kill them.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE_FEED = `file:${ROOT}data/sample/trending-papers.xml`;
const TOPICS = ['efficient-architectures', 'nlp-llm', 'computer-vision', 'reinforcement-learning', 'diffusion-models', 'multimodal'];
const CONNECTIONS = 5;

describe('papermail run as a process: crashes and concurrent runs (real SMTP server, real SQLite)', () => {
  let dir: TempDir;
  let sink: SmtpSink;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    dir = tempDir();
    sink = await startSmtpSink();
    env = {
      PATH: process.env.PATH,
      DATABASE_PATH: dir.file('papermail.db'),
      FEEDS: SAMPLE_FEED,
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
      MAIL_FROM: 'papermail <digest@papers.example.org>',
      PUBLIC_URL: 'https://papers.example.org',
      SECRET: 'crash-test-secret-0123456789abcdefghijk',
      LOG_LEVEL: 'silent',
    };
  });
  afterEach(async () => {
    await sink.close();
    dir.remove();
  });

  /** Subscribers and the day's papers, written once before the runs under test. */
  async function seed(count: number): Promise<string[]> {
    const app = createApp(loadConfig(env), silentLogger());
    await app.ingest();
    const emails = Array.from({ length: count }, (_, i) => `reader${i}@example.org`);
    app.store.addSubscribers(
      emails.map((email, i) => ({ email, status: 'active' as const, interests: { topics: [TOPICS[i % TOPICS.length]!], keywords: [], excluded: [] }, digestSize: 5 })),
      new Date(),
    );
    await app.close();
    return emails;
  }

  function startRun(): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
    const child = spawn(process.execPath, ['bin/papermail.js', 'run', '--no-ingest'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, stdout, stderr }));
    return { child, exit };
  }

  const acceptedPerRecipient = () => {
    const counts = new Map<string, number>();
    for (const message of sink.messages) for (const to of message.envelope.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  };

  it('after SIGKILLs mid-run, every subscriber ends with exactly one message, but for a few uncertain ones that are reported', async () => {
    const emails = await seed(500);
    sink.set({ acceptDelayMs: 4 });
    const killPoints = [60, 200, 340];
    for (const point of killPoints) {
      const run = startRun();
      await sink.waitFor(point, 30_000);
      run.child.kill('SIGKILL');
      expect((await run.exit).signal).toBe('SIGKILL');
    }
    const final = startRun();
    const result = await final.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/interrupted by a crash and are now uncertain/);

    const store = openStore(env.DATABASE_PATH!);
    const ledger = store.deliveryCounts(new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(new Date()));
    const uncertain = new Set(
      store.deliveriesNeedingAttention(1000).filter((d) => d.status === 'uncertain').map((d) => store.getSubscriber(d.subscriberId)!.email),
    );
    store.close();
    expect(ledger.sending).toBeUndefined();
    // Per kill: the messages in flight (four per connection), a claimed batch not yet handed over, and
    // accepted ones whose `sent` was not committed yet: three batches of 4 × connections at most.
    expect(uncertain.size).toBeLessThanOrEqual(killPoints.length * 3 * 4 * CONNECTIONS);
    expect((ledger.sent ?? 0) + (ledger.uncertain ?? 0)).toBe(500);

    const counts = acceptedPerRecipient();
    for (const email of emails) {
      const received = counts.get(email) ?? 0;
      if (uncertain.has(email)) expect(received, email).toBeLessThanOrEqual(1);
      else expect(received, email).toBe(1);
    }
  }, 120_000);

  it('lets only one of two runs started together send; the other says a run is in progress', async () => {
    const emails = await seed(60);
    sink.set({ acceptDelayMs: 25 });
    const [a, b] = [startRun(), startRun()];
    const results = await Promise.all([a.exit, b.exit]);
    const busy = results.filter((result) => result.code === 1);
    const done = results.filter((result) => result.code === 0);
    expect(done).toHaveLength(1);
    expect(busy).toHaveLength(1);
    expect(busy[0]!.stderr).toMatch(/another papermail run is in progress/);
    const counts = acceptedPerRecipient();
    expect(emails.every((email) => counts.get(email) === 1)).toBe(true);
  }, 60_000);
});
