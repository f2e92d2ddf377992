/** Zod schemas for OpenID Connect sign-in and the sign-in methods: bounded, and the OpenAPI document's source. */
import { z } from 'zod';

export const signInMethodsSchema = z.object({
  password: z.literal(true),
  oidc: z
    .object({
      name: z.string().describe('The provider, for the button: "Sign in with <name>".'),
      startUrl: z.string().describe('Navigate the browser here to sign in through the provider.'),
    })
    .nullable()
    .describe('OpenID Connect sign-in, when the instance has a provider (VIGIL_OIDC_ISSUER).'),
});

export const oidcStartQuery = z.object({
  returnTo: z.string().max(500).optional().describe('A path of this instance to open after signing in.'),
});

/** What the provider sends back (RFC 6749 §4.1.2, RFC 9207 `iss`): bounded; other parameters are ignored. */
export const oidcCallbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(200).optional(),
  iss: z.string().max(500).optional(),
  session_state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

export const redirectResponse = z.null().describe('A redirect (Location) for the browser.');
