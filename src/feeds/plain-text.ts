import he from 'he';
import { convert, type HtmlToTextOptions } from 'html-to-text';

/** One line: every run of whitespace (line breaks too) becomes one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// Formatting tags feeds put in titles (<i>E. coli</i>, <sub>2</sub>, MathML). Any other tag, such
// as a literal "<script>" in a paper's title, is kept as text: the renderer escapes it later.
const TITLE_TAG =
  /<\/?(?:a|abbr|b|big|br|cite|code|em|font|i|inline-formula|math|mark|q|s|small|span|strike|strong|sub|sup|tt|u|var|wbr|[a-z]+:[\w-]+)(?:\s[^<>]*)?\/?>/gi;

const ENTITY = /&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);/i;

/** A title as plain text: formatting tags stripped, entities decoded, TeX accents turned into letters. */
export function titleText(raw: string): string {
  let text = raw.replace(TITLE_TAG, '');
  if (ENTITY.test(text)) text = he.decode(text).replace(TITLE_TAG, '');
  return collapseWhitespace(decodeTexAccents(text));
}

// Only real markup counts as HTML: a closing tag, or a void tag. An abstract saying "a<b and c>d"
// must not lose its words to an HTML parser.
const HTML_MARKUP =
  /<\/(?:a|b|blockquote|code|div|em|font|h[1-6]|i|li|ol|p|pre|small|span|strong|sub|sup|table|td|tr|u|ul)\s*>|<(?:br|hr|img)\b[^>]*>|<p\s*>/i;

const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
};

/**
 * Text that may be HTML (a description, an abstract) as one line of plain text. Entities escaped
 * twice (`&amp;lt;p&amp;gt;`) are decoded once more, since feeds do that.
 */
export function plainText(raw: string): string {
  let text = raw;
  if (!HTML_MARKUP.test(text) && ENTITY.test(text)) text = he.decode(text);
  if (HTML_MARKUP.test(text)) text = convert(text, HTML_TO_TEXT);
  return collapseWhitespace(decodeTexAccents(text));
}

const COMBINING: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030c',
  H: '\u030b',
  c: '\u0327',
  k: '\u0328',
  r: '\u030a',
};

const LETTER: Record<string, string> = {
  l: 'ł', L: 'Ł', o: 'ø', O: 'Ø', i: 'ı', j: 'ȷ', ae: 'æ', AE: 'Æ', aa: 'å', AA: 'Å',
  ss: 'ß', oe: 'œ', OE: 'Œ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ',
};

const BASE = String.raw`([A-Za-z]|\\[ij](?![A-Za-z]))`;
const SYMBOL_ACCENT = new RegExp(String.raw`\\(['\x60^"~=.])\s*(?:\{\s*${BASE}\s*\}|${BASE})`, 'g');
const LETTER_ACCENT = new RegExp(String.raw`\\([uvHckr])(?:\s*\{\s*${BASE}\s*\}|\s+([A-Za-z]))`, 'g');
const SPECIAL_LETTER = /\{\\(l|L|o|O|i|j|ae|AE|aa|AA|ss|oe|OE|dh|DH|th|TH)\}|\\(l|L|o|O|ae|AE|aa|AA|ss|oe|OE)\{\}/g;
const BRACED_LETTER = /\{([^\x00-\x7F{}])\}/gu;

function accented(accent: string, base: string): string {
  const letter = base === '\\i' ? 'i' : base === '\\j' ? 'j' : base;
  return letter + (COMBINING[accent] ?? '');
}

/**
 * arXiv writes names and titles with TeX accents (`Schr\"odinger`, `Fern\'andez`, `\c{c}`, `{\l}`);
 * readers and keyword matching want the letters.
 */
export function decodeTexAccents(text: string): string {
  if (!text.includes('\\')) return text;
  return text
    .replace(SYMBOL_ACCENT, (_, accent: string, inBraces?: string, bare?: string) =>
      accented(accent, inBraces ?? bare ?? ''),
    )
    .replace(LETTER_ACCENT, (_, accent: string, inBraces?: string, spaced?: string) =>
      accented(accent, inBraces ?? spaced ?? ''),
    )
    .replace(SPECIAL_LETTER, (_, braced?: string, bare?: string) => LETTER[braced ?? bare ?? ''] ?? '')
    .normalize('NFC')
    .replace(BRACED_LETTER, '$1');
}
