/**
 * The members of a distributors list as the team runs them (organisations, people, keys, states,
 * reviews), and a person's own memberships with the embargo text to accept. Thin: parse, call, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptEmbargoBody,
  addedPersonSchema,
  addPersonBody,
  createdOrgSchema,
  createOrgBody,
  embargoAcceptedSchema,
  listOverviewSchema,
  myMembershipSchema,
  orgParams,
  orgStateBody,
  orgStateSchema,
  ownPersonParams,
  personKeyBody,
  personKeySchema,
  personParams,
  removalBody,
  reviewBody,
  reviewedSchema,
  slugParams,
} from './distributors.schemas.js';
import type { DistributorsListService } from './list.service.js';

const small = 16 * 1024;
const withKey = 128 * 1024;

/** Registers the list's member routes and `/api/v1/me/distributors`. */
export function registerDistributorsListRoutes(root: FastifyInstance, list: DistributorsListService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['distributors'];
  const org = '/api/v1/projects/:slug/distributors/orgs/:orgId';

  app.get(
    '/api/v1/projects/:slug/distributors',
    {
      schema: {
        operationId: 'getDistributorsList',
        tags,
        description:
          'The project’s distributors list as the team runs it: its settings, and every organisation with its ' +
          'people, state, incidents, and review due.',
        params: slugParams,
        response: { 200: listOverviewSchema },
      },
    },
    async (request) => list.overview(request.principal, request.params.slug),
  );

  app.post(
    '/api/v1/projects/:slug/distributors/orgs',
    {
      bodyLimit: small,
      schema: {
        operationId: 'createDistributorOrg',
        tags,
        description:
          'Puts an organisation on the list by hand (members from before Vigil, the list’s first ones): active.',
        params: slugParams,
        body: createOrgBody,
        response: { 201: createdOrgSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await list.createOrg(request.principal, request.params.slug, request.body)),
  );

  app.post(
    `${org}/people`,
    {
      bodyLimit: withKey,
      schema: {
        operationId: 'addDistributorPerson',
        tags,
        description:
          'Names a person of the organisation (an account is made for a new address, and the link mailed). ' +
          'They receive nothing embargoed before accepting the embargo text.',
        params: orgParams,
        body: addPersonBody,
        response: { 201: addedPersonSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await list.addPerson(request.principal, request.params.slug, request.params.orgId, request.body),
        ),
  );

  app.delete(
    `${org}/people/:personId`,
    {
      schema: {
        operationId: 'removeDistributorPerson',
        tags,
        description:
          'Removes a person from the organisation: they receive and see nothing of the list from then on.',
        params: personParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { slug, orgId, personId } = request.params;
      await list.removePerson(request.principal, slug, orgId, personId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    `${org}/people/:personId/pgp-key`,
    {
      bodyLimit: withKey,
      schema: {
        operationId: 'setDistributorPersonKey',
        tags,
        description:
          'Sets a person’s OpenPGP public key (400 naming the field when it does not parse, has expired or ' +
          'cannot encrypt), or clears it with null.',
        params: personParams,
        body: personKeyBody,
        response: { 200: personKeySchema },
      },
    },
    async (request) => {
      const { slug, orgId, personId } = request.params;
      return list.setPersonKey(request.principal, slug, orgId, personId, request.body.pgpPublicKey);
    },
  );

  app.post(
    `${org}/state`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'setDistributorOrgState',
        tags,
        description: 'Suspends, reinstates or removes the organisation, for a reason. Removal is final.',
        params: orgParams,
        body: orgStateBody,
        response: { 200: orgStateSchema },
      },
    },
    async (request) =>
      list.setOrgState(request.principal, request.params.slug, request.params.orgId, request.body),
  );

  app.post(
    `${org}/removal-per-policy`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'removeDistributorOrgPerPolicy',
        tags,
        description:
          'Removes the organisation by the policy’s leak rule, with the explicit confirmation `confirm: true`: ' +
          'only once its incidents reach `leaksBeforeRemoval` (409 before).',
        params: orgParams,
        body: removalBody,
        response: { 200: orgStateSchema },
      },
    },
    async (request) =>
      list.removePerPolicy(request.principal, request.params.slug, request.params.orgId, request.body.reason),
  );

  app.post(
    `${org}/reviews`,
    {
      bodyLimit: small,
      schema: {
        operationId: 'recordDistributorReview',
        tags,
        description:
          'Records the organisation’s periodic review; the next is due the policy’s period after it.',
        params: orgParams,
        body: reviewBody,
        response: { 201: reviewedSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await list.recordReview(
            request.principal,
            request.params.slug,
            request.params.orgId,
            request.body.note,
          ),
        ),
  );

  app.get(
    '/api/v1/me/distributors',
    {
      schema: {
        operationId: 'listMyDistributorMemberships',
        tags,
        description:
          'Your memberships of distributors lists, each with the current embargo text: accept it (again, when ' +
          'it changed) before anything embargoed reaches you.',
        response: { 200: z.object({ memberships: z.array(myMembershipSchema) }) },
      },
    },
    async (request) => ({ memberships: await list.myMemberships(request.principal) }),
  );

  app.post(
    '/api/v1/me/distributors/:personId/accept',
    {
      bodyLimit: small,
      schema: {
        operationId: 'acceptDistributorsEmbargo',
        tags,
        description:
          'Accepts the current embargo text of that list, named by its hash (409 when it changed).',
        params: ownPersonParams,
        body: acceptEmbargoBody,
        response: { 200: embargoAcceptedSchema },
      },
    },
    async (request) =>
      list.acceptEmbargo(request.principal, request.params.personId, request.body.embargoHash),
  );
}
