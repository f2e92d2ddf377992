/** Zod schemas for the Fix Lead, a case's members and one's invitations: bounded requests, declared answers. */
import { z } from 'zod';
import { INVITED_CASE_ROLES } from '../../../authz/authz.policy.js';
import { emailSchema } from '../../accounts/accounts.schemas.js';
import { caseIdParams, fixLeadSchema } from '../../cases/cases.schemas.js';

/** Why the Fix Lead changed, or why someone's access ended: kept in the audit log. */
const reason = z.string().trim().min(1).max(2000);

export const fixLeadBody = z.object({ userId: z.uuid(), reason });
export const fixLeadResponse = z.object({
  fixLead: fixLeadSchema,
  /** False when the chosen member was the lead already (nothing recorded). */
  changed: z.boolean(),
});

export const inviteMemberBody = z.object({ email: emailSchema, role: z.enum(INVITED_CASE_ROLES) });
export const invitedSchema = z.object({
  memberId: z.string(),
  userId: z.string(),
  role: z.enum(INVITED_CASE_ROLES),
  /**
   * The link to hand the invitee: a one-time sign-in link when their account holds nothing but this
   * invitation (`newAccount`, or never signed in), otherwise the invitations page.
   */
  invitationUrl: z.string(),
  newAccount: z.boolean(),
});

export const memberParams = caseIdParams.extend({ memberId: z.uuid() });
export const removeMemberBody = z.object({ reason });
export const memberSchema = z.object({
  memberId: z.string(),
  userId: z.string(),
  role: z.enum(INVITED_CASE_ROLES),
  /** "The reporter", and no `email`, for the reporter's row when the caller is not on the security team. */
  name: z.string(),
  email: z.string().nullable(),
  status: z.enum(['pending', 'active', 'ended']),
  invitedAt: z.string(),
  termsAcceptedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endedReason: z.enum(['removed', 'published']).nullable(),
});

export const invitationParams = z.object({ memberId: z.uuid() });
const sha256Hex = z
  .string()
  .regex(/^[0-9A-Fa-f]{64}$/, 'must be the SHA-256 of the terms, in hex')
  .transform((s) => s.toLowerCase());
export const acceptInvitationBody = z.object({ termsHash: sha256Hex });
export const invitationSchema = z.object({
  memberId: z.string(),
  project: z.object({ slug: z.string(), name: z.string() }),
  caseHumanId: z.string(),
  role: z.enum(INVITED_CASE_ROLES),
  invitedAt: z.string(),
  /** The embargo terms to accept before anything of the case is shown, and their version. */
  terms: z.object({ text: z.string(), hash: z.string() }),
});
export const acceptedSchema = z.object({
  memberId: z.string(),
  caseHumanId: z.string(),
  role: z.enum(INVITED_CASE_ROLES),
  termsAcceptedAt: z.string(),
});
