import { connect } from 'node:net';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseSmtpListen,
  startSmtpListener,
  type SmtpEnvelope,
  type SmtpListener,
  type SmtpListenerOptions,
} from './smtp-listener.js';

const open: SmtpListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function listen(overrides: Partial<SmtpListenerOptions> = {}) {
  const received: { envelope: SmtpEnvelope; raw: Buffer }[] = [];
  const listener = await startSmtpListener({
    host: '127.0.0.1',
    port: 0,
    maxBytes: 64 * 1024,
    acceptRecipient: (address) => address.endsWith('@intake.example'),
    onMessage: async (envelope, raw) => {
      received.push({ envelope, raw });
    },
    ...overrides,
  });
  open.push(listener);
  const transport = createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    ignoreTLS: true,
  });
  return { listener, received, transport };
}

/** Sends a mail and returns the SMTP error (code and response), or undefined when it was accepted. */
async function send(
  transport: Transporter,
  mail: SendMailOptions,
): Promise<{ responseCode?: number; response?: string; code?: string } | undefined> {
  try {
    await transport.sendMail(mail);
    return undefined;
  } catch (err) {
    return err as { responseCode?: number; response?: string; code?: string };
  }
}

/** Speaks SMTP by hand: the EHLO reply lists the extensions offered. */
async function ehlo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let greeting = '';
    let reply = '';
    socket.on('data', (chunk) => {
      if (!greeting.endsWith('\r\n')) {
        greeting += chunk.toString();
        if (greeting.endsWith('\r\n')) socket.write('EHLO tester.example\r\n');
        return;
      }
      reply += chunk.toString();
      // The last line of a multi-line reply has a space after the code.
      if (/(^|\n)250 [^\n]*\r\n$/.test(reply)) {
        socket.end('QUIT\r\n');
        resolve(reply);
      }
    });
    socket.on('error', reject);
  });
}

describe('SMTP listener', () => {
  it('accepts mail for known recipients and hands over the raw message and envelope', async () => {
    const { received, transport } = await listen();
    const error = await send(transport, {
      from: 'reporter@example.org',
      to: 'demo@intake.example',
      subject: 'A report by SMTP',
      text: 'Steps to reproduce.',
    });
    expect(error).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]?.envelope).toEqual({
      mailFrom: 'reporter@example.org',
      rcptTo: ['demo@intake.example'],
    });
    const raw = received[0]?.raw.toString() ?? '';
    expect(raw).toContain('Subject: A report by SMTP');
    expect(raw).toContain('Steps to reproduce.');
  });

  it('refuses unknown recipients at RCPT TO and keeps the accepted ones', async () => {
    const { received, transport } = await listen();
    const refused = await send(transport, {
      from: 'a@example.org',
      to: 'someone@elsewhere.example',
      text: 'x',
    });
    expect(refused?.code).toBe('EENVELOPE');
    expect(refused?.responseCode).toBe(550);
    expect(received).toHaveLength(0);

    const info = await transport.sendMail({
      from: 'a@example.org',
      to: ['Demo@Intake.Example', 'someone@elsewhere.example'],
      text: 'partly deliverable',
    });
    expect(info.rejected).toEqual(['someone@elsewhere.example']);
    expect(received.map((r) => r.envelope.rcptTo)).toEqual([['demo@intake.example']]);
  });

  it('advertises the size limit and refuses a larger message with 552, without handing it over', async () => {
    const { listener, received, transport } = await listen({ maxBytes: 10_000 });
    expect(await ehlo(listener.port)).toMatch(/250[- ]SIZE 10000\r\n/);
    expect(await ehlo(listener.port)).not.toContain('STARTTLS');
    expect(await ehlo(listener.port)).not.toContain('AUTH');
    const error = await send(transport, {
      from: 'a@example.org',
      to: 'demo@intake.example',
      text: 'x'.repeat(20_000),
    });
    expect(error?.responseCode).toBe(552);
    expect(received).toHaveLength(0);
  });

  it('answers 250 only once onMessage has resolved', async () => {
    let release: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => {
      release = resolve;
    });
    let onMessageCalled = false;
    const { transport } = await listen({
      onMessage: async () => {
        onMessageCalled = true;
        await stored;
      },
    });
    let answered = false;
    const sending = transport
      .sendMail({ from: 'a@example.org', to: 'demo@intake.example', text: 'slow store' })
      .then(() => {
        answered = true;
      });
    await expect.poll(() => onMessageCalled).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    release();
    await sending;
    expect(answered).toBe(true);
  });

  it('answers 451 (try again later) when the message cannot be stored, and says so to onError', async () => {
    const errors: unknown[] = [];
    const { transport } = await listen({
      onMessage: async () => {
        throw new Error('database is down');
      },
      onError: (err) => errors.push(err),
    });
    const error = await send(transport, { from: 'a@example.org', to: 'demo@intake.example', text: 'x' });
    expect(error?.responseCode).toBe(451);
    expect(error?.response).not.toContain('database');
    expect(errors).toHaveLength(1);
  });

  it('answers 451 when the recipient check fails', async () => {
    const { transport } = await listen({
      acceptRecipient: async () => {
        throw new Error('lookup failed');
      },
      onError: () => undefined,
    });
    const error = await send(transport, { from: 'a@example.org', to: 'demo@intake.example', text: 'x' });
    expect(error?.responseCode).toBe(451);
  });
});

describe('parseSmtpListen', () => {
  it('reads host:port, [ipv6]:port and :port, and names the setting when wrong', () => {
    expect(parseSmtpListen('127.0.0.1:2525')).toEqual({ host: '127.0.0.1', port: 2525 });
    expect(parseSmtpListen('[::1]:25')).toEqual({ host: '::1', port: 25 });
    expect(parseSmtpListen(':2525')).toEqual({ host: '0.0.0.0', port: 2525 });
    expect(parseSmtpListen('mx.example:587')).toEqual({ host: 'mx.example', port: 587 });
    for (const bad of ['2525', 'host:', 'host:99999', '::1:25', 'a b:25']) {
      expect(() => parseSmtpListen(bad)).toThrow('VIGIL_SMTP_LISTEN must be host:port');
    }
  });
});
