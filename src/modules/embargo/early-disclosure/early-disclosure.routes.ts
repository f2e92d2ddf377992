/** Early disclosure and leak tracing of a case. Thin: parse, call the service, answer. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseIdParams } from '../../cases/cases.schemas.js';
import {
  earlyDisclosureSchema,
  leakTraceInput,
  leakTraceSchema,
  sendInput,
  sendResultSchema,
} from './early-disclosure.schemas.js';
import type { EarlyDisclosureService } from './early-disclosure.service.js';
import type { LeakTraceService } from './leak-trace.service.js';

/** Registers `/api/v1/cases/:id/early-disclosure` and `/api/v1/cases/:id/leak-trace`. */
export function registerEarlyDisclosureRoutes(
  root: FastifyInstance,
  services: { earlyDisclosure: EarlyDisclosureService; leakTrace: LeakTraceService },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['embargo'];

  app.get(
    '/api/v1/cases/:id/early-disclosure',
    {
      schema: {
        operationId: 'getEarlyDisclosure',
        tags,
        description:
          "The distributors' notice of the case (PROCESS.md §7): the preflight (each person of the list, whether they accepted the embargo text, their OpenPGP key's state and what a send would do) and the delivery log of every send, per copy.",
        params: caseIdParams,
        response: { 200: earlyDisclosureSchema },
      },
    },
    async (request) => services.earlyDisclosure.getEarlyDisclosure(request.principal, request.params.id),
  );

  app.post(
    '/api/v1/cases/:id/early-disclosure',
    {
      bodyLimit: 64 * 1024,
      schema: {
        operationId: 'sendEarlyDisclosure',
        tags,
        description:
          "Sends the distributors' notice of the advisory's current revision: one fingerprinted copy per person (encrypted to their key when they have one), the case shared with their organisations. 409 naming why it cannot (phase, policy, no draft, a key that fails for someone not excluded).",
        params: caseIdParams,
        body: sendInput,
        response: { 200: sendResultSchema },
      },
    },
    async (request) =>
      services.earlyDisclosure.sendNotice(request.principal, request.params.id, request.body),
  );

  app.post(
    '/api/v1/cases/:id/leak-trace',
    {
      // 256 KiB of text, as JSON (escapes make it longer).
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        operationId: 'traceLeak',
        tags,
        description:
          'Names the copy of the distributors notice a leaked text most likely came from (its reference code, invisible marks, or the wording of the places where copies differ), with the evidence; inconclusive when the evidence is weak. The text is not stored.',
        params: caseIdParams,
        body: leakTraceInput,
        response: { 200: leakTraceSchema },
      },
    },
    async (request) => services.leakTrace.traceLeak(request.principal, request.params.id, request.body.text),
  );
}
