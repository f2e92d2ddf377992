import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import { ANONYMOUS, userPrincipal, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import { fixedClock } from '../../lib/clock.js';
import { createKeyring } from '../../lib/crypto/keyring.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { createProjectsService } from '../projects/projects.service.js';
import { readImportedKey } from './openpgp-keys.js';
import { createPgpService } from './pgp.service.js';

const OPERATOR: Principal = { kind: 'operator', name: 'test' };
const PUBLIC_URL = 'https://vigil.example';

function setup(db: Db) {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  const cipher = createKeyring({ current: randomBytes(32) });
  const deps = { db, clock, cipher, publicUrl: PUBLIC_URL };
  return { clock, cipher, pgp: createPgpService(deps), projects: createProjectsService(deps) };
}

let counter = 0;
async function newProject(s: ReturnType<typeof setup>, preset = 'contour') {
  counter += 1;
  const slug = `keys-${counter}-${randomBytes(2).toString('hex')}`;
  await s.projects.createProject(OPERATOR, { slug, name: `Keys ${counter}`, preset });
  return slug;
}

async function projectId(db: Db, slug: string): Promise<string> {
  const row = await db.kysely
    .selectFrom('projects')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function keyEvents(db: Db, id: string) {
  return db.kysely
    .selectFrom('audit_events')
    .select(['action', 'actor_type', 'data_json'])
    .where('project_id', '=', id)
    .where('action', 'like', 'project.key_%')
    .orderBy('seq')
    .execute();
}

async function encryptTo(armoredPublicKey: string, text: string): Promise<openpgp.Message<string>> {
  const encrypted = await openpgp.encrypt({
    message: await openpgp.createMessage({ text }),
    encryptionKeys: await openpgp.readKey({ armoredKey: armoredPublicKey }),
  });
  return openpgp.readMessage({ armoredMessage: encrypted });
}

describeEachDb('project OpenPGP keys', (get) => {
  it('ensureProjectKey creates one key, once, even when called concurrently', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const id = await projectId(db, slug);
    const results = await Promise.all(Array.from({ length: 6 }, () => s.pgp.ensureProjectKey(id)));
    const fingerprints = new Set(results.map((r) => r.fingerprint));
    expect(fingerprints.size).toBe(1);
    expect(results[0]?.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(results[0]).toMatchObject({
      userId: `Keys ${counter} Security Team <cncf-contour-maintainers@lists.cncf.io>`,
      algorithm: 'ed25519/cv25519',
      createdAt: '2026-03-02T09:00:00.000Z',
      expiresAt: null,
      publicKeyUrl: `${PUBLIC_URL}/p/${slug}/pgp-key.asc`,
    });
    const rows = await db.kysely
      .selectFrom('project_keys')
      .select('id')
      .where('project_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
    const events = await keyEvents(db, id);
    expect(events).toEqual([
      {
        action: 'project.key_generated',
        actor_type: 'system',
        data_json: JSON.stringify({
          keyId: rows[0]?.id,
          fingerprint: results[0]?.fingerprint,
          algorithm: 'ed25519/cv25519',
          automatic: true,
        }),
      },
    ]);
    expect((await s.pgp.ensureProjectKey(id)).fingerprint).toBe(results[0]?.fingerprint);
  });

  it('a project whose policy names no team address gets a placeholder address in its key', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s, 'k8spolicy');
    const key = await s.pgp.ensureProjectKey(await projectId(db, slug));
    expect(key.userId).toBe(`Keys ${counter} Security Team <security@${slug}.invalid>`);
  });

  it('stores the private key only encrypted, bound to its row', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const id = await projectId(db, slug);
    await s.pgp.ensureProjectKey(id);
    const row = await db.kysely
      .selectFrom('project_keys')
      .select(['id', 'private_key_enc', 'public_key_armored'])
      .where('project_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.private_key_enc).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.private_key_enc).not.toContain('PGP');
    expect(row.public_key_armored).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(row.public_key_armored).not.toContain('PRIVATE');
    const armored = s.cipher.decryptField(
      row.private_key_enc,
      fieldAad('project_keys', 'private_key_enc', row.id),
    );
    expect(armored).toContain('-----BEGIN PGP PRIVATE KEY BLOCK-----');
    expect(() =>
      s.cipher.decryptField(row.private_key_enc, fieldAad('project_keys', 'private_key_enc', 'another-row')),
    ).toThrow(/failed authentication/);
  });

  it('rotation retires the old key, which still decrypts mail sent to it', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const id = await projectId(db, slug);
    const first = await s.pgp.getPublicKey(slug);
    const toOld = await encryptTo(first.armored, 'sent to the old key');

    s.clock.advance(60_000);
    const rotated = await s.pgp.generateProjectKey(OPERATOR, slug);
    expect(rotated.fingerprint).not.toBe(first.fingerprint);
    const published = await s.pgp.getPublicKey(slug);
    expect(published.fingerprint).toBe(rotated.fingerprint);
    const toNew = await encryptTo(published.armored, 'sent to the new key');

    const keys = await s.pgp.decryptingKeys(id);
    expect(keys.map((k) => k.getFingerprint().toUpperCase())).toEqual([
      rotated.fingerprint,
      first.fingerprint,
    ]);
    for (const [message, text] of [
      [toOld, 'sent to the old key'],
      [toNew, 'sent to the new key'],
    ] as const) {
      const { data } = await openpgp.decrypt({ message, decryptionKeys: keys });
      expect(data).toBe(text);
    }

    const detail = await s.pgp.getProjectKey(OPERATOR, slug);
    expect(detail).toMatchObject({
      fingerprint: rotated.fingerprint,
      previous: [{ fingerprint: first.fingerprint, retiredAt: '2026-03-02T09:01:00.000Z' }],
    });
    expect(JSON.stringify(detail)).not.toContain('PRIVATE');

    const events = (await keyEvents(db, id)).map((e) => [e.action, e.actor_type]);
    expect(events).toEqual([
      ['project.key_generated', 'system'],
      ['project.key_retired', 'operator'],
      ['project.key_generated', 'operator'],
    ]);
  });

  it('concurrent rotations leave exactly one active key', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const id = await projectId(db, slug);
    await s.pgp.ensureProjectKey(id);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => s.pgp.generateProjectKey(OPERATOR, slug)),
    );
    const active = await db.kysely
      .selectFrom('project_keys')
      .select('fingerprint')
      .where('project_id', '=', id)
      .where('retired_at', 'is', null)
      .execute();
    expect(active).toHaveLength(1);
    expect(results.map((r) => r.fingerprint)).toContain(active[0]?.fingerprint);
    const all = await db.kysely
      .selectFrom('project_keys')
      .select('id')
      .where('project_id', '=', id)
      .execute();
    expect(all).toHaveLength(5);
  });

  it('only admins and the security team manage keys; others get 404', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const id = await projectId(db, slug);
    const team = userPrincipal({ id: 't', email: 't@example.org', isAdmin: false }, [
      { projectId: id, role: 'security-team' },
    ]);
    const stranger = userPrincipal({ id: 'x', email: 'x@example.org', isAdmin: false }, []);
    expect((await s.pgp.generateProjectKey(team, slug)).fingerprint).toMatch(/^[0-9A-F]{40}$/);
    for (const who of [stranger, ANONYMOUS]) {
      await expect(s.pgp.generateProjectKey(who, slug)).rejects.toThrow(NotFoundError);
      await expect(s.pgp.getProjectKey(who, slug)).rejects.toThrow(NotFoundError);
    }
    await expect(s.pgp.generateProjectKey(OPERATOR, 'no-such-project')).rejects.toThrow(
      "Project 'no-such-project' was not found.",
    );
    await expect(s.pgp.getPublicKey('no-such-project')).rejects.toThrow(NotFoundError);
  });

  it('imports a passphrase-protected key, storing it unlocked and encrypted at rest', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const id = await projectId(db, slug);
    const { privateKey } = await openpgp.generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'Imported', email: 'imported@example.org' }],
      passphrase: 'open sesame',
      format: 'armored',
    });
    const err = await s.pgp.importProjectKey(OPERATOR, slug, privateKey).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      { path: 'passphrase', message: 'required for this key' },
    ]);
    await expect(s.pgp.importProjectKey(OPERATOR, slug, privateKey, 'wrong')).rejects.toThrow(
      'The passphrase does not unlock this private key.',
    );

    const imported = await s.pgp.importProjectKey(OPERATOR, slug, privateKey, 'open sesame');
    expect(imported).toMatchObject({
      userId: 'Imported <imported@example.org>',
      algorithm: 'rsa2048/rsa2048',
    });
    const published = await s.pgp.getPublicKey(slug);
    expect(published.fingerprint).toBe(imported.fingerprint);
    const message = await encryptTo(published.armored, 'to the imported key');
    const { data } = await openpgp.decrypt({ message, decryptionKeys: await s.pgp.decryptingKeys(id) });
    expect(data).toBe('to the imported key');
    expect((await keyEvents(db, id)).map((e) => e.action)).toEqual(['project.key_imported']);
  });

  it('refuses keys that cannot decrypt: public keys, garbage, signing-only keys', async () => {
    const { db } = get();
    const s = setup(db);
    const slug = await newProject(s);
    const { privateKey, publicKey } = await openpgp.generateKey({
      userIDs: [{ name: 'Signer', email: 'signer@example.org' }],
      subkeys: [],
      format: 'armored',
    });
    await expect(s.pgp.importProjectKey(OPERATOR, slug, publicKey)).rejects.toThrow(
      /a public key is not enough/,
    );
    await expect(s.pgp.importProjectKey(OPERATOR, slug, 'hello')).rejects.toThrow(/not an armored OpenPGP/);
    await expect(s.pgp.importProjectKey(OPERATOR, slug, privateKey)).rejects.toThrow(
      /cannot decrypt a message/,
    );
    const rows = await db.kysely
      .selectFrom('project_keys')
      .select('id')
      .where('project_id', '=', await projectId(db, slug))
      .execute();
    expect(rows).toHaveLength(0);
  });
});

describe('readImportedKey', () => {
  it('bounds the input before parsing it', async () => {
    const err = await readImportedKey('x'.repeat(200_001)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).issues[0]?.path).toBe('privateKey');
  });
});
