import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { coerceError } from '../errors.js';
import { FeedError } from './errors.js';

export interface FetchOptions {
  /** Validators saved from the last successful read; sent only when present. */
  etag?: string | null;
  lastModified?: string | null;
  /** Covers the whole exchange: connecting, redirects and reading the body. */
  timeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  maxBytes: number;
  userAgent: string;
  /** Aborts the fetch from outside (shutdown); reported as a `network` FeedError. */
  signal?: AbortSignal;
}

export type FetchResult =
  | { status: 'not-modified' }
  | {
      status: 'fetched';
      body: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
    };

const ACCEPT = [
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml;q=0.9',
  'application/xml;q=0.9',
  'text/xml;q=0.8',
  'application/json;q=0.8',
  '*/*;q=0.1',
].join(', ');

/**
 * Fetches a feed's bytes with a conditional GET (RFC 9110 §13.1: `If-None-Match`,
 * `If-Modified-Since`), a timeout over the whole exchange and a body size limit.
 * `file:` URLs (`file:///abs/path.xml`, or `file:relative/path.xml` from the working directory)
 * read a local file under the same size limit. Throws FeedError.
 */
export async function fetchFeed(url: string, options: FetchOptions): Promise<FetchResult> {
  if (/^file:/i.test(url)) return readFeedFile(url, options.maxBytes);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch (error) {
    throw new FeedError('network', url, `invalid feed URL ${url}: use an absolute http(s):// or file: URL`, {
      cause: error,
    });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new FeedError('network', url, `unsupported URL scheme ${protocol} in ${url}: use http(s):// or file:`);
  }
  return fetchHttp(url, options);
}

async function fetchHttp(url: string, options: FetchOptions): Promise<FetchResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = { 'User-Agent': options.userAgent, Accept: ACCEPT };
  if (options.etag) headers['If-None-Match'] = options.etag;
  if (options.lastModified) headers['If-Modified-Since'] = options.lastModified;

  try {
    const response = await fetch(url, { headers, signal, redirect: 'follow' });
    if (response.status === 304) {
      await discardBody(response);
      return { status: 'not-modified' };
    }
    if (!response.ok) {
      await discardBody(response);
      throw new FeedError('http', url, `HTTP ${response.status} fetching ${url}${httpHint(response.status)}`, {
        httpStatus: response.status,
      });
    }
    const declaredBytes = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declaredBytes) && declaredBytes > options.maxBytes) {
      await discardBody(response);
      throw tooLarge(url, options.maxBytes);
    }
    const body = await readLimited(response.body, options.maxBytes, url);
    return {
      status: 'fetched',
      body,
      contentType: response.headers.get('content-type'),
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      finalUrl: response.url || url,
    };
  } catch (error) {
    if (error instanceof FeedError) throw error;
    if (timeout.aborted) {
      // No cause: undici's "The operation was aborted due to timeout" adds nothing to stored errors.
      throw new FeedError('timeout', url, `timeout after ${options.timeoutMs} ms fetching ${url}`);
    }
    if (options.signal?.aborted) {
      throw new FeedError('network', url, `aborted fetching ${url}`, { cause: options.signal.reason });
    }
    const root = rootCause(error);
    throw new FeedError('network', url, `network error fetching ${url}: ${root.message}`, { cause: root });
  }
}

/** Reads a body chunk by chunk and gives up as soon as it passes `maxBytes`. */
async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  url: string,
): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Not awaited: cancelling tears the connection down, there is nothing to wait for.
      reader.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function tooLarge(url: string, maxBytes: number): FeedError {
  return new FeedError('too-large', url, `body over ${maxBytes} bytes from ${url}`);
}

function httpHint(status: number): string {
  if (status === 404 || status === 410) return ' (check the feed URL)';
  if (status === 401 || status === 403) return ' (the server refuses the request: check the URL and User-Agent)';
  return '';
}

/** undici wraps socket errors in `TypeError: fetch failed`; the innermost cause says what happened. */
function rootCause(thrown: unknown): Error {
  let error = coerceError(thrown);
  for (let depth = 0; depth < 5 && error.cause !== undefined && error.cause !== null; depth++) {
    error = coerceError(error.cause);
  }
  return error;
}

function contentTypeOf(filePath: string): string | null {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.json') return 'application/json';
  if (['.xml', '.rss', '.atom', '.rdf'].includes(extension)) return 'application/xml';
  return null;
}

function filePathOf(url: string): string {
  const rest = url.slice('file:'.length);
  if (rest.startsWith('/')) return fileURLToPath(url);
  return path.resolve(decodeURIComponent(rest));
}

async function readFeedFile(url: string, maxBytes: number): Promise<FetchResult> {
  let filePath: string;
  try {
    filePath = filePathOf(url);
  } catch (error) {
    throw new FeedError('network', url, `invalid file URL ${url}: use file:///absolute/path or file:relative/path`, {
      cause: error,
    });
  }
  try {
    const handle = await open(filePath, 'r');
    try {
      const info = await handle.stat();
      if (info.size > maxBytes) throw tooLarge(url, maxBytes);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const chunk = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        // Checked while reading too: the size of a special file (a pipe, /dev/zero) says nothing.
        if (total > maxBytes) throw tooLarge(url, maxBytes);
        chunks.push(chunk.subarray(0, bytesRead));
      }
      return {
        status: 'fetched',
        body: Buffer.concat(chunks, total),
        contentType: contentTypeOf(filePath),
        etag: null,
        lastModified: info.mtime.toUTCString(),
        finalUrl: pathToFileURL(filePath).href,
      };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new FeedError(
      'network',
      url,
      `cannot read feed file ${filePath}${typeof code === 'string' ? ` (${code})` : ''}: check the path in ${url}`,
      { cause: error },
    );
  }
}
