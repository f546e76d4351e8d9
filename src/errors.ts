/** Base of papermail's errors: a message that names the operation and its object, and the cause. */
export class PapermailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Turns anything thrown into an Error, so every catch can log `.message` safely. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

/** `message: cause message: cause's cause message`, for one-line logs and stored errors. */
export function describeError(thrown: unknown): string {
  const parts: string[] = [];
  let current: unknown = thrown;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const error = coerceError(current);
    if (!parts.some((part) => part.includes(error.message))) parts.push(error.message);
    current = (error as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}
