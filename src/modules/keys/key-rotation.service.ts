/**
 * Master key rotation: re-encrypts every registered field under the new key, in batches, each in
 * its own transaction. Restartable: values already under the new key are skipped, and a key file
 * mid-rotation holds both keys, so a rerun resumes with the same new key.
 * Run it while Vigil is stopped (or restart every instance afterwards): a running instance keeps
 * the keys it loaded at start.
 */
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import type { Actor } from '../../audit/audit.events.js';
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Db, DbReader } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { CryptoError, keyIdOf } from '../../lib/crypto/cipher.js';
import { ENCRYPTED_FIELDS, fieldName, type EncryptedField } from '../../lib/crypto/encrypted-fields.js';
import {
  createKeyring,
  generateMasterKey,
  keyFilePath,
  parseMasterKey,
  readKeyFile,
  writeKeyFile,
  type Keyring,
} from '../../lib/crypto/keyring.js';

const DEFAULT_BATCH_SIZE = 200;

export interface RotationResult {
  fromKeyId: string;
  toKeyId: string;
  /** Values re-encrypted by this run. */
  reencrypted: number;
  /** Values already under the new key (from an interrupted run, or written since). */
  alreadyCurrent: number;
  fields: { field: string; reencrypted: number }[];
}

export interface KeyUsage {
  field: string;
  /** Null for a value that is not an encrypted envelope at all. */
  keyId: string | null;
  values: number;
}

interface StoredValue {
  id: string;
  value: string | Uint8Array;
}

/** Reads up to `limit` non-null values of `field` after row `afterId`, in id order. */
async function readBatch(
  db: DbReader,
  field: EncryptedField,
  afterId: string,
  limit: number,
): Promise<StoredValue[]> {
  const id = sql.ref(field.idColumn);
  const column = sql.ref(field.column);
  const result = await sql<StoredValue>`
    select ${id} as id, ${column} as value from ${sql.table(field.table)}
    where ${column} is not null and ${id} > ${afterId}
    order by ${id} limit ${limit}`.execute(db);
  return result.rows;
}

