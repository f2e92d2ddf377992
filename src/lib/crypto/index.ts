/** Encryption at rest: the keyring, the registry of encrypted columns, and key rotation. */
export { CryptoError, keyIdOf } from './cipher.js';
export { ENCRYPTED_FIELDS, fieldAad, fieldName, type EncryptedField } from './encrypted-fields.js';
export {
  assertReadable,
  rotateKeys,
  rotateMasterKey,
  scanKeyUsage,
  type KeyUsage,
  type MasterKeyRotation,
  type RotationResult,
} from './key-rotation.js';
export {
  createKeyring,
  generateMasterKey,
  keyFilePath,
  loadKeyring,
  parseMasterKey,
  type KeySource,
  type Keyring,
  type LoadKeyringOptions,
} from './keyring.js';
