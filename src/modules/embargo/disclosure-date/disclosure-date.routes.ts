/**
 * A case's disclosure date (PROCESS.md §7): the team, the Fix Team, the case's distributors and the
 * invited reporter read it; one POST proposes, answers or decides, by its `action`. The reporter
 * reads and answers through their private link too. Thin: parse, call the service, answer.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseIdParams, reporterTokenParams } from '../../cases/cases.schemas.js';
import { disclosureDateAction, disclosureDateViewSchema, respondInput } from './disclosure-date.schemas.js';
import type { DisclosureDateService } from './disclosure-date.service.js';

export function registerDisclosureDateRoutes(root: FastifyInstance, dates: DisclosureDateService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['disclosure-date'];
  const bodyLimit = 16 * 1024;

  app.get(
    '/api/v1/cases/:id/disclosure-date',
    {
      schema: {
        operationId: 'getDisclosureDate',
        tags,
        description:
          "The disclosure date's negotiation: proposals with each party's answer, the decision and the guardrails (the policy's maximum embargo, the critical target, the release window, the release matrix). Parties see other parties' answers without their words.",
        params: caseIdParams,
        response: { 200: disclosureDateViewSchema },
      },
    },
    async (request) => dates.get(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/disclosure-date',
    {
      bodyLimit,
      schema: {
        operationId: 'actOnDisclosureDate',
        tags,
        description:
          '`propose` an instant (the team), `respond` to the open proposal (the reporter, a distributor for their organisation: accept, object with a reason, or counter with an instant), or `decide` (the team: a proposal, or an instant; `overrides` lists the release-window guardrails decided over). Instants are ISO 8601 with an offset, and their IANA zone is stored. A refused instant answers 400 naming the field.',
        params: caseIdParams,
        body: disclosureDateAction,
        response: { 200: disclosureDateViewSchema },
      },
    },
    async (request) => dates.act(request.principal, request.params.id, request.body),
  );

  app.get(
    '/api/v1/reporter/cases/:token/disclosure-date',
    {
      config: { public: true },
      schema: {
        operationId: 'getReporterDisclosureDate',
        tags,
        description: 'The disclosure date as the reporter sees it, through their private link.',
        params: reporterTokenParams,
        response: { 200: disclosureDateViewSchema },
      },
    },
    async (request) => dates.getForReporter(request.params.token),
  );

  app.post(
    '/api/v1/reporter/cases/:token/disclosure-date',
    {
      config: { public: true },
      bodyLimit,
      schema: {
        operationId: 'answerReporterDisclosureDate',
        tags,
        description:
          'The reporter accepts the open proposal, objects with a reason, or counter-proposes an instant.',
        params: reporterTokenParams,
        body: respondInput,
        response: { 200: disclosureDateViewSchema },
      },
    },
    async (request) => dates.respondAsReporter(request.params.token, request.body),
  );
}
