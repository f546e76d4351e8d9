import type { FastifyInstance } from 'fastify';
import type { FormBody } from './form-body.js';

/**
 * RFC 8058 §3.2: a mail receiver unsubscribes by POSTing `List-Unsubscribe=One-Click`, the value of the
 * List-Unsubscribe-Post header, to the List-Unsubscribe URL. Receivers send it form-encoded (Gmail)
 * or, as the RFC suggests, as multipart/form-data; a few send it as text/plain. All three count.
 */
export function isOneClickBody(body: unknown): boolean {
  if (typeof body === 'string') return body.trim() === 'List-Unsubscribe=One-Click';
  if (typeof body !== 'object' || body === null) return false;
  return (body as FormBody)['List-Unsubscribe'] === 'One-Click';
}

const MAX_MULTIPART_BYTES = 4096;

/**
 * Parses small multipart/form-data bodies into text fields, for the one-click POST only (registered
 * in the unsubscribe routes' scope). Files and nested multiparts are not expected and are ignored.
 */
export function addMultipartFieldsParser(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: MAX_MULTIPART_BYTES }, (request, body, done) => {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers['content-type'] ?? '');
    if (!boundary) return done(null, {});
    done(null, parseMultipartFields(body as string, boundary[1] ?? boundary[2]!));
  });
}

export function parseMultipartFields(body: string, boundary: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined || /\bfilename=/i.test(headers)) continue;
    fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
