import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.js';
import { fixedClock } from '../../lib/clock.js';
import { caseHeaders, caseReplyAddress, vigilMessageId } from './addressing.js';
import {
  MAIL_LIMITS,
  MailError,
  createMailer,
  mailSettingsFromEnv,
  parseSmtpUrl,
  type Mailer,
  type OutboundMail,
} from './mailer.js';

const DOMAIN = 'vigil.example.org';
const CASE = '3f2b8c1e-7a4d-4e6b-9c0f-1a2b3c4d5e6f';
const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');

let sink: SmtpSink;
let mailer: Mailer;
const clock = fixedClock('2026-01-16T09:30:00.000Z');

const mail = (over: Partial<OutboundMail> = {}): OutboundMail => ({
  to: ['alice@example.net'],
  subject: 'Hello',
  text: 'Body text\n',
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<MailError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MailError);
  return err as MailError;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = createMailer({
    smtpUrl: sink.url,
    from: 'Vigil <vigil@vigil.example.org>',
    replyDomain: DOMAIN,
    publicUrl: 'https://vigil.example.org',
    clock,
  });
});
afterAll(async () => {
  mailer.close();
  await sink.close();
});
beforeEach(() => sink.clear());

describe('sending through a real SMTP server', () => {
  it('delivers a plain-text message with its threading headers intact', async () => {
    const messageId = vigilMessageId(CASE, 'message.reporter', DOMAIN, 'job-7');
    const first = vigilMessageId(CASE, 'report-received.reporter', DOMAIN);
    const replyTo = caseReplyAddress(CASE, SECRET, DOMAIN);
    const result = await mailer.send(
      mail({
        to: ['alice@example.net', 'Bob@Example.net'],
        subject: '[Contour security] Your report VGL-2026-0042: received',
        text: 'Grüße — ✓ plain text\n',
        messageId,
        inReplyTo: first,
        references: [first],
        replyTo,
        headers: caseHeaders('VGL-2026-0042'),
      }),
    );
    // nodemailer lower-cases the domain, not the local part.
    expect(result).toEqual({
      messageId,
      accepted: ['alice@example.net', 'Bob@example.net'],
      rejected: [],
      response: expect.stringMatching(/^250 /),
    });

    const got = await sink.waitFor((m) => m.messageId === messageId);
    expect(got.envelope).toEqual({
      from: 'vigil@vigil.example.org',
      to: ['alice@example.net', 'Bob@example.net'],
    });
    expect(got.subject).toBe('[Contour security] Your report VGL-2026-0042: received');
    expect(got.text).toBe('Grüße — ✓ plain text\n');
    expect(got.inReplyTo).toBe(first);
    expect(got.references).toEqual([first]);
    expect(got.rawHeaders.get('reply-to')).toEqual([replyTo]);
    expect(got.rawHeaders.get('x-vigil-case')).toEqual(['VGL-2026-0042']);
    expect(got.rawHeaders.get('auto-submitted')).toEqual(['auto-generated']);
    expect(got.rawHeaders.get('from')).toEqual(['Vigil <vigil@vigil.example.org>']);
    expect(got.rawHeaders.get('date')?.[0]).toBe('Fri, 16 Jan 2026 09:30:00 +0000');
    expect(got.rawHeaders.get('content-type')?.[0]).toMatch(/^text\/plain; charset=utf-8/);
    expect(got.parsed.html).toBe(false);
  });

  it('makes up a Message-ID on the reply domain when none is given', async () => {
    const { messageId } = await mailer.send(mail());
    expect(messageId).toMatch(/^<vigil\.[0-9a-f]{24}@vigil\.example\.org>$/);
    expect((await sink.waitFor((m) => m.messageId === messageId)).subject).toBe('Hello');
  });

  it('neutralises header injection in the subject and in header values', async () => {
    const { messageId } = await mailer.send(
      mail({
        subject: 'Hi\r\nBcc: eve@evil.example\r\n\r\nInjected body',
        headers: { 'X-Vigil-Case': 'VGL-1\r\nBcc: eve@evil.example' },
      }),
    );
    const got = await sink.waitFor((m) => m.messageId === messageId);
    expect(got.envelope.to).toEqual(['alice@example.net']);
    expect(got.rawHeaders.has('bcc')).toBe(false);
    expect(got.subject).toBe('Hi Bcc: eve@evil.example Injected body');
    expect(got.rawHeaders.get('x-vigil-case')).toEqual(['VGL-1 Bcc: eve@evil.example']);
    expect(got.text).toBe('Body text\n');
  });

  it('bounds the subject to 200 characters', async () => {
    const { messageId } = await mailer.send(mail({ subject: 'é'.repeat(300) }));
    const got = await sink.waitFor((m) => m.messageId === messageId);
    expect(got.subject).toBe(`${'é'.repeat(199)}…`);
  });

  it('logs in with the credentials of the URL', async () => {
    const withAuth = createMailer({
      smtpUrl: `smtp://relay%40example.org:p%40ss%3Aword@127.0.0.1:${sink.port}`,
      from: 'vigil@vigil.example.org',
      replyDomain: DOMAIN,
      publicUrl: 'https://vigil.example.org',
    });
    const { messageId } = await withAuth.send(mail());
    expect((await sink.waitFor((m) => m.messageId === messageId)).user).toBe('relay@example.org');
    withAuth.close();
  });

  it('reports a 4xx refusal as retryable, a 5xx as permanent, without addresses, then delivers', async () => {
    sink.failNext(1);
    const transient = await rejection(mailer.send(mail()));
    expect(transient.permanent).toBe(false);
    expect(transient.responseCode).toBe(451);
    expect(transient.message).not.toContain('alice@example.net');

    sink.failNext(1, 554);
    const permanent = await rejection(mailer.send(mail()));
    expect(permanent.permanent).toBe(true);
    expect(permanent.responseCode).toBe(554);

    const { messageId } = await mailer.send(mail());
    await sink.waitFor((m) => m.messageId === messageId);
    expect(sink.refused).toBe(2);
    expect(sink.messages).toHaveLength(1);
  });

  it('verifies the connection for readiness checks', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
    const port = await closedPort();
    const dead = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'vigil@vigil.example.org',
      replyDomain: DOMAIN,
      publicUrl: 'https://vigil.example.org',
    });
    const err = await rejection(dead.verify());
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/^SMTP delivery failed \(ESOCKET\)/);
  });
});

