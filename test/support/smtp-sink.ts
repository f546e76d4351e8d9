import { EventEmitter, once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A reply the sink gives instead of accepting: `{ code: 550, message: '5.1.1 No such user' }`. */
export interface SmtpReply {
  code: number;
  message: string;
}

export interface SinkEnvelope {
  from: string;
  to: string[];
}

export interface ReceivedMessage {
  envelope: SinkEnvelope;
  raw: Buffer;
  /** Parsed on demand (mailparser), so a sink taking thousands of messages stays cheap. */
  parsed(): Promise<ParsedMail>;
}

/** What the sink does; change it between sends with `set()`. */
export interface SinkBehaviour {
  /** Answer to RCPT TO for an address: a reply, `'drop'` to close the connection instead, or `null` to accept it. */
  rcpt?: ((address: string) => SmtpReply | 'drop' | null) | undefined;
  /** Answer at the end of DATA, once the whole message is in; `null` accepts it. */
  data?: ((message: { envelope: SinkEnvelope; raw: Buffer }) => SmtpReply | null) | undefined;
  /** Wait this long before answering the end of DATA. */
  acceptDelayMs?: number | undefined;
  /** Close the connection as the message arrives, before the final reply: the sender cannot know whether it was delivered. */
  dropDuringData?: boolean | undefined;
  /** Count accepted messages without keeping them (for benchmarks). */
  countOnly?: boolean | undefined;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  /** Accepted messages, in order (empty in `countOnly` mode). */
  messages: ReceivedMessage[];
  /** Accepted messages, counted in every mode. */
  readonly accepted: number;
  /** Connections opened to the sink so far. */
  readonly connections: number;
  /** Resolves once `count` messages were accepted; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  set(behaviour: SinkBehaviour): void;
  /** Closes every open connection (as a server does with idle ones) and keeps listening. */
  dropConnections(): void;
  /** Destroys open connections and stops listening. */
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1, port 0, no TLS, any login accepted, scriptable per test. */
/** `port`: listen on that port (e.g. to bring a server back up where a test saw it go down); 0 picks a free one. */
export async function startSmtpSink(initial: SinkBehaviour = {}, { port: listenPort = 0 }: { port?: number } = {}): Promise<SmtpSink> {
  let behaviour: SinkBehaviour = { ...initial };
  const messages: ReceivedMessage[] = [];
  const progress = new EventEmitter();
  const sockets = new Map<number, Socket>();
  let accepted = 0;
  let connections = 0;

  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onRcptTo(address, session, callback) {
      const reply = behaviour.rcpt?.(address.address) ?? null;
      if (reply === 'drop') sockets.get(session.remotePort)?.destroy();
      else callback(reply ? smtpError(reply) : null);
    },
    onData(stream, session, callback) {
      if (behaviour.dropDuringData) {
        stream.once('data', () => sockets.get(session.remotePort)?.destroy());
        stream.resume();
        return;
      }
      const { countOnly } = behaviour;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!countOnly) chunks.push(chunk);
      });
      stream.once('end', () => {
        const envelope = envelopeOf(session);
        const raw = Buffer.concat(chunks);
        const reply = behaviour.data?.({ envelope, raw }) ?? null;
        const answer = () => {
          if (reply) return callback(smtpError(reply));
          accepted++;
          if (!countOnly) messages.push({ envelope, raw, parsed: () => simpleParser(raw) });
          callback(null, `OK queued as ${accepted}`);
          progress.emit('accepted', accepted);
        };
        if (behaviour.acceptDelayMs) setTimeout(answer, behaviour.acceptDelayMs);
        else answer();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    connections++;
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  // Sockets the tests destroy on purpose make smtp-server report errors; they are not failures.
  server.on('error', () => {});

  server.listen(listenPort, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get accepted() {
      return accepted;
    },
    get connections() {
      return connections;
    },
    async waitFor(count, timeoutMs = 10_000) {
      if (accepted >= count) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          progress.off('accepted', onAccepted);
          reject(new Error(`smtp sink: ${accepted} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const onAccepted = (total: number) => {
          if (total < count) return;
          clearTimeout(timer);
          progress.off('accepted', onAccepted);
          resolve();
        };
        progress.on('accepted', onAccepted);
      });
    },
    set(next) {
      behaviour = { ...behaviour, ...next };
    },
    dropConnections() {
      for (const socket of sockets.values()) socket.destroy();
    },
    async close() {
      for (const socket of sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function envelopeOf(session: SMTPServerSession): SinkEnvelope {
  const { mailFrom, rcptTo } = session.envelope;
  return { from: mailFrom ? mailFrom.address : '', to: rcptTo.map((recipient) => recipient.address) };
}

function smtpError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}
