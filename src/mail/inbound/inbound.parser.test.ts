import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInboundMail, type InboundMail } from './inbound.parser.js';
import { MAX_MIME_DEPTH } from './mime-scan.js';

const HEAD = [
  'From: Ada Reporter <Ada@Example.org>',
  'To: security@demo.example, "Team" <team+VGL-1@demo.example>',
  'Cc: Undisclosed: bob@example.net, carol@example.net;',
  'Subject: =?UTF-8?Q?Heap_overflow_in_=C3=BCpload?=',
  'Message-ID: <m1@example.org>',
  'In-Reply-To: <n0@vigil.example>',
  'References: <r1@vigil.example>\r\n <n0@vigil.example>',
  'Delivered-To: reply+abc@vigil.example',
  'X-Original-To: Security@Demo.Example',
  'MIME-Version: 1.0',
].join('\r\n');

/** A message from header lines and a body, with CRLF line ends. */
function mail(headers: string, body: string): Buffer {
  return Buffer.from(`${headers}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`, 'utf8');
}

function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n')}\r\n--${boundary}--\r\n`;
}

function attachmentPart(filename: string, type: string, content: Buffer): string {
  const b64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return `Content-Type: ${type}; name="${filename}"\r\nContent-Disposition: attachment; filename="${filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}`;
}

const parse = (raw: Buffer, keys: openpgp.PrivateKey[] = [], maxBytes?: number) =>
  parseInboundMail(raw, { decryptionKeys: keys, ...(maxBytes !== undefined && { maxBytes }) });

let project: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey };
let retired: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey };
let stranger: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey };
let reporter: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey };

async function keyPair(name: string) {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email: `${name.toLowerCase()}@example.org` }],
    format: 'object',
  });
  return { privateKey, publicKey };
}

async function encrypt(
  data: string | Uint8Array,
  to: openpgp.PublicKey,
  extra: { signingKeys?: openpgp.PrivateKey; filename?: string; armor?: boolean } = {},
): Promise<string | Uint8Array> {
  const message =
    typeof data === 'string'
      ? await openpgp.createMessage({ text: data })
      : await openpgp.createMessage({ binary: data, ...(extra.filename && { filename: extra.filename }) });
  const options = {
    message,
    encryptionKeys: to,
    ...(extra.signingKeys && { signingKeys: extra.signingKeys }),
  };
  if (extra.armor === false) return openpgp.encrypt({ ...options, format: 'binary' });
  return openpgp.encrypt(options);
}

/** RFC 3156 PGP/MIME around an armored ciphertext. */
function pgpMime(headers: string, armored: string, extraParts: string[] = []): Buffer {
  return mail(
    `${headers}\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"`,
    multipart('enc', [
      'Content-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n',
      `Content-Type: application/octet-stream; name="encrypted.asc"\r\nContent-Disposition: inline; filename="encrypted.asc"\r\n\r\n${armored}`,
      ...extraParts,
    ]),
  );
}

beforeAll(async () => {
  [project, retired, stranger, reporter] = await Promise.all([
    keyPair('Project'),
    keyPair('Retired'),
    keyPair('Stranger'),
    keyPair('Reporter'),
  ]);
});

