/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, a random port, no TLS, any or no login)
 * that keeps every message it accepts, parsed with mailparser, and can refuse the next deliveries.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ParsedSinkMessage {
  /** The SMTP envelope, as the client gave it (MAIL FROM, RCPT TO). */
  envelope: { from: string | undefined; to: string[] };
  /** The user name the client logged in with, if it did. */
  user: string | undefined;
  raw: Buffer;
  subject: string;
  text: string;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  /** mailparser's decoded headers (lower-case names). */
  headers: ParsedMail['headers'];
  /** The header block as sent: lower-case name to the unfolded raw values, in order. */
  rawHeaders: Map<string, string[]>;
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for VIGIL_SMTP_URL. */
  url: string;
  port: number;
  /** Every accepted message, in order of arrival. */
  messages: ParsedSinkMessage[];
  /** Resolves with the first message (already here or still to come) that matches. */
  waitFor(predicate: (m: ParsedSinkMessage) => boolean, timeoutMs?: number): Promise<ParsedSinkMessage>;
  /** Refuses the next `count` messages at the end of DATA with `code` (default 451, a transient failure). */
  failNext(count: number, code?: number): void;
  /** How many deliveries were refused by `failNext` so far. */
  readonly refused: number;
  /**
   * Accepts the next `after` messages, then holds every later one at the end of DATA without an
   * answer (the client waits, as on a slow server) until `release()`. A held message whose client
   * goes away (a process killed mid-send) was never accepted and is dropped.
   */
  hold(after?: number): void;
  /**
   * Stops holding. The held messages whose clients are still there are answered and kept; with
   * `keep` false they are all dropped (their clients were killed: never accepted, whether or not
   * the sink has noticed the connection go yet).
   */
  release(keep?: boolean): void;
  /** How many messages are held now. */
  readonly held: number;
  clear(): void;
  close(): Promise<void>;
}

function rawHeaderMap(raw: Buffer): Map<string, string[]> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string[]>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    map.set(name, [...(map.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return map;
}

function references(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter(Boolean);
}

/** Starts a sink; close it in afterAll. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedSinkMessage[] = [];
  const waiters = new Set<(m: ParsedSinkMessage) => void>();
  let failures: { remaining: number; code: number } = { remaining: 0, code: 451 };
  let refused = 0;
  let holding: { after: number } | undefined;
  const held: { sessionId: string; deliver: () => void }[] = [];
  const closed = new Set<string>();

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onClose(session) {
      closed.add(session.id);
      for (let i = held.length - 1; i >= 0; i--) if (held[i]?.sessionId === session.id) held.splice(i, 1);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        if (holding) {
          if (holding.after <= 0) {
            held.push({ sessionId: session.id, deliver: keep });
            return;
          }
          holding.after -= 1;
        }
        keep();
      });
      function keep() {
        if (failures.remaining > 0) {
          failures = { ...failures, remaining: failures.remaining - 1 };
          refused += 1;
          const err = Object.assign(new Error('Sink told to refuse this delivery, try again later'), {
            responseCode: failures.code,
          });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw, { skipImageLinks: true }).then(
          (parsed) => {
            const message: ParsedSinkMessage = {
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              user: typeof session.user === 'string' ? session.user : undefined,
              raw,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              messageId: parsed.messageId,
              inReplyTo: parsed.inReplyTo,
              references: references(parsed.references),
              headers: parsed.headers,
              rawHeaders: rawHeaderMap(raw),
              parsed,
            };
            messages.push(message);
            for (const waiter of waiters) waiter(message);
            callback(null, 'Queued in the sink');
          },
          (err: Error) => callback(err),
        );
      }
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get refused() {
      return refused;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (m: ParsedSinkMessage) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `No matching mail reached the SMTP sink within ${timeoutMs} ms (${messages.length} received).`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    failNext(count, code = 451) {
      failures = { remaining: count, code };
    },
    hold(after = 0) {
      holding = { after };
    },
    release(keep = true) {
      holding = undefined;
      for (const h of held.splice(0)) if (keep && !closed.has(h.sessionId)) h.deliver();
    },
    get held() {
      return held.length;
    },
    clear() {
      messages.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
