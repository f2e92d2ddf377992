/**
 * Zod schemas for passkeys (WebAuthn): the ceremonies' options as the server sends them (the JSON
 * forms of PublicKeyCredentialCreationOptions and PublicKeyCredentialRequestOptions that
 * @simplewebauthn/browser takes) and the authenticators' responses as the browser sends them back,
 * every string and list bounded.
 */
import { z } from 'zod';

/** base64url, as WebAuthn's JSON forms carry binary values. */
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be base64url' });

/** A credential id is at most 1023 bytes (WebAuthn §5.8.3): 1364 base64url characters. */
export const credentialIdSchema = b64url(1400);

export const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
const transportSchema = z.enum(TRANSPORTS);

/** Transports as a browser reports them: unknown future ones are dropped, not refused. */
const reportedTransports = z
  .array(z.string().max(32))
  .max(10)
  .transform((list) =>
    list.filter((t): t is (typeof TRANSPORTS)[number] => (TRANSPORTS as readonly string[]).includes(t)),
  );

const credentialDescriptor = z.object({
  id: z.string(),
  type: z.literal('public-key'),
  transports: z.array(transportSchema).optional(),
});
const userVerification = z.enum(['required', 'preferred', 'discouraged']);

/** What `navigator.credentials.create()` is given (as JSON). */
export const registrationOptionsSchema = z.object({
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal('public-key') })),
  timeout: z.number().optional(),
  excludeCredentials: z.array(credentialDescriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['cross-platform', 'platform']).optional(),
      requireResidentKey: z.boolean().optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      userVerification: userVerification.optional(),
    })
    .optional(),
  hints: z.array(z.enum(['hybrid', 'security-key', 'client-device'])).optional(),
  attestation: z.enum(['direct', 'enterprise', 'indirect', 'none']).optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
});

/** What `navigator.credentials.get()` is given (as JSON). */
export const authenticationOptionsSchema = z.object({
  challenge: z.string(),
  timeout: z.number().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptor).optional(),
  userVerification: userVerification.optional(),
  hints: z.array(z.enum(['hybrid', 'security-key', 'client-device'])).optional(),
});

const clientExtensionResults = z.object({
  credProps: z.object({ rk: z.boolean().optional() }).optional(),
});

/** A new credential, as `startRegistration()` of @simplewebauthn/browser answers it. */
export const registrationResponseSchema = z.object({
  id: credentialIdSchema,
  rawId: credentialIdSchema,
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(32_768),
    transports: reportedTransports.optional(),
  }),
  authenticatorAttachment: z.enum(['cross-platform', 'platform']).optional(),
  clientExtensionResults: clientExtensionResults.default({}),
  type: z.literal('public-key'),
});

/** An assertion, as `startAuthentication()` of @simplewebauthn/browser answers it. */
export const authenticationResponseSchema = z.object({
  id: credentialIdSchema,
  rawId: credentialIdSchema,
  response: z.object({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(4096),
    signature: b64url(2048),
    userHandle: b64url(128).optional(),
  }),
  authenticatorAttachment: z.enum(['cross-platform', 'platform']).optional(),
  clientExtensionResults: clientExtensionResults.default({}),
  type: z.literal('public-key'),
});
export type AuthenticationResponseBody = z.infer<typeof authenticationResponseSchema>;

export const PASSKEY_NAME_MAX = 100;
export const addPasskeyBody = z.object({
  name: z.string().trim().min(1).max(PASSKEY_NAME_MAX),
  response: registrationResponseSchema,
});
export type AddPasskeyBody = z.infer<typeof addPasskeyBody>;

/** A second-factor sign-in challenge (the twofactor part's token, from `POST /api/v1/auth/sign-in`). */
export const secondFactorChallengeSchema = z.string().min(10).max(200);
export const secondFactorOptionsBody = z.object({ challenge: secondFactorChallengeSchema });
export const secondFactorPasskeyBody = z.object({
  challenge: secondFactorChallengeSchema,
  response: authenticationResponseSchema,
});
export const passkeySignInBody = z.object({ response: authenticationResponseSchema });

/** A passkey as its owner sees it: never the key or the credential id. */
export const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** Synced between devices by its provider (a multi-device credential). */
  backedUp: z.boolean(),
  deviceType: z.enum(['singleDevice', 'multiDevice']),
});
export type PasskeyDto = z.infer<typeof passkeySchema>;
