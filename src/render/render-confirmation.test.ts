import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderError } from './errors.js';
import { compileConfirmationRenderer, describeDuration, type ConfirmationRenderer } from './render-confirmation.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const SITE = 'https://papers.example.org';
const CONFIRM_URL = `${SITE}/confirm/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-`;
const MANAGE_URL = `${SITE}/preferences/tok-manage`;
const UNSUBSCRIBE_URL = `${SITE}/unsubscribe/tok-unsub`;
const THREE_DAYS_MS = 3 * 24 * 60 * 60 * 1000;
const RESIDUE = /%%|\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/;

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
}

describe('compileConfirmationRenderer', () => {
  let renderer: ConfirmationRenderer;
  beforeAll(async () => {
    renderer = await compileConfirmationRenderer({ siteUrl: SITE });
  });

  it('renders the confirmation with one button to the confirm link, its lifetime, and a text part', () => {
    const email = renderer.render({ kind: 'confirm', confirmUrl: CONFIRM_URL, validForMs: THREE_DAYS_MS });
    expect(email.subject).toBe('Confirm your papermail subscription');
    expect(hrefs(email.html)).toEqual([CONFIRM_URL, SITE + '/']);
    expect(email.html).toContain('Confirm subscription');
    expect(email.html).toContain('This link works for 3 days.');
    expect(email.html).toMatch(/^<!doctype html>/i);
    expect(email.text).toContain(`Confirm subscription: ${CONFIRM_URL}`);
    expect(email.text).toContain('This link works for 3 days.');
    expect(email.html).not.toMatch(RESIDUE);
    expect(email.text).not.toMatch(RESIDUE);
  });

  it('renders the manage variant with the preferences button and an unsubscribe link, and no confirm wording', () => {
    const email = renderer.render({ kind: 'manage', manageUrl: MANAGE_URL, unsubscribeUrl: UNSUBSCRIBE_URL });
    expect(email.subject).toBe('Your papermail subscription');
    expect(hrefs(email.html)).toEqual([MANAGE_URL, UNSUBSCRIBE_URL, SITE + '/']);
    expect(email.text).toContain(`Manage your subscription: ${MANAGE_URL}`);
    expect(email.text).toContain(`Unsubscribe: ${UNSUBSCRIBE_URL}`);
    expect(email.html).not.toContain('Confirm subscription');
    expect(email.html).not.toMatch(RESIDUE);
  });

  it('escapes what it writes into the HTML, including the link', async () => {
    const url = `${SITE}/confirm/x?a=1&b="<script>"`;
    const email = renderer.render({ kind: 'confirm', confirmUrl: url, validForMs: THREE_DAYS_MS });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('a=1&amp;b=');
    const named = await compileConfirmationRenderer({ siteUrl: SITE, productName: "Papers <b>& co" });
    const fromNamed = named.render({ kind: 'confirm', confirmUrl: CONFIRM_URL, validForMs: THREE_DAYS_MS });
    expect(fromNamed.html).toContain('Papers &lt;b&gt;&amp; co');
    expect(fromNamed.html).not.toContain('<b>&');
  });

  it.each([['javascript:alert(1)'], ['/confirm/relative'], ['not a url']])('refuses to render a confirm link %s', (url) => {
    expect(() => renderer.render({ kind: 'confirm', confirmUrl: url, validForMs: THREE_DAYS_MS })).toThrow(RenderError);
  });

  it('refuses a site URL that is not http(s)', async () => {
    await expect(compileConfirmationRenderer({ siteUrl: 'ftp://example.org' })).rejects.toThrow(RenderError);
  });

  describe('with a broken template', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'papermail-confirmation-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('fails at compile time on an unknown MJML tag, naming the template', async () => {
      const source = await readFile(path.join(TEMPLATES_DIR, 'confirmation.mjml'), 'utf8');
      await writeFile(path.join(dir, 'confirmation.mjml'), source.replace('<mj-column>', '<mj-column><mj-bogus />'));
      await expect(compileConfirmationRenderer({ siteUrl: SITE, templatesDir: dir })).rejects.toThrow(/confirmation\.mjml is invalid/);
    });

    it('fails at compile time on a missing placeholder', async () => {
      const source = await readFile(path.join(TEMPLATES_DIR, 'confirmation.mjml'), 'utf8');
      await writeFile(path.join(dir, 'confirmation.mjml'), source.replace('>%%NOTE%%<', '><'));
      await expect(compileConfirmationRenderer({ siteUrl: SITE, templatesDir: dir })).rejects.toThrow(/lacks placeholders: %%NOTE%%/);
    });
  });
});

describe('describeDuration', () => {
  it.each([
    [THREE_DAYS_MS, '3 days'],
    [24 * 60 * 60 * 1000, '1 day'],
    [12 * 60 * 60 * 1000, '12 hours'],
    [36 * 60 * 60 * 1000, '36 hours'],
    [30 * 60 * 1000, '30 minutes'],
    [1, '1 minute'],
  ])('says %i ms as %s', (ms, expected) => {
    expect(describeDuration(ms)).toBe(expected);
  });
});
