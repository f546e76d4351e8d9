import { PapermailError } from '../errors.js';

export type StoreErrorKind = 'open' | 'migrate' | 'duplicate' | 'not-found' | 'locked' | 'corrupt';

/** A store operation failed; `kind` says which way, the message says what to do. */
export class StoreError extends PapermailError {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
