import { z } from 'zod';
import type { Interests } from './domain.js';
import { isTopicSlug } from './rank/taxonomy.js';

/** Limits on what one subscriber may ask for: enough for real use, small enough to keep ranking cheap. */
export const LIMITS = Object.freeze({ emailChars: 254, items: 20, itemChars: 80, digestSizeMax: 50 });

const emailSchema = z.email();

/** A single plain address, or a reason; CR/LF and lists are refused (header injection). */
export function checkEmail(raw: string): { ok: true; email: string } | { ok: false; problem: string } {
  const email = raw.trim();
  if (email === '') return { ok: false, problem: 'enter an email address' };
  if (/[\r\n]/.test(raw)) return { ok: false, problem: 'an email address cannot contain line breaks' };
  if (email.length > LIMITS.emailChars) return { ok: false, problem: `an email address has at most ${LIMITS.emailChars} characters` };
  if (!emailSchema.safeParse(email).success) return { ok: false, problem: `"${email}" is not a valid email address (like ada@example.org)` };
  return { ok: true, email };
}

/** Splits "a, b; c" into trimmed, de-duplicated items. */
export function splitList(raw: string | readonly string[] | undefined, separators = /[,;\n]/): string[] {
  const parts = typeof raw === 'string' ? raw.split(separators) : (raw ?? []);
  const seen = new Set<string>();
  const items: string[] = [];
  for (const part of parts) {
    const item = part.replace(/\s+/g, ' ').trim();
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    items.push(item);
  }
  return items;
}

export interface SubscriberInput {
  email: string;
  topics?: string | readonly string[];
  keywords?: string | readonly string[];
  excluded?: string | readonly string[];
  digestSize?: string | number;
}

export type SubscriberInputField = 'email' | 'topics' | 'keywords' | 'excluded' | 'digestSize';

export type CheckedSubscriber =
  | { ok: true; email: string; interests: Interests; digestSize: number }
  | { ok: false; problems: Partial<Record<SubscriberInputField, string>> };

/** Validates what a person typed (CLI flags, a CSV row, a web form) and says every problem at once. */
export function checkSubscriberInput(input: SubscriberInput, defaultDigestSize: number): CheckedSubscriber {
  const problems: Partial<Record<SubscriberInputField, string>> = {};
  const email = checkEmail(input.email);
  if (!email.ok) problems.email = email.problem;

  const topics = splitList(input.topics).map((topic) => topic.toLowerCase());
  const unknown = topics.filter((topic) => !isTopicSlug(topic));
  if (unknown.length > 0) problems.topics = `unknown topic ${unknown.map((t) => `"${t}"`).join(', ')} (see \`papermail topics\`)`;

  const keywords = splitList(input.keywords);
  const excluded = splitList(input.excluded);
  for (const [field, items] of [['topics', topics], ['keywords', keywords], ['excluded', excluded]] as const) {
    if (items.length > LIMITS.items) problems[field] ??= `at most ${LIMITS.items} ${field}`;
    const long = items.find((item) => item.length > LIMITS.itemChars);
    if (long) problems[field] ??= `"${long.slice(0, 20)}…" is longer than ${LIMITS.itemChars} characters`;
  }
  if (topics.length === 0 && keywords.length === 0) {
    problems.topics ??= 'choose at least one topic or keyword';
  }

  let digestSize = defaultDigestSize;
  if (input.digestSize !== undefined && String(input.digestSize).trim() !== '') {
    const size = Number(String(input.digestSize).trim());
    if (!Number.isInteger(size) || size < 1 || size > LIMITS.digestSizeMax) {
      problems.digestSize = `digest size is a whole number from 1 to ${LIMITS.digestSizeMax}`;
    } else {
      digestSize = size;
    }
  }

  if (!email.ok || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, email: email.email, interests: { topics, keywords, excluded }, digestSize };
}
