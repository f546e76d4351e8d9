import { PapermailError } from '../errors.js';

export type FeedErrorKind =
  | 'timeout'
  | 'http'
  | 'too-large'
  | 'network'
  | 'not-a-feed'
  | 'malformed'
  | 'feed-error';

/**
 * Reading one feed failed. `kind` says which way (so the ingest job can count and report it),
 * the message names the operation and the URL, and `cause` keeps the underlying error.
 */
export class FeedError extends PapermailError {
  readonly kind: FeedErrorKind;
  readonly url: string;
  readonly httpStatus?: number;

  constructor(
    kind: FeedErrorKind,
    url: string,
    message: string,
    options?: { cause?: unknown; httpStatus?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.url = url;
    if (options?.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }
}
