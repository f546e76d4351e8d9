import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import type { MessageBody, OutgoingMessage } from '../domain.js';
import { MailError } from './errors.js';
import { singleRecipient } from './single-recipient.js';

/** A message ready for the wire: the RFC 5322 bytes and the SMTP envelope. */
export interface BuiltMessage {
  raw: Buffer;
  envelope: { from: string; to: string };
}

/** The sender, parsed and encoded once per mailer (not per message). */
export interface Sender {
  /** `From:` header value, RFC 2047-encoded where needed. */
  header: string;
  /** The bare address, for the SMTP envelope (MAIL FROM). */
  address: string;
}

/**
 * Quoted-printable output never contains `=_` (an `=` is always followed by two hex digits or a line
 * break), so a boundary with `=_` in it cannot occur in a body: it needs no randomness and no scan.
 */
const BOUNDARY = '=_papermail_alternative';

/**
 * `MAIL_FROM` (`papermail <digest@example.org>` or a bare address) as a `From:` header and an
 * envelope address; a non-ASCII display name is RFC 2047-encoded.
 */
export function parseSender(from: string): Sender {
  const entries = addressparser(from);
  const entry = entries.length === 1 && entries[0]!.group === undefined ? entries[0]! : null;
  if (!entry || !/^[^\s@<>]+@[^\s@<>]+$/.test(entry.address) || /[\r\n]/.test(from)) {
    throw new MailError(`MAIL_FROM ${JSON.stringify(from)} is not one address like "papermail <digest@example.org>"`, { kind: 'permanent', command: 'API' });
  }
  const address = asciiDomain(entry.address);
  return { header: entry.name ? `${displayName(entry.name)} <${address}>` : address, address };
}

/**
 * The digest as one Buffer: headers, then `multipart/alternative` with the text part and the HTML
 * part, both UTF-8 in quoted-printable, recurring pieces encoded once (`QuotedPrintableWriter.body`).
 * nodemailer's MailComposer streams the same message through a dozen transforms and took ~1.6 ms
 * per digest; writing it straight into one buffer takes a few tens of microseconds. What it writes is checked by parsing it back (`build-mime.test.ts`).
 */