describe('parseInboundMail: plain mail', () => {
  it('reads addresses, threading headers and the subject', async () => {
    const m = await parse(mail(`${HEAD}\r\nContent-Type: text/plain; charset=utf-8`, 'Steps:\n1. upload\n'));
    expect(m).toEqual<InboundMail>({
      messageId: '<m1@example.org>',
      inReplyTo: '<n0@vigil.example>',
      references: ['<r1@vigil.example>', '<n0@vigil.example>'],
      from: { address: 'ada@example.org', name: 'Ada Reporter' },
      to: ['security@demo.example', 'team+vgl-1@demo.example'],
      cc: ['bob@example.net', 'carol@example.net'],
      deliveredTo: ['reply+abc@vigil.example', 'security@demo.example'],
      subject: 'Heap overflow in üpload',
      text: 'Steps:\n1. upload\n',
      attachments: [],
      encrypted: 'none',
      decrypted: false,
      signed: false,
      flags: [],
    });
  });

  it('converts HTML-only mail to text and keeps no HTML', async () => {
    const html =
      '<p>Hello <b>team</b></p><script>alert("x")</script><p>&lt;img src=x onerror=alert(1)&gt;</p>';
    const m = await parse(mail(`${HEAD}\r\nContent-Type: text/html; charset=utf-8`, html));
    expect(m.text).toContain('Hello team');
    expect(m.text).toContain('<img src=x onerror=alert(1)>');
    expect(m.text).not.toContain('alert("x")');
    expect(m.flags).toEqual(['html-only']);
    expect(JSON.stringify(m)).not.toContain('<p>');
  });

  it('prefers the text part of multipart/alternative and does not flag it', async () => {
    const body = multipart('alt', [
      'Content-Type: text/plain; charset=utf-8\r\n\r\nplain words',
      'Content-Type: text/html; charset=utf-8\r\n\r\n<p>html words</p>',
    ]);
    const m = await parse(mail(`${HEAD}\r\nContent-Type: multipart/alternative; boundary=alt`, body));
    expect(m.text.trim()).toBe('plain words');
    expect(m.flags).toEqual([]);
  });

  it('keeps every attachment and flags unknown and active types', async () => {
    const body = multipart('mix', [
      'Content-Type: text/plain\r\n\r\nsee attached',
      attachmentPart('poc.py', 'text/x-python', Buffer.from('print(1)\n')),
      attachmentPart('capture.pcap', 'application/octet-stream', Buffer.from([0xd4, 0xc3, 0xb2, 0xa1])),
      attachmentPart('screen.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])),
      attachmentPart(
        'notes.docx',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        Buffer.from('PK'),
      ),
      attachmentPart('invoice.pdf', 'application/x-msdownload', Buffer.from('MZ')),
      attachmentPart('page.html', 'text/html', Buffer.from('<script>1</script>')),
    ]);
    const m = await parse(mail(`${HEAD}\r\nContent-Type: multipart/mixed; boundary=mix`, body));
    expect(m.text.trim()).toBe('see attached');
    expect(m.attachments.map((a) => [a.filename, a.size, a.flags])).toEqual([
      ['poc.py', 9, []],
      ['capture.pcap', 4, []],
      ['screen.png', 4, []],
      ['notes.docx', 2, ['unknown-type']],
      ['invoice.pdf', 2, ['active-content']],
      ['page.html', 18, ['active-content']],
    ]);
    expect(m.attachments[0]?.content.toString()).toBe('print(1)\n');
    expect(m.flags).toEqual(['unknown-attachment-type']);
  });

  it('strips an mbox From line, NUL bytes and path parts of file names', async () => {
    const body = multipart('mix', [
      'Content-Type: text/plain\r\n\r\nnul\u0000here',
      attachmentPart('../../etc/passwd', 'text/plain', Buffer.from('x')),
    ]);
    const raw = Buffer.concat([
      Buffer.from('From ada@example.org Mon Nov 23 09:00:00 2026\n'),
      mail(`${HEAD}\r\nContent-Type: multipart/mixed; boundary=mix`, body),
    ]);
    const m = await parse(raw);
    expect(m.from?.address).toBe('ada@example.org');
    expect(m.text.trim()).toBe('nulhere');
    expect(m.attachments[0]?.filename).toBe('passwd');
    expect(m.flags).toEqual([]);
  });
});

describe('parseInboundMail: OpenPGP', () => {
  it('decrypts PGP/MIME whose content carries its own attachments and protected subject', async () => {
    const inner = [
      'Content-Type: multipart/mixed; boundary="in"; protected-headers="v1"',
      'Subject: Secret: RCE in the admin API',
      '',
      multipart('in', [
        'Content-Type: text/plain; charset=utf-8\r\n\r\nThe real report, with ümlauts.',
        attachmentPart('exploit.sh', 'application/x-sh', Buffer.from('#!/bin/sh\necho pwned\n')),
      ]),
    ].join('\r\n');
    const armored = (await encrypt(inner, project.publicKey)) as string;
    const m = await parse(pgpMime(HEAD.replace(/^Subject:.*$/m, 'Subject: ...'), armored), [
      project.privateKey,
    ]);
    expect(m.encrypted).toBe('pgp-mime');
    expect(m.decrypted).toBe(true);
    expect(m.subject).toBe('Secret: RCE in the admin API');
    expect(m.text.trim()).toBe('The real report, with ümlauts.');
    expect(m.attachments.map((a) => [a.filename, a.content.toString(), a.flags])).toEqual([
      ['exploit.sh', '#!/bin/sh\necho pwned\n', []],
    ]);
    expect(m.from?.address).toBe('ada@example.org');
    expect(m.flags).toEqual([]);
  });

  it('decrypts inline PGP and says when text outside the block was not encrypted', async () => {
    const armored = (await encrypt('inline secret\nsecond line', project.publicKey)) as string;
    const only = await parse(mail(`${HEAD}\r\nContent-Type: text/plain`, armored), [project.privateKey]);
    expect(only).toMatchObject({ encrypted: 'inline-pgp', decrypted: true, flags: [] });
    expect(only.text.trim()).toBe('inline secret\nsecond line');

    const mixed = await parse(mail(`${HEAD}\r\nContent-Type: text/plain`, `Hi team,\n\n${armored}\n`), [
      project.privateKey,
    ]);
    expect(mixed.text).toContain('Hi team,');
    expect(mixed.text).toContain('inline secret');
    expect(mixed.text).not.toContain('BEGIN PGP MESSAGE');
    expect(mixed.flags).toEqual(['partly-encrypted']);
  });

  it('decrypts with a retired key too', async () => {
    const armored = (await encrypt('sent to last year\u2019s key', retired.publicKey)) as string;
    const m = await parse(pgpMime(HEAD, armored), [project.privateKey, retired.privateKey]);
    expect(m).toMatchObject({ decrypted: true, flags: [] });
    // Some clients encrypt bare text rather than a MIME entity: it is read as text.
    expect(m.text.trim()).toBe('sent to last year\u2019s key');
  });

  it('keeps mail encrypted to another key whole and flags it, for both forms', async () => {
    const armored = (await encrypt('not for you', stranger.publicKey)) as string;
    const mime = await parse(pgpMime(HEAD, armored), [project.privateKey]);
    expect(mime).toMatchObject({
      encrypted: 'pgp-mime',
      decrypted: false,
      text: '',
      flags: ['undecryptable'],
    });
    expect(mime.subject).toBe('Heap overflow in üpload');
    expect(mime.attachments).toHaveLength(1);
    expect(mime.attachments[0]).toMatchObject({ filename: 'encrypted.asc', flags: ['undecryptable'] });
    expect(mime.attachments[0]?.content.toString().replace(/\r\n/g, '\n')).toBe(armored);

    const inline = await parse(mail(`${HEAD}\r\nContent-Type: text/plain`, armored), [project.privateKey]);
    expect(inline).toMatchObject({ encrypted: 'inline-pgp', decrypted: false, flags: ['undecryptable'] });
    expect(inline.text.trim()).toBe(armored.trim());

    const noKeys = await parse(pgpMime(HEAD, armored), []);
    expect(noKeys.flags).toEqual(['undecryptable']);
  });

  it('notices a signature inside the encrypted message, and a cleartext-signed one', async () => {
    const armored = (await encrypt('signed and sealed', project.publicKey, {
      signingKeys: reporter.privateKey,
    })) as string;
    expect((await parse(pgpMime(HEAD, armored), [project.privateKey])).signed).toBe(true);
    const cleartext = await openpgp.sign({
      message: await openpgp.createCleartextMessage({ text: 'in the clear' }),
      signingKeys: reporter.privateKey,
    });
    const m = await parse(mail(`${HEAD}\r\nContent-Type: text/plain`, cleartext), [project.privateKey]);
    expect(m).toMatchObject({ signed: true, encrypted: 'none', flags: [] });
  });

  it('decrypts an attachment encrypted on its own, and flags one it cannot', async () => {
    const pdf = Buffer.from('%PDF-1.7 fake');
    const binary = (await encrypt(pdf, project.publicKey, {
      filename: 'report.pdf',
      armor: false,
    })) as Uint8Array;
    const foreign = (await encrypt(pdf, stranger.publicKey, { armor: false })) as Uint8Array;
    const body = multipart('mix', [
      'Content-Type: text/plain\r\n\r\nattached, encrypted',
      attachmentPart('report.pdf.pgp', 'application/octet-stream', Buffer.from(binary)),
      attachmentPart('other.pdf.gpg', 'application/octet-stream', Buffer.from(foreign)),
    ]);
    const m = await parse(mail(`${HEAD}\r\nContent-Type: multipart/mixed; boundary=mix`, body), [
      project.privateKey,
    ]);
    expect(m.attachments.map((a) => [a.filename, a.contentType, a.flags])).toEqual([
      ['report.pdf', 'application/pdf', ['decrypted']],
      ['other.pdf.gpg', 'application/octet-stream', ['undecryptable']],
    ]);
    expect(m.attachments[0]?.content.equals(pdf)).toBe(true);
    expect(m).toMatchObject({ encrypted: 'inline-pgp', decrypted: false, flags: ['undecryptable'] });
  });

  it('stops a compression bomb at the size limit', async () => {
    const bomb = await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: new Uint8Array(8 * 1024 * 1024) }),
      encryptionKeys: project.publicKey,
      config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
    });
    expect(bomb.length).toBeLessThan(100_000);
    const m = await parse(pgpMime(HEAD, bomb), [project.privateKey], 1024 * 1024);
    expect(m.flags).toEqual(['oversized', 'undecryptable']);
    expect(m.attachments).toHaveLength(1);
  });
});

