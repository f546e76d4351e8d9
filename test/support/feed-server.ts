import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  url(path: string): string;
  /** Answers requests for `path` (without query) with `handler`; unknown paths get 404. */
  route(path: string, handler: RouteHandler): void;
  /** Every request received, in order, with its headers (lower-cased names). */
  readonly requests: RecordedRequest[];
  /** Stops the server and destroys open sockets, so hanging responses do not keep it alive. */
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, on a free port, with routes each test scripts. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, RouteHandler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers });
    const handler = routes.get(path);
    if (handler) handler(request, response);
    else respondWith(404, 'not found')(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export interface ServeFeedOptions {
  contentType?: string;
  etag?: string;
  lastModified?: string;
  headers?: Record<string, string>;
}

/**
 * Serves `body` with its validators, and answers 304 Not Modified to a conditional request that
 * matches them (RFC 9110 §13.1.1: If-None-Match wins over If-Modified-Since).
 */
export function serveFeed(body: string | Buffer, options: ServeFeedOptions = {}): RouteHandler {
  return (request, response) => {
    const validators: Record<string, string> = {};
    if (options.etag) validators['ETag'] = options.etag;
    if (options.lastModified) validators['Last-Modified'] = options.lastModified;
    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const notModified =
      ifNoneMatch !== undefined
        ? options.etag !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(options.etag)
        : ifModifiedSince !== undefined &&
          options.lastModified !== undefined &&
          Date.parse(ifModifiedSince) >= Date.parse(options.lastModified);
    if (notModified) {
      response.writeHead(304, validators).end();
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': options.contentType ?? 'application/rss+xml; charset=utf-8',
        ...validators,
        ...options.headers,
      })
      .end(body);
  };
}

export function respondWith(status: number, body = '', headers: Record<string, string> = {}): RouteHandler {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(body);
  };
}

export function redirectTo(location: string, status = 302): RouteHandler {
  return respondWith(status, '', { Location: location });
}

/** Accepts the request and never answers: only the client's timeout (or close()) ends it. */
export function neverRespond(): RouteHandler {
  return () => undefined;
}

export interface EndlessBody {
  handler: RouteHandler;
  /** Bytes written so far. */
  readonly sentBytes: number;
  /** Resolves when the client has gone away. */
  readonly closed: Promise<void>;
}

/** A 200 response whose body never ends: writes as fast as the client reads, until it leaves. */
export function endlessBody(chunkBytes = 64 * 1024): EndlessBody {
  const chunk = Buffer.alloc(chunkBytes, '<item>x</item>\n');
  let sentBytes = 0;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const handler: RouteHandler = (_request, response) => {
    let open = true;
    response.on('close', () => {
      open = false;
      markClosed();
    });
    response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
    const pump = (): void => {
      while (open) {
        sentBytes += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };
  return {
    handler,
    get sentBytes() {
      return sentBytes;
    },
    closed,
  };
}