/** How many stored values each key encrypts, per field: what `vigil keys status` shows. */
export async function scanKeyUsage(
  db: Db,
  fields: readonly EncryptedField[] = ENCRYPTED_FIELDS,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<KeyUsage[]> {
  const usage: KeyUsage[] = [];
  for (const field of fields) {
    const counts = new Map<string | null, number>();
    for (let afterId = ''; ;) {
      const rows = await readBatch(db.kysely, field, afterId, batchSize);
      for (const row of rows) {
        const keyId = keyIdOf(row.value) ?? null;
        counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
      }
      const last = rows.at(-1);
      if (!last || rows.length < batchSize) break;
      afterId = last.id;
    }
    for (const [keyId, values] of counts) usage.push({ field: fieldName(field), keyId, values });
  }
  return usage;
}

/** Throws, naming the key id and the fix, if some stored value is under none of `keyrings`' keys. */
export function assertReadable(usage: readonly KeyUsage[], keyrings: readonly Keyring[]): void {
  for (const u of usage) {
    if (u.keyId === null) {
      throw new CryptoError(
        `${u.values} value(s) in ${u.field} are not encrypted envelopes; nothing was changed.`,
      );
    }
    const keyId = u.keyId;
    if (!keyrings.some((k) => k.hasKey(keyId))) {
      throw new CryptoError(
        `${u.values} value(s) in ${u.field} were encrypted with key ${keyId}, which is not in the keyring: ` +
          'set VIGIL_MASTER_KEY_PREVIOUS to that key (or restore the key file that holds it); nothing was changed.',
      );
    }
  }
}

/**
 * Re-encrypts every registered field from `oldKeyring` to `newKeyring`'s current key and records
 * one `keys.rotated` audit event. A value changed by someone else meanwhile is left as they wrote it.
 */
export async function rotateKeys(
  db: Db,
  oldKeyring: Keyring,
  newKeyring: Keyring,
  actor: Actor,
  clock: Clock,
  options: { batchSize?: number; fields?: readonly EncryptedField[] } = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const fields = options.fields ?? ENCRYPTED_FIELDS;
  assertReadable(await scanKeyUsage(db, fields, batchSize), [oldKeyring, newKeyring]);
  const toKeyId = newKeyring.currentKeyId;
  const result: RotationResult = {
    fromKeyId: oldKeyring.currentKeyId,
    toKeyId,
    reencrypted: 0,
    alreadyCurrent: 0,
    fields: [],
  };
  for (const field of fields) {
    let fieldCount = 0;
    for (let afterId = '', done = false; !done;) {
      await db.kysely.transaction().execute(async (trx) => {
        const rows = await readBatch(trx, field, afterId, batchSize);
        for (const row of rows) {
          const keyId = keyIdOf(row.value);
          if (keyId === toKeyId) {
            result.alreadyCurrent += 1;
            continue;
          }
          const aad = `${fieldName(field)}:${row.id}`;
          const from = keyId !== undefined && newKeyring.hasKey(keyId) ? newKeyring : oldKeyring;
          const value =
            typeof row.value === 'string'
              ? newKeyring.encryptField(from.decryptField(row.value, aad), aad)
              : newKeyring.encryptBytes(from.decryptBytes(row.value, aad), aad);
          const updated = await sql`
            update ${sql.table(field.table)} set ${sql.ref(field.column)} = ${value}
            where ${sql.ref(field.idColumn)} = ${row.id} and ${sql.ref(field.column)} = ${row.value}`.execute(
            trx,
          );
          if (updated.numAffectedRows === 1n) fieldCount += 1;
        }
        const last = rows.at(-1);
        done = !last || rows.length < batchSize;
        if (last) afterId = last.id;
      });
    }
    result.reencrypted += fieldCount;
    result.fields.push({ field: fieldName(field), reencrypted: fieldCount });
  }
  await db.kysely.transaction().execute((trx) =>
    appendAuditEvent(trx, clock, {
      actor,
      action: 'keys.rotated',
      subject: { type: 'keyring', id: toKeyId },
      data: { fromKeyId: result.fromKeyId, toKeyId, fields: result.reencrypted },
    }),
  );
  return result;
}

export interface MasterKeyRotation extends RotationResult {
  source: 'env' | 'file';
  /** True when an interrupted key file rotation was finished. */
  resumed: boolean;
}

/**
 * Rotates the master key where it lives. With VIGIL_MASTER_KEY: the operator supplies the new key
 * there and the old one in VIGIL_MASTER_KEY_PREVIOUS. With the key file: a new key is generated and
 * written next to the old one, everything is re-encrypted, then the old key is dropped from the file.
 */
export async function rotateMasterKey(
  db: Db,
  options: { dataDir: string; masterKey?: string | undefined; previousMasterKey?: string | undefined },
  actor: Actor,
  clock: Clock,
): Promise<MasterKeyRotation> {
  if (options.masterKey) {
    if (!options.previousMasterKey) {
      throw new CryptoError(
        'The master key comes from VIGIL_MASTER_KEY. To rotate it, set VIGIL_MASTER_KEY_PREVIOUS to the current ' +
          'key and VIGIL_MASTER_KEY to a new one (openssl rand -base64 32), then run this command again.',
      );
    }
    const current = parseMasterKey(options.masterKey, 'VIGIL_MASTER_KEY');
    const previous = parseMasterKey(options.previousMasterKey, 'VIGIL_MASTER_KEY_PREVIOUS');
    if (current.equals(previous)) {
      throw new CryptoError(
        'VIGIL_MASTER_KEY and VIGIL_MASTER_KEY_PREVIOUS hold the same key: set a new one.',
      );
    }
    const result = await rotateKeys(
      db,
      createKeyring({ current: previous }),
      createKeyring({ current }),
      actor,
      clock,
    );
    return { ...result, source: 'env', resumed: false };
  }
  if (options.previousMasterKey) {
    throw new CryptoError(
      'VIGIL_MASTER_KEY_PREVIOUS is set but VIGIL_MASTER_KEY is not: set both, or neither.',
    );
  }
  const file = keyFilePath(options.dataDir);
  if (!existsSync(file)) {
    throw new CryptoError(`There is no master key file at ${file}: Vigil creates it on its first start.`);
  }
  const contents = readKeyFile(file);
  const resumed = contents.previous !== undefined;
  const oldKey = contents.previous ?? contents.current;
  const newKey = resumed ? contents.current : generateMasterKey();
  const origin = { source: 'file' as const, keyFile: file };
  if (!resumed) {
    // Check before touching the file, so a hopeless rotation leaves everything as it was.
    assertReadable(await scanKeyUsage(db), [createKeyring({ current: oldKey })]);
    // Both keys on disk before any value changes: a crash from here on leaves every value readable.
    writeKeyFile(file, { current: newKey, previous: oldKey });
  }
  const result = await rotateKeys(
    db,
    createKeyring({ current: oldKey }, origin),
    createKeyring({ current: newKey }, origin),
    actor,
    clock,
  );
  writeKeyFile(file, { current: newKey });
  return { ...result, source: 'file', resumed };
}
