import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../api/types.js';
import { readProjectKey } from './encrypt-report.js';

const REPORT: ReportInput = {
  subject: 'Heap overflow in the xDS parser — “quoted”, ünïcode',
  reporter: { name: 'Ada', anonymous: false },
  reproduction: 'Line one\nLine two\r\nLine three',
  effects: '',
  impact: 'Remote crash.',
  dependencies: '',
  publiclyKnown: false,
  publicDetails: '',
  attachments: [{ filename: 'poc.py', contentType: 'text/x-python', contentBase64: 'cHJpbnQoMSkK' }],
};

async function teamKey(options: { subkeys?: [] } = {}) {
  return openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Demo security team', email: 'security@demo.example' }],
    format: 'armored',
    ...options,
  });
}

describe('readProjectKey', () => {
  it('encrypts the report’s JSON so that only the team’s private key opens it', async () => {
    const { publicKey, privateKey } = await teamKey();
    const key = await readProjectKey(publicKey);
    const expected = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
    expect(key.fingerprint).toBe(expected);
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);

    const armored = await key.encrypt(REPORT);
    expect(armored).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(armored).not.toContain('Heap overflow');
    const { data } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armored }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    });
    expect(JSON.parse(data)).toEqual(REPORT);

    const other = await teamKey();
    await expect(
      openpgp.decrypt({
        message: await openpgp.readMessage({ armoredMessage: armored }),
        decryptionKeys: await openpgp.readPrivateKey({ armoredKey: other.privateKey }),
      }),
    ).rejects.toThrow();
  });

  it('uses only the public half of a private key published by mistake', async () => {
    const { privateKey, publicKey } = await teamKey();
    const key = await readProjectKey(privateKey);
    const published = await readProjectKey(publicKey);
    expect(key.fingerprint).toBe(published.fingerprint);
  });

  it('refuses a key that cannot encrypt, and text that is not a key', async () => {
    const { publicKey } = await teamKey({ subkeys: [] });
    await expect(readProjectKey(publicKey)).rejects.toThrow(/encryption key/i);
    await expect(readProjectKey('not a key')).rejects.toThrow();
  });
});
