import { lazyImport } from '../../lib/lazy.js';

/** The native argon2 binding, loaded at the first password (not at start: bench/README.md "Footprint"). */
const argon2 = lazyImport(() => import('@node-rs/argon2'));

/** The cost parameters of argon2id: memory in KiB, passes, lanes. */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane): what Vigil hashes with. */
export const OWASP_ARGON2ID: Argon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// `Algorithm` is an ambient const enum, which verbatimModuleSyntax cannot import: 2 is its Argon2id member.
const ARGON2ID = 2;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Hashes and verifies passwords with argon2id at one cost. */
export interface PasswordHasher {
  /** Hashes a password; the result embeds its salt and parameters. */
  hash(password: string): Promise<string>;
  /**
   * Verifies a password. With no stored hash (unknown user, or a user who never set one) it still
   * spends the same time on a dummy hash, so response time does not reveal which accounts exist.
   */
  verify(storedHash: string | null, password: string): Promise<boolean>;
}

/** A hasher at `cost` (OWASP's by default; a stored hash is verified at the cost it records). */
export function createPasswordHasher(cost: Argon2Cost = OWASP_ARGON2ID): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...cost };
  const hashPassword = async (password: string) => (await argon2()).hash(password, options);
  let dummyHash: Promise<string> | undefined;
  return {
    hash: hashPassword,
    async verify(storedHash, password) {
      if (!storedHash) {
        dummyHash ??= hashPassword('vigil-dummy-password-for-timing');
        const stored = await dummyHash;
        await (await argon2()).verify(stored, password).catch(() => false);
        return false;
      }
      return (await argon2()).verify(storedHash, password).catch(() => false);
    },
  };
}

/** Argon2id at OWASP's cost: how Vigil hashes passwords. */
export const passwordHasher: PasswordHasher = createPasswordHasher();
