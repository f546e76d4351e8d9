import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FEEDS, loadConfig } from './config.js';
import { tempDir } from '../test/support/temp-store.js';
import { writeFileSync } from 'node:fs';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.databasePath).toBe('data/papermail.db');
    expect(config.feeds).toEqual(DEFAULT_FEEDS);
    expect(config.mail.smtpUrl).toBeNull();
    expect(config.mail.outboxDir).toBe('data/outbox');
    expect(config.maxAgeDays).toBe(7);
    expect(config.schedule).toEqual({ cron: '0 7 * * *', timeZone: 'UTC' });
    expect(config.secret).toBeNull();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty values as unset, so .env.example can list every key', () => {
    expect(loadConfig({ SMTP_URL: '', FEEDS: '  ', SECRET: '' }).mail.smtpUrl).toBeNull();
  });

  it('reads a comma-separated FEEDS list with http and file: URLs', () => {
    expect(loadConfig({ FEEDS: 'https://a.example/rss, file:data/sample/trending-papers.xml' }).feeds).toEqual([
      'https://a.example/rss',
      'file:data/sample/trending-papers.xml',
    ]);
  });

  it('reports every problem at once, each with its variable and what it expected', () => {
    try {
      loadConfig({ FETCH_TIMEOUT_MS: 'soon', SMTP_URL: 'mail.example.org', TZ: 'Mars/Olympus', DIGEST_CRON: 'every day', SECRET: 'short', FEEDS: 'ftp://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const key of ['FETCH_TIMEOUT_MS', 'SMTP_URL', 'TZ', 'DIGEST_CRON', 'SECRET', 'FEEDS']) expect(problems).toContain(key);
      expect(problems).not.toContain('"short"');
    }
  });

  it('asks for all three DKIM settings together', () => {
    expect(() => loadConfig({ DKIM_DOMAIN: 'example.org' })).toThrowError(/DKIM_SELECTOR/);
  });

  it('reads secrets from *_FILE variants', () => {
    const dir = tempDir();
    writeFileSync(dir.file('secret'), 'x'.repeat(40) + '\n');
    expect(loadConfig({ SECRET_FILE: dir.file('secret') }).secret).toBe('x'.repeat(40));
    expect(() => loadConfig({ SECRET_FILE: dir.file('missing') })).toThrowError(/SECRET_FILE: cannot read/);
    dir.remove();
  });

  it('strips a trailing slash from PUBLIC_URL so links join cleanly', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://papers.example.org/' }).publicUrl).toBe('https://papers.example.org');
  });
});
