/** The request and response shapes of the advisory render and template routes. */
import { z } from 'zod';
import { slugParams } from '../../projects/projects.schemas.js';
import { TEMPLATE_NAMES } from './render-context.js';

/** Template source as sent: bounded in characters here, in bytes by the engine. */
const source = z.string().max(64 * 1024);
const releaseAt = z.iso.datetime({ offset: true });

export const templateName = z.enum(TEMPLATE_NAMES);

export const renderQuery = z.object({ template: templateName, releaseAt: releaseAt.optional() });

export const renderInput = z.strictObject({
  template: templateName,
  source: source.optional(),
  releaseAt: releaseAt.optional(),
});

export const renderSchema = z.object({
  template: templateName,
  contentType: z.enum(['text/plain', 'text/html']),
  subject: z.string().nullable(),
  body: z.string(),
  missing: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const previewSchema = renderSchema.omit({ missing: true });

export const templateParams = slugParams.extend({ name: templateName });

export const saveTemplateInput = z.strictObject({
  source,
  /** The version the edit started from (0 for the default): a stale one is refused (409). */
  baseVersion: z.int().min(0).max(1_000_000).optional(),
});

export const previewInput = z.strictObject({ source });

export const templateSchema = z.object({
  name: templateName,
  source: z.string(),
  isDefault: z.boolean(),
  /** 0 while the project never saved this template. */
  version: z.number(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  requiredFields: z.array(z.string()),
  variables: z.array(z.object({ name: z.string(), description: z.string() })),
});

export const templateListSchema = z.object({ templates: z.array(templateSchema) });
