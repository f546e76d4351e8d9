/**
 * Reading `application/x-www-form-urlencoded` bodies: a field may be missing, given once (a string)
 * or repeated (an array), whatever the form says, since anyone can post anything.
 */
export type FormBody = Readonly<Record<string, unknown>>;

export function asFormBody(body: unknown): FormBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as FormBody) : {};
}

/** One text field. A repeated field is joined with ", ", so `email=a&email=b` is one invalid address, never two. */
export function textField(body: FormBody, name: string): string {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').join(', ');
  return '';
}

/** A field that may repeat (checkboxes). */
export function listField(body: FormBody, name: string): string[] {
  const value = body[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
