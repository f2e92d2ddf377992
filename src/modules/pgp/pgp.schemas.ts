/** Zod schemas for project keys: request validation and the OpenAPI description come from these. */
import { z } from 'zod';
import { ARMORED_KEY_MAX_CHARS } from './openpgp-keys.js';

export const projectKeySchema = z.object({
  fingerprint: z.string(),
  userId: z.string(),
  algorithm: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  publicKeyUrl: z.string(),
});

export const projectKeyDetailSchema = projectKeySchema.extend({
  previous: z.array(z.object({ fingerprint: z.string(), createdAt: z.string(), retiredAt: z.string() })),
});

export const importKeyBody = z.object({
  privateKey: z.string().min(1).max(ARMORED_KEY_MAX_CHARS),
  passphrase: z.string().max(1_000).optional(),
});

/** A public page's slug: any bounded string, so that a malformed one answers 404 like an unknown one. */
export const publicSlugParams = z.object({ slug: z.string().min(1).max(100) });
