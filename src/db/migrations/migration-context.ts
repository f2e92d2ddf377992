import type { Keyring } from '../../lib/crypto/keyring.js';

/**
 * What a migration may need beyond the database: the keyring, for a migration that encrypts
 * values that used to be stored in clear. It is loaded only when such a migration finds a value
 * to encrypt, so migrating an empty or already-encrypted database never needs the master key.
 */
export interface MigrationContext {
  keyring?: (() => Keyring) | undefined;
}

/** The keyring, or an error that says why the migration needs it and how to provide it. */
export function requireKeyring(context: MigrationContext, migration: string, why: string): Keyring {
  if (!context.keyring) {
    throw new Error(
      `Migration ${migration} ${why}, so it needs the master key: run it through \`vigil migrate\` or \`vigil serve\` ` +
        'with VIGIL_MASTER_KEY set or the data directory that holds master.key.',
    );
  }
  return context.keyring();
}
