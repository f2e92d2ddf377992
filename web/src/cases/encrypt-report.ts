/**
 * Encrypts a report in the browser to the project's published OpenPGP key. This module pulls in
 * OpenPGP.js (hundreds of KiB): the form imports it dynamically, only when encryption is on, so
 * the rest of the app never loads it. OpenPGP.js 6 runs on the main thread (no workers, no eval),
 * within the app's CSP.
 */
import * as openpgp from 'openpgp';
import type { ReportInput } from '../api/types.js';

/** A project's public key, ready to encrypt reports to. */
export interface ProjectKey {
  /** The primary key's fingerprint, upper-case hex, as `vigil project key show` prints it. */
  fingerprint: string;
  /** The report's JSON body, as an armored OpenPGP message only this key's holder can read. */
  encrypt: (report: ReportInput) => Promise<string>;
}

/**
 * Reads an armored public key and checks that it can encrypt (not expired, revoked, or sign-only);
 * throws an Error saying why not otherwise.
 */
export async function readProjectKey(armoredKey: string): Promise<ProjectKey> {
  const read = await openpgp.readKey({ armoredKey });
  // Only the public half is ever needed here, whatever was published.
  const key = read.isPrivate() ? read.toPublic() : read;
  await key.getEncryptionKey();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    encrypt: async (report) =>
      openpgp.encrypt({
        message: await openpgp.createMessage({ text: JSON.stringify(report) }),
        encryptionKeys: key,
      }),
  };
}
