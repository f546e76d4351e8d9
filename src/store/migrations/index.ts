import { sql as initial } from './001-initial.js';
import { sql as deliverySafety } from './002-delivery-safety.js';
import { sql as feedback } from './003-feedback.js';

/** Numbered schema changes, applied in order; `PRAGMA user_version` records the last one applied. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: '001-initial', sql: initial },
  { version: 2, name: '002-delivery-safety', sql: deliverySafety },
  { version: 3, name: '003-feedback', sql: feedback },
];
