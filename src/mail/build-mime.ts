import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import type { OutgoingMessage } from '../domain.js';
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
 * part, both UTF-8 in quoted-printable. Built by concatenation with a byte-level encoder: nodemailer's
 * MailComposer streams the same message through a dozen transforms and took ~1.6 ms per digest, this
 * takes a few tens of microseconds. What it writes is checked by parsing it back (`build-mime.test.ts`).
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

  const raw = Buffer.concat([
    Buffer.from(head + partHead('text/plain'), 'latin1'),
    encodeQuotedPrintable(message.text),
    Buffer.from(`\r\n${partHead('text/html')}`, 'latin1'),
    encodeQuotedPrintable(message.html),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1'),
  ]);
  return { raw, envelope: { from: sender.address, to } };
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
 * and a space or tab before a line end are `=XX`.
 */
export function encodeQuotedPrintable(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  const length = input.length;
  // Worst case: every byte as =XX, and a 3-byte soft break after every 25 of them.
  const out = Buffer.allocUnsafe(length * 3 + Math.ceil(length / 25) * 3 + 3);
  let o = 0;
  let column = 0;
  for (let i = 0; i < length; i++) {
    const byte = input[i]!;
    if (byte === LF || (byte === CR && input[i + 1] === LF)) {
      if (byte === CR) i++;
      out[o++] = CR;
      out[o++] = LF;
      column = 0;
      continue;
    }
    let literal = byte >= 0x21 && byte <= 0x7e && byte !== EQUALS;
    if (byte === 0x20 || byte === 0x09) {
      // Whitespace at the end of a line (or of the text) would be stripped in transit.
      const next = input[i + 1];
      literal = next !== undefined && next !== LF && !(next === CR && input[i + 2] === LF);
    }
    const width = literal ? 1 : 3;
    if (column + width > LINE_ROOM) {
      out[o++] = EQUALS;
      out[o++] = CR;
      out[o++] = LF;
      column = 0;
    }
    if (literal) {
      out[o++] = byte;
    } else {
      out[o++] = EQUALS;
      out[o++] = HEX[byte >> 4]!;
      out[o++] = HEX[byte & 0x0f]!;
    }
    column += width;
  }
  return out.subarray(0, o);
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
