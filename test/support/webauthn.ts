/**
 * A software WebAuthn authenticator for the API tests: a P-256 (ES256) key pair per credential,
 * attestation objects ("none" format) and assertions built by hand with node:crypto and a minimal
 * CBOR encoder, exactly as an authenticator and a browser would send them (the JSON forms of
 * @simplewebauthn/browser). Nothing of the verifier is replaced: the server checks these for real.
 */
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | CborMap;
/** A CBOR map: its entries in order. */
interface CborMap {
  readonly entries: readonly (readonly [number | string, Cbor])[];
}
const map = (entries: readonly (readonly [number | string, Cbor])[]): CborMap => ({ entries });

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** CBOR (RFC 8949) of the few types WebAuthn needs, maps in insertion order. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  return Buffer.concat([
    head(5, value.entries.length),
    ...value.entries.flatMap(([k, v]) => [cbor(k), cbor(v)]),
  ]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64 = (data: Buffer | Uint8Array) => Buffer.from(data).toString('base64url');

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

/** One credential of the software authenticator. */
export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  cosePublicKey: Buffer;
  /** The owner's user handle, as the registration options gave it (base64url). */
  userHandle: string;
  signCount: number;
}

export interface RegistrationOptionsLike {
  challenge: string;
  rp: { id?: string | undefined };
  user: { id: string };
}

export interface AssertionOptionsLike {
  challenge: string;
  rpId?: string | undefined;
}

function authData(rpId: string, flags: number, signCount: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(signCount >>> 0, 0);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

/** A new credential and the registration response `navigator.credentials.create()` would give. */
export function createCredential(
  options: RegistrationOptionsLike,
  origin: string,
  {
    flags = FLAG_UP | FLAG_UV,
    signCount = 0,
    existing,
  }: { flags?: number; signCount?: number; existing?: SoftCredential } = {},
) {
  const { privateKey, publicKey } = existing
    ? { privateKey: existing.privateKey, publicKey: createPublicKey(existing.privateKey) }
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cosePublicKey = cbor(
    map([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]),
  );
  const id = existing?.id ?? randomBytes(32);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(id.length, 0);
  const attested = Buffer.concat([Buffer.alloc(16), length, id, cosePublicKey]);
  const rpId = options.rp.id ?? new URL(origin).hostname;
  const attestationObject = cbor(
    map([
      ['fmt', 'none'],
      ['attStmt', map([])],
      ['authData', authData(rpId, flags | FLAG_AT, signCount, attested)],
    ]),
  );
  const credential: SoftCredential = {
    id,
    privateKey,
    cosePublicKey,
    userHandle: options.user.id,
    signCount,
  };
  const response = {
    id: b64(id),
    rawId: b64(id),
    type: 'public-key' as const,
    clientExtensionResults: {},
    authenticatorAttachment: 'platform' as const,
    response: {
      clientDataJSON: b64(clientData('webauthn.create', options.challenge, origin)),
      attestationObject: b64(attestationObject),
      transports: ['internal'],
    },
  };
  return { credential, response };
}

/** The assertion `navigator.credentials.get()` would give for `credential` (its counter moves on unless told). */
export function assert(
  credential: SoftCredential,
  options: AssertionOptionsLike,
  origin: string,
  {
    flags = FLAG_UP | FLAG_UV,
    signCount = credential.signCount + 1,
    userHandle = credential.userHandle,
  }: { flags?: number; signCount?: number; userHandle?: string | undefined } = {},
) {
  credential.signCount = signCount;
  const rpId = options.rpId ?? new URL(origin).hostname;
  const data = authData(rpId, flags, signCount);
  const client = clientData('webauthn.get', options.challenge, origin);
  const signature = sign('sha256', Buffer.concat([data, sha256(client)]), credential.privateKey);
  return {
    id: b64(credential.id),
    rawId: b64(credential.id),
    type: 'public-key' as const,
    clientExtensionResults: {},
    authenticatorAttachment: 'platform' as const,
    response: {
      clientDataJSON: b64(client),
      authenticatorData: b64(data),
      signature: b64(signature),
      ...(userHandle !== undefined && { userHandle }),
    },
  };
}
