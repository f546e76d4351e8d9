import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import type { SubscriberStatus } from '../domain.js';
import { openApp, type CommandContext } from './context.js';
import { outboxFileName } from '../mail/outbox-mailer.js';
import { formatRun } from './format-summary.js';
import { describeInterests } from './subscribers.js';

/** The repository root, from src/commands (tests) or dist/commands (built). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const DEMO_SUBSCRIBERS = [
  { email: 'ada@example.org', topics: ['efficient-architectures'], keywords: ['state space model'], excluded: [] },
  { email: 'grace@example.org', topics: ['robotics-embodied', 'reinforcement-learning'], keywords: [], excluded: ['driving'] },
  { email: 'alan@example.org', topics: ['llm-alignment'], keywords: ['activation steering', 'jailbreak'], excluded: [] },
  { email: 'katherine@example.org', topics: ['diffusion-models', 'computer-vision'], keywords: ['video generation'], excluded: [] },
] as const;

/**
 * `demo`: a fresh database under data/demo/, the bundled sample feed, four subscribers with different
 * interests, one digest run into data/demo/outbox/. Never sends real mail, whatever .env says.
 */
export async function demoCommand(_args: string[], context: CommandContext): Promise<number> {
  const demoDir = join(ROOT, 'data', 'demo');
  rmSync(demoDir, { recursive: true, force: true });
  const outbox = join(demoDir, 'outbox');
  const env = {
    ...context.env,
    DATABASE_PATH: join(demoDir, 'papermail.db'),
    OUTBOX_DIR: outbox,
    FEEDS: `file:${join(ROOT, 'data', 'sample', 'trending-papers.xml')}`,
    SMTP_URL: '',
    SMTP_URL_FILE: '',
    LOG_LEVEL: context.env.LOG_LEVEL || 'error',
  };
  const app = openApp({ ...context, env });
  try {
    const status: SubscriberStatus = 'active';
    for (const subscriber of DEMO_SUBSCRIBERS) {
      app.store.addSubscriber(
        { email: subscriber.email, status, interests: { topics: [...subscriber.topics], keywords: [...subscriber.keywords], excluded: [...subscriber.excluded] }, digestSize: 8 },
        app.now(),
      );
    }
    context.out(`demo: ${DEMO_SUBSCRIBERS.length} subscribers, sample feed, outbox ${relative(process.cwd(), outbox) || outbox}`);
    const summary = await app.runDigest({});
    for (const line of formatRun(summary)) context.out(line);
    const today = app.today();
    const written = new Set(readdirSync(outbox).filter((name) => name.endsWith('.eml')));
    context.out(`\n${written.size} digests written:`);
    for (const { email } of DEMO_SUBSCRIBERS) {
      const subscriber = app.store.findSubscriberByEmail(email)!;
      const file = outboxFileName({ messageId: app.messageIdFor(subscriber.id, today), date: app.now() });
      const topics = describeInterests(subscriber.interests);
      context.out(written.has(file) ? `  ${email.padEnd(22)} ${relative(process.cwd(), join(outbox, file))}\n  ${''.padEnd(22)} (${topics})` : `  ${email.padEnd(22)} nothing matched today (${topics})`);
    }
    context.out('\nOpen one in your mail client, or preview in a browser:');
    context.out(`  DATABASE_PATH=${relative(process.cwd(), env.DATABASE_PATH)} npx papermail preview ada@example.org --out preview.html`);
    return 0;
  } finally {
    await app.close();
  }
}