describe('a mailer without VIGIL_SMTP_URL', () => {
  it('fails every send and check with a clear, retryable error', async () => {
    const unset = createMailer({
      from: 'vigil@x.example',
      replyDomain: DOMAIN,
      publicUrl: 'https://x.example',
    });
    expect(unset.configured).toBe(false);
    const err = await rejection(unset.send(mail()));
    expect(err.message).toBe('mail is not configured: set VIGIL_SMTP_URL');
    expect(err.permanent).toBe(false);
    await expect(unset.verify()).rejects.toThrow('mail is not configured: set VIGIL_SMTP_URL');
    const empty = createMailer({
      smtpUrl: '',
      from: 'vigil@x.example',
      replyDomain: DOMAIN,
      publicUrl: 'https://x.example',
    });
    expect(empty.configured).toBe(false);
  });
});

describe('message checks', () => {
  it.each<[string, Partial<OutboundMail>, RegExp]>([
    ['no recipient', { to: [] }, /at least one recipient/],
    ['too many recipients', { to: Array.from({ length: 51 }, (_, i) => `u${i}@example.net`) }, /at most 50/],
    ['a list in one recipient', { to: ['a@example.net, eve@evil.example'] }, /not a bare mail address/],
    ['a display name', { to: ['Alice <a@example.net>'] }, /not a bare mail address/],
    ['a CRLF in an address', { to: ['a@example.net\r\nBcc: eve@evil.example'] }, /not a bare mail address/],
    ['a body over 100 KB', { text: 'x'.repeat(MAIL_LIMITS.bodyBytes + 1) }, /at most 102400 bytes/],
    ['an empty subject', { subject: '\r\n' }, /needs a subject/],
    ['a forbidden header', { headers: { Bcc: 'eve@evil.example' } }, /header "Bcc" may not be set/],
    ['a bad Message-ID', { messageId: 'no-brackets@x' }, /Message-ID must look like/],
    ['a bad reference', { references: ['<a@b>', '<x>\r\nBcc: y'] }, /reference must look like/],
    ['a bad Reply-To', { replyTo: 'x' }, /Reply-To is not a bare mail address/],
  ])('refuses %s as permanent, before connecting', async (_name, over, message) => {
    const err = await rejection(mailer.send(mail(over)));
    expect(err.message).toMatch(message);
    expect(err.permanent).toBe(true);
    expect(sink.messages).toHaveLength(0);
  });

  it('counts 50 distinct recipients after removing duplicates', async () => {
    const to = Array.from({ length: 50 }, (_, i) => `u${i}@example.net`);
    const { accepted } = await mailer.send(mail({ to: [...to, 'U0@EXAMPLE.NET'] }));
    expect(accepted).toHaveLength(50);
  });

  it('refuses a sender without an address', () => {
    expect(() =>
      createMailer({ from: 'Vigil', replyDomain: DOMAIN, publicUrl: 'https://x.example' }),
    ).toThrow(/sender address/);
  });
});

