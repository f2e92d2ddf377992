/** Zod schemas for projects: request validation and the OpenAPI description come from these. */
import { z } from 'zod';
import { abilityMapSchema } from '../../authz/abilities.schema.js';
import { PROJECT_ROLES, UI_ABILITIES } from '../../authz/authz.policy.js';
import { emailSchema } from '../accounts/accounts.schemas.js';
import { POLICY_MAX_BYTES, REJECTION_REASONS } from '../policy/policy.schema.js';

/** Lower-case letters, digits and inner hyphens; 2-40 characters; used in URLs and mail addresses. */
export const slugSchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])$/, 'use lower-case letters, digits and inner hyphens');

/** A policy document is bounded before it is parsed (the parser then checks its size in bytes). */
export const policyYamlSchema = z.string().min(1).max(POLICY_MAX_BYTES);

export const slugParams = z.object({ slug: slugSchema });

export const createProjectBody = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1).max(200),
    preset: z.string().min(1).max(40).optional(),
    policyYaml: policyYamlSchema.optional(),
  })
  .refine((b) => (b.preset === undefined) !== (b.policyYaml === undefined), {
    message: 'give exactly one of preset or policyYaml',
    path: ['preset'],
  });

export const updatePolicyBody = z.object({
  yaml: policyYamlSchema,
  baseVersion: z.number().int().min(1).optional(),
});

export const renderPolicyBody = z.object({ yaml: policyYamlSchema });

export const memberBody = z.object({ email: emailSchema, role: z.enum(PROJECT_ROLES) });
export const memberParams = z.object({ slug: slugSchema, userId: z.uuid() });
export const memberRequestParams = z.object({ slug: slugSchema, requestId: z.uuid() });

/** The answer to adding a member: added at once, already a member, or a request waiting for approval. */
export const memberAddedSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  added: z.boolean(),
  status: z.enum(['added', 'already-member', 'pending']),
  /** The pending request, which another current member approves (status `pending`). */
  requestId: z.string().nullable(),
});

export const memberRequestDecisionSchema = z.object({
  requestId: z.string(),
  userId: z.string(),
  role: z.string(),
  state: z.enum(['approved', 'declined']),
});

export const memberQuery = z.object({ role: z.enum(PROJECT_ROLES).default('security-team') });

const authorSchema = z.object({ id: z.string(), name: z.string() }).nullable();

export const projectSummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  policyVersion: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const policyVersionSchema = z.object({
  version: z.number(),
  yaml: z.string(),
  createdAt: z.string(),
  createdBy: authorSchema,
});

export const projectDetailSchema = projectSummarySchema.extend({
  policy: policyVersionSchema,
  /**
   * The reasons the current policy lets the team reject a report for (`triage.rejectionReasons`):
   * what the inbox's "Reject selected" offers.
   */
  rejectionCategories: z.array(z.enum(REJECTION_REASONS)),
  members: z.array(z.object({ userId: z.string(), email: z.string(), name: z.string(), role: z.string() })),
  /** Requests to join the team waiting for a member's approval (empty unless you manage members). */
  memberRequests: z.array(
    z.object({
      id: z.string(),
      userId: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.string(),
      requestedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
      createdAt: z.string(),
    }),
  ),
  abilities: abilityMapSchema(UI_ABILITIES.project),
});

export const policyVersionListSchema = z.object({
  versions: z.array(z.object({ version: z.number(), createdAt: z.string(), createdBy: authorSchema })),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
