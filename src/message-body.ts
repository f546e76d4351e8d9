import type { MessageBody, RecurringPiece } from './domain.js';

/** A body as one string (previews, tests, `.eml` readers): the pieces joined. */
export function joinBody(body: MessageBody): string {
  if (typeof body === 'string') return body;
  let out = '';
  for (const piece of body) out += typeof piece === 'string' ? piece : piece.text;
  return out;
}

/** A recurring piece: create it once (per template, per paper), then reuse the object. */
export function recurring(text: string): RecurringPiece {
  // Every piece has the same shape from the start: reading `encoded` stays a fast property load.
  return { text, encoded: undefined };
}
