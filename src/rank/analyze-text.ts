/**
 * Text analysis shared by papers, taxonomy phrases and subscribers' keywords: the same pipeline on
 * both sides is what lets "Steering LLMs" match the keyword "activation steer".
 *
 * Pipeline: Unicode-fold and lower-case → split into sentences (a phrase never matches across a
 * sentence end) → split into alphanumeric tokens, hyphenated compounds into their parts (so
 * "mixture-of-experts" and "mixture of experts" agree, "gpt-4" is `gpt 4`) except after a few
 * bound prefixes ("pre-trained" = "pretrained", "multi-modal" = "multimodal") → drop English stop
 * words → British to American spelling for the few words where Porter keeps them apart → Porter stem.
 */
import { stemmer } from 'stemmer';

/** The stems of a text, one array per sentence. */
export function analyzeText(text: string): string[][] {
  const sentences: string[][] = [];
  for (const sentence of fold(text).split(SENTENCE_END)) {
    const stems = stemTokens(sentence);
    if (stems.length > 0) sentences.push(stems);
  }
  return sentences;
}

/**
 * The stems of a phrase (a topic phrase, a keyword as typed), sentence ends ignored: a phrase is
 * one run of stems. Empty when the phrase holds only stop words or punctuation.
 */
export function analyzePhrase(phrase: string): string[] {
  return stemTokens(fold(phrase));
}

/** The tokens of a text before stemming, stop words removed; exposed for tests and diagnostics. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of fold(text).matchAll(COMPOUND)) {
    for (const token of splitCompound(match[0])) if (!STOP_WORDS.has(token)) tokens.push(token);
  }
  return tokens;
}

/** Lower-case, diacritics removed, curly apostrophes straightened, possessive 's and apostrophes dropped. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/'s\b/g, '')
    .replace(/'/g, '');
}

function stemTokens(folded: string): string[] {
  return tokenize(folded).map(stem);
}

/** A sentence ends at . ! ? ; : followed by white space (not inside "1.5b" or "cs.cl"), or at a line break. */
const SENTENCE_END = /[.!?;:]+(?:\s+|$)|[\r\n]+/u;

/** An alphanumeric run, possibly hyphenated ("state-of-the-art", "gpt-4", "3d"). */
const COMPOUND = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

/** Prefixes written both hyphenated and solid: joined to the next part so both spellings agree. */
const JOINED_PREFIXES = new Set(['pre', 'post', 'multi', 'non', 'co', 're', 'sub', 'semi', 'fine', 'un', 'inter', 'intra']);

function splitCompound(compound: string): string[] {
  const parts = compound.split('-');
  const tokens: string[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const next = parts[index + 1];
    if (next !== undefined && JOINED_PREFIXES.has(part)) {
      tokens.push(part + next);
      index++;
    } else {
      tokens.push(part);
    }
  }
  return tokens;
}

const STEM_CACHE_LIMIT = 100_000;
const stemCache = new Map<string, string>();

/** Porter stem of one token; tokens with digits ("3d", "gpt4o", "s4") are kept as they are. */
function stem(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = /\d/.test(token) ? token : stemWord(americanize(token));
    // A memo only: the vocabulary of a day's papers is small, but a long-lived process sees many days.
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(token, stemmed);
  }
  return stemmed;
}

/**
 * Porter, except for word families it merges with unrelated words: "generalization" with
 * "generation", "interpretability" with "we interpret", "exploration" with "we explore",
 * "tokenizer" with "token", "personalized" with "person", "optimal" with "optimization".
 */
function stemWord(word: string): string {
  for (const [family, stemmed] of STEM_OVERRIDES) if (family.test(word)) return stemmed;
  return stemmer(word);
}

const STEM_OVERRIDES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^generaliz(?:e|es|ed|ing|ation|ations|ability|able)$/, 'generaliz'],
  [/^general(?:ly|ity)?$/, 'general'],
  [/^interpretab(?:le|ility)$/, 'interpretabl'],
  [/^explainab(?:le|ility)$/, 'explainabl'],
  [/^explorations?$/, 'exploration'],
  [/^tokeniz(?:e|es|ed|er|ers|ing|ation)$/, 'tokeniz'],
  [/^personaliz(?:e|es|ed|ing|ation)$/, 'personaliz'],
  [/^summariz(?:e|es|ed|er|ers|ing|ation)$/, 'summariz'],
  [/^optimal(?:ly|ity)?$/, 'optimal'],
];

/** "behaviour" → "behavior", "optimisation" → "optimization": Porter stems these pairs apart. */
function americanize(token: string): string {
  return token.replace(BRITISH_OUR, '$1or').replace(BRITISH_ISE, '$1z$2');
}

const BRITISH_OUR = /^(behavi|col|neighb|fav|harb|hum|lab|rum|vap)our/;

const BRITISH_ISE = new RegExp(
  `^(${[
    'anal[yi]', 'categori', 'characteri', 'customi', 'discreti', 'emphasi', 'factori', 'generali', 'initiali',
    'lineari', 'maximi', 'memori', 'minimi', 'normali', 'optimi', 'organi', 'parameteri', 'personali', 'quanti',
    'randomi', 'recogni', 'regulari', 'speciali', 'standardi', 'summari', 'symboli', 'synthesi', 'tokeni', 'utili',
    'vectori', 'visuali',
  ].join('|')})s(e|es|ed|ing|er|ers|ation|ations)$`,
);

/** English function words; research words ("model", "learning") stay: IDF weighs those down. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either etc few for from further had has ' +
    'have having he her here hers herself him himself his how however i if in into is it its itself just may ' +
    'me might more most must my myself no nor not now of off on once only or other our ours ourselves out ' +
    'over own per same shall she should so some such than that the their theirs them themselves then there ' +
    'these they this those through thus to too under until up upon us very via vs was we were what when where ' +
    'whether which while who whom whose why will with within without would yet you your yours yourself'
  ).split(' '),
);
