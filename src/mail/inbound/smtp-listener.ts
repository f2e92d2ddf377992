/**
 * The optional built-in SMTP listener (`VIGIL_SMTP_LISTEN=host:port`, off by default): receives mail
 * for projects without an MTA in front. No authentication (it is a mail exchanger, not a relay: it
 * only accepts recipients `acceptRecipient` knows), STARTTLS only when a certificate is given, the
 * size limit advertised (EHLO SIZE) and enforced. A message is answered 250 only once `onMessage`
 * has resolved, i.e. once it is stored, and 451 (try again later) when it fails: a sender's MTA
 * then keeps the message and retries, so nothing is lost in between.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SmtpEnvelope {
  /** MAIL FROM; '' for the null sender (bounces). */
  mailFrom: string;
  rcptTo: string[];
}

export interface SmtpListenerOptions {
  host: string;
  /** 0 picks a free port (see `port` on the result). */
  port: number;
  /** Largest message accepted, in bytes; advertised in EHLO and enforced (552). */
  maxBytes: number;
  /** Whether mail for `address` (lower-cased) is accepted here; others get 550 at RCPT TO. */
  acceptRecipient: (address: string) => boolean | Promise<boolean>;
  /** Stores the message. Resolving answers 250; throwing answers 451. */
  onMessage: (envelope: SmtpEnvelope, raw: Buffer) => Promise<void>;
  /** Told of each failure of `onMessage` (for the log); never of the message's content. */
  onError?: (err: unknown) => void;
  /** PEM key and certificate: enables STARTTLS. Without them the listener speaks plain SMTP only. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The name in the greeting; defaults to the OS host name. */
  name?: string;
  /** Concurrent connections (default 100). */
  maxClients?: number;
  /** Recipients per message (default 50). */
  maxRecipients?: number;
}

export interface SmtpListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply: smtp-server sends `responseCode` and the message. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * Reads `VIGIL_SMTP_LISTEN`: `host:port`, `[ipv6]:port`, or `:port` (all interfaces). Throws a
 * message naming the setting when it is not one of those.
 */
export function parseSmtpListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new Error(
      `VIGIL_SMTP_LISTEN must be host:port (such as 0.0.0.0:2525 or [::1]:2525), not "${value}".`,
    );
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** Starts listening; resolves once the port is bound. */
export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const maxRecipients = options.maxRecipients ?? 50;
  const serverOptions: SMTPServerOptions = {
    ...(options.name && { name: options.name }),
    banner: 'Vigil security intake',
    size: options.maxBytes,
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    maxClients: options.maxClients ?? 100,
    // On shutdown, connections still open after this are cut; a message not yet answered 250 is
    // still the sender's, and its MTA retries.
    closeTimeout: 5_000,
    logger: false,

    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= maxRecipients) {
        callback(smtpError(452, 'Too many recipients'));
        return;
      }
      Promise.resolve()
        .then(() => options.acceptRecipient(address.address.toLowerCase()))
        .then(
          (accepted) => callback(accepted ? null : smtpError(550, 'No such recipient here')),
          (err: unknown) => {
            options.onError?.(err);
            callback(smtpError(451, 'Recipient check failed; try again later'));
          },
        );
    },

    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit the server answers 552 itself; stop holding the bytes.
        if (size <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > options.maxBytes) {
          callback(smtpError(552, `Message exceeds the maximum size of ${options.maxBytes} bytes`));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        const envelope: SmtpEnvelope = {
          mailFrom: mailFrom ? mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        };
        options.onMessage(envelope, Buffer.concat(chunks, size)).then(
          () => callback(null, 'Message received and stored'),
          (err: unknown) => {
            options.onError?.(err);
            callback(smtpError(451, 'Message could not be stored; try again later'));
          },
        );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  // A connection-level error (a client resetting) is not the listener's failure.
  server.on('error', (err) => options.onError?.(err));
  await new Promise<void>((resolve, reject) => {
    const onListenError = (err: Error) => reject(err);
    server.server.once('error', onListenError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onListenError);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
