import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { openStore } from '../../src/store/open-store.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE_FEED = `file:${ROOT}data/sample/trending-papers.xml`;

describe('papermail CLI', () => {
  let dir: TempDir;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = tempDir();
    env = {
      DATABASE_PATH: dir.file('papermail.db'),
      OUTBOX_DIR: dir.file('outbox'),
      FEEDS: SAMPLE_FEED,
      SECRET: 'cli-test-secret-0123456789abcdefghijkl',
      LOG_LEVEL: 'silent',
    };
  });
  afterEach(() => dir.remove());

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { env, out: (line = '') => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  describe('subscribers add', () => {
    it('adds a confirmed subscriber with topics, keywords, exclusions and size', async () => {
      const result = await cli('subscribers', 'add', 'Ada@Example.org', '--topics', 'efficient-architectures,llm-alignment', '--keywords', 'activation steering, mamba', '--exclude', 'medical', '--size', '5', '--confirmed');
      expect(result).toMatchObject({ code: 0 });
      expect(result.out).toContain('added Ada@Example.org (active');
      const list = await cli('subscribers', 'list');
      expect(list.out).toMatch(/Ada@Example.org\tactive\ttopics: efficient-architectures, llm-alignment · keywords: activation steering, mamba · excluded: medical\tsize 5/);
    });

    it.each([
      [['not-an-address', '--topics', 'nlp-llm'], /not a valid email address/],
      [['ada@example.org', '--topics', 'astrology'], /unknown topic "astrology"/],
      [['ada@example.org'], /choose at least one topic or keyword/],
      [['ada@example.org', '--keywords', 'x', '--size', '500'], /digest size is a whole number from 1 to 50/],
      [['ada@example.org\r\nBcc: victim@example.org', '--keywords', 'x'], /line breaks/],
      [['ada@example.org', '--keywords', 'x', '--colour', 'red'], /Unknown option '--colour'/],
    ])('refuses %j with a clear message and exit code 2', async (args, message) => {
      const result = await cli('subscribers', 'add', ...args);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
    });

    it('refuses an address that is already subscribed, whatever its case', async () => {
      await cli('subscribers', 'add', 'ada@example.org', '--keywords', 'mamba');
      const again = await cli('subscribers', 'add', 'ADA@example.org', '--keywords', 'mamba');
      expect(again.code).toBe(2);
      expect(again.err).toMatch(/already subscribed/);
    });
  });

  describe('subscribers import', () => {
    const csv = (rows: string[]) => {
      const path = dir.file('subscribers.csv');
      writeFileSync(path, ['email,topics,keywords,size', ...rows].join('\n'));
      return path;
    };

    it('imports every row of a valid file in one go', async () => {
      const rows = Array.from({ length: 2000 }, (_, i) => `reader${i}@example.org,efficient-architectures;nlp-llm,mamba;rlhf,${(i % 20) + 1}`);
      const result = await cli('subscribers', 'import', csv(rows), '--confirmed');
      expect(result).toMatchObject({ code: 0, out: expect.stringContaining('imported 2000 subscribers (active)') });
      const store = openStore(env.DATABASE_PATH!);
      expect(store.countSubscribersByStatus()).toEqual({ active: 2000 });
      expect(store.findSubscriberByEmail('reader7@example.org')!.interests).toEqual({ topics: ['efficient-architectures', 'nlp-llm'], keywords: ['mamba', 'rlhf'], excluded: [] });
      store.close();
    });

    it('imports nothing from a file with bad rows, and names each bad line', async () => {
      const result = await cli('subscribers', 'import', csv(['ok@example.org,nlp-llm,,', 'broken-address,nlp-llm,,', 'ok@example.org,nlp-llm,,', 'x@example.org,astrology,,']));
      expect(result.code).toBe(1);
      expect(result.out).toContain('nothing imported: 3 of 4 rows are invalid');
      expect(result.out).toMatch(/line 3: "broken-address" is not a valid email address/);
      expect(result.out).toMatch(/line 4: ok@example.org appears already on line 2/);
      expect(result.out).toMatch(/line 5: unknown topic "astrology"/);
      const store = openStore(env.DATABASE_PATH!);
      expect(store.countSubscribersByStatus()).toEqual({});
      store.close();
    });

    it('imports the good rows with --skip-invalid and lists the rest', async () => {
      await cli('subscribers', 'add', 'taken@example.org', '--keywords', 'x');
      const result = await cli('subscribers', 'import', csv(['a@example.org,nlp-llm,,', 'taken@example.org,nlp-llm,,', 'b@example.org,,diffusion,']), '--skip-invalid');
      expect(result.code).toBe(0);
      expect(result.out).toContain('imported 2 subscribers (pending)');
      expect(result.out).toMatch(/line 3: taken@example.org is already subscribed/);
    });

    it('asks for the header row when it is missing', async () => {
      const path = dir.file('no-header.csv');
      writeFileSync(path, 'a@example.org,nlp-llm\n');
      const result = await cli('subscribers', 'import', path);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/needs a header row: email,topics,keywords,size/);
    });
  });

  describe('run', () => {
    it('ingests, sends to the outbox, prints the summary, and sends nothing twice on the same day', async () => {
      await cli('subscribers', 'add', 'ada@example.org', '--topics', 'efficient-architectures', '--confirmed');
      await cli('subscribers', 'add', 'grace@example.org', '--topics', 'robotics-embodied', '--confirmed');
      const first = await cli('run', '--date', '2026-12-03');
      expect(first.code).toBe(0);
      expect(first.out).toContain('feeds: 1 ok, 0 failed · papers: 174 new');
      expect(first.out).toMatch(/planned 2 · no match 0 · sent 2 \(retried 0\) · failed 0/);
      expect(first.out).toContain(`mail: outbox ${dir.file('outbox')}`);
      expect(readdirSync(dir.file('outbox')).filter((name) => name.endsWith('.eml'))).toHaveLength(2);

      const second = await cli('run', '--date', '2026-12-03');
      expect(second.out).toMatch(/planned 0 · no match 0 · sent 0 /);
      expect(readdirSync(dir.file('outbox')).filter((name) => name.endsWith('.eml'))).toHaveLength(2);
    });

    it('shows a failing feed and its error in the summary and in `feeds`, and still exits 0', async () => {
      env.FEEDS = `${SAMPLE_FEED},file:${dir.file('missing.xml')}`;
      const result = await cli('run');
      expect(result.code).toBe(0);
      expect(result.out).toMatch(/FAILED\s+file:.*missing\.xml: .*\(1 failure in a row\)/);
      const feeds = await cli('feeds');
      expect(feeds.out).toMatch(/missing\.xml\n\s+FAILING \(1x\)/);
    });

    it.each([
      [['run', '--date', '2026-13-40'], /--date expects YYYY-MM-DD/],
      [['run', '--what'], /Unknown option/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ])('refuses %j with exit code 2', async (argv, message) => {
      const result = await cli(...argv);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
    });

    it('reports every bad setting at once and exits 2', async () => {
      env.SMTP_URL = 'relay.example.org';
      env.MAX_AGE_DAYS = 'a week';
      const result = await cli('run');
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL/);
      expect(result.err).toMatch(/MAX_AGE_DAYS: expected a whole number/);
    });

    it('gives a clear error, not a stack trace, for a file that is not a database', async () => {
      writeFileSync(env.DATABASE_PATH!, 'garbage '.repeat(200));
      const result = await cli('run');
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/is not a papermail database or is damaged/);
      expect(result.err).not.toMatch(/\n\s+at /);
    });
  });

  describe('preview', () => {
    it('lists the ranked papers with key, title, url, score and reasons as JSON, recording nothing', async () => {
      await cli('subscribers', 'add', 'ada@example.org', '--topics', 'efficient-architectures', '--keywords', 'state space model', '--size', '3', '--confirmed');
      await cli('ingest');
      const result = await cli('preview', 'ada@example.org', '--json');
      expect(result.code).toBe(0);
      const papers = JSON.parse(result.out) as { key: string; title: string; url: string; score: number; reasons: string[] }[];
      expect(papers).toHaveLength(3);
      expect(papers[0]).toEqual({ key: expect.any(String), title: expect.any(String), url: expect.stringMatching(/^https:/), score: expect.any(Number), relevance: expect.any(Number), trending: expect.any(Number), reasons: expect.arrayContaining(['Efficient architectures']) });
      expect(papers.map((paper) => paper.score)).toEqual([...papers.map((paper) => paper.score)].sort((a, b) => b - a));
      const store = openStore(env.DATABASE_PATH!);
      expect(store.deliveryCounts('2026-12-03')).toEqual({});
      store.close();
    });

    it('writes the HTML digest to a file with --out', async () => {
      await cli('subscribers', 'add', 'ada@example.org', '--topics', 'efficient-architectures', '--confirmed');
      await cli('ingest');
      const result = await cli('preview', 'ada@example.org', '--out', dir.file('preview.html'));
      expect(result.out).toMatch(/wrote .*preview\.html \(\d+ papers, \d+ KB\)/);
    });
  });

  it('runs the quick-start demo offline: four subscribers, four digests in the demo outbox', async () => {
    const result = await cli('demo');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/planned 4 · no match 0 · sent 4/);
    expect(result.out).toMatch(/4 digests written/);
    expect(result.out.match(/data\/demo\/outbox\/.*\.eml/g)).toHaveLength(4);
  });

  it('lists the topic taxonomy', async () => {
    const result = await cli('topics');
    expect(result.out).toMatch(/^efficient-architectures\s+Efficient architectures: /m);
    expect(result.out.split('\n').length).toBeGreaterThanOrEqual(15);
  });
});

describe('bin/papermail.js', () => {
  const run = promisify(execFile);

  it('runs the built CLI from the repository root', async () => {
    const { stdout } = await run(process.execPath, ['bin/papermail.js', 'topics'], { cwd: ROOT });
    expect(stdout).toContain('efficient-architectures');
  });

  it('exits 2 with the usage on an unknown command', async () => {
    const failure = await run(process.execPath, ['bin/papermail.js', 'nope'], { cwd: ROOT }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "nope"') });
  });
});
