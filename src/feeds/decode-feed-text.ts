/**
 * A feed body as text. The XML parser gets a string, so the bytes are decoded here, by (in order)
 * a byte order mark, the `<?xml ... encoding="..."?>` declaration, the HTTP charset, else UTF-8
 * (XML 1.0 §4.3.3 and Appendix F). Labels go through TextDecoder, which follows the WHATWG
 * Encoding Standard: `ISO-8859-1` and `latin1` decode as windows-1252, as browsers do.
 */
export function decodeFeedText(body: Buffer | string, contentType?: string | null): string {
  if (typeof body === 'string') return body.replace(/^\uFEFF/, '');
  const label = bomEncoding(body) ?? declaredEncoding(body) ?? charsetOf(contentType) ?? 'utf-8';
  const decoder = decoderFor(label);
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(body);
  return decoder.decode(body);
}

// windows-1252 differs from latin1 only in 0x80-0x9F. Decoded by hand because Node 20's
// TextDecoder('windows-1252') returns latin1 there (C1 controls instead of “ ” – €).
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(body: Buffer): string {
  return body.toString('latin1').replace(/[\x80-\x9f]/g, (char) => CP1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
}

function bomEncoding(body: Buffer): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return null;
}

function declaredEncoding(body: Buffer): string | null {
  // The declaration is ASCII in every encoding a declaration can name (UTF-16 has a BOM).
  const head = body.subarray(0, 256).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1] ?? null;
}

function charsetOf(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

function decoderFor(label: string): TextDecoder {
  try {
    return new TextDecoder(label);
  } catch {
    // An unknown label (a typo in a feed's declaration): UTF-8 is the likeliest truth.
    return new TextDecoder('utf-8');
  }
}
