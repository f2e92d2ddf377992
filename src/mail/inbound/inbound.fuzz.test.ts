import fc from 'fast-check';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInboundMail, type InboundFlag } from './inbound.parser.js';

const FLAGS: readonly InboundFlag[] = [
  'malformed-mime',
  'undecryptable',
  'unknown-charset',
  'unknown-attachment-type',
  'oversized',
  'too-deep',
  'html-only',
  'partly-encrypted',
  'text-truncated',
];

let key: openpgp.PrivateKey;
let seed: Buffer;

beforeAll(async () => {
  const pair = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Fuzz', email: 'fuzz@example.org' }],
    format: 'object',
  });
  key = pair.privateKey;
  const inner =
    'Content-Type: multipart/mixed; boundary="in"\r\n\r\n--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
    'secret text\r\n--in\r\nContent-Type: image/png; name=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
    'iVBORw0KGgo=\r\n--in--\r\n';
  const armored = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: inner }),
    encryptionKeys: pair.publicKey,
  });
  seed = Buffer.from(
    'From: a@example.org\r\nTo: b@example.org\r\nSubject: fuzz\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n--outer\r\n' +
      'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nH=E9llo\r\n' +
      '--outer\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"\r\n\r\n' +
      '--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--enc\r\n' +
      `Content-Type: application/octet-stream\r\n\r\n${armored}\r\n--enc--\r\n` +
      '--outer\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--outer--\r\n',
    'latin1',
  );
});

/** A mutation of the seed message: cut short, bytes overwritten, or bytes inserted. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
);

type Step = { kind: 'truncate' | 'overwrite' | 'insert'; at: number; bytes?: Uint8Array };

function mutate(raw: Buffer, steps: Step[]): Buffer {
  let out = Buffer.from(raw);
  for (const step of steps) {
    const at = out.length === 0 ? 0 : step.at % out.length;
    if (step.kind === 'truncate') out = out.subarray(0, at);
    else if (step.kind === 'overwrite' && step.bytes) Buffer.from(step.bytes).copy(out, at);
    else if (step.bytes)
      out = Buffer.concat([out.subarray(0, at), Buffer.from(step.bytes), out.subarray(at)]);
  }
  return out;
}

describe('parseInboundMail under fuzzing', () => {
  it('never throws on a mutated message and only raises known flags', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (steps) => {
        const m = await parseInboundMail(mutate(seed, steps), { decryptionKeys: [key] });
        expect(Array.isArray(m.attachments)).toBe(true);
        for (const flag of m.flags) expect(FLAGS).toContain(flag);
        expect(m.text).not.toContain('\u0000');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4_000 }), async (bytes) => {
        const m = await parseInboundMail(Buffer.from(bytes), { decryptionKeys: [key] });
        for (const flag of m.flags) expect(FLAGS).toContain(flag);
      }),
      { numRuns: 300 },
    );
  });

  it('the unmutated seed decrypts: the fuzzing starts from a message that works', async () => {
    const m = await parseInboundMail(seed, { decryptionKeys: [key] });
    expect(m.decrypted).toBe(true);
    expect(m.text).toContain('secret text');
    expect(m.text).toContain('Héllo');
    expect(m.attachments.map((a) => a.filename)).toEqual(['a.png']);
    // The seed carries a plain part beside the encrypted one.
    expect(m.flags).toEqual(['partly-encrypted']);
  });
});
