import { z } from 'zod';
import type { PaperDraft } from './normalize-paper.js';

// huggingface.co/api/daily_papers: `[{ paper: {...}, title, publishedAt, ... }]`. Fields came and
// went over time (ai_summary, ai_keywords, githubRepo are newer), so all but id and title are
// optional, and a field of the wrong type is dropped rather than failing the item.
const optionalText = z.string().nullish().catch(null);
const HfPaper = z.object({
  id: z.string().min(1),
  title: z.string(),
  summary: optionalText,
  // `hidden` hides an author's avatar on the page, not the name: the sample shows named hidden authors.
  authors: z
    .array(z.object({ name: z.string().nullish().catch(null) }))
    .nullish()
    .catch(null),
  publishedAt: optionalText,
  upvotes: z.number().nullish().catch(null),
  githubRepo: optionalText,
  projectPage: optionalText,
  ai_summary: optionalText,
  ai_keywords: z.array(z.string()).nullish().catch(null),
});
const HfItem = z.object({ paper: HfPaper });

type HfPaper = z.infer<typeof HfPaper>;

/**
 * The papers of a Hugging Face daily-papers list: an array of `{ paper }` items (or of bare
 * paper objects), or an object holding such an array. Null when the JSON is something else.
 */
export function parseHfDailyPapers(json: unknown): PaperDraft[] | null {
  const items = itemsOf(json);
  if (items === null) return null;
  const papers = items.flatMap((item) => {
    const parsed = HfItem.safeParse(item);
    if (parsed.success) return [parsed.data.paper];
    const bare = HfPaper.safeParse(item);
    return bare.success ? [bare.data] : [];
  });
  if (items.length > 0 && papers.length === 0) return null;
  return papers.map(draftOf);
}

function itemsOf(json: unknown): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (typeof json !== 'object' || json === null) return null;
  const arrays = Object.values(json).filter(
    (value): value is unknown[] => Array.isArray(value) && value.length > 0 && HfItem.safeParse(value[0]).success,
  );
  return arrays.length === 1 ? (arrays[0] ?? null) : null;
}

function draftOf(paper: HfPaper): PaperDraft {
  const hfUrl = `https://huggingface.co/papers/${encodeURIComponent(paper.id)}`;
  return {
    title: paper.title,
    abstract: paper.summary ?? null,
    authors: (paper.authors ?? []).flatMap((author) => (author.name ? [author.name] : [])),
    authorList: null,
    links: [hfUrl],
    idHints: [paper.id],
    doiHints: [],
    pdfUrl: null,
    hfUrl,
    codeUrl: paper.githubRepo ?? null,
    projectUrl: paper.projectPage ?? null,
    categories: [],
    keywords: paper.ai_keywords ?? [],
    aiSummary: paper.ai_summary ?? null,
    publishedAt: paper.publishedAt ?? null,
    upvotes: paper.upvotes ?? null,
    announceType: null,
  };
}
