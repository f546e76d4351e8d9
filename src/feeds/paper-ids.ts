/** Identifiers of papers: arXiv ids, DOIs, URLs, and the canonical key built from them. */

export interface ArxivId {
  /** Without version: `2106.01345`, `hep-th/9901001`. */
  id: string;
  version: number | null;
}

// Archives of the old scheme (before April 2007), from arxiv.org/help/arxiv_identifier.
const OLD_ARCHIVES = [
  'acc-phys', 'adap-org', 'alg-geom', 'ao-sci', 'astro-ph', 'atom-ph', 'bayes-an', 'chao-dyn',
  'chem-ph', 'cmp-lg', 'comp-gas', 'cond-mat', 'cs', 'dg-ga', 'funct-an', 'gr-qc', 'hep-ex',
  'hep-lat', 'hep-ph', 'hep-th', 'math', 'math-ph', 'mtrl-th', 'nlin', 'nucl-ex', 'nucl-th',
  'patt-sol', 'physics', 'plasm-ph', 'q-alg', 'q-bio', 'quant-ph', 'solv-int', 'supr-con',
].join('|');

// New scheme (2007-): YYMM.NNNN until 1412, YYMM.NNNNN from 1501. Old scheme: archive/YYMMNNN,
// sometimes written with the subject class (`math.GT/0309136`), which is not part of the id.
const ID = String.raw`(?:(\d{2}(?:0[1-9]|1[0-2]))\.(\d{4,5})|(${OLD_ARCHIVES})(?:\.[a-z-]+)?\/(\d{2}(?:0[1-9]|1[0-2])\d{3}))(?:v(\d+))?`;

const ARXIV_ID_FORMS = [
  // 2106.01345, arXiv:2106.01345v2, hep-th/9901001
  new RegExp(String.raw`^(?:arxiv:\s*)?${ID}$`, 'i'),
  // OAI-PMH identifiers, the guids of rss.arxiv.org
  new RegExp(String.raw`^oai:arxiv\.org:${ID}$`, 'i'),
  // arXiv's own DOIs (10.48550/arXiv.2106.01345), bare or as a resolver URL
  new RegExp(String.raw`^(?:(?:https?:\/\/)?(?:dx\.)?doi\.org\/|doi:\s*)?10\.48550\/arxiv\.${ID}$`, 'i'),
  // arxiv.org, export.arxiv.org, www.arxiv.org pages and PDFs
  new RegExp(
    String.raw`^(?:https?:\/\/)?(?:(?:www|export|browse)\.)?arxiv\.org\/(?:abs|pdf|html|format|ps)\/${ID}(?:\.pdf)?(?:[?#\/].*)?$`,
    'i',
  ),
  new RegExp(String.raw`^(?:https?:\/\/)?(?:www\.)?huggingface\.co\/papers\/${ID}(?:[?#\/].*)?$`, 'i'),
];

/** The arXiv id in an id, a URL of arXiv or Hugging Face papers, an OAI identifier or an arXiv DOI. */
export function parseArxivId(text: string): ArxivId | null {
  const trimmed = text.trim();
  for (const form of ARXIV_ID_FORMS) {
    const match = form.exec(trimmed);
    if (match === null) continue;
    const [, yymm, number, archive, oldNumber, version] = match;
    const parsedVersion = version === undefined ? null : Number(version);
    if (yymm !== undefined && number !== undefined) {
      // Five-digit numbers started in January 2015; before that, four.
      if ((Number(yymm) >= 1501) !== (number.length === 5)) return null;
      return { id: `${yymm}.${number}`, version: parsedVersion };
    }
    if (archive !== undefined && oldNumber !== undefined) {
      return { id: `${archive.toLowerCase()}/${oldNumber}`, version: parsedVersion };
    }
  }
  return null;
}

/** True for new-scheme ids, the only ones Hugging Face has paper pages for. */
export function isNewStyleArxivId(id: string): boolean {
  return !id.includes('/');
}

/** A DOI lower-cased without resolver or scheme prefix (`10.1145/3366423.3380130`), or null. */
export function normalizeDoi(text: string): string | null {
  let doi = text
    .trim()
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '')
    .replace(/^(?:info:)?doi[:/]\s*/i, '');
  if (/%[0-9a-f]{2}/i.test(doi)) {
    try {
      doi = decodeURIComponent(doi);
    } catch {
      // Keep it encoded: a DOI may contain a literal "%".
    }
  }
  // rss.arxiv.org sometimes repeats the DOI: "10.3847/1538-4357/ad8659 10.3847/1538-4357/ad8659".
  doi = (doi.split(/\s+/)[0] ?? '').replace(/[.,;]+$/, '');
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi.toLowerCase() : null;
}

/**
 * A URL in one spelling per page: https, lower-case host, no default port, no fragment,
 * no `utm_*` tracking parameters, no trailing slash. Null when it is not an absolute URL.
 */
export function normalizeUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol === 'http:') url.protocol = 'https:';
  url.hash = '';
  const tracking = [...url.searchParams.keys()].filter((name) => /^utm_/i.test(name));
  for (const name of tracking) url.searchParams.delete(name);
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.href;
}

/**
 * The key of one paper across sources and versions: `arxiv:<id>`, else `doi:<doi>`, else
 * `url:<normalized url>`. An arXiv or DOI URL passed as `url` still gives the arXiv or DOI key.
 */
export function canonicalKey(ids: { arxivId?: string | null; doi?: string | null; url?: string | null }): string {
  const arxivId = ids.arxivId ? (parseArxivId(ids.arxivId)?.id ?? ids.arxivId.trim()) : null;
  if (arxivId) return `arxiv:${arxivId}`;
  const doi = ids.doi ? normalizeDoi(ids.doi) : null;
  const fromDoi = doi ? parseArxivId(doi) : null;
  if (fromDoi) return `arxiv:${fromDoi.id}`;
  if (doi) return `doi:${doi}`;
  const url = ids.url?.trim();
  if (!url) throw new TypeError('canonicalKey needs an arXiv id, a DOI or a URL');
  const fromUrl = parseArxivId(url);
  if (fromUrl) return `arxiv:${fromUrl.id}`;
  if (/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i.test(url)) {
    const urlDoi = normalizeDoi(url);
    if (urlDoi) return `doi:${urlDoi}`;
  }
  return `url:${normalizeUrl(url) ?? url}`;
}
