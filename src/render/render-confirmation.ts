import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileMjmlFile, fillSlots, prefillSlots, toSlotTemplate } from './compile-template.js';
import { RenderError } from './errors.js';
import { collapseWhitespace, escapeHtml, httpUrl } from './safe-html.js';

/**
 * The two emails a subscription request can trigger. An address that is not subscribed yet gets
 * `confirm`; one that already is gets `manage` instead, so asking again never tells the asker
 * anything and never sends a subscriber a second confirmation.
 */
export type ConfirmationEmail =
  | { kind: 'confirm'; confirmUrl: string; /** How long the link works, said in the email. */ validForMs: number }
  | { kind: 'manage'; manageUrl: string; unsubscribeUrl: string };

export interface ConfirmationRendererOptions {
  /** The public site, named in the footer as where the request was made. */
  siteUrl: string;
  productName?: string;
  /** Defaults to the repository's `templates/` (works from `src/` and `dist/`). */
  templatesDir?: string;
}

export interface ConfirmationRenderer {
  /** String work only: the template was compiled once. */
  render(email: ConfirmationEmail): { subject: string; html: string; text: string };
}

const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const TEMPLATE = 'confirmation.mjml';
const SLOTS = ['TITLE', 'PREVIEW', 'PRODUCT', 'HEADING', 'INTRO', 'BUTTON_URL', 'BUTTON_LABEL', 'BUTTON_LINK', 'NOTE', 'FOOTER'] as const;
const LINK_STYLE = 'color:#1d4ed8;text-decoration:underline';

/**
 * Compiles and validates `templates/confirmation.mjml` once (a broken template rejects here with a
 * `RenderError`, before anyone subscribes) and returns a renderer that fills it per message.
 */
export async function compileConfirmationRenderer(options: ConfirmationRendererOptions): Promise<ConfirmationRenderer> {
  const siteUrl = httpUrl(options.siteUrl);
  if (!siteUrl) throw new RenderError(`site URL ${JSON.stringify(options.siteUrl)} is not an absolute http(s) URL`);
  const productName = collapseWhitespace(options.productName ?? 'papermail') || 'papermail';
  const templatePath = path.join(options.templatesDir ?? DEFAULT_TEMPLATES_DIR, TEMPLATE);
  const siteLabel = siteUrl.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const footerText = `You get this email because someone asked for it at ${siteUrl}. It is the only one we send unless you act on it.`;
  const template = prefillSlots(toSlotTemplate(await compileMjmlFile(templatePath), SLOTS, `template ${templatePath}`), {
    PRODUCT: escapeHtml(productName),
    FOOTER: `You get this email because someone asked for it at ${anchor(siteUrl, escapeHtml(siteLabel))}. It is the only one we send unless you act on it.`,
  });

  return {
    render(email) {
      const content = email.kind === 'confirm' ? confirmContent(email, productName) : manageContent(email, productName);
      const html = fillSlots(template, {
        TITLE: escapeHtml(content.subject),
        PREVIEW: escapeHtml(content.preview),
        HEADING: escapeHtml(content.heading),
        INTRO: escapeHtml(content.intro),
        BUTTON_URL: escapeHtml(content.buttonUrl),
        BUTTON_LABEL: escapeHtml(content.buttonLabel),
        BUTTON_LINK: escapeHtml(content.buttonUrl),
        NOTE: content.noteHtml,
      });
      const text = [
        content.heading,
        '',
        content.intro,
        '',
        `${content.buttonLabel}: ${content.buttonUrl}`,
        '',
        content.noteText,
        '',
        '-- ',
        footerText,
        '',
      ].join('\n');
      return { subject: content.subject, html, text };
    },
  };
}

interface Content {
  subject: string;
  preview: string;
  heading: string;
  intro: string;
  buttonLabel: string;
  /** Checked http(s) URL, not yet escaped. */
  buttonUrl: string;
  noteHtml: string;
  noteText: string;
}

function confirmContent(email: Extract<ConfirmationEmail, { kind: 'confirm' }>, productName: string): Content {
  const validFor = describeDuration(email.validForMs);
  const note = `This link works for ${validFor}. If you did not ask to subscribe, ignore this email: nothing more will be sent to you.`;
  return {
    subject: `Confirm your ${productName} subscription`,
    preview: `One click to start your daily digest of trending research papers.`,
    heading: 'Confirm your subscription',
    intro: `Someone, hopefully you, asked to get ${productName}'s daily digest of trending research papers at this address. Open the link to confirm.`,
    buttonLabel: 'Confirm subscription',
    buttonUrl: requireUrl(email.confirmUrl, 'confirmation'),
    noteHtml: escapeHtml(note),
    noteText: note,
  };
}

function manageContent(email: Extract<ConfirmationEmail, { kind: 'manage' }>, productName: string): Content {
  const unsubscribeUrl = requireUrl(email.unsubscribeUrl, 'unsubscribe');
  const note = 'If you did not ask for this, ignore this email: nothing changes.';
  return {
    subject: `Your ${productName} subscription`,
    preview: 'This address already gets the daily digest: change your topics here.',
    heading: 'You are already subscribed',
    intro: `Someone, hopefully you, asked to subscribe this address to ${productName}'s daily digest, and it already gets it. You can change your topics, pause the digest or leave from your preferences page.`,
    buttonLabel: 'Manage your subscription',
    buttonUrl: requireUrl(email.manageUrl, 'manage-preferences'),
    noteHtml: `${escapeHtml(note)} To stop the digest instead, ${anchor(unsubscribeUrl, 'unsubscribe')}.`,
    noteText: `${note}\nUnsubscribe: ${unsubscribeUrl}`,
  };
}

/** "3 days", "1 day", "12 hours", "30 minutes". */
export function describeDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'day');
  if (minutes % 60 === 0 || minutes > 24 * 60) return plural(Math.round(minutes / 60), 'hour');
  return plural(minutes, 'minute');
}

function requireUrl(value: string, what: string): string {
  const url = httpUrl(value);
  // Never send an email whose one link would not work.
  if (!url) throw new RenderError(`the ${what} link is not an absolute http(s) URL`);
  return url;
}

function anchor(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}" style="${LINK_STYLE}">${label}</a>`;
}