describe('parseSmtpUrl', () => {
  it('reads host, port, TLS and credentials', () => {
    expect(parseSmtpUrl('smtp://mail.example.org')).toEqual({
      host: 'mail.example.org',
      port: 587,
      secure: false,
    });
    expect(parseSmtpUrl('smtps://u:p%2Fq@mail.example.org')).toEqual({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      auth: { user: 'u', pass: 'p/q' },
    });
    expect(
      parseSmtpUrl('smtp://[::1]:2525?requireTLS=true&tls.rejectUnauthorized=false&name=vigil.example.org'),
    ).toEqual({
      host: '::1',
      port: 2525,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      name: 'vigil.example.org',
    });
  });

  it('refuses other schemes and options, never echoing the password', () => {
    expect(() => parseSmtpUrl('http://mail.example.org')).toThrow(/smtp:\/\/ or smtps:\/\//);
    expect(() => parseSmtpUrl('not a url')).toThrow(/not a URL/);
    for (const url of [
      'smtp://u:hunter2@mail.example.org?logger=true',
      'smtp://u:hunter2@mail.example.org?requireTLS=yes',
    ]) {
      let message = '';
      try {
        parseSmtpUrl(url);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/VIGIL_SMTP_URL/);
      expect(message).not.toContain('hunter2');
    }
  });
});

describe('mailSettingsFromEnv', () => {
  it('defaults the reply domain and sender from the public URL', () => {
    expect(mailSettingsFromEnv({}, 'https://vigil.example.org')).toEqual({
      smtpUrl: undefined,
      from: 'Vigil <vigil@vigil.example.org>',
      replyDomain: 'vigil.example.org',
      publicUrl: 'https://vigil.example.org',
    });
    expect(
      mailSettingsFromEnv(
        {
          VIGIL_SMTP_URL: 'smtp://relay:25',
          VIGIL_MAIL_FROM: 'Sec <sec@x.org>',
          VIGIL_MAIL_REPLY_DOMAIN: 'r.x.org',
        },
        'https://vigil.example.org',
      ),
    ).toEqual({
      smtpUrl: 'smtp://relay:25',
      from: 'Sec <sec@x.org>',
      replyDomain: 'r.x.org',
      publicUrl: 'https://vigil.example.org',
    });
  });
});

/** A local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
