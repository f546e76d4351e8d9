import { describe, expect, it } from 'vitest';
import { canonicalKey, normalizeDoi, normalizeUrl, parseArxivId } from './normalize-paper.js';

describe('parseArxivId', () => {
  it.each([
    ['2106.01345', '2106.01345', null],
    ['2106.01345v2', '2106.01345', 2],
    ['arxiv.org/abs/2106.01345v2', '2106.01345', 2],
    ['https://arxiv.org/abs/2106.01345', '2106.01345', null],
    ['http://arxiv.org/abs/2202.12139v1', '2202.12139', 1],
    ['https://arxiv.org/pdf/2106.01345', '2106.01345', null],
    ['https://arxiv.org/pdf/2106.01345v1.pdf', '2106.01345', 1],
    ['https://arxiv.org/html/2411.17700v2', '2411.17700', 2],
    ['http://export.arxiv.org/abs/2411.17700', '2411.17700', null],
    ['https://www.arxiv.org/abs/2411.17700?context=cs', '2411.17700', null],
    ['huggingface.co/papers/2106.01345', '2106.01345', null],
    ['https://huggingface.co/papers/2410.17243#community', '2410.17243', null],
    ['oai:arXiv.org:2106.01345v1', '2106.01345', 1],
    ['oai:arXiv.org:1401.3665v4', '1401.3665', 4],
    ['arXiv:2411.17700v1', '2411.17700', 1],
    ['arXiv: 2407.07121v6', '2407.07121', 6],
    ['0704.0001', '0704.0001', null],
    ['1412.9999v3', '1412.9999', 3],
    ['1501.00001', '1501.00001', null],
    ['http://arxiv.org/abs/hep-th/9901001v1', 'hep-th/9901001', 1],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['math.GT/0309136', 'math/0309136', null],
    ['arXiv:cond-mat/0102536v1', 'cond-mat/0102536', 1],
    ['10.48550/arXiv.2106.01345', '2106.01345', null],
    ['https://doi.org/10.48550/arXiv.2106.01345', '2106.01345', null],
    ['  2106.01345v2 \n', '2106.01345', 2],
  ])('reads %s as %s (version %s)', (text, id, version) => {
    expect(parseArxivId(text)).toEqual({ id, version });
  });

  it.each([
    ['an empty string', ''],
    ['a year-month with month 13', '2113.01345'],
    ['a new-scheme id with four digits after 2014', '2106.0134'],
    ['an old-era id with five digits', '0704.00001'],
    ['an unknown old-scheme archive', 'report/0101001'],
    ['an id inside another site', 'https://example.org/abs/2106.01345'],
    ['a sentence mentioning an id', 'see arXiv:2106.01345 for details'],
    ['a DOI', '10.1145/3366423.3380130'],
    ['an arXiv API error id', 'https://arxiv.org/api/errors#incorrect_id_format_for_abc'],
  ])('finds no id in %s', (_case, text) => {
    expect(parseArxivId(text)).toBeNull();
  });
});

describe('normalizeDoi', () => {
  it.each([
    ['10.1145/3366423.3380130', '10.1145/3366423.3380130'],
    ['10.1109/ICSTW55395.2022.00035', '10.1109/icstw55395.2022.00035'],
    ['https://doi.org/10.1109/ICSTW55395.2022.00035', '10.1109/icstw55395.2022.00035'],
    ['http://dx.doi.org/10.1016/j.dark.2024.101730', '10.1016/j.dark.2024.101730'],
    ['doi:10.1016/j.dark.2024.101730', '10.1016/j.dark.2024.101730'],
    ['info:doi/10.1126/science.356.6343.1134-a', '10.1126/science.356.6343.1134-a'],
    ['https://doi.org/10.1002%2F(SICI)1097-4571', '10.1002/(sici)1097-4571'],
    ['10.3847/1538-4357/ad8659 10.3847/1538-4357/ad8659', '10.3847/1538-4357/ad8659'],
    ['10.1000/xyz123.', '10.1000/xyz123'],
  ])('normalizes %s to %s', (text, doi) => {
    expect(normalizeDoi(text)).toBe(doi);
  });

  it.each(['', 'hwp:resource-id:sci;356/6343/1134-a', '11.1234/abc', '10.1/too-short-prefix'])(
    'finds no DOI in %j',
    (text) => {
      expect(normalizeDoi(text)).toBeNull();
    },
  );
});

describe('normalizeUrl', () => {
  it.each([
    ['http://Example.ORG/Paper/1', 'https://example.org/Paper/1'],
    ['https://example.org/p/1/', 'https://example.org/p/1'],
    ['https://example.org/', 'https://example.org/'],
    ['https://example.org:443/p/1', 'https://example.org/p/1'],
    ['http://example.org:80/p/1', 'https://example.org/p/1'],
    ['https://example.org/p/1#section-2', 'https://example.org/p/1'],
    ['https://example.org/p/1?utm_source=rss&utm_medium=feed&id=7', 'https://example.org/p/1?id=7'],
    ['https://example.org/p/1?utm_campaign=x', 'https://example.org/p/1'],
    ['https://example.org:8443/p', 'https://example.org:8443/p'],
  ])('normalizes %s to %s', (text, url) => {
    expect(normalizeUrl(text)).toBe(url);
  });

  it('returns null for text that is not an absolute URL', () => {
    expect(normalizeUrl('/relative/path')).toBeNull();
  });
});

describe('canonicalKey', () => {
  it.each([
    [{ arxivId: '2106.01345', doi: '10.1145/1', url: 'https://x.org' }, 'arxiv:2106.01345'],
    [{ arxivId: '2106.01345v3', doi: null, url: null }, 'arxiv:2106.01345'],
    [{ arxivId: 'hep-th/9901001', doi: null, url: null }, 'arxiv:hep-th/9901001'],
    [{ arxivId: null, doi: 'https://doi.org/10.1145/3366423.3380130', url: 'https://x.org' }, 'doi:10.1145/3366423.3380130'],
    [{ arxivId: null, doi: '10.48550/arXiv.2106.01345', url: null }, 'arxiv:2106.01345'],
    [{ arxivId: null, doi: null, url: 'http://Example.org/p/1/?utm_source=rss' }, 'url:https://example.org/p/1'],
    [{ arxivId: null, doi: null, url: 'https://arxiv.org/abs/2106.01345v2' }, 'arxiv:2106.01345'],
    [{ arxivId: null, doi: null, url: 'https://doi.org/10.1145/3366423.3380130' }, 'doi:10.1145/3366423.3380130'],
  ])('keys %j as %s', (ids, key) => {
    expect(canonicalKey(ids)).toBe(key);
  });

  it('gives every version and URL of one arXiv paper the same key', () => {
    const spellings = [
      { arxivId: '2106.01345v1' },
      { url: 'https://arxiv.org/pdf/2106.01345v2.pdf' },
      { url: 'https://huggingface.co/papers/2106.01345' },
      { url: 'http://export.arxiv.org/abs/2106.01345' },
    ];
    expect(new Set(spellings.map(canonicalKey))).toEqual(new Set(['arxiv:2106.01345']));
  });

  it('refuses ids with nothing to key on', () => {
    expect(() => canonicalKey({ arxivId: null, doi: null, url: '' })).toThrow(/needs an arXiv id, a DOI or a URL/);
  });
});