describe('parseInboundMail: hostile and broken input is returned with flags, never thrown', () => {
  const cases: [string, Buffer, string[]][] = [
    ['empty input', Buffer.alloc(0), []],
    ['8-bit garbage', Buffer.from([0, 255, 254, 10, 13, 10, 0x80, 0x81, 0xc3, 0x28]), ['malformed-mime']],
    [
      'an unknown charset',
      mail(
        `${HEAD}\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: 8bit`,
        'h\u00e9llo',
      ),
      ['unknown-charset'],
    ],
    [
      'bytes that are not UTF-8 under charset=utf-8',
      Buffer.concat([
        mail(
          `${HEAD}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit`,
          'bad: ',
        ),
        Buffer.from([0xc3, 0x28, 0xff]),
      ]),
      ['unknown-charset'],
    ],
    [
      'invalid base64',
      mail(
        `${HEAD}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64`,
        '!!!!@@@@ aGVsbG8= ***',
      ),
      ['malformed-mime'],
    ],
    [
      'a multipart without a boundary parameter',
      mail(
        `${HEAD}\r\nContent-Type: multipart/mixed`,
        '--x\r\nContent-Type: text/plain\r\n\r\nbody\r\n--x--',
      ),
      ['malformed-mime'],
    ],
    [
      'a boundary that never appears',
      mail(`${HEAD}\r\nContent-Type: multipart/mixed; boundary=nope`, 'just some text\r\n'),
      ['malformed-mime'],
    ],
    [
      'truncated MIME (no closing boundary, half an attachment)',
      mail(
        `${HEAD}\r\nContent-Type: multipart/mixed; boundary=cut`,
        '--cut\r\nContent-Type: text/plain\r\n\r\nvisible text\r\n--cut\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjcK',
      ),
      ['malformed-mime'],
    ],
    [
      'headers that are not headers',
      Buffer.from('this is not a header\r\nnor: this one is\r\n\r\nbody'),
      ['malformed-mime'],
    ],
  ];
  for (const [name, raw, flags] of cases) {
    it(name, async () => {
      const m = await parse(raw, [project.privateKey]);
      expect(m.flags).toEqual(flags);
      expect(typeof m.text).toBe('string');
    });
  }

  it('keeps the visible text of a truncated message', async () => {
    const m = await parse(cases[7]?.[1] ?? Buffer.alloc(0));
    expect(m.text).toContain('visible text');
    expect(m.subject).toBe('Heap overflow in üpload');
  });

  it(`does not parse nesting deeper than ${MAX_MIME_DEPTH}, nor thousands of parts, but keeps headers and text`, async () => {
    let deep = '';
    const depth = 5_000;
    for (let i = 0; i < depth; i++)
      deep += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
    deep += 'Content-Type: text/plain\r\n\r\ninnermost\r\n';
    for (let i = depth - 1; i >= 0; i--) deep += `--b${i}--\r\n`;
    const started = Date.now();
    const nested = await parse(Buffer.from(`${HEAD}\r\n${deep}`));
    expect(nested.flags).toEqual(['malformed-mime', 'too-deep']);
    expect(nested.subject).toBe('Heap overflow in üpload');
    expect(nested.from?.address).toBe('ada@example.org');
    expect(nested.text).toContain('innermost');

    const parts = Array.from({ length: 5_000 }, () => 'Content-Type: text/plain\r\n\r\nx');
    const many = await parse(
      mail(`${HEAD}\r\nContent-Type: multipart/mixed; boundary=B`, multipart('B', parts)),
    );
    expect(many.flags).toEqual(['malformed-mime', 'too-deep']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('returns the beginning of an oversized message, flagged, without attachments', async () => {
    const body = multipart('mix', [
      `Content-Type: text/plain\r\n\r\nthe beginning ${'words '.repeat(2_000)}`,
      attachmentPart('big.zip', 'application/zip', Buffer.alloc(100_000, 1)),
    ]);
    const m = await parse(mail(`${HEAD}\r\nContent-Type: multipart/mixed; boundary=mix`, body), [], 50_000);
    expect(m.flags).toContain('oversized');
    expect(m.text.startsWith('the beginning words')).toBe(true);
    expect(m.subject).toBe('Heap overflow in üpload');
    expect(m.attachments).toEqual([]);
  });
});
