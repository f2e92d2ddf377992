/**
 * Mail encrypted with the real `gpg` binary to a key the pgp service generated and published, as a
 * reporter would do it: import the published key, encrypt, send. Inline and PGP/MIME.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Principal } from '../../authz/authz.policy.js';
import { systemClock } from '../../lib/clock.js';
import { createKeyring } from '../../lib/crypto/keyring.js';
import { createPgpService, type PgpService } from '../../modules/pgp/pgp.service.js';
import { createProjectsService } from '../../modules/projects/projects.service.js';
import { parseInboundMail } from './inbound.parser.js';

const GPG = '/usr/bin/gpg';
const OPERATOR: Principal = { kind: 'operator', name: 'test' };
const HEAD =
  'From: Reporter <rep@example.org>\r\nTo: security@demo.example\r\nSubject: gpg report\r\nMIME-Version: 1.0';

let home: string;

function gpg(args: string[], input?: string | Buffer): string {
  return execFileSync(GPG, ['--homedir', home, '--batch', '--no-tty', ...args], {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'vigil-gpg-'));
  // The reporter's own key pair: to sign with, and to stand for "encrypted to someone else".
  gpg([
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--quick-generate-key',
    'Reporter <rep@example.org>',
    'future-default',
    'default',
    'never',
  ]);
});

afterAll(() => {
  try {
    execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
  } catch {
    // No agent was started.
  }
  rmSync(home, { recursive: true, force: true });
});

function pgpMime(armored: string): Buffer {
  return Buffer.from(
    `${HEAD}\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="gpgmime"\r\n\r\n` +
      '--gpgmime\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n' +
      `--gpgmime\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n${armored}\r\n--gpgmime--\r\n`,
  );
}

describeEachDb('mail encrypted with gpg to the published project key', (get) => {
  let pgp: PgpService;
  let projectId: string;
  let fingerprint: string;
  const slug = `gpg-${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    const { db } = get();
    const deps = {
      db,
      clock: systemClock,
      cipher: createKeyring({ current: randomBytes(32) }),
      publicUrl: 'https://vigil.example',
    };
    pgp = createPgpService(deps);
    await createProjectsService(deps).createProject(OPERATOR, { slug, name: 'Demo', preset: 'contour' });
    const row = await db.kysely
      .selectFrom('projects')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    projectId = row.id;
    const published = await pgp.getPublicKey(slug);
    fingerprint = published.fingerprint;
    const file = join(home, `${slug}.asc`);
    writeFileSync(file, published.armored);
    gpg(['--import', file]);
  });

  const encrypt = (text: string, extra: string[] = []) =>
    gpg(['--trust-model', 'always', '--armor', ...extra, '--encrypt', '-r', fingerprint], text);

  it('decrypts inline PGP (the text body encrypted)', async () => {
    const armored = encrypt('Inline report: the token is not checked.\n');
    const raw = Buffer.from(`${HEAD}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${armored}`);
    const m = await parseInboundMail(raw, { decryptionKeys: await pgp.decryptingKeys(projectId) });
    expect(m).toMatchObject({ encrypted: 'inline-pgp', decrypted: true, signed: false, flags: [] });
    expect(m.text.trim()).toBe('Inline report: the token is not checked.');
  });

  it('decrypts PGP/MIME around gpg output, with an attachment inside', async () => {
    const poc = Buffer.from('#!/usr/bin/env python3\nprint("poc")\n');
    const inner =
      'Content-Type: multipart/mixed; boundary="inner"\r\n\r\n--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
      'PGP/MIME report body.\r\n--inner\r\nContent-Type: text/x-python; name="poc.py"\r\n' +
      'Content-Disposition: attachment; filename="poc.py"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
      `${poc.toString('base64')}\r\n--inner--\r\n`;
    const m = await parseInboundMail(pgpMime(encrypt(inner)), {
      decryptionKeys: await pgp.decryptingKeys(projectId),
    });
    expect(m).toMatchObject({ encrypted: 'pgp-mime', decrypted: true, subject: 'gpg report', flags: [] });
    expect(m.text.trim()).toBe('PGP/MIME report body.');
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: 'poc.py', size: poc.length, flags: [] });
    expect(m.attachments[0]?.content.equals(poc)).toBe(true);
  });

  it('notices the reporter’s signature on signed-and-encrypted mail', async () => {
    const armored = encrypt('signed by the reporter\n', [
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--sign',
      '-u',
      'rep@example.org',
    ]);
    const m = await parseInboundMail(pgpMime(armored), {
      decryptionKeys: await pgp.decryptingKeys(projectId),
    });
    expect(m).toMatchObject({ decrypted: true, signed: true, flags: [] });
  });

  it('flags mail encrypted to a different key, and keeps it', async () => {
    const armored = gpg(
      ['--trust-model', 'always', '--armor', '--encrypt', '-r', 'rep@example.org'],
      'not for the project\n',
    );
    const keys = await pgp.decryptingKeys(projectId);
    const mime = await parseInboundMail(pgpMime(armored), { decryptionKeys: keys });
    expect(mime).toMatchObject({ encrypted: 'pgp-mime', decrypted: false, flags: ['undecryptable'] });
    expect(mime.attachments[0]?.content.toString()).toContain('-----BEGIN PGP MESSAGE-----');
    const inline = await parseInboundMail(Buffer.from(`${HEAD}\r\n\r\n${armored}`), { decryptionKeys: keys });
    expect(inline).toMatchObject({ encrypted: 'inline-pgp', decrypted: false, flags: ['undecryptable'] });
    expect(inline.text).toContain('-----BEGIN PGP MESSAGE-----');
  });

  it('still decrypts mail sent to the published key after the key is rotated', async () => {
    const armored = encrypt('sent before the rotation\n');
    await pgp.generateProjectKey(OPERATOR, slug);
    const keys = await pgp.decryptingKeys(projectId);
    expect(keys).toHaveLength(2);
    const m = await parseInboundMail(pgpMime(armored), { decryptionKeys: keys });
    expect(m.decrypted).toBe(true);
    expect(m.text.trim()).toBe('sent before the rotation');
  });
});
