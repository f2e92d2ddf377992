/** The Fix Lead, a case's members, and one's own invitations to cases. Thin: parse, call the service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import {
  acceptInvitationBody,
  acceptedSchema,
  fixLeadBody,
  fixLeadResponse,
  invitationParams,
  invitationSchema,
  invitedSchema,
  inviteMemberBody,
  memberParams,
  memberSchema,
  removeMemberBody,
} from './fix-team.schemas.js';
import type { FixLeadService } from './fix-lead.service.js';
import type { CaseMembersService } from './members.service.js';

export interface FixTeamServices {
  fixLead: FixLeadService;
  caseMembers: CaseMembersService;
}

const small = 16 * 1024;

/** Registers the Fix Lead and members routes of a case, and `/api/v1/me/invitations`. */
export function registerFixTeamRoutes(
  root: FastifyInstance,
  { fixLead, caseMembers }: FixTeamServices,
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['fix'];

  app.put(
    '/api/v1/cases/:id/fix-lead',
    {
      bodyLimit: small,
      schema: {
        operationId: 'setCaseFixLead',
        tags,
        description:
          "Makes a member of the project's security team the Fix Lead, for a reason the audit log keeps.",
        params: caseIdParams,
        body: fixLeadBody,
        response: { 200: fixLeadResponse },
      },
    },
    async (request) => fixLead.setFixLead(request.principal, request.params.id, request.body),
  );

  app.get(
    '/api/v1/cases/:id/members',
    {
      schema: {
        operationId: 'listCaseMembers',
        tags,
        description: 'Everyone invited to the case, with where their invitation stands.',
        params: caseIdParams,
        response: { 200: z.object({ members: z.array(memberSchema) }) },
      },
    },
    async (request) => ({ members: await caseMembers.listMembers(request.principal, request.params.id) }),
  );

  app.post(
    '/api/v1/cases/:id/members',
    {
      bodyLimit: small,
      schema: {
        operationId: 'inviteCaseMember',
        tags,
        description:
          'Invites someone to this one case by email (an account is created for a new address). ' +
          'The answer carries the link to hand on; they see nothing before accepting the embargo terms.',
        params: caseIdParams,
        body: inviteMemberBody,
        response: { 201: invitedSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await caseMembers.inviteMember(request.principal, request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/cases/:id/members/:memberId',
    {
      bodyLimit: small,
      schema: {
        operationId: 'removeCaseMember',
        tags,
        description: "Ends a member's access to the case, or withdraws a pending invitation.",
        params: memberParams,
        body: removeMemberBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { id, memberId } = request.params;
      await caseMembers.removeMember(request.principal, id, memberId, request.body.reason);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/invitations',
    {
      schema: {
        operationId: 'listMyInvitations',
        tags,
        description: 'Your pending invitations to cases, each with the embargo terms to accept first.',
        response: { 200: z.object({ invitations: z.array(invitationSchema) }) },
      },
    },
    async (request) => ({ invitations: await caseMembers.listInvitations(request.principal) }),
  );

  app.post(
    '/api/v1/me/invitations/:memberId/accept',
    {
      bodyLimit: small,
      schema: {
        operationId: 'acceptInvitation',
        tags,
        description:
          'Accepts the embargo terms (named by their SHA-256) of an invitation: 409 when they changed, ' +
          'or when the case was published meanwhile.',
        params: invitationParams,
        body: acceptInvitationBody,
        response: { 200: acceptedSchema },
      },
    },
    async (request) =>
      caseMembers.acceptInvitation(request.principal, request.params.memberId, request.body.termsHash),
  );
}
