import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/support/db.js';
import type { Actor } from '../../audit/audit.events.js';
import { verifyAuditChain } from '../../audit/audit.log.js';
import type { Db } from '../../db/connection.js';
import { fixedClock } from '../../lib/clock.js';
import { keyIdOf } from '../../lib/crypto/cipher.js';
import { ENCRYPTED_FIELDS, fieldAad, fieldName } from '../../lib/crypto/encrypted-fields.js';
import { rotateKeys, rotateMasterKey, scanKeyUsage } from './key-rotation.service.js';
import {
  createKeyring,
  generateMasterKey,
  keyFilePath,
  loadKeyring,
  readKeyFile,
  writeKeyFile,
  type Keyring,
} from '../../lib/crypto/keyring.js';

const clock = fixedClock('2026-11-23T09:00:00.000Z');
const actor: Actor = { type: 'operator', id: 'root' };
const aad = (id: string) => fieldAad('projects', 'team_notes_enc', id);

/** Inserts a project whose team notes are encrypted with `keyring` (null notes when `notes` is null). */
async function insertProject(
  db: Db,
  keyring: Keyring,
  id: string,
  notes: string | null,
): Promise<string | null> {
  const envelope = notes === null ? null : keyring.encryptField(notes, aad(id));
  const now = clock.now().toISOString();
  await db.kysely
    .insertInto('projects')
    .values({
      id,
      slug: `slug-${id}`,
      name: `Project ${id}`,
      policy_version: 1,
      team_notes_enc: envelope,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return envelope;
}

describeEachDb('key rotation', (get) => {
  let db: Db;
  const notes = (i: number) => `notes of project ${i}: the fix lands Tuesday`;

  beforeEach(async () => {
    db = get().db;
    await db.kysely.deleteFrom('projects').execute();
    await db.kysely.deleteFrom('audit_events').execute();
    await db.kysely
      .updateTable('audit_head')
      .set({ seq: 0, hash: '0'.repeat(64) })
      .execute();
  });

  async function storedNotes(): Promise<{ id: string; team_notes_enc: string | null }[]> {
    return db.kysely.selectFrom('projects').select(['id', 'team_notes_enc']).orderBy('id').execute();
  }

  it('re-encrypts every row in batches, and old ciphertexts no longer decrypt with the new key alone', async () => {
    const oldKeyring = createKeyring({ current: generateMasterKey() });
    const newKeyring = createKeyring({ current: generateMasterKey() });
    const before = new Map<string, string | null>();
    for (let i = 0; i < 7; i += 1)
      before.set(`p-${i}`, await insertProject(db, oldKeyring, `p-${i}`, notes(i)));
    await insertProject(db, oldKeyring, 'p-null', null);

    const result = await rotateKeys(db, oldKeyring, newKeyring, actor, clock, { batchSize: 3 });
    expect(result).toEqual({
      fromKeyId: oldKeyring.currentKeyId,
      toKeyId: newKeyring.currentKeyId,
      reencrypted: 7,
      alreadyCurrent: 0,
      // Every registered field is visited; only the projects' notes hold values in this test.
      fields: ENCRYPTED_FIELDS.map((f) => ({
        field: fieldName(f),
        reencrypted: fieldName(f) === 'projects.team_notes_enc' ? 7 : 0,
      })),
    });
    for (const row of await storedNotes()) {
      if (row.id === 'p-null') {
        expect(row.team_notes_enc).toBeNull();
        continue;
      }
      const i = Number(row.id.slice(2));
      expect(keyIdOf(row.team_notes_enc ?? '')).toBe(newKeyring.currentKeyId);
      expect(newKeyring.decryptField(row.team_notes_enc ?? '', aad(row.id))).toBe(notes(i));
      expect(() => oldKeyring.decryptField(row.team_notes_enc ?? '', aad(row.id))).toThrow(
        /not in the keyring/,
      );
      expect(() => newKeyring.decryptField(before.get(row.id) ?? '', aad(row.id))).toThrow(
        `The data was encrypted with key ${oldKeyring.currentKeyId}, which is not in the keyring`,
      );
    }
    expect(await scanKeyUsage(db)).toEqual([
      { field: 'projects.team_notes_enc', keyId: newKeyring.currentKeyId, values: 7 },
    ]);

    const events = await db.kysely
      .selectFrom('audit_events')
      .select(['action', 'subject_id', 'data_json'])
      .execute();
    expect(events).toEqual([
      {
        action: 'keys.rotated',
        subject_id: newKeyring.currentKeyId,
        data_json: JSON.stringify({
          fromKeyId: oldKeyring.currentKeyId,
          toKeyId: newKeyring.currentKeyId,
          fields: 7,
        }),
      },
    ]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 1 });
  });

  it('is restartable: values already under the new key are skipped', async () => {
    const oldKeyring = createKeyring({ current: generateMasterKey() });
    const newKeyring = createKeyring({ current: generateMasterKey() });
    for (let i = 0; i < 5; i += 1) {
      // As if an earlier run died after re-encrypting the first two rows.
      await insertProject(db, i < 2 ? newKeyring : oldKeyring, `p-${i}`, notes(i));
    }
    const result = await rotateKeys(db, oldKeyring, newKeyring, actor, clock, { batchSize: 2 });
    expect(result).toMatchObject({ reencrypted: 3, alreadyCurrent: 2 });
    expect(await rotateKeys(db, oldKeyring, newKeyring, actor, clock)).toMatchObject({
      reencrypted: 0,
      alreadyCurrent: 5,
    });
    for (const row of await storedNotes()) {
      expect(newKeyring.decryptField(row.team_notes_enc ?? '', aad(row.id))).toBe(
        notes(Number(row.id.slice(2))),
      );
    }
  });

  it('changes nothing when a value is under a key neither keyring holds', async () => {
    const stranger = createKeyring({ current: generateMasterKey() });
    const oldKeyring = createKeyring({ current: generateMasterKey() });
    await insertProject(db, oldKeyring, 'p-0', notes(0));
    await insertProject(db, stranger, 'p-1', notes(1));
    const before = await storedNotes();
    await expect(
      rotateKeys(db, oldKeyring, createKeyring({ current: generateMasterKey() }), actor, clock),
    ).rejects.toThrow(
      `1 value(s) in projects.team_notes_enc were encrypted with key ${stranger.currentKeyId}, which is not in the keyring: set VIGIL_MASTER_KEY_PREVIOUS`,
    );
    expect(await storedNotes()).toEqual(before);
    expect(await db.kysely.selectFrom('audit_events').select('seq').execute()).toEqual([]);
  });

  it('refuses a ciphertext copied from another row', async () => {
    const oldKeyring = createKeyring({ current: generateMasterKey() });
    const copied = await insertProject(db, oldKeyring, 'p-0', notes(0));
    await insertProject(db, oldKeyring, 'p-1', null);
    await db.kysely.updateTable('projects').set({ team_notes_enc: copied }).where('id', '=', 'p-1').execute();
    await expect(
      rotateKeys(db, oldKeyring, createKeyring({ current: generateMasterKey() }), actor, clock),
    ).rejects.toThrow('The encrypted value for projects.team_notes_enc:p-1 failed authentication');
  });

  describeKeyFile(() => db);
});

function describeKeyFile(getDb: () => Db) {
  let dataDir = '';
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-rotate-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rotates the key file: new key generated, data re-encrypted, old key dropped, file kept 0600', async () => {
    const db = getDb();
    const before = loadKeyring({ dataDir });
    await insertProject(db, before, 'p-0', 'file notes');
    const result = await rotateMasterKey(db, { dataDir }, actor, clock);
    const after = loadKeyring({ dataDir });
    expect(result).toMatchObject({
      source: 'file',
      resumed: false,
      fromKeyId: before.currentKeyId,
      toKeyId: after.currentKeyId,
      reencrypted: 1,
    });
    expect(after.currentKeyId).not.toBe(before.currentKeyId);
    expect(after.keyIds).toEqual([after.currentKeyId]);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    const [row] = await db.kysely.selectFrom('projects').select('team_notes_enc').execute();
    expect(after.decryptField(row?.team_notes_enc ?? '', aad('p-0'))).toBe('file notes');
  });

  it('resumes an interrupted key file rotation with the key it had generated', async () => {
    const db = getDb();
    const oldKey = generateMasterKey();
    const newKey = generateMasterKey();
    writeKeyFile(keyFilePath(dataDir), { current: newKey, previous: oldKey });
    await insertProject(db, createKeyring({ current: newKey }), 'p-0', 'done already');
    await insertProject(db, createKeyring({ current: oldKey }), 'p-1', 'not yet');
    const result = await rotateMasterKey(db, { dataDir }, actor, clock);
    expect(result).toMatchObject({ resumed: true, reencrypted: 1, alreadyCurrent: 1 });
    const contents = readKeyFile(keyFilePath(dataDir));
    expect(contents.current.equals(newKey)).toBe(true);
    expect(contents.previous).toBeUndefined();
  });

  it('rotates VIGIL_MASTER_KEY only when VIGIL_MASTER_KEY_PREVIOUS holds the old key', async () => {
    const db = getDb();
    const oldKey = generateMasterKey().toString('base64');
    const newKey = generateMasterKey().toString('base64');
    await insertProject(db, loadKeyring({ dataDir, masterKey: oldKey }), 'p-0', 'env notes');
    await expect(rotateMasterKey(db, { dataDir, masterKey: newKey }, actor, clock)).rejects.toThrow(
      /set VIGIL_MASTER_KEY_PREVIOUS to the current key and VIGIL_MASTER_KEY to a new one/,
    );
    await expect(
      rotateMasterKey(db, { dataDir, masterKey: oldKey, previousMasterKey: oldKey }, actor, clock),
    ).rejects.toThrow(/same key/);
    const result = await rotateMasterKey(
      db,
      { dataDir, masterKey: newKey, previousMasterKey: oldKey },
      actor,
      clock,
    );
    expect(result).toMatchObject({ source: 'env', reencrypted: 1 });
    const [row] = await db.kysely.selectFrom('projects').select('team_notes_enc').execute();
    expect(
      loadKeyring({ dataDir, masterKey: newKey }).decryptField(row?.team_notes_enc ?? '', aad('p-0')),
    ).toBe('env notes');
  });
}