export function buildMime(message: OutgoingMessage, sender: Sender): BuiltMessage {
  const to = asciiDomain(singleRecipient(message.to));
  const lines = [
    `From: ${sender.header}`,
    `To: ${to}`,
    foldLines(`Subject: ${encodeWords(message.subject.replace(/[\r\n]+/g, ' '), 'Q', 52)}`, 76, true),
    `Date: ${rfc5322Date(message.date)}`,
    `Message-ID: ${message.messageId}`,
  ];
  for (const [name, value] of Object.entries(message.headers)) {
    if (!/^[A-Za-z0-9-]+$/.test(name) || /[\r\n]/.test(value)) {
      throw new MailError(`header ${JSON.stringify(name)} is not a safe header line`, { kind: 'permanent', command: 'API' });
    }
    lines.push(`${name}: ${/^[\x20-\x7e]*$/.test(value) ? value : encodeWords(value, 'Q', 52)}`);
  }
  lines.push('MIME-Version: 1.0', `Content-Type: multipart/alternative; boundary="${BOUNDARY}"`);
  const head = `${lines.join('\r\n')}\r\n\r\n`;
  const partHead = (type: string) => `--${BOUNDARY}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;

  const out = new QuotedPrintableWriter();
  out.ascii(head + partHead('text/plain'));
  out.body(message.text);
  out.ascii(`\r\n${partHead('text/html')}`);
  out.body(message.html);
  out.ascii(`\r\n--${BOUNDARY}--\r\n`);
  return { raw: out.finish(), envelope: { from: sender.address, to } };
}

const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
const EQUALS = 0x3d;
const CR = 0x0d;
const LF = 0x0a;
/** Characters per line before the soft break `=` (RFC 2045 §6.7: at most 76 with it). */
const LINE_ROOM = 75;

/**
 * RFC 2045 §6.7 quoted-printable of the UTF-8 bytes of `text`. Line breaks (`\n` or `\r\n`) become
 * CRLF hard breaks; other lines are soft-broken at 76 characters; `=`, control bytes, bytes ≥ 0x80
 * and a space or tab before a line end are `=XX`. `softBreakAtEnd` closes the output with a soft
 * break unless it ends a line already, so encodings of pieces can be concatenated (see `body`).
 */
export function encodeQuotedPrintable(text: string, { softBreakAtEnd = false } = {}): Buffer {
  const out = new QuotedPrintableWriter(Buffer.allocUnsafeSlow(text.length * 3 + 64));
  out.encode(text, softBreakAtEnd);
  return out.finish();
}

/**
 * Writes a message into one scratch buffer, reused from message to message (building is synchronous),
 * and hands out an exact-size copy at the end: no intermediate Buffer per piece, no `Buffer.concat`,
 * and a result that owns its memory, so it moves to the SMTP worker thread without another copy.
 */
class QuotedPrintableWriter {
  private static scratch = Buffer.allocUnsafeSlow(256 * 1024);
  private buf: Buffer;
  private pos = 0;

  /** Without `buffer`, writes into the shared scratch buffer: one such writer at a time (the builder's). */
  constructor(private readonly buffer?: Buffer) {
    this.buf = buffer ?? QuotedPrintableWriter.scratch;
  }

  /** Header text, already 7-bit. */
  ascii(text: string): void {
    this.room(text.length);
    this.pos += this.buf.write(text, this.pos, 'latin1');
  }

  /**
   * A body in quoted-printable. A body in pieces is encoded piece by piece, each from the start of a
   * line and closed by a soft line break (RFC 2045 §6.7 rule 5: a soft break may stand anywhere and
   * decoding drops it), so the concatenation is valid, and a recurring piece is encoded once per run.
   */
  body(body: MessageBody): void {
    if (typeof body === 'string') {
      this.encode(body, false);
      return;
    }
    // This message's own pieces often repeat (its feedback link base, once per link): encode each once.
    let repeated: Map<string, Buffer> | null = null;
    for (const piece of body) {
      if (typeof piece === 'string') {
        if (piece.length < 24) {
          this.encode(piece, true);
          continue;
        }
        repeated ??= new Map();
        const seen = repeated.get(piece);
        if (seen) {
          this.copy(seen);
        } else {
          const start = this.pos;
          this.encode(piece, true);
          repeated.set(piece, this.buf.subarray(start, this.pos));
        }
        continue;
      }
      // Encoded on first use and kept on the piece: they go when the piece does.
      this.copy((piece.encoded ??= encodeQuotedPrintable(piece.text, { softBreakAtEnd: true })));
    }
  }

  /** Encodes `text` (UTF-16) straight to UTF-8 quoted-printable bytes, starting at the beginning of a line. */
  encode(text: string, softBreakAtEnd: boolean): void {
    const length = text.length;
    // Room for the worst case up front: a UTF-16 unit is at most 3 UTF-8 bytes, 9 characters as
    // escapes, plus a 3-byte soft break per line of 25 escapes and one at the end.
    this.room(length * 9 + Math.ceil(length / 8) * 3 + 3);
    const buf = this.buf;
    let o = this.pos;
    let column = 0;
    for (let i = 0; i < length; i++) {
      let code = text.charCodeAt(i);
      if (code === LF || (code === CR && text.charCodeAt(i + 1) === LF)) {
        if (code === CR) i++;
        buf[o++] = CR;
        buf[o++] = LF;
        column = 0;
        continue;
      }
      const literal =
        (code >= 0x21 && code <= 0x7e && code !== EQUALS) ||
        // Whitespace is escaped at the end of a line (or of the text), where it would be stripped in transit.
        ((code === 0x20 || code === 0x09) && i + 1 < length && !lineBreakAt(text, i + 1));
      if (literal) {
        if (column === LINE_ROOM) {
          buf[o++] = EQUALS;
          buf[o++] = CR;
          buf[o++] = LF;
          column = 0;
        }
        buf[o++] = code;
        column++;
        continue;
      }
      let bytes = 1;
      if (code >= 0x80) {
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            i++;
          }
        }
        // A lone surrogate becomes U+FFFD, as Buffer.from(text, 'utf8') does.
        if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
        bytes = code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      }
      // A character's bytes as escapes, kept on one line.
      if (column + bytes * 3 > LINE_ROOM) {
        buf[o++] = EQUALS;
        buf[o++] = CR;
        buf[o++] = LF;
        column = 0;
      }
      column += bytes * 3;
      if (bytes === 1) {
        o = escape(buf, o, code);
        continue;
      }
      if (bytes === 2) {
        o = escape(buf, o, 0xc0 | (code >> 6));
      } else if (bytes === 3) {
        o = escape(buf, o, 0xe0 | (code >> 12));
        o = escape(buf, o, 0x80 | ((code >> 6) & 0x3f));
      } else {
        o = escape(buf, o, 0xf0 | (code >> 18));
        o = escape(buf, o, 0x80 | ((code >> 12) & 0x3f));
        o = escape(buf, o, 0x80 | ((code >> 6) & 0x3f));
      }
      o = escape(buf, o, 0x80 | (code & 0x3f));
    }
    if (softBreakAtEnd && column > 0) {
      buf[o++] = EQUALS;
      buf[o++] = CR;
      buf[o++] = LF;
    }
    this.pos = o;
  }

  /** The bytes written, in a Buffer of their own. */
  finish(): Buffer {
    const raw = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(raw, 0, 0, this.pos);
    return raw;
  }

  private copy(bytes: Uint8Array): void {
    this.room(bytes.length);
    // TypedArray#set: a native copy without Buffer#copy's argument checks (it runs ~100 times a message).
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Makes room for `bytes` more, growing the scratch buffer (for good) when a message outgrows it. */
  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    if (!this.buffer) QuotedPrintableWriter.scratch = grown;
  }
}

/** Whether a line break (`\n` or `\r\n`) starts at `i`. */
function lineBreakAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code === LF || (code === CR && text.charCodeAt(i + 1) === LF);
}

/** Writes `=XX` for `byte` at `o`; returns the next position. */
function escape(buf: Buffer, o: number, byte: number): number {
  buf[o] = EQUALS;
  buf[o + 1] = HEX[byte >> 4]!;
  buf[o + 2] = HEX[byte & 0x0f]!;
  return o + 3;
}

/** `Thu, 03 Dec 2026 06:00:00 +0000` (RFC 5322 §3.3), whatever the locale. */
function rfc5322Date(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new MailError('the message date is not a valid date', { kind: 'permanent', command: 'API' });
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** A display name as an atom phrase, a quoted string, or RFC 2047 encoded words. */
function displayName(name: string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) return encodeWords(name, 'Q', 52);
  if (/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/.test(name)) return name;
  return `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** `user@bücher.example` → `user@xn--bcher-kva.example`: the domain as DNS and SMTP know it. */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (/^[\x21-\x7e]+$/.test(domain)) return address;
  const ascii = domainToASCII(domain);
  if (!ascii) throw new MailError('the address domain is not a valid domain name', { kind: 'permanent', command: 'API' });
  return `${address.slice(0, at)}@${ascii}`;
}
