/**
 * The relay side of the benchmark, in its own process: a real SMTP server (the `smtp-server`
 * package) on 127.0.0.1 that accepts every message, counts it and its bytes, and discards it.
 * In its own process because a sink sharing the sender's event loop would take CPU from the
 * sender; this way the machine's two cores split as in production (sender + relay).
 *
 * Protocol (IPC with the parent): sends `{ type: 'ready', port }` once listening; answers
 * `{ type: 'stats' }` with a `SinkStats`; exits on `{ type: 'stop' }` or when the parent goes.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkStats {
  type: 'stats';
  accepted: number;
  bytes: number;
  /** The sink process's CPU since it started, in microseconds. */
  cpuMicros: number;
  connections: number;
}

export type SinkRequest = { type: 'stats' } | { type: 'stop' };
export type SinkMessage = { type: 'ready'; port: number } | SinkStats;

let accepted = 0;
let bytes = 0;
let connections = 0;

const server = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  // Benchmarks open and close connections quickly; no per-connection reverse DNS lookup.
  disableReverseLookup: true,
  onConnect(_session, callback) {
    connections++;
    callback();
  },
  onData(stream, _session, callback) {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.once('end', () => {
      accepted++;
      callback(null, `OK queued as ${accepted}`);
    });
  },
});
server.on('error', () => {});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  send({ type: 'ready', port });
});

process.on('message', (request: SinkRequest) => {
  if (request.type === 'stats') {
    const cpu = process.cpuUsage();
    send({ type: 'stats', accepted, bytes, cpuMicros: cpu.user + cpu.system, connections });
  } else if (request.type === 'stop') {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  }
});
process.on('disconnect', () => process.exit(0));

function send(message: SinkMessage): void {
  process.send?.(message);
}
