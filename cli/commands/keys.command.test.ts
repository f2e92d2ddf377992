import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import { fixedClock } from '../../src/lib/clock.js';
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { generateMasterKey, keyFilePath, loadKeyring } from '../../src/lib/crypto/keyring.js';
import { formatKeysRotation, formatKeysStatus, runKeysRotate, runKeysStatus } from './keys.command.js';

const clock = fixedClock('2026-11-23T09:00:00.000Z');
const actor = { type: 'operator', id: 'root' } as const;

describeEachDb('vigil keys', (get) => {
  let dataDir = '';
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-keys-cli-'));
    await get().db.kysely.deleteFrom('projects').execute();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function insertProject(id: string, envelope: string) {
    const now = clock.now().toISOString();
    await get()
      .db.kysely.insertInto('projects')
      .values({
        id,
        slug: id,
        name: id,
        policy_version: 1,
        team_notes_enc: envelope,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  it('reports the key source and key ids, never the key, then rotates the key file', async () => {
    const { db } = get();
    const config = { dataDir, masterKey: undefined, previousMasterKey: undefined };
    expect(await runKeysStatus(db, config)).toMatchObject({ source: 'none', currentKeyId: null });

    const keyring = loadKeyring({ dataDir });
    const plaintext = 'private team note';
    await insertProject(
      'p-1',
      keyring.encryptField(plaintext, fieldAad('projects', 'team_notes_enc', 'p-1')),
    );
    const status = await runKeysStatus(db, config);
    expect(status).toEqual({
      source: 'file',
      keyFile: keyFilePath(dataDir),
      currentKeyId: keyring.currentKeyId,
      previousKeyIds: [],
      values: [{ field: 'projects.team_notes_enc', keyId: keyring.currentKeyId, values: 1, readable: true }],
    });
    const keyFileText = readFileSync(keyFilePath(dataDir), 'utf8');
    const key = (JSON.parse(keyFileText) as { current: string }).current;
    const text = formatKeysStatus(status);
    expect(text).toContain(`Current key id: ${keyring.currentKeyId}`);
    expect(text).toContain(`projects.team_notes_enc: 1 under key ${keyring.currentKeyId}`);
    expect(`${text}${JSON.stringify(status)}`).not.toContain(key);

    const result = await runKeysRotate(db, config, actor, clock);
    const rotated = formatKeysRotation(result, keyFilePath(dataDir));
    expect(rotated).toMatch(/^Re-encrypted 1 value\(s\) from key [0-9a-f]{8} to key [0-9a-f]{8}\./);
    expect(rotated).toContain(`now holds only key ${result.toKeyId}`);
    expect(`${rotated}${JSON.stringify(result)}`).not.toContain(plaintext);
    expect(await runKeysStatus(db, config)).toMatchObject({
      currentKeyId: result.toKeyId,
      values: [{ keyId: result.toKeyId, values: 1, readable: true }],
    });
  });

  it('flags values under a key that is not in the keyring', async () => {
    const masterKey = generateMasterKey().toString('base64');
    const config = { dataDir, masterKey, previousMasterKey: undefined };
    const other = loadKeyring({ dataDir, masterKey: generateMasterKey().toString('base64') });
    await insertProject('p-2', other.encryptField('x', fieldAad('projects', 'team_notes_enc', 'p-2')));
    const status = await runKeysStatus(get().db, config);
    expect(status).toMatchObject({
      source: 'env',
      keyFile: null,
      values: [{ keyId: other.currentKeyId, readable: false }],
    });
    expect(formatKeysStatus(status)).toContain(`1 under key ${other.currentKeyId}  (NOT in the keyring)`);
    expect(formatKeysStatus(status)).toContain('Master key: VIGIL_MASTER_KEY');
  });
});
