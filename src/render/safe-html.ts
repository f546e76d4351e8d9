const HTML_SPECIALS = /[&<>"']/;
const HTML_SPECIALS_GLOBAL = /[&<>"']/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and for quoted attribute values alike (quotes included),
 * so one function covers both places a feed's text ends up in.
 */
export function escapeHtml(text: string): string {
  return HTML_SPECIALS.test(text) ? text.replace(HTML_SPECIALS_GLOBAL, (char) => HTML_ENTITIES[char]!) : text;
}

/**
 * The URL in normalized form if it is an absolute http(s) URL, else null: `javascript:`, `data:`,
 * relative and malformed URLs never reach an `href`. Normalizing percent-encodes spaces, quotes and
 * angle brackets; the result still goes through `escapeHtml` (for `&`) before it is written.
 */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Credentials in a link are either a mistake or a phishing trick ("https://arxiv.org@evil.example").
  if (url.username || url.password) return null;
  return url.href;
}

/** Collapses whitespace (feeds' titles can hold newlines and tabs) and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
