import { fixedClock } from '../../lib/clock.js';
import { fieldAad, type EncryptedField } from '../../lib/crypto/encrypted-fields.js';
import { createKeyring } from '../../lib/crypto/keyring.js';
import * as rotation from '../../modules/keys/key-rotation.service.js';
import { declareQueries, noQueries, type Reply } from './query-snapshot.js';
import { AT, AUDIT_KEYS, HASH, ID } from './samples.js';

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);
const operator = { type: 'operator', id: 'cli' } as const;
const title: EncryptedField = { table: 'cases', column: 'title_enc', idColumn: 'id' };
const auditHead: Reply = {
  when: 'update "audit_head"',
  rows: [{ seq: 1, hash: HASH, key_id: AUDIT_KEYS.keyId }],
};

// One value under the old key: the scan finds it, then its batch reads and re-encrypts it.
const storedTitle = {
  id: ID,
  value: createKeyring({ current: oldKey }).encryptField('a title', fieldAad('cases', 'title_enc', ID)),
};
const readTitle: Reply = { when: `from "cases"`, rows: [storedTitle] };

export default declareQueries('src/modules/keys/key-rotation.service.ts', rotation, {
  // Every registered field.
  scanKeyUsage: ({ db }) => rotation.scanKeyUsage(db),
  assertReadable: noQueries('checks a scan against keyrings'),
  // One field, holding one value under the old key.
  rotateKeys: {
    run: ({ db }) =>
      rotation.rotateKeys(
        db,
        createKeyring({ current: oldKey }),
        createKeyring({ current: newKey }),
        operator,
        fixedClock(AT),
        { fields: [title] },
      ),
    replies: [readTitle, readTitle, { when: `update "cases"`, affected: 1 }, auditHead],
  },
  // With the keys in the environment; every registered field, none holding a value.
  rotateMasterKey: {
    run: ({ db }) =>
      rotation.rotateMasterKey(
        db,
        {
          dataDir: '/nonexistent',
          masterKey: newKey.toString('base64'),
          previousMasterKey: oldKey.toString('base64'),
        },
        operator,
        fixedClock(AT),
      ),
    replies: [auditHead],
  },
});
