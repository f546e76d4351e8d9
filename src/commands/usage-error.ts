import { PapermailError } from '../errors.js';

/** Bad arguments: printed with a hint, exit code 2. */
export class UsageError extends PapermailError {}
